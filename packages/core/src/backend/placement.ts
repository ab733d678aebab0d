/**
 * Placement: where a computation runs, on the host in float64 or on the tfjs backend. Every
 * host-vs-backend threshold of core/src lives here with its reason, and `runsOnHost` is
 * the one decision rule (size against threshold), so that a change of backend or a new
 * measurement moves one number. linalg and the rank package still keep their own copies
 * (EXACT_SVD_WORK, FULL_EIGH_MAX, EXACT_EIGH_MAX in linalg/truncatedSvdHost.ts; HOST_SVD_LIMIT,
 * EXACT_SVD_LIMIT in rank/src/evbmf.ts) until issue 11 part A moves them here: they are
 * mirrored below under the same names for that move.
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

/** Mirrors of linalg/truncatedSvdHost.ts (for part A of issue 11; not yet read from here). */
export const EXACT_SVD_WORK = 2.5e5;
export const FULL_EIGH_MAX = 64;
export const EXACT_EIGH_MAX = 512;
/** Mirrors of rank/src/evbmf.ts (for part A of issue 11; not yet read from here). */
export const EVBMF_HOST_SVD_LIMIT = 6e7;
export const EVBMF_EXACT_SVD_LIMIT = 1e6;

/** The one placement rule: a problem of `work` units runs on the host when `work <= limit`. */
export function runsOnHost(work: number, limit: number): boolean {
  return work <= limit;
}
