/**
 * Small host products of triangular factors (row-major float64), the pieces of Cholesky-QR2
 * (Fukaya et al. 2014) that `engine.ts` and `qr.ts` share: R = L^T, (L^T)^{-1}, R^T R, R1 R2.
 */
import type { HostMatrix } from '../../backend/transfer.js';

/** Upper-triangular R = L^T from a lower-triangular Cholesky factor L (row-major). */
export function upperOf(l: HostMatrix): HostMatrix {
  const n = l.rows;
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r[i * n + j] = l.data[j * n + i];
  return { rows: n, cols: n, data: r };
}

/** A B for small host matrices, skipping zero entries of A (cheap on triangular A). */
export function hostMatmulSmall(a: HostMatrix, b: HostMatrix): HostMatrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let p = 0; p < a.cols; p++) {
      const x = a.data[i * a.cols + p];
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += x * b.data[p * b.cols + j];
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** Inverse of L^T (upper triangular) for a lower-triangular row-major L. */
export function invLowerTransposed(l: Float64Array, k: number): HostMatrix {
  // R = L^T, X = R^{-1}: R[i][i] X[i][:] = e_i - sum_{t > i} R[i][t] X[t][:], bottom row up;
  // row-oriented so the inner loop runs over contiguous memory.
  const inv = new Float64Array(k * k);
  for (let i = k - 1; i >= 0; i--) {
    const row = i * k;
    inv[row + i] = 1;
    for (let t = i + 1; t < k; t++) {
      const c = l[t * k + i];
      if (c === 0) continue;
      const rt = t * k;
      for (let j = t; j < k; j++) inv[row + j] -= c * inv[rt + j];
    }
    const d = l[i * k + i];
    for (let j = i; j < k; j++) inv[row + j] /= d;
  }
  return { rows: k, cols: k, data: inv };
}

/** R^T R for an upper-triangular row-major R, as a sum of outer products of its rows. */
export function upperGram(r: HostMatrix): HostMatrix {
  const n = r.rows;
  const out = new Float64Array(n * n);
  const rd = r.data;
  for (let t = 0; t < n; t++) {
    const rt = t * n;
    for (let i = t; i < n; i++) {
      const c = rd[rt + i];
      if (c === 0) continue;
      const oi = i * n;
      for (let j = i; j < n; j++) out[oi + j] += c * rd[rt + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
  return { rows: n, cols: n, data: out };
}

/** The product of two upper-triangular row-major matrices (upper triangular). */
export function upperProduct(a: HostMatrix, b: HostMatrix): HostMatrix {
  const n = a.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * n;
    for (let t = i; t < n; t++) {
      const c = a.data[oi + t];
      if (c === 0) continue;
      const bt = t * n;
      for (let j = t; j < n; j++) out[oi + j] += c * b.data[bt + j];
    }
  }
  return { rows: n, cols: n, data: out };
}
