/**
 * Host Householder QR (reduced), diag(R) >= 0 (Golub & Van Loan Alg. 5.2.1).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { checkHostMatrix } from './matrix.js';

/**
 * Householder QR on a column-major copy: returns the reflectors (in `qt`, rows = columns of
 * A) and tau, leaving R in the upper triangle of the first p rows of `qt`'s transpose.
 */
interface HouseholderQr {
  m: number;
  n: number;
  /** Column-major A overwritten: column j (contiguous at j*m) holds R[0..j, j] above and the reflector below. */
  cols: Float64Array;
  /** Householder scalars: H_j = I - beta_j v_j v_j^T with v_j[j] = 1. */
  beta: Float64Array;
}

export function householder(a: HostMatrix): HouseholderQr {
  const { rows: m, cols: n } = a;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[j * m + i] = a.data[i * n + j];
  const p = Math.min(m, n);
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = j * m;
    // Scaled norm of x = A[j:, j].
    let scale = 0;
    for (let i = j; i < m; i++) scale = Math.max(scale, Math.abs(c[col + i]));
    if (scale === 0) {
      beta[j] = 0;
      continue;
    }
    let sigma = 0;
    for (let i = j + 1; i < m; i++) sigma += (c[col + i] / scale) ** 2;
    const x0 = c[col + j] / scale;
    if (sigma === 0) {
      // Already upper triangular in this column: no reflection (keeps R[j,j] as is).
      beta[j] = 0;
      continue;
    }
    const mu = Math.sqrt(x0 * x0 + sigma);
    // v0 = x0 - mu computed without cancellation (Golub & Van Loan Alg. 5.1.1).
    const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
    beta[j] = (2 * v0 * v0) / (sigma + v0 * v0);
    for (let i = j + 1; i < m; i++) c[col + i] = c[col + i] / scale / v0;
    c[col + j] = mu * scale;
    // Apply H_j to the remaining columns.
    const b = beta[j];
    for (let k = j + 1; k < n; k++) {
      const ck = k * m;
      let s = c[ck + j];
      for (let i = j + 1; i < m; i++) s += c[col + i] * c[ck + i];
      s *= b;
      c[ck + j] -= s;
      for (let i = j + 1; i < m; i++) c[ck + i] -= s * c[col + i];
    }
  }
  return { m, n, cols: c, beta };
}

/** Form the thin Q (m x p, column-major) from the reflectors. */
export function householderQ(h: HouseholderQr): Float64Array {
  const { m, n, cols: c, beta } = h;
  const p = Math.min(m, n);
  const q = new Float64Array(m * p);
  for (let j = 0; j < p; j++) q[j * m + j] = 1;
  for (let j = p - 1; j >= 0; j--) {
    const b = beta[j];
    if (b === 0) continue;
    const col = j * m;
    for (let k = j; k < p; k++) {
      const qk = k * m;
      let s = q[qk + j];
      for (let i = j + 1; i < m; i++) s += c[col + i] * q[qk + i];
      s *= b;
      q[qk + j] -= s;
      for (let i = j + 1; i < m; i++) q[qk + i] -= s * c[col + i];
    }
  }
  return q;
}

/**
 * Reduced QR, A = Q R with Q (m x p) orthonormal columns and R (p x n) upper triangular,
 * p = min(m, n), by Householder reflections (Golub & Van Loan Alg. 5.2.1). The signs are
 * chosen so that diag(R) >= 0, which makes the factorisation unique for full-rank A
 * (numpy / LAPACK leave them arbitrary).
 */
export function hostQr(a: HostMatrix): { q: HostMatrix; r: HostMatrix } {
  checkHostMatrix(a, 'a');
  return qrUnchecked(a);
}

export function qrUnchecked(a: HostMatrix): { q: HostMatrix; r: HostMatrix } {
  const { rows: m, cols: n } = a;
  const p = Math.min(m, n);
  const h = householder(a);
  const qc = householderQ(h);
  const r = new Float64Array(p * n);
  for (let i = 0; i < p; i++) for (let j = i; j < n; j++) r[i * n + j] = h.cols[j * m + i];
  const q = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    const sign = r[j * n + j] < 0 ? -1 : 1;
    if (sign < 0) for (let k = j; k < n; k++) r[j * n + k] = -r[j * n + k];
    for (let i = 0; i < m; i++) q[i * p + j] = sign * qc[j * m + i];
  }
  return { q: { rows: m, cols: p, data: q }, r: { rows: p, cols: n, data: r } };
}

