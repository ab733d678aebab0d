/**
 * The one Cholesky factorisation A = L L^T of Tenfold, in float64 (Golub & Van Loan
 * Alg. 4.2.2, the jki / "gaxpy" order), with the pivot policies its callers need:
 * - `hostCholesky` / `choleskyUnchecked`: fail on the first pivot <= `minPivot` (default 0,
 *   i.e. not positive definite); `hostCholesky`'s `pivotRtol` makes the threshold relative to
 *   max(diag A), what a Gram matrix formed in float32 calls for (factorized-layers' gramSolve).
 * - `choleskyWithDrops`: skip (leave empty) the columns whose pivot is relatively tiny, for
 *   the Cholesky-QR orthonormalisation of a possibly rank-deficient block (`engine.ts`).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { checkNumberOption, checkOptions, optionKeys } from '../../checks/options.js';
import { ArgumentError } from '../../errors/index.js';
import { checkHostMatrix, checkSquare } from './matrix.js';

/** Options of {@link hostCholesky}. */
export interface HostCholeskyOptions {
  /**
   * Relative pivot tolerance: fail when a pivot d_j = a_jj - sum_k l_jk^2 is <= pivotRtol *
   * max_i a_ii (or max(diag A) is not positive). Default 0: fail only on a non-positive pivot.
   */
  pivotRtol?: number;
}

const HOST_CHOLESKY_OPTIONS = optionKeys<HostCholeskyOptions>()('pivotRtol');

/**
 * Cholesky factor L (lower triangular, positive diagonal) with A = L L^T, for a symmetric
 * positive-definite A (only the lower triangle is read), as numpy's `cholesky`.
 *
 * @throws ArgumentError naming the failing pivot when A is not (numerically, with
 *   `pivotRtol`) positive definite, or on a bad option; ShapeError / NonFiniteError on a
 *   malformed, non-square or non-finite `a`.
 */
export function hostCholesky(a: HostMatrix, opts: HostCholeskyOptions = {}): HostMatrix {
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  opts = checkOptions(opts, HOST_CHOLESKY_OPTIONS, 'hostCholesky');
  const rtol = opts.pivotRtol === undefined ? 0 : checkNumberOption(opts.pivotRtol, 'pivotRtol', 0);
  let minPivot = 0;
  if (rtol > 0) {
    let maxDiag = 0;
    for (let i = 0; i < a.rows; i++) maxDiag = Math.max(maxDiag, a.data[i * a.rows + i]);
    if (!(maxDiag > 0)) throw new ArgumentError(`a must be symmetric positive definite; its largest diagonal entry is ${maxDiag}`);
    minPivot = rtol * maxDiag;
  }
  const l = choleskyUnchecked(a, minPivot);
  if (typeof l === 'number') {
    const what = minPivot > 0 ? `is at most pivotRtol * max(diag a) = ${minPivot}` : 'is not positive';
    throw new ArgumentError(`a must be symmetric positive definite; the Cholesky pivot ${l} ${what}`);
  }
  return l;
}

/** Cholesky without checks: the factor, or the index of the first pivot <= `minPivot`. */
export function choleskyUnchecked(a: HostMatrix, minPivot = 0): HostMatrix | number {
  const n = a.rows;
  const l = new Float64Array(n * n);
  const ad = a.data;
  for (let j = 0; j < n; j++) {
    let d = ad[j * n + j];
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= l[lj + k] * l[lj + k];
    if (!(d > minPivot)) return j;
    const djj = Math.sqrt(d);
    l[lj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = ad[i * n + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      l[li + j] = s / djj;
    }
  }
  return { rows: n, cols: n, data: l };
}

/**
 * Cholesky of a k x k Gram matrix that marks columns as deficient instead of failing: a
 * column whose component orthogonal to the previous good columns has relative squared
 * norm below `drop` (or that is zero) is skipped (its row/column of L is left empty).
 */
export function choleskyWithDrops(c: HostMatrix, drop: number): { l: Float64Array; bad: number[] } {
  const k = c.rows;
  const l = new Float64Array(k * k);
  const bad: number[] = [];
  let maxDiag = 0;
  for (let j = 0; j < k; j++) maxDiag = Math.max(maxDiag, c.data[j * k + j]);
  for (let j = 0; j < k; j++) {
    const cjj = c.data[j * k + j];
    let d = cjj;
    for (let p = 0; p < j; p++) d -= l[j * k + p] ** 2;
    if (!(cjj > maxDiag * 1e-24) || !(d > drop * cjj)) {
      bad.push(j);
      continue;
    }
    const djj = Math.sqrt(d);
    l[j * k + j] = djj;
    for (let i = j + 1; i < k; i++) {
      let s = c.data[i * k + j];
      for (let p = 0; p < j; p++) s -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = s / djj;
    }
  }
  return { l, bad };
}
