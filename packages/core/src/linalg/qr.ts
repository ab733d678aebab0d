/**
 * Reduced QR decomposition, `qr(matrix)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import type { TensorLike } from '../io/index.js';
import { choleskyUnchecked, qrUnchecked } from './host.js';
import { engineConfig, gram, mm } from './engine.js';
import { checkMatrix, release } from './validate.js';


/**
 * Reduced QR, A = Q R with Q (m x p) orthonormal columns and R (p x n) upper triangular,
 * p = min(m, n) (numpy's `qr(mode='reduced')`, TensorLy's `qr`). diag(R) >= 0 (LAPACK
 * leaves the signs arbitrary; with this choice the QR of a full-rank A is unique).
 *
 * Small matrices (m n min(m, n) <= 4e6): Householder QR on the host in float64 (Golub & Van
 * Loan Alg. 5.2.1). Large wide ones (m < n): Householder QR of the leading m x m block on the
 * host (the reflectors of a Householder QR depend on the first m columns only), then the
 * remaining columns of R = Q^T A on the backend. Large tall ones: CholeskyQR2 on the backend (Fukaya, Nakatsukasa, Yanagisawa &
 * Yamamoto 2014): C = A^T A (backend), C = L L^T (host, float64), Q = A L^{-T} (backend),
 * twice, R = R2 R1: two m x n^2 products instead of a host Householder sweep. When A is
 * too ill-conditioned for that (a Cholesky pivot below 1e-6 of its diagonal, i.e.
 * condition number above ~1e3), it falls back to the host Householder QR.
 *
 * @throws ShapeError unless A is a non-empty 2-D matrix; NonFiniteError on NaN/Inf.
 */
export function qr(matrix: TensorLike): { q: tf.Tensor2D; r: tf.Tensor2D } {
  const c = checkMatrix(matrix, 'matrix');
  try {
    const [m, n] = c.t.shape;
    if (m >= n && m * n * n > engineConfig.hostQrMaxFlops) {
      const fast = choleskyQr2(c.t);
      if (fast) return fast;
    }
    if (m < n && m * m * n > engineConfig.hostQrMaxFlops) return wideQr(c.t);
    const { q, r } = qrUnchecked(toHostMatrix(c.t));
    return { q: fromHostMatrix(q), r: fromHostMatrix(r) };
  } finally {
    release(c);
  }
}

/** One Cholesky-QR pass on `a` (m x n): { q, r } or null when the Gram is not safely positive definite. */
function choleskyQrPass(a: tf.Tensor2D): { q: tf.Tensor2D; r: HostMatrix } | null {
  const g = gram(a);
  const gh = toHostMatrix(g);
  g.dispose();
  const n = gh.rows;
  const l = choleskyUnchecked(gh);
  if (typeof l === 'number') return null;
  for (let j = 0; j < n; j++) {
    if (!(l.data[j * n + j] ** 2 > 1e-6 * gh.data[j * n + j])) return null;
  }
  // R = L^T and its inverse (upper triangular), by back substitution on the host.
  const r: HostMatrix = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r.data[i * n + j] = l.data[j * n + i];
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / r.data[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let p = i + 1; p <= j; p++) s += r.data[i * n + p] * inv[p * n + j];
      inv[i * n + j] = -s / r.data[i * n + i];
    }
  }
  const rinv = fromHostMatrix({ rows: n, cols: n, data: inv });
  const q = mm(a, rinv);
  rinv.dispose();
  return { q, r };
}

function choleskyQr2(a: tf.Tensor2D): { q: tf.Tensor2D; r: tf.Tensor2D } | null {
  const p1 = choleskyQrPass(a);
  if (!p1) return null;
  const p2 = choleskyQrPass(p1.q);
  p1.q.dispose();
  if (!p2) return null;
  // R = R2 R1 (both upper triangular).
  const n = p1.r.rows;
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = i; k <= j; k++) s += p2.r.data[i * n + k] * p1.r.data[k * n + j];
      r[i * n + j] = s;
    }
  }
  return { q: p2.q, r: fromHostMatrix({ rows: n, cols: n, data: r }) };
}

/** Wide A (m < n): [Q R1] = qr(A[:, :m]) on the host, R = [R1, Q^T A[:, m:]]. */
function wideQr(a: tf.Tensor2D): { q: tf.Tensor2D; r: tf.Tensor2D } {
  const [m, n] = a.shape;
  const a1 = tf.slice(a, [0, 0], [m, m]) as tf.Tensor2D;
  const h = qrUnchecked(toHostMatrix(a1));
  a1.dispose();
  const q = fromHostMatrix(h.q);
  const r = tf.tidy(() => {
    const r2 = mm(tf.transpose(q) as tf.Tensor2D, tf.slice(a, [0, m], [m, n - m]) as tf.Tensor2D);
    return tf.concat([fromHostMatrix(h.r), r2], 1) as tf.Tensor2D;
  });
  return { q, r };
}
