/**
 * Reduced QR decomposition, `qr(matrix)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import type { TensorLike } from '../io/index.js';
import { choleskyUnchecked, qrUnchecked } from './host.js';
import { runsOnHost } from '../backend/placement.js';
import { engineConfig, gramToHost, mm } from './engine.js';
import { invLowerTransposed, upperOf, upperProduct } from './host/triangular.js';
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
 * too ill-conditioned for that (the Frobenius condition number of R above 1e3), it falls
 * back to the host Householder QR.
 *
 * @throws ShapeError unless A is a non-empty 2-D matrix; NonFiniteError on NaN/Inf.
 */
export function qr(matrix: TensorLike): { q: tf.Tensor2D; r: tf.Tensor2D } {
  const c = checkMatrix(matrix, 'matrix');
  try {
    const [m, n] = c.t.shape;
    if (m >= n && !runsOnHost(m * n * n, engineConfig.hostQrMaxFlops)) {
      const fast = choleskyQr2(c.t);
      if (fast) return fast;
    }
    if (m < n && !runsOnHost(m * m * n, engineConfig.hostQrMaxFlops)) return wideQr(c.t);
    const { q, r } = qrUnchecked(toHostMatrix(c.t));
    return { q: fromHostMatrix(q), r: fromHostMatrix(r) };
  } finally {
    release(c);
  }
}

/**
 * One Cholesky-QR pass on `a` (m x n): { q, r } or null when the Gram is not safely
 * positive definite or R's condition number exceeds `maxCond`. Tfjs has no triangular
 * solve, so Q = A R^{-1} multiplies by an explicit inverse, whose rounding grows with
 * cond(R): hence the gate, on the Frobenius condition number (an upper bound of the 2-norm one).
 */
function choleskyQrPass(a: tf.Tensor2D, maxCond: number): { q: tf.Tensor2D; r: HostMatrix } | null {
  const gh = gramToHost(a);
  const n = gh.rows;
  const l = choleskyUnchecked(gh);
  if (typeof l === 'number') return null;
  const r = upperOf(l);
  const inv = invLowerTransposed(l.data, n);
  if (!(frobenius(r) * frobenius(inv) <= maxCond)) return null;
  const rinv = fromHostMatrix(inv);
  const q = mm(a, rinv);
  rinv.dispose();
  return { q, r };
}

function frobenius(m: HostMatrix): number {
  let acc = 0;
  for (const x of m.data) acc += x * x;
  return Math.sqrt(acc);
}

function choleskyQr2(a: tf.Tensor2D): { q: tf.Tensor2D; r: tf.Tensor2D } | null {
  const p1 = choleskyQrPass(a, 1e3);
  if (!p1) return null;
  // Q1 is near-orthonormal: its R is within a small factor of I.
  const p2 = choleskyQrPass(p1.q, 10);
  p1.q.dispose();
  if (!p2) return null;
  return { q: p2.q, r: fromHostMatrix(upperProduct(p2.r, p1.r)) };
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
