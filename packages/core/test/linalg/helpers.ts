/** Helpers for the linalg tests: seeded matrices and float64 checks on the host. */
import { tf, hostQr, type HostMatrix } from '@tenfold/core';
import { createRng } from '../../src/random/rng.js';
import { engineConfig } from '../../src/linalg/engine.js';

/** A rows x cols standard-normal float64 matrix from `seed`. */
export function gaussian(rows: number, cols: number, seed: number): HostMatrix {
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}

/** Round to float32 (what the engine sees), keeping a float64 array. */
export function f32(m: HostMatrix): HostMatrix {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(Float32Array.from(m.data)) };
}

export function toTf(m: HostMatrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
}

export function fromTf(t: tf.Tensor): HostMatrix {
  const [rows, cols] = t.shape as [number, number];
  return { rows, cols, data: Float64Array.from(t.dataSync()) };
}

export function matmul(a: HostMatrix, b: HostMatrix, transA = false, transB = false): HostMatrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a.data[p * a.cols + i] : a.data[i * a.cols + p]) * (transB ? b.data[j * b.cols + p] : b.data[p * b.cols + j]);
      out[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: out };
}

/** max |A^T A - I| (columns orthonormal) or, with rows, max |A A^T - I|. */
export function orthError(a: HostMatrix, rows = false): number {
  const g = rows ? matmul(a, a, false, true) : matmul(a, a, true, false);
  let e = 0;
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) e = Math.max(e, Math.abs(g.data[i * g.cols + j] - (i === j ? 1 : 0)));
  return e;
}

export function frob(a: HostMatrix | Float64Array): number {
  const d = a instanceof Float64Array ? a : a.data;
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/** ||A - U diag(s) Vt||_F. */
export function reconError(a: HostMatrix, u: HostMatrix, s: ArrayLike<number>, vt: HostMatrix): number {
  const k = s.length;
  const us = { rows: u.rows, cols: k, data: Float64Array.from(u.data, (x, i) => x * s[i % k]) };
  const rec = matmul(us, vt);
  return frob(Float64Array.from(a.data, (x, i) => x - rec.data[i]));
}

/** A float64 matrix U diag(sigma) V^T with random orthonormal U (rows x r) and V (cols x r). */
export function withSpectrum(rows: number, cols: number, sigma: number[], seed: number): HostMatrix {
  const r = sigma.length;
  const u = hostQr(gaussian(rows, r, seed)).q;
  const v = hostQr(gaussian(cols, r, seed + 1)).q;
  const us = { rows, cols: r, data: Float64Array.from(u.data, (x, i) => x * sigma[i % r]) };
  return matmul(us, v, false, true);
}

/** Run `fn` with the host thresholds set to zero, so the backend (Gram / Cholesky-QR) paths run. */
export function onBackend<T>(fn: () => T): T {
  const saved = { ...engineConfig };
  engineConfig.hostMaxMn2 = 0;
  engineConfig.hostMaxN = 0;
  engineConfig.hostQrMaxFlops = 0;
  try {
    return fn();
  } finally {
    Object.assign(engineConfig, saved);
  }
}
