/**
 * Singular value thresholding and the Procrustes projection (TensorLy 0.9
 * `tenalg/proximal.py::svd_thresholding`, `procrustes`).
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix, readScalar } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { descendingEigh, gramToHost, svdOnHost } from '../linalg/engine.js';
import { hostZeros, svdUnchecked } from '../linalg/host.js';
import { checkMatrix, release } from '../linalg/validate.js';

/**
 * Singular value thresholding (Cai, Candès & Shen, "A singular value thresholding algorithm
 * for matrix completion", SIAM J. Optim. 2010): `U diag(max(s - threshold, 0)) V^T`, the
 * proximal operator of `threshold * ||X||_*` (nuclear norm),
 * `argmin_X threshold ||X||_* + ||X - M||_F^2 / 2`.
 *
 * Only the singular values above the threshold contribute, so the work is: small matrices,
 * the exact float64 SVD on the host; larger ones, the Gram matrix of the smaller side on the
 * backend, its eigen-decomposition on the host (float64), then
 * `J = M V_k diag(1 - threshold / s_k) V_k^T` (or `U_k diag(..) U_k^T M` for wide M) with
 * only the k kept vectors, as two backend products. No U or V beyond k is formed. Exact
 * when `threshold` = 0 only up to the Gram route's accuracy: singular values below about
 * 3e-4 s_max are inaccurate there, which matters only when the threshold is that small.
 *
 * @throws ShapeError if `matrix` is not a non-empty 2-D matrix; NonFiniteError on NaN/Inf;
 *   ArgumentError if `threshold` is not a finite number >= 0.
 */
export function svdThresholding(matrix: TensorLike, threshold: number): tf.Tensor2D {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
    throw new ArgumentError(`threshold must be a finite number >= 0; got ${describe(threshold)}`);
  }
  const m = checkMatrix(matrix, 'matrix');
  try {
    return svdThresholdUnchecked(m.t, threshold).j;
  } finally {
    release(m);
  }
}

/** Result of the internal kernel: the thresholded matrix and how many singular values survived. */
export interface SvdThresholdResult {
  j: tf.Tensor2D;
  kept: number;
}

/** `sum_r u_r (scale_r) v_r^T` over the kept components, on the host (small matrices). */
function hostReconstruct(u: HostMatrix, scale: Float64Array, vt: HostMatrix, k: number): HostMatrix {
  const m = u.rows;
  const n = vt.cols;
  const out = hostZeros(m, n);
  for (let i = 0; i < m; i++) {
    for (let r = 0; r < k; r++) {
      const a = u.data[i * u.cols + r] * scale[r];
      if (a === 0) continue;
      for (let c = 0; c < n; c++) out.data[i * n + c] += a * vt.data[r * n + c];
    }
  }
  return out;
}

/**
 * A cheap upper bound on s_max(A) = sqrt(lambda_max(G)) from its Gram G, on the backend:
 * `lambda_max^4 <= ||G^4||_F` (the Schatten-8 norm bounds the spectral norm; with a few
 * dominant singular values it is within (count)^(1/8) of s_max). G is scaled by its
 * Frobenius norm first so that G^4 cannot overflow float32; a 1e-3 margin covers rounding.
 */
function spectralBound(g: tf.Tensor2D): number {
  const [c, h4] = tf.tidy(() => {
    const c = tf.norm(g);
    const h = tf.div(g, tf.maximum(c, 1e-30));
    const h2 = tf.matMul(h, h);
    return [c, tf.norm(tf.matMul(h2, h2))];
  });
  const cv = readScalar(c);
  const hv = readScalar(h4);
  tf.dispose([c, h4]);
  return Math.sqrt(cv) * Math.pow(hv, 1 / 8) * 1.001;
}

/**
 * The kernel behind `svdThresholding` and `robustPca`, on a checked float32 matrix; returns
 * a new tensor. A zero result skips the eigenproblem when `||M||_F` or the Schatten-8 bound of
 * `spectralBound` is at most the threshold (then every singular value is below it).
 */
