/**
 * The device algorithms of the SVD entry point (./svdInterface.ts, output 'tensor') for
 * matrices too large for the host: the exact SVD through the tall orientation (engine's
 * `tallSvd`: Cholesky-QR2 or two Gram passes, or one Gram pass for 'gram') and the
 * randomized SVD (Halko, Martinsson & Tropp 2011). Results are unflipped; the entry point
 * applies the sign rule.
 *
 * Internal: takes validated float32 tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix } from '../backend/transfer.js';
import type { Rng } from '../base/rng.js';
import { mm, orthonormalize, tallSvd } from './engine.js';

/** A truncated SVD: M ~ u diag(s) vt. The caller owns (and disposes) the three tensors. */
export interface SvdResult {
  /** m x k, orthonormal columns (left singular vectors). */
  u: tf.Tensor2D;
  /** k singular values, descending, non-negative. */
  s: tf.Tensor1D;
  /** k x n, orthonormal rows (right singular vectors, TensorLy's V = V^H). */
  vt: tf.Tensor2D;
}

/** Exact (or one-pass Gram) SVD through the tall orientation. */
export function exactSvd(a: tf.Tensor2D, k: number, mode: 'exact' | 'gram'): SvdResult {
  const [m, n] = a.shape;
  if (m >= n) {
    const r = tallSvd(a, k, mode);
    const vt = tf.tidy(() => tf.transpose(fromHostMatrix(r.v)) as tf.Tensor2D);
    return { u: r.u as tf.Tensor2D, s: tf.tensor1d(Float32Array.from(r.s)), vt };
  }
  // Wide: decompose A^T = U' S V'^T, so A = V' S U'^T.
  const at = tf.transpose(a) as tf.Tensor2D;
  try {
    const r = tallSvd(at, k, mode);
    const u = fromHostMatrix(r.v);
    const vt = tf.transpose(r.u as tf.Tensor2D) as tf.Tensor2D;
    (r.u as tf.Tensor2D).dispose();
    return { u, s: tf.tensor1d(Float32Array.from(r.s)), vt };
  } finally {
    at.dispose();
  }
}

/** Orthonormal basis of range(y) (m x l), robust to rank deficiency. */
function rangeBasis(y: tf.Tensor2D): tf.Tensor2D {
  // An SVD-based basis (not plain Cholesky-QR): the sketch of a matrix with decaying
  // spectrum is ill-conditioned, and Cholesky-QR would drop its small directions.
  const r = tallSvd(y, y.shape[1], 'exact');
  return r.u as tf.Tensor2D;
}

/**
 * Halko, Martinsson & Tropp 2011: Alg. 4.4 (randomized subspace iteration) then Alg. 5.1
 * (direct SVD of B = Q^T A). TensorLy's `randomized_svd` / `randomized_range_finder`.
 */
export function randomizedSvd(a: tf.Tensor2D, k: number, lWanted: number, nIter: number, rng: Rng): SvdResult {
  const [m, n] = a.shape;
  const l = Math.min(lWanted, m, n);
  const omegaData = new Float32Array(n * l);
  for (let i = 0; i < omegaData.length; i++) omegaData[i] = rng.normal();
  const omega = tf.tensor2d(omegaData, [n, l]);
  // A^T once: wasm's matMul with transposeA is several times slower than a plain one.
  const at = tf.transpose(a) as tf.Tensor2D;
  let y = mm(a, omega);
  omega.dispose();
  let q = rangeBasis(y);
  y.dispose();
  for (let it = 0; it < nIter; it++) {
    const z = mm(at, q); // n x l
    q.dispose();
    const qz = rangeBasis(z);
    z.dispose();
    y = mm(a, qz); // m x l
    qz.dispose();
    q = rangeBasis(y);
    y.dispose();
  }
  // B^T = A^T Q (n x l, tall since l <= n): B^T = U_b S W^T  =>  A ~ Q B = (Q W) S U_b^T.
  const bt = mm(at, q);
  at.dispose();
  const r = tallSvd(bt, k, 'exact');
  bt.dispose();
  const w = fromHostMatrix(r.v); // l x k
  const u0 = mm(q, w);
  tf.dispose([q, w]);
  // Q W has orthonormal columns up to rounding; one Cholesky-QR pass keeps U orthonormal.
  const u = orthonormalize(u0);
  u0.dispose();
  const vt = tf.transpose(r.u as tf.Tensor2D) as tf.Tensor2D;
  (r.u as tf.Tensor2D).dispose();
  return { u, s: tf.tensor1d(Float32Array.from(r.s)), vt };
}
