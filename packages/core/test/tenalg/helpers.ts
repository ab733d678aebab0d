/** Test helpers for tenalg: seeded data and a float64 host reference contraction. */
import { createRng, tf } from '@tenfold/core';

/** A seeded U[0,1) stream (core's host RNG), so that property-test inputs are reproducible. */
export function rng(seed: number): () => number {
  const r = createRng(seed);
  return () => r.random();
}

/** Entries uniform in [-1, 1), rounded to float32 so that the host reference sees the same inputs. */
export function randData(shape: number[], seed: number): Float32Array {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * r() - 1;
  return out;
}

export function randTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randData(shape, seed), shape, 'float32');
}

export function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

/** Iterate over every multi-index of `shape` in C order. */
export function* indices(shape: number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    yield idx;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/**
 * Float64 reference for tensordot with TensorLy's output order: the first tensor's kept
 * modes in order (batch modes in place), then the second's free modes.
 */
export function refTensordot(
  a: ArrayLike<number>, sa: number[], b: ArrayLike<number>, sb: number[],
  c1: number[], c2: number[], b1: number[] = [], b2: number[] = [],
): { shape: number[]; data: number[] } {
  const kept1 = sa.map((_, i) => i).filter((i) => !c1.includes(i));
  const free2 = sb.map((_, i) => i).filter((i) => !c2.includes(i) && !b2.includes(i));
  const outShape = [...kept1.map((i) => sa[i]), ...free2.map((i) => sb[i])];
  const cShape = c1.map((i) => sa[i]);
  const st1 = strides(sa);
  const st2 = strides(sb);
  const data: number[] = [];
  for (const o of indices(outShape)) {
    const ia = new Array<number>(sa.length).fill(0);
    const ib = new Array<number>(sb.length).fill(0);
    kept1.forEach((m, k) => { ia[m] = o[k]; });
    free2.forEach((m, k) => { ib[m] = o[kept1.length + k]; });
    b1.forEach((m, k) => { ib[b2[k]] = ia[m]; });
    let s = 0;
    for (const ci of indices(cShape)) {
      c1.forEach((m, k) => { ia[m] = ci[k]; });
      c2.forEach((m, k) => { ib[m] = ci[k]; });
      let pa = 0;
      let pb = 0;
      for (let d = 0; d < sa.length; d++) pa += ia[d] * st1[d];
      for (let d = 0; d < sb.length; d++) pb += ib[d] * st2[d];
      s += a[pa] * b[pb];
    }
    data.push(s);
  }
  return { shape: outShape, data };
}
