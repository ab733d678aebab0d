/**
 * Non-negative least squares by HALS (TensorLy 0.9 `solvers/nnls.py::hals_nnls`): the host
 * kernel shared by `nonNegativeParafacHals` / `nonNegativeTuckerHals`, and its tensor entry point.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { hostMatmul, hostTranspose, solveUnchecked } from '../linalg/host.js';
import { checkMatrix, release, type CheckedMatrix } from '../linalg/validate.js';
import { checkBoolOption, checkIntOption, checkIterations, checkOptions, optionKeys } from '../checks/index.js';

/**
 * TensorLy `hals_nnls(UtM, UtU, V, n_iter_max, sparsity_coefficient, exact)` on the host:
 * min_{V >= 0} ||M - U V||^2 (+ sparsity * sum V) by exact coordinate descent over the rows
 * of V (R x n), in place.
 */
export function halsNnlsHost(utm: HostMatrix, utu: HostMatrix, v: HostMatrix, nIterMax: number, sparsity: number | null, exact: boolean): void {
  const R = utm.rows;
  const n = utm.cols;
  const iters = exact ? 50000 : nIterMax;
  const tol = exact ? 1e-15 : 1e-7;
  let err0 = 0;
  const row = new Float64Array(n);
  for (let it = 0; it < iters; it++) {
    let err = 0;
    for (let k = 0; k < R; k++) {
      const ukk = utu.data[k * R + k];
      if (!ukk) continue;
      // num = UtM[k] - UtU[k] V + UtU[k,k] V[k]
      for (let c = 0; c < n; c++) row[c] = utm.data[k * n + c];
      for (let j = 0; j < R; j++) {
        const a = utu.data[k * R + j];
        if (a === 0 || j === k) continue;
        const vj = j * n;
        for (let c = 0; c < n; c++) row[c] -= a * v.data[vj + c];
      }
      for (let c = 0; c < n; c++) {
        let num = row[c];
        if (sparsity !== null) num -= sparsity;
        const nv = Math.max(num / ukk, 0);
        const d = v.data[k * n + c] - nv;
        err += d * d;
        v.data[k * n + c] = nv;
      }
    }
    if (it === 0) err0 = err;
    if (err < err0 * tol) break;
  }
}

export interface HalsNnlsOptions {
  /** Starting V (R x n, non-negative); default: the clipped least-squares solution, rescaled (TensorLy's start). */
  V?: TensorLike;
  /** Sweeps over the rows of V (default 100; TensorLy 0.9's default). */
  nIterMax?: number;
  /** L1 penalty on V (default none). */
  sparsityCoefficient?: number | null;
  /** Run to convergence (50000 sweeps, tolerance 1e-15) instead of `nIterMax` sweeps. */
  exact?: boolean;
}

const HALS_OPTIONS = optionKeys<HalsNnlsOptions>()('V', 'nIterMax', 'sparsityCoefficient', 'exact');

/**
 * Non-negative least squares `min_{V >= 0} ||M - U V||_F^2 (+ sparsity * sum V)` from
 * `UtM = U^T M` (R x n) and `UtU = U^T U` (R x R) by hierarchical ALS: exact coordinate
 * minimisation over the rows of V, `V_k <- max((UtM_k - sum_{j != k} UtU_kj V_j - sparsity) / UtU_kk, 0)`
 * (Cichocki & Phan, "Fast local algorithms for large scale nonnegative matrix and tensor
 * factorizations", IEICE 2009; Gillis & Glineur, "Accelerated multiplicative updates and
 * hierarchical ALS algorithms for NMF", Neural Computation 2012). Stops when a sweep moves V
 * by less than 1e-7 (squared) of the first sweep. TensorLy 0.9 `hals_nnls`; float64 on the host.
 *
 * @throws ShapeError on mismatched shapes; NonFiniteError on NaN/Inf; ArgumentError for a
 *   bad option or a negative starting V.
 */
export function halsNnls(UtM: TensorLike, UtU: TensorLike, opts: HalsNnlsOptions = {}): tf.Tensor2D {
  opts = checkOptions(opts, HALS_OPTIONS, 'halsNnls');
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 1);
  const exact = checkBoolOption(opts.exact ?? false, 'exact');
  const sp = opts.sparsityCoefficient ?? null;
  if (sp !== null && (typeof sp !== 'number' || !Number.isFinite(sp))) throw new ArgumentError(`sparsityCoefficient must be a finite number or null; got ${describe(sp)}`);
  const held: CheckedMatrix[] = [];
  try {
    const m = checkMatrix(UtM, 'UtM');
    held.push(m);
    const g = checkMatrix(UtU, 'UtU', { square: true });
    held.push(g);
    const [R, n] = m.t.shape;
    if (g.t.shape[0] !== R) throw new ShapeError(`UtU must be ${R} x ${R} (UtM has ${R} rows); got shape ${describe(g.t.shape)}`);
    const utm = toHostMatrix(m.t);
    const utu = toHostMatrix(g.t);
    let v: HostMatrix;
    if (opts.V !== undefined) {
      const v0 = checkMatrix(opts.V, 'V');
      held.push(v0);
      if (v0.t.shape[0] !== R || v0.t.shape[1] !== n) throw new ShapeError(`V must have UtM's shape ${describe([R, n])}; got shape ${describe(v0.t.shape)}`);
      v = toHostMatrix(v0.t);
      if (v.data.some((x) => x < 0)) throw new ArgumentError('V must be non-negative; it holds negative entries');
    } else {
      v = solveUnchecked(utu, utm, 0);
      for (let i = 0; i < v.data.length; i++) v.data[i] = Math.max(v.data[i], 0);
      let num = 0;
      let den = 0;
      const vvt = hostMatmul(v, hostTranspose(v));
      for (let i = 0; i < v.data.length; i++) num += utm.data[i] * v.data[i];
      for (let i = 0; i < R * R; i++) den += utu.data[i] * vvt.data[i];
      if (den > 0) for (let i = 0; i < v.data.length; i++) v.data[i] *= num / den;
    }
    halsNnlsHost(utm, utu, v, nIterMax, sp, exact);
    return fromHostMatrix(v);
  } finally {
    release(...held);
  }
}
