/**
 * Host LU solve with partial pivoting, its pseudo-inverse fallback, and minimum-norm least
 * squares through the SVD (numpy's `lstsq` semantics).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { checkOptions, optionKeys } from '../../checks/options.js';
import { ArgumentError, NonFiniteError, ShapeError, describe } from '../../errors/index.js';
import { EPS64, checkHostMatrix, checkSquare, hostMatmul, hostZeros } from './matrix.js';
import { svdUnchecked } from './svd.js';

/** Options of {@link hostSolve}: `eps`, the relative pivot tolerance (default eps64). */
export interface HostSolveOptions {
  eps?: number;
}

/** Options of {@link hostLstsq}: `rcond`, the relative singular-value cutoff (default eps64 * max(m, n)). */
export interface HostLstsqOptions {
  rcond?: number;
}

const HOST_SOLVE_OPTIONS = optionKeys<HostSolveOptions>()('eps');
const HOST_LSTSQ_OPTIONS = optionKeys<HostLstsqOptions>()('rcond');

function asColumns(b: HostMatrix | Float64Array, rows: number, argName: string): HostMatrix {
  if (b instanceof Float64Array) {
    if (b.length !== rows) throw new ShapeError(`${argName} must have ${rows} entries to match a's rows; got ${b.length}`);
    for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) throw new NonFiniteError(`${argName} must be finite; entry ${i} is ${b[i]}`);
    return { rows, cols: 1, data: b };
  }
  checkHostMatrix(b, argName);
  if (b.rows !== rows) throw new ShapeError(`${argName} must have ${rows} rows to match a; got ${b.rows} x ${b.cols}`);
  return b;
}

/**
 * Solve the square system A X = B by LU with partial pivoting, in float64.
 * Throws an ArgumentError when A is singular: a pivot |u_jj| <= n * eps * max|A| (`eps`
 * defaults to float64's; the backend `solve` passes float32's, the precision of its data).
 */
export function hostSolve(a: HostMatrix, b: HostMatrix, opts?: HostSolveOptions): HostMatrix;
export function hostSolve(a: HostMatrix, b: Float64Array, opts?: HostSolveOptions): Float64Array;
export function hostSolve(a: HostMatrix, b: HostMatrix | Float64Array, opts: HostSolveOptions = {}): HostMatrix | Float64Array {
  opts = checkOptions(opts, HOST_SOLVE_OPTIONS, 'hostSolve');
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  const bm = asColumns(b, a.rows, 'b');
  const x = solveUnchecked(a, bm, opts.eps ?? EPS64);
  return b instanceof Float64Array ? x.data : x;
}

/** `luSolveInPlace` found a (numerically) singular matrix. An ArgumentError, so `solve` keeps its documented type. */
export class SingularMatrixError extends ArgumentError {}

/**
 * Solve `A X = B` (A n x n, B n x k, row-major) by LU with partial pivoting (numpy's `solve`
 * semantics: only an exactly zero pivot counts as singular), and when A is singular fall back
 * to the minimum-norm least-squares solution `X = pinv(A) B` (numpy `lstsq`, default rcond).
 * The ALS normal equations `V = *_k (A_k^T A_k)` of CP are singular for rank-deficient data
 * (e.g. `ones([3, 4, 5])` at rank 2); the pseudo-inverse solve is what TensorLy's
 * `tl.solve` cannot do, and it leaves every non-singular case bit-for-bit unchanged.
 */
export function solveOrPinv(a: HostMatrix, b: HostMatrix): HostMatrix {
  const x = b.data.slice();
  try {
    luSolveInPlace(a.data.slice(), a.rows, x, b.cols, 0);
    return { rows: a.rows, cols: b.cols, data: x };
  } catch (err) {
    if (!(err instanceof SingularMatrixError)) throw err;
    return lstsqUnchecked(a, b, EPS64 * a.rows);
  }
}

/** In-place variant of {@link solveOrPinv}: `lu` (n x n) and `x` (n x k) are overwritten. */
export function luSolveOrPinvInPlace(lu: Float64Array, n: number, x: Float64Array, k: number): void {
  const a0 = lu.slice();
  const b0 = x.slice();
  try {
    luSolveInPlace(lu, n, x, k, 0);
  } catch (err) {
    if (!(err instanceof SingularMatrixError)) throw err;
    x.set(lstsqUnchecked({ rows: n, cols: n, data: a0 }, { rows: n, cols: k, data: b0 }, EPS64 * n).data);
  }
}

