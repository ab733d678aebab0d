/**
 * ADMM for a constrained least-squares factor update (TensorLy 0.9 `solvers/admm.py::admm`),
 * the inner solver of AO-ADMM (`constrainedParafac`).
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { hostTranspose, solveUnchecked } from '../linalg/host.js';
import { checkMatrix, release, type CheckedMatrix } from '../linalg/validate.js';
import { checkIntOption, checkIterations, checkOptions, checkNumberOption, optionKeys } from '../checks/index.js';
import { checkConstraint, proxHost, type Constraint } from './constraint.js';

/** State returned by one ADMM run: the constrained x, the split variable (R x I) and the dual. */
export interface AdmmHostResult {
  x: HostMatrix;
  xSplit: HostMatrix;
  dual: HostMatrix;
}

function frob(d: Float64Array): number {
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/**
 * The ADMM iterations on the host, float64 (no checks). Minimises `||M - U x^T||^2 + r(x)`
 * given `UtM` (I x R, TensorLy's naming: the MTTKRP in CP) and `UtU` (R x R), with
 * rho = trace(UtU) / R (Huang, Sidiropoulos & Liavas 2016, §III):
 *   x_split = (UtU + rho I)^{-1} (UtM + rho (x + dual))^T        (R x I)
 *   x       = prox_r(x_split^T - dual)
 *   dual    = dual + x - x_split^T
 * stopping when ||x - x_split^T|| < tol ||x|| and ||x - x_old|| < tol ||dual||.
 * With `prox` null it returns the unconstrained least-squares solution after one step,
 * as TensorLy's `n_const=None` path does.
 */
export function admmHost(utm: HostMatrix, utu: HostMatrix, x0: HostMatrix, dual0: HostMatrix, prox: ((v: HostMatrix) => HostMatrix) | null, nIterMax: number, tol: number): AdmmHostResult {
  const I = utm.rows;
  const R = utm.cols;
  let rho = 0;
  for (let r = 0; r < R; r++) rho += utu.data[r * R + r];
  rho /= R;
  const a: HostMatrix = { rows: R, cols: R, data: utu.data.slice() };
  for (let r = 0; r < R; r++) a.data[r * R + r] += rho;
  const at = hostTranspose(a);
  let x = x0;
  let dual = dual0;
  let xSplit: HostMatrix = { rows: R, cols: I, data: new Float64Array(R * I) };
  for (let it = 0; it < nIterMax; it++) {
    const xOld = x;
    const rhs: HostMatrix = { rows: R, cols: I, data: new Float64Array(R * I) };
    for (let i = 0; i < I; i++) for (let r = 0; r < R; r++) {
      rhs.data[r * I + i] = utm.data[i * R + r] + rho * (x.data[i * R + r] + dual.data[i * R + r]);
    }
    xSplit = solveUnchecked(at, rhs, 0);
    if (prox === null) {
      const ls = solveUnchecked(hostTranspose(utu), hostTranspose(utm), 0);
      return { x: hostTranspose(ls), xSplit, dual };
    }
    const v: HostMatrix = { rows: I, cols: R, data: new Float64Array(I * R) };
    for (let i = 0; i < I; i++) for (let r = 0; r < R; r++) v.data[i * R + r] = xSplit.data[r * I + i] - dual.data[i * R + r];
    x = prox(v);
    const nd: HostMatrix = { rows: I, cols: R, data: new Float64Array(I * R) };
    const dualRes = new Float64Array(I * R);
    const primalRes = new Float64Array(I * R);
    for (let i = 0; i < I; i++) for (let r = 0; r < R; r++) {
      const k = i * R + r;
      const d = x.data[k] - xSplit.data[r * I + i];
      nd.data[k] = dual.data[k] + d;
      dualRes[k] = d;
      primalRes[k] = x.data[k] - xOld.data[k];
    }
    dual = nd;
    if (frob(dualRes) < tol * frob(x.data) && frob(primalRes) < tol * frob(dual.data)) break;
  }
  return { x, xSplit, dual };
}

export interface AdmmOptions {
  /** The constraint or penalty on x; omitted: unconstrained least squares (TensorLy's `n_const=None`). */
  constraint?: Constraint;
  /** Maximum number of ADMM iterations (default 100). */
  nIterMax?: number;
  /** Relative tolerance of the primal and dual residuals (default 1e-4). */
  tol?: number;
}

export interface AdmmResult {
  /** The updated x (I x R), satisfying the constraint. */
  x: tf.Tensor2D;
  /** The split variable (R x I), the unconstrained least-squares side. */
  xSplit: tf.Tensor2D;
  /** The updated dual variable (I x R). */
  dualVar: tf.Tensor2D;
}

const ADMM_OPTIONS = optionKeys<AdmmOptions>()('constraint', 'nIterMax', 'tol');

/**
 * ADMM for `min_x ||M - U x^T||_F^2 + r(x)` from `UtM = M^T U` (I x R) and `UtU = U^T U`
 * (R x R), starting from `x` and `dualVar` (both I x R). TensorLy `admm` (Huang,
 * Sidiropoulos & Liavas, "A flexible and efficient algorithmic framework for constrained
 * matrix and tensor factorization", IEEE TSP 2016). See `admmHost` for the iteration; it
 * runs on the host in float64 (R x R systems). Returns new tensors the caller disposes.
 *
 * @throws ShapeError on mismatched shapes; NonFiniteError on NaN/Inf; ArgumentError for a
 *   bad option or constraint.
 */
export function admm(UtM: TensorLike, UtU: TensorLike, x: TensorLike, dualVar: TensorLike, opts: AdmmOptions = {}): AdmmResult {
  opts = checkOptions(opts, ADMM_OPTIONS, 'admm');
  const constraint = opts.constraint === undefined ? null : checkConstraint(opts.constraint, 'constraint');
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 1);
  const tol = checkNumberOption(opts.tol ?? 1e-4, 'tol', 0);
  const held: CheckedMatrix[] = [];
  try {
    const m = checkMatrix(UtM, 'UtM');
    held.push(m);
    const g = checkMatrix(UtU, 'UtU', { square: true });
    held.push(g);
    const x0 = checkMatrix(x, 'x');
    held.push(x0);
    const d0 = checkMatrix(dualVar, 'dualVar');
    held.push(d0);
    const [I, R] = m.t.shape;
    if (g.t.shape[0] !== R) throw new ShapeError(`UtU must be ${R} x ${R} (UtM has ${R} columns); got shape ${describe(g.t.shape)}`);
    for (const [c, name] of [[x0, 'x'], [d0, 'dualVar']] as const) {
      if (c.t.shape[0] !== I || c.t.shape[1] !== R) throw new ShapeError(`${name} must have UtM's shape ${describe([I, R])}; got shape ${describe(c.t.shape)}`);
    }
    const prox = constraint === null ? null : (v: HostMatrix) => proxHost(v, constraint);
    const r = admmHost(toHostMatrix(m.t), toHostMatrix(g.t), toHostMatrix(x0.t), toHostMatrix(d0.t), prox, nIterMax, tol);
    if (!r.x.data.every(Number.isFinite)) throw new ArgumentError('admm: UtU + rho I is singular (UtU is zero?)');
    return { x: fromHostMatrix(r.x), xSplit: fromHostMatrix(r.xSplit), dualVar: fromHostMatrix(r.dual) };
  } finally {
    release(...held);
  }
}
