/**
 * Placement: where a computation runs, on the host in float64 or on the tfjs backend. Every
 * host-vs-backend threshold of core/src lives here with its reason, and `runsOnHost` is
 * the one decision rule (size against threshold), so that a change of backend or a new
 * measurement moves one number. linalg (the SVD entry point `linalg/svdInterface.ts`, the
 * eigensolvers, QR) and the rank package (EVBMF's spectrum, through core's public exports)
 * read their thresholds from here; none keeps a copy.
 *
 * Data crosses between the two only through ./transfer.ts.
 */

/**
 * CP-ALS runs on the host engine (decomposition/internal/cpAlsHost.ts) up to this many
 * tensor entries x rank: below it a sweep is a few hundred microseconds of JavaScript,
 * while the device engine pays tfjs's per-op dispatch (tens of ops per mode) and a sync
 * per mode.
 */
export const HOST_CP_WORK = 2e5;

/**
 * Gram matrices `F^T F` are accumulated on the host in float64 up to this work (I R^2):
 * the error identity of CP-ALS subtracts nearly equal numbers, so a float32 Gram would
 * dominate its rounding. Above it the Gram is formed on the backend (linalg `gramToHost`).
 */
export const HOST_GRAM_WORK = 4e6;

/** `sum(a * b)` of device matrices is summed on the host in float64 up to this many entries. */
export const HOST_DOT_MAX = 1e6;

/**
 * Squared norms are summed on the host up to this many entries; above, float32 partial sums
 * of 256 squares are formed on the backend and only those are downloaded.
 */
export const HOST_SQNORM_MAX = 65536;

/**
 * R x R inverses up to this size are LU in float64 on the host; larger ones use block
 * inversion through the Schur complement with the O(R^3) products on the backend.
 */
export const HOST_INVERSE_MAX = 256;

// ---- SVD (linalg/svdInterface.ts) ----

/**
 * Device-result `svd`: a tall m x n matrix (m >= n) is downloaded and decomposed on the host
 * (Householder QR + one-sided Jacobi, float64) when m n^2 <= this and n <= HOST_SVD_MAX_N: a
 * few ms, more accurate than anything float32, one round trip.
 */
export const HOST_SVD_MN2 = 4e6;
/** Column limit of the host route of `svd` (Jacobi sweeps cost n^3 each; above ~100 the backend Gram routes win). */
export const HOST_SVD_MAX_N = 96;
/** QR of an m x n matrix runs on the host (Householder, float64) up to m n^2 flops (else Cholesky-QR2 on the backend). */
export const HOST_QR_FLOPS = 4e6;

/**
 * Host-result SVD (the decompositions' SVD inits, HOSVD / HOOI, TT-SVD): method 'truncated'
 * takes the exact host SVD (Householder + one-sided Jacobi, float64) up to this work
 * m n min(m, n); above it the Gram route (one backend product, float64 eigen-solve).
 */
export const EXACT_SVD_WORK = 2.5e5;
/**
 * Short-fat small matrices (m <= this, n >= 4 m) inside EXACT_SVD_WORK use the float64 Gram
 * Y Y^T on the host: ~10x faster than Householder + Jacobi and, in float64, exact far below
 * float32 precision.
 */
export const HOST_GRAM_SVD_MAX_ROWS = 64;
/** Gram sizes up to this use the full eigh (tridiagonalisation + tql2 with vectors; its results are the fixtures' reference). */
export const FULL_EIGH_MAX = 64;
/**
 * Gram sizes up to this always take the exact k leading pairs (bisection + inverse
 * iteration), never subspace iteration: on the slowly decaying spectra of trained weights
 * subspace iteration runs its 60 rounds and pays for the exact solve anyway.
 */
export const EXACT_EIGH_MAX = 512;

// ---- EVBMF's spectrum (all singular values; linalg/svdInterface.ts, output 'spectrum') ----

/**
 * Below this many multiply-adds (min^2 * max of the shape) EVBMF's SVD runs on the host in
 * float64: exact to rounding, and what reproduces the reference's sigma2 search. Above it
 * the Gram matrix is formed on the backend (rank's public `HOST_SVD_LIMIT`).
 */
export const EVBMF_HOST_SVD_LIMIT = 6e7;
/**
 * Below this many multiply-adds the host route takes the exact SVD (QR + one-sided Jacobi,
 * relative accuracy for every singular value) instead of the float64 Gram matrix: it costs
 * milliseconds there, and VBMF's shrinkage of components near its threshold amplifies the
 * Gram route's eps64 * (s_max / s)^2 relative error past 1e-6.
 */
export const EVBMF_EXACT_SVD_LIMIT = 1e6;
/**
 * From this size of the Gram matrix on, its eigenvalues come from the two-stage reduction
 * (linalg/twoStageEigen.ts: band reduction as backend matmuls, then a band chase on the
 * host) instead of the host's unblocked Householder tridiagonalisation, whose O(n^3)
 * JavaScript loops dominate EVBMF at n = 2048-4096. Not on the plain-JS cpu backend, whose
 * matmuls are ~30x slower than wasm's.
 */
export const TWO_STAGE_MIN_SIZE = 1024;
/**
 * How much unresolved spectrum the float32 Gram route may carry before EVBMF falls back to
 * the float64 host SVD: the unresolved eigenvalues could hold up to `count * floor` of
 * energy, and the sigma2 search reads the tail of the spectrum from the bracket index on.
 * When that possible error exceeds this fraction of the tail's energy the Gram route cannot
 * give the reference's sigma2 to 1e-4.
 */
export const GRAM_TAIL_TOLERANCE = 1e-4;

/** The one placement rule: a problem of `work` units runs on the host when `work <= limit`. */
export function runsOnHost(work: number, limit: number): boolean {
  return work <= limit;
}
