/**
 * Options and results of EVBMF and VBMF (./evbmf.ts, ./vbmf.ts).
 */
import type { SvdRoute, tf } from '@tenfold/core';
import type { Posterior } from './spectral.js';

export type { SvdRoute } from '@tenfold/core';

export interface EvbmfOptions {
  /** Noise variance; estimated by minimising the EVB free energy when omitted. */
  sigma2?: number;
  /** Maximum rank H, 1 <= H <= min(rows, cols); default min(rows, cols). */
  H?: number;
  /**
   * Absolute x tolerance of the bounded Brent search (scipy's `xatol`), default 1e-5 as in
   * the reference. Conv-scale weights have sigma2 brackets narrower than 1e-5, where the
   * default stops after one evaluation; pass e.g. 1e-12 for the converged optimum.
   */
  xatol?: number;
  /** Maximum objective evaluations of the search (scipy's `maxiter`), default 500. */
  maxiter?: number;
  /** Floor for the returned `rank` (default 0). EVB's own estimate stays in `evbRank`. */
  minRank?: number;
  /** 'host' (float64 SVD), 'gram' (backend Gram matrix + host eigenvalues) or 'auto'. */
  svd?: SvdRoute;
}

/** What EVBMF and VBMF both return; owns the tensors `u` and `v` (call `dispose()`). */
export interface MatrixFactorizationResult {
  /** The rank to use. */
  rank: number;
  /** Noise variance (estimated or given). */
  sigma2: number;
  /** The singular-value threshold of the rank decision. */
  threshold: number;
  /** Shrunk singular values of the kept components (length `rank`). */
  d: Float64Array;
  /** Left singular vectors, `rows x rank`, in the orientation of the input (TensorLy signs). */
  u: tf.Tensor2D;
  /** Right singular vectors, `cols x rank`: y ~ u diag(d) v^T. */
  v: tf.Tensor2D;
  /** Posterior (arrays of length H), in the oriented problem (L <= M). */
  post: Posterior;
  /** The sigma2 search interval [lower, upper] (absent when sigma2 was given). */
  bracket?: [number, number];
  /** Objective evaluations of the search. */
  nfev: number;
  /** The objective at sigma2 (absent when sigma2 was given). */
  objective?: number;
  /** All min(rows, cols) singular values of y, descending. */
  singularValues: Float64Array;
  /** True when y had more rows than columns and the method ran on y^T (the reference does not). */
  transposed: boolean;
  /** Oriented problem size: L = min(rows, cols), M = max(rows, cols). */
  L: number;
  M: number;
  /** Maximum rank used. */
  H: number;
  /** Shape of y. */
  shape: [number, number];
  /** Where the SVD ran. */
  svd: 'host' | 'gram';
  /**
   * Singular values at or below this are numerically zero on the route taken (eps64 * s_max
   * on the host; sqrt(eps32 * lambda_max) through the float32 Gram matrix) and enter the
   * search raised to it; `unresolved` counts them (see docs/fidelity/rank.md).
   */
  resolution: number;
  unresolved: number;
  /** Dispose `u` and `v`. */
  dispose(): void;
}

/** Everything EVBMF computed (see {@link MatrixFactorizationResult}). */
export interface EvbmfResult extends MatrixFactorizationResult {
  /** EVB's estimate #{gamma_h > threshold} (the reference's `pos`); `rank` is `max(evbRank, minRank)`. */
  evbRank: number;
  /** How the bracket's lower end was found: the reference's rule, or the residual (small H). */
  lowerBoundRule?: 'reference' | 'residual';
  /** The tolerance of the search. */
  xatol: number;
  /** Why the rank is what it is, when it is 0 or was floored. */
  reason?: string;
  /** Wall-clock seconds: the singular values (SVD or Gram + eigenvalues), the sigma2 search, the vectors. */
  timings: { svd: number; search: number; vectors: number; gram?: number; eigen?: number };
}

export interface VbmfOptions {
  sigma2?: number;
  H?: number;
  xatol?: number;
  maxiter?: number;
  svd?: SvdRoute;
}

/** VBMF's result: the common fields plus the prior product it was given. */
export interface VbmfResult extends MatrixFactorizationResult {
  cacb: number;
}
