/**
 * The host-result truncated SVD used by the decompositions (SVD inits, HOSVD / HOOI,
 * TT-SVD): a thin caller of the SVD entry point (./svdInterface.ts, output 'host'). U, s
 * (and V^T when asked) come back as float64 host matrices with TensorLy's signs, so the
 * caller can pad, slice and flip them before one upload.
 *
 * Its Gram route trades the last float32 digits of small singular values for one Gram
 * product per call, where the public `svd` keeps its more accurate exact routes
 * (Cholesky-QR2, two-pass Gram; see docs/fidelity/decomposition.md, "Engine notes").
 *
 * Internal: takes validated float32 tensors and does not check its input.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../base/rng.js';
import type { HostTruncatedSvd } from './gramSvdHost.js';
import { routeSvd, type SvdMethod } from './svdInterface.js';

export type { HostTruncatedSvd } from './gramSvdHost.js';
export { topEigenpairs } from './gramSvdHost.js';
export { usesExactSvd } from './svdInterface.js';

export interface TruncatedSvdHostOptions {
  method: SvdMethod;
  rng: Rng;
  /** Also return Vt (k x n) on the host. */
  wantV?: boolean;
  /** `y^T` if the caller has it already (saves a transpose of a big unfolding). */
  yT?: tf.Tensor2D;
}

/**
 * Truncated SVD of `y` (m x n) to k = min(k, m, n) components, TensorLy signs (u-based
 * `svd_flip`), on the host in float64 except for the big products.
 *
 * - 'truncated': small matrices go to the exact host SVD; larger ones to the Gram route
 *   (the same leading singular vectors, computed from `Y Y^T` or `Y^T Y`, whichever is
 *   smaller, formed by one backend matmul).
 * - 'gram': always the Gram route (TensorLy's `symeig_svd`).
 * - 'randomized': the Gram route with two block power iterations from a Gaussian start
 *   (Halko, Martinsson & Tropp 2011, Alg. 4.4) instead of the converged eigensolver.
 */
export function truncatedSvdHost(y: tf.Tensor2D, k: number, opts: TruncatedSvdHostOptions): HostTruncatedSvd {
  return routeSvd(y, { output: 'host', k, ...opts });
}
