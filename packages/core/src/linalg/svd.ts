/**
 * Truncated singular value decomposition: `svd(matrix, { rank, method, ... })`, TensorLy's
 * `svd_interface` with `truncated_svd` / `symeig_svd` / `randomized_svd`: validates, then calls
 * the one SVD entry point (./svdInterface.ts, output 'tensor').
 */
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng, type Seed } from '../base/rng.js';
import type { SvdResult } from './deviceSvd.js';
import { routeSvd, type SvdMethod } from './svdInterface.js';
import { checkMatrix, checkOptionalRank, release } from './validate.js';
import { checkBoolOption, checkIntOption, checkOptions, optionKeys } from '../checks/index.js';

export type { SvdMethod } from './svdInterface.js';

export interface SvdOptions {
  /** Number of components k (TensorLy's `n_eigenvecs`); default min(m, n). Clamped to min(m, n). */
  rank?: number;
  /** 'truncated' (exact, default), 'randomized' (Halko et al.) or 'gram' (eigh of the smaller Gram matrix). */
  method?: SvdMethod;
  /** Apply TensorLy's `svd_flip` (u-based) sign convention. Default true. */
  flipSign?: boolean;
  /** 'randomized': power iterations (TensorLy's `n_iter`). Default 2. */
  nIter?: number;
  /** 'randomized': oversampling (TensorLy's `n_oversamples`). Default 5. */
  oversamples?: number;
  /** 'randomized': seed (or Rng) of the Gaussian test matrix. Default 0, so results are reproducible. */
  seed?: Seed;
}

export type { SvdResult } from './deviceSvd.js';

const METHODS: readonly SvdMethod[] = ['truncated', 'randomized', 'gram'];
const SVD_OPTIONS = optionKeys<SvdOptions>()('rank', 'method', 'flipSign', 'nIter', 'oversamples', 'seed');

/**
 * Truncated SVD of a matrix M (m x n): M ~ U diag(s) V^T with k = min(rank ?? min(m, n), m, n)
 * components, s descending, U (m x k) and V^T (k x n) with orthonormal columns / rows.
 * Mirrors `tensorly.tenalg.svd.svd_interface(M, method, n_eigenvecs=rank, flip_sign)`.
 *
 * Never more than min(m, n) components, and never a U or V larger than k: TensorLy pads U
 * (or V) to `n_eigenvecs` columns with a null-space basis when `n_eigenvecs > min(m, n)`,
 * and its default `n_eigenvecs` is max(m, n), which for a 200000 x 60 matrix asks for a
 * 200000 x 200000 U (TensorLy issues #526, #176). Here memory stays proportional to the
 * input: that call returns a 200000 x 60 U.
 *
 * Small matrices (min(m, n) <= 96 and max(m, n) min(m, n)^2 <= 4e6) are decomposed exactly on
 * the host whatever the method (one download; Householder QR + one-sided Jacobi in float64,
 * Demmel & Veselic 1992), unless 'randomized' actually sketches (k + oversamples < min(m, n)).
 *
 * Methods for larger matrices (float32 tensors; the small dense work is float64 on the host):
 * - 'truncated' (exact; A is the tall orientation, n = min(m, n)):
 *   - cond(A) <= 1e3 (the common case): Cholesky-QR2 on the backend (Fukaya et al. 2014),
 *     A = Q R, then R = U_R S V^T in float64 on the host and U = Q U_R;
 *   - otherwise (ill-conditioned or rank-deficient): two Gram passes, eigh(A^T A) =
 *     V0 L V0^T, then eigh((A V0)^T (A V0)) = W S^2 W^T (nearly diagonal, so its float32
 *     rounding is componentwise small), V = V0 W, U = A V0 W S^{-1} re-orthonormalised by
 *     Cholesky-QR.
 *   Either way singular values and vectors are accurate to float32 precision (backward
 *   error ~ eps32 ||M||), as a float32 LAPACK SVD would be. Cost: 2-3 Gram-sized backend
 *   products plus one (or two) n x n float64 eigenproblems on the host, O(n^3): ~0.4 s at
 *   n = 500 here. For k << n on large matrices, 'randomized' is much faster.
 * - 'gram': one Gram pass (TensorLy's `symeig_svd`, but with the *smaller* Gram matrix):
 *   V = eigenvectors of A^T A, s = column norms of A V, U = A V / s re-orthonormalised.
 *   Fast; it squares the condition number, so singular values below about
 *   sqrt(eps32) s_max ~ 3e-4 s_max lose relative accuracy.
 * - 'randomized': Halko, Martinsson & Tropp 2011, Alg. 4.4 (randomized subspace iteration
 *   with re-orthonormalisation) + Alg. 5.1: a seeded Gaussian test matrix n x l,
 *   l = min(k + oversamples, min(m, n)), `nIter` power iterations, then the exact SVD of
 *   the small l x n projection. When l reaches min(m, n) the sketch spans the whole space
 *   and the exact method is used instead (same result, less work).
 *
 * `flipSign` (default true) applies TensorLy's `svd_flip`: the largest-|.| entry of each U
 * column is positive (ties to the first index) and the V rows are flipped alike.
 *
 * @throws ShapeError if M is not a non-empty 2-D matrix; NonFiniteError on NaN/Inf;
 *   RankError if rank is not a positive integer; ArgumentError for an unknown method or
 *   a bad option.
 */
export function svd(matrix: TensorLike, opts: SvdOptions = {}): SvdResult {
  opts = checkOptions(opts, SVD_OPTIONS, 'svd');
  const method = opts.method ?? 'truncated';
  if (!METHODS.includes(method)) {
    throw new ArgumentError(`method must be one of ${METHODS.map((x) => `'${x}'`).join(', ')}; got ${describe(method)}`);
  }
  const rank = checkOptionalRank(opts.rank, 'rank');
  const flipSign = checkBoolOption(opts.flipSign ?? true, 'flipSign');
  const nIter = checkIntOption(opts.nIter ?? 2, 'nIter', 0, 1000);
  const oversamples = checkIntOption(opts.oversamples ?? 5, 'oversamples', 0);
  const rng = method === 'randomized' ? toRng(opts.seed ?? 0, 'seed') : null;
  const m = checkMatrix(matrix, 'matrix');
  try {
    const [rows, cols] = m.t.shape;
    const k = Math.min(rank ?? Math.min(rows, cols), rows, cols);
    return routeSvd(m.t, { output: 'tensor', method, k, flipSign, nIter, oversamples, rng });
  } finally {
    release(m);
  }
}

