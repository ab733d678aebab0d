/** Test-only generators: seeded Gaussian matrices on the host, in float64. */
import { createRng } from '@tenfold/core';

/** A seeded standard-normal generator (core's host RNG, so inputs are reproducible). */
export function gaussianRng(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.normal();
}

/** Orthonormal columns (n x k, row-major) by modified Gram-Schmidt on Gaussian vectors. */
export function orthonormal(n: number, k: number, g: () => number): Float64Array {
  const q = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) q[i * k + j] = g();
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * k + j] * q[i * k + p];
        for (let i = 0; i < n; i++) q[i * k + j] -= dot * q[i * k + p];
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += q[i * k + j] ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) q[i * k + j] /= nrm;
  }
  return q;
}

/**
 * Y = U diag(signal) V^T + noise * N(0, 1), L x M, with `signal` the singular values of the
 * low-rank part. Returns {data, shape} (float64 host input).
 */
export function lowRankPlusNoise(L: number, M: number, signal: number[], noise: number, seed: number): { data: Float64Array; shape: number[] } {
  const g = gaussianRng(seed);
  const r = signal.length;
  const u = orthonormal(L, r, g);
  const v = orthonormal(M, r, g);
  const data = new Float64Array(L * M);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < M; j++) {
      let x = 0;
      for (let h = 0; h < r; h++) x += u[i * r + h] * signal[h] * v[j * r + h];
      data[i * M + j] = x + noise * g();
    }
  }
  return { data, shape: [L, M] };
}

export function transposeHost(y: { data: Float64Array; shape: number[] }): { data: Float64Array; shape: number[] } {
  const [r, c] = y.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = y.data[i * c + j];
  return { data: out, shape: [c, r] };
}

export function scaleHost(y: { data: Float64Array; shape: number[] }, c: number): { data: Float64Array; shape: number[] } {
  return { data: y.data.map((x) => x * c), shape: [...y.shape] };
}