export function svdThresholdUnchecked(a: tf.Tensor2D, threshold: number): SvdThresholdResult {
  const [rows, cols] = a.shape;
  const tall = rows >= cols;
  const n = Math.min(rows, cols);
  if (svdOnHost(Math.max(rows, cols), n)) {
    const h = svdUnchecked(toHostMatrix(a), n, false);
    let k = 0;
    while (k < h.s.length && h.s[k] > threshold) k++;
    const scale = h.s.map((s) => s - threshold);
    return { j: fromHostMatrix(hostReconstruct(h.u, scale, h.vt, k)), kept: k };
  }
  const fro2 = tf.tidy(() => readScalar(tf.sum(tf.square(a))));
  if (Math.sqrt(fro2) <= threshold) return { j: tf.zeros([rows, cols]) as tf.Tensor2D, kept: 0 };
  // G = A^T A (tall) or A A^T (wide), the smaller Gram, formed on the backend.
  const gDev = tf.tidy(() => (tall ? tf.matMul(tf.transpose(a), a) : tf.matMul(a, tf.transpose(a))) as tf.Tensor2D);
  if (spectralBound(gDev) <= threshold) {
    gDev.dispose();
    return { j: tf.zeros([rows, cols]) as tf.Tensor2D, kept: 0 };
  }
  const g = toHostMatrix(gDev);
  gDev.dispose();
  const { values, vectors } = descendingEigh(g, n);
  let k = 0;
  while (k < n && Math.sqrt(Math.max(values[k], 0)) > threshold) k++;
  if (k === 0) return { j: tf.zeros([rows, cols]) as tf.Tensor2D, kept: 0 };
  // W = V_k diag(1 - threshold / s) (n x k) and V_k^T (k x n).
  const w = hostZeros(n, k);
  const vt = hostZeros(k, n);
  for (let r = 0; r < k; r++) {
    const f = 1 - threshold / Math.sqrt(values[r]);
    for (let i = 0; i < n; i++) {
      const v = vectors.data[i * n + r];
      w.data[i * k + r] = v * f;
      vt.data[r * n + i] = v;
    }
  }
  const j = tf.tidy(() => {
    if (tall) return tf.matMul(tf.matMul(a, fromHostMatrix(w)), fromHostMatrix(vt)) as tf.Tensor2D; // (M V_k) F V_k^T
    return tf.matMul(fromHostMatrix(w), tf.matMul(fromHostMatrix(vt), a)) as tf.Tensor2D; // U_k F (U_k^T M)
  });
  return { j, kept: k };
}

/**
 * Orthogonal Procrustes / polar factor: `U V^T` from the thin SVD `M = U S V^T`, the
 * matrix with orthonormal columns (or rows, for wide M) nearest to M in Frobenius norm
 * (Schönemann, "A generalized solution of the orthogonal Procrustes problem",
 * Psychometrika 1966). TensorLy `procrustes`.
 *
 * @throws ShapeError if `matrix` is not a non-empty 2-D matrix; NonFiniteError on NaN/Inf.
 */
export function procrustes(matrix: TensorLike): tf.Tensor2D {
  const m = checkMatrix(matrix, 'matrix');
  try {
    const [rows, cols] = m.t.shape;
    const k = Math.min(rows, cols);
    if (svdOnHost(Math.max(rows, cols), k)) {
      const h = svdUnchecked(toHostMatrix(m.t), k, false);
      return fromHostMatrix(hostReconstruct(h.u, new Float64Array(k).fill(1), h.vt, k));
    }
    // Gram route: for tall M, U V^T = M V S^{-1} V^T.
    const tall = rows >= cols;
    const at = tall ? null : (tf.transpose(m.t) as tf.Tensor2D);
    const g = tall ? gramToHost(m.t) : gramToHost(at as tf.Tensor2D, m.t);
    at?.dispose();
    const { values, vectors } = descendingEigh(g, k);
    const w = hostZeros(k, k);
    const vt = hostZeros(k, k);
    for (let r = 0; r < k; r++) {
      const s = Math.sqrt(Math.max(values[r], 0));
      const f = s > 0 ? 1 / s : 0;
      for (let i = 0; i < k; i++) {
        w.data[i * k + r] = vectors.data[i * k + r] * f;
        vt.data[r * k + i] = vectors.data[i * k + r];
      }
    }
    return tf.tidy(() => {
      if (tall) return tf.matMul(tf.matMul(m.t, fromHostMatrix(w)), fromHostMatrix(vt)) as tf.Tensor2D;
      return tf.matMul(fromHostMatrix(w), tf.matMul(fromHostMatrix(vt), m.t)) as tf.Tensor2D;
    });
  } finally {
    release(m);
  }
}
