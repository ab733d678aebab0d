/**
 * Input handling for @tenfold/rank. EVBMF is float64 math on a spectrum, so inputs that are
 * already on the host (nested arrays, `{ data, shape }`, ndarrays) stay in float64 instead of
 * being rounded to a float32 tensor first; tf.Tensors stay on the backend until it is
 * decided where the SVD runs.
 */
import { NonFiniteError, describe, sizeOf, tf, toHostArray, toTensor, type HostArray, type TensorLike } from '@tenfold/core';

export type { HostArray };

/** Either host float64 data or a backend tensor (never both). */
export type Source = { kind: 'host'; value: HostArray } | { kind: 'tensor'; value: tf.Tensor; owned: boolean };

/**
 * Resolve a TensorLike into a host float64 array (host inputs) or a backend tensor
 * (tf.Tensor inputs). Checks finiteness of host data here; tensors are checked by the caller
 * with `assertFinite` (one sync).
 */
export function toSource(x: TensorLike, argName: string): Source {
  if (x instanceof tf.Tensor) {
    const t = toTensor(x, argName);
    return { kind: 'tensor', value: t, owned: t !== x };
  }
  const host = toHostArray(x, argName);
  for (let i = 0; i < host.data.length; i++) {
    if (!Number.isFinite(host.data[i])) {
      throw new NonFiniteError(`${argName} must be finite; it holds ${host.data[i]} at flat index ${i} (shape ${describe(host.shape)})`);
    }
  }
  return { kind: 'host', value: host };
}

/** Release a Source's tensor if this module created it. */
export function releaseSource(src: Source): void {
  if (src.kind === 'tensor' && src.owned) src.value.dispose();
}

export function sourceShape(src: Source): number[] {
  return src.kind === 'host' ? src.value.shape : src.value.shape;
}

/**
 * TensorLy's row-major mode-n unfolding on host data:
 * unfold(T, n) = reshape(moveaxis(T, n, 0), (I_n, -1)).
 */
export function hostUnfold(t: HostArray, mode: number): HostArray {
  const { shape, data } = t;
  const n = shape.length;
  const rows = shape[mode];
  const cols = sizeOf(shape) / (rows || 1);
  const out = new Float64Array(data.length);
  // strides of the source in C order
  const strides = new Array<number>(n);
  let acc = 1;
  for (let d = n - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d];
  }
  const other = shape.map((_, i) => i).filter((i) => i !== mode);
  const idx = new Array<number>(other.length).fill(0);
  for (let c = 0; c < cols; c++) {
    let base = 0;
    for (let k = 0; k < other.length; k++) base += idx[k] * strides[other[k]];
    for (let r = 0; r < rows; r++) out[r * cols + c] = data[base + r * strides[mode]];
    for (let k = other.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[other[k]]) break;
      idx[k] = 0;
    }
  }
  return { shape: [rows, cols], data: out };
}

/** Transpose of a host matrix. */
export function hostTranspose(m: HostArray): HostArray {
  const [r, c] = m.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = m.data[i * c + j];
  return { shape: [c, r], data: out };
}
