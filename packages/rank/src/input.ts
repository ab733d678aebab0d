/**
 * Input handling for @tenfold/rank. EVBMF is float64 math on a spectrum, so inputs that are
 * already on the host (nested arrays, `{ data, shape }`, ndarrays) stay in float64 instead of
 * being rounded to a float32 tensor first; tf.Tensors stay on the backend until it is
 * decided where the SVD runs.
 */
import { ArgumentError, NonFiniteError, ShapeError, describe, isNdArray, sizeOf, tf, toTensor, type TensorLike } from '@tenfold/core';

/** A dense row-major float64 array on the host, of any order. */
export interface HostArray {
  shape: number[];
  data: Float64Array;
}

/** Either host float64 data or a backend tensor (never both). */
export type Source = { kind: 'host'; value: HostArray } | { kind: 'tensor'; value: tf.Tensor; owned: boolean };

function nestedShape(x: unknown, argName: string): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  if (shape.length > 0 && shape[shape.length - 1] !== 0 && typeof cur !== 'number') {
    throw new ArgumentError(`${argName} must be a nested array of numbers; found ${describe(cur)} inside`);
  }
  return shape;
}

function flattenNested(x: unknown, shape: number[], argName: string): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new ArgumentError(`${argName} must be a nested array of numbers; found ${describe(v)} inside`);
      out[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`${argName} must be a rectangular nested array of shape ${describe(shape)}; a row at depth ${depth} has ${Array.isArray(v) ? `length ${v.length}` : describe(v)}`);
    }
    for (const e of v) walk(e, depth + 1);
  };
  walk(x, 0);
  return out;
}

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
  let host: HostArray;
  if (typeof x === 'number') {
    host = { shape: [], data: Float64Array.of(x) };
  } else if (Array.isArray(x)) {
    const shape = nestedShape(x, argName);
    host = { shape, data: flattenNested(x, shape, argName) };
  } else if (isNdArray(x)) {
    const { shape, stride, offset, data } = x;
    const size = sizeOf(shape);
    const out = new Float64Array(size);
    const idx = new Array<number>(shape.length).fill(0);
    for (let flat = 0; flat < size; flat++) {
      let p = offset;
      for (let d = 0; d < shape.length; d++) p += idx[d] * stride[d];
      out[flat] = data[p];
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    host = { shape: [...shape], data: out };
  } else if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const { data, shape } = x;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || data.length !== sizeOf(shape)) {
      throw new ShapeError(`${argName}: data of length ${data.length} does not fit shape ${describe(shape)}`);
    }
    host = { shape: [...shape], data: Float64Array.from(data as ArrayLike<number>) };
  } else {
    throw new ArgumentError(`${argName} must be a TensorLike (tf.Tensor, nested array, {data, shape} or ndarray); got ${describe(x)}`);
  }
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