export function solveUnchecked(a: HostMatrix, b: HostMatrix, eps: number): HostMatrix {
  const x = b.data.slice();
  luSolveInPlace(a.data.slice(), a.rows, x, b.cols, eps);
  return { rows: a.rows, cols: b.cols, data: x };
}

/**
 * LU with partial pivoting of the row-major n x n `lu` and the solve of the n x k
 * right-hand sides `x`, both in place (`lu` is overwritten by the factors, `x` by the
 * solution). Throws an ArgumentError when a pivot is at most `n * eps * max|A|` (or zero).
 */
export function luSolveInPlace(lu: Float64Array, n: number, x: Float64Array, k: number, eps: number): void {
  let amax = 0;
  for (const v of lu) amax = Math.max(amax, Math.abs(v));
  const tiny = n * eps * amax;
  for (let j = 0; j < n; j++) {
    let piv = j;
    let best = Math.abs(lu[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + j]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best <= tiny || best === 0) {
      throw new SingularMatrixError(`a is singular (to working precision): pivot ${j} of the LU factorisation is ${best.toExponential(3)} <= ${tiny.toExponential(3)}; use lstsq for a minimum-norm solution`);
    }
    if (piv !== j) {
      for (let c = 0; c < n; c++) {
        const t = lu[j * n + c];
        lu[j * n + c] = lu[piv * n + c];
        lu[piv * n + c] = t;
      }
      for (let c = 0; c < k; c++) {
        const t = x[j * k + c];
        x[j * k + c] = x[piv * k + c];
        x[piv * k + c] = t;
      }
    }
    const d = lu[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const f = lu[i * n + j] / d;
      if (f === 0) continue;
      lu[i * n + j] = f;
      for (let c = j + 1; c < n; c++) lu[i * n + c] -= f * lu[j * n + c];
      for (let c = 0; c < k; c++) x[i * k + c] -= f * x[j * k + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = lu[i * n + i];
    for (let c = 0; c < k; c++) {
      let s = x[i * k + c];
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j * k + c];
      x[i * k + c] = s / d;
    }
  }
}

/**
 * Minimum-norm least-squares solution of A X ~ B (numpy.linalg.lstsq semantics):
 * X = V diag(1/s_i for s_i > rcond * s_max, else 0) U^T B. Works for over-determined,
 * under-determined and rank-deficient A. `rcond` defaults to eps64 * max(m, n), as numpy's.
 */
export function hostLstsq(a: HostMatrix, b: HostMatrix, opts?: HostLstsqOptions): HostMatrix;
export function hostLstsq(a: HostMatrix, b: Float64Array, opts?: HostLstsqOptions): Float64Array;
export function hostLstsq(a: HostMatrix, b: HostMatrix | Float64Array, opts: HostLstsqOptions = {}): HostMatrix | Float64Array {
  opts = checkOptions(opts, HOST_LSTSQ_OPTIONS, 'hostLstsq');
  checkHostMatrix(a, 'a');
  const bm = asColumns(b, a.rows, 'b');
  if (opts.rcond !== undefined && !(opts.rcond >= 0)) throw new ArgumentError(`rcond must be a non-negative number; got ${describe(opts.rcond)}`);
  const x = lstsqUnchecked(a, bm, opts.rcond ?? EPS64 * Math.max(a.rows, a.cols));
  return b instanceof Float64Array ? x.data : x;
}

export function lstsqUnchecked(a: HostMatrix, b: HostMatrix, rcond: number): HostMatrix {
  const { rows: m, cols: n } = a;
  const k = b.cols;
  const p = Math.min(m, n);
  if (p === 0) return hostZeros(n, k);
  const { u, s, vt } = svdUnchecked(a, p, false);
  const cutoff = rcond * s[0];
  // c = diag(1/s) U^T B over the kept components.
  const c = new Float64Array(p * k);
  for (let j = 0; j < p; j++) {
    if (!(s[j] > cutoff) || s[j] === 0) continue;
    for (let i = 0; i < m; i++) {
      const uij = u.data[i * p + j];
      if (uij === 0) continue;
      for (let col = 0; col < k; col++) c[j * k + col] += uij * b.data[i * k + col];
    }
    for (let col = 0; col < k; col++) c[j * k + col] /= s[j];
  }
  // X = V c.
  return hostMatmul(vt, { rows: p, cols: k, data: c }, true, false);
}
