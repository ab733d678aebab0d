/**
 * Coupled matrix-tensor factorization by alternating least squares: TensorLy 0.9
 * `coupled_matrix_tensor_3d_factorization` (`_cmtf_als.py`).
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import { fromHostMatrix, readScalar } from '../backend/transfer.js';
import { ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { solveUnchecked } from '../linalg/host.js';
import { toRng, type Seed } from '../base/rng.js';
import { mttkrp, norm } from '../tenalg/index.js';
import { CPTensor, cpNormalize, cpToTensor, type RankSpec } from '../tensors/index.js';
import {
  checkBoolOption,
  checkCallback,
  checkEnumOption,
  checkInputTensor,
  checkIntOption, checkIterations,
  checkOptions,
  checkNumberOption,
  releaseInput,
  throwIfAborted,
  type CheckedInput,
} from './internal/inputChecks.js';
import { disposeState, initializeCpState, type CpState } from './internal/cpState.js';
import { gramHost, toHost } from './internal/float64Reductions.js';
import { matMulMaterialised } from './internal/matMulMaterialised.js';
import { unfoldT } from './internal/unfoldings.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import { resolveCpRank, type IterationCallback } from './cp.js';

export interface CmtfOptions {
  /** 'svd' (default) or 'random' (U[0,1) factors, seeded by `seed`). */
  init?: 'svd' | 'random';
  /** Maximum number of ALS sweeps (default 100). */
  nIterMax?: number;
  /** Stop when `|e_k - e_{k-1}| / e_{k-1} <= tol` or `e_k < tol` (default 1e-6). */
  tol?: number;
  /** `cp_normalize` both results at the end (the weights carry the column norms; default false). */
  normalizeFactors?: boolean;
  /** Seed of the random init. */
  seed?: Seed;
  /** Called after each sweep with `error = sqrt(e_k / (||T||^2 + ||M||^2))`; returning true stops. */
  callback?: IterationCallback;
  /** Checked every sweep; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per sweep, total nIterMax, error `sqrt(e_k / (||T||^2 + ||M||^2))`. */
  onProgress?: ProgressCallback;
}

/** The result: both models share factor 0 (as copies), and the squared errors per sweep. */
export interface CmtfResult {
  /** `T ~ [[w; A, B, C]]`. */
  tensorCp: CPTensor;
  /** `M ~ [[g; A, V]]`. */
  matrixCp: CPTensor;
  /** `e_k = ||T - [[A, B, C]]||^2 + ||M - A V^T||^2` (squared, not relative), per sweep kept. */
  errors: number[];
}

const OPTIONS = optionKeys<CmtfOptions>()('init', 'nIterMax', 'tol', 'normalizeFactors', 'seed', 'callback', 'signal', 'onProgress');

/** `||X - Y||^2` on the backend, one scalar read. */
function sqDist(x: tf.Tensor, y: tf.Tensor): number {
  const s = tf.tidy(() => tf.sum(tf.square(tf.sub(x, y))));
  const v = readScalar(s);
  s.dispose();
  return v;
}

/** `F = B G^{-1}` for a host R x R normal matrix G (LU in float64, numpy `solve` semantics). */
function solveRight(b: tf.Tensor2D, g: HostMatrix): tf.Tensor2D {
  const R = g.rows;
  const inv = solveUnchecked(g, { rows: R, cols: R, data: identity(R) }, 0);
  const invT = fromHostMatrix(inv);
  const out = matMulMaterialised(b, invT);
  invT.dispose();
  return out;
}

function identity(n: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return d;
}

function hadamard(gs: HostMatrix[]): HostMatrix {
  const out = { rows: gs[0].rows, cols: gs[0].cols, data: gs[0].data.slice() };
  for (const g of gs.slice(1)) for (let i = 0; i < out.data.length; i++) out.data[i] *= g.data[i];
  return out;
}

/**
 * Coupled matrix and tensor factorization (CMTF) of a 3rd-order tensor `T (I, J, K)` and a
 * matrix `M (I, L)` sharing their first mode (TensorLy
 * `coupled_matrix_tensor_3d_factorization`; Acar, Kolda & Dunlavy, "All-at-once
 * optimization for coupled matrix and tensor factorizations", MLG 2011, Fig. 5):
 *
 *   min ||T - [[A, B, C]]||^2 + ||M - A V^T||^2
 *
 * Init: B, C from `initialize_cp(T, rank, init)`, A from the same init of the coupled
 * unfolding `[unfold(T, 0), M]`. Each sweep: `V = lstsq(A, M)^T`, then modes 2, 1, 0 by least
 * squares on the Khatri–Rao design, mode 0 with `V` and `M` stacked under it. The least
 * squares run as normal equations: MTTKRPs on the backend, the R x R systems in float64 on
 * the host (same solution as TensorLy's `lstsq` for a full-rank design). It stops when
 * `|e_k - e_{k-1}| / e_{k-1} <= tol` or `e_k < tol` from the second sweep on; that last error
 * is not recorded (TensorLy's rule).
 *
 * Progress: task 'coupledMatrixTensor3dFactorization', one record per sweep (the stopping one
 * too), total nIterMax, error `sqrt(e_k) / sqrt(||T||^2 + ||M||^2)` (the callback's figure).
 *
 * @param rank an integer, 'same' or a fraction of the tensor's CP parameters.
 * @throws ShapeError when the tensor is not 3-D, the matrix not 2-D, or their first modes
 *   differ (TensorLy: numpy's concatenate ValueError); NonFiniteError; RankError;
 *   ArgumentError for a bad option; AbortedError when `signal` fires.
 */
export function coupledMatrixTensor3dFactorization(tensor3d: TensorLike, matrix: TensorLike, rank: RankSpec, opts: CmtfOptions = {}): CmtfResult {
  opts = checkOptions(opts, OPTIONS, 'coupledMatrixTensor3dFactorization');
  const init = checkEnumOption(opts.init ?? 'svd', 'init', ['svd', 'random'] as const);
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
  const tol = checkNumberOption(opts.tol ?? 1e-6, 'tol', 0);
  const normalizeFactors = checkBoolOption(opts.normalizeFactors ?? false, 'normalizeFactors');
  checkCallback(opts.callback);
  const progress = StepProgress.from('coupledMatrixTensor3dFactorization', opts, nIterMax);
  const signal = progress.signal;
  const rng = toRng(opts.seed);
  let mat: CheckedInput | null = null;
  const ten = checkInputTensor(tensor3d, 'tensor3d', 3);
  let state: CpState | null = null;
  let v: tf.Tensor2D | null = null;
  try {
    mat = checkInputTensor(matrix, 'matrix', 2);
    if (ten.shape.length !== 3) throw new ShapeError(`tensor3d must be 3-D; got shape ${describe(ten.shape)}`);
    if (mat.shape.length !== 2) throw new ShapeError(`matrix must be 2-D; got shape ${describe(mat.shape)}`);
    if (mat.shape[0] !== ten.shape[0]) {
      throw new ShapeError(`matrix must have as many rows as mode 0 of tensor3d (${ten.shape[0]}); got shape ${describe(mat.shape)}`);
    }
    const R = resolveCpRank(ten.shape, rank);
    const t = ten.t;
    const m = mat.t as tf.Tensor2D;
    throwIfAborted(signal, 'coupledMatrixTensor3dFactorization');
    const initOpts = { init, svd: 'truncated' as const, rng, nonNegative: false, normalizeFactors: false, mask: null, svdMaskRepeats: 0 };
    state = initializeCpState(t, R, initOpts);
    const coupled = tf.tidy(() => tf.concat([unfoldT(t, 0), m], 1));
    const cstate = initializeCpState(coupled, R, initOpts);
    coupled.dispose();
    state.factors[0].dispose();
    state.factors[0] = cstate.factors[0];
    cstate.factors[1].dispose();
    const s = state;
    const errors: number[] = [];
    const scale = Math.hypot(norm(t), norm(m)) || 1;
    let eOld = NaN;
    progress.begin();
    for (let iteration = 0; iteration < nIterMax; iteration++) {
      throwIfAborted(signal, 'coupledMatrixTensor3dFactorization');
      // V = lstsq(A, M)^T, i.e. V = M^T A (A^T A)^{-1}.
      const gA = gramHost(s.factors[0]);
      const mtA = tf.tidy(() => tf.matMul(m, s.factors[0], true, false)) as tf.Tensor2D;
      v?.dispose();
      v = solveRight(mtA, gA);
      mtA.dispose();
      for (const mode of [2, 1, 0]) {
        const others = [0, 1, 2].filter((k) => k !== mode).map((k) => gramHost(s.factors[k]));
        let g = hadamard(others);
        let rhs = mttkrp(t, null, s.factors, mode);
        if (mode === 0) {
          const vv = v as tf.Tensor2D;
          const gV = gramHost(vv);
          g = { rows: R, cols: R, data: g.data.map((x, i) => x + gV.data[i]) };
          const withM = tf.tidy(() => tf.add(rhs, matMulMaterialised(m, vv)) as tf.Tensor2D);
          rhs.dispose();
          rhs = withM;
        }
        const f = solveRight(rhs, g);
        rhs.dispose();
        s.factors[mode].dispose();
        s.factors[mode] = f;
      }
      const vv = v as tf.Tensor2D;
      const eNew = tf.tidy(() => {
        const rec = cpToTensor({ weights: null, factors: s.factors });
        return sqDist(t, rec) + sqDist(m, matMulMaterialised(s.factors[0], vv.transpose()));
      });
      // Reported also on the stopping sweep, whose error TensorLy's rule does not record.
      progress.step(iteration + 1, Math.sqrt(eNew) / scale);
      if (iteration > 0 && (Math.abs(eNew - eOld) / eOld <= tol || eNew < tol)) break;
      eOld = eNew;
      errors.push(eNew);
      if (opts.callback && opts.callback({ iteration: iteration + 1, error: Math.sqrt(eNew) / scale }) === true) break;
    }
    const a0 = tf.clone(s.factors[0]);
    let tensorCp = new CPTensor(null, s.factors);
    state = null;
    let matrixCp = new CPTensor(null, [a0, v as tf.Tensor2D]);
    v = null;
    if (normalizeFactors) {
      const nt = cpNormalize(tensorCp);
      tensorCp.dispose();
      tensorCp = nt;
      const nm = cpNormalize(matrixCp);
      matrixCp.dispose();
      matrixCp = nm;
    }
    return { tensorCp, matrixCp, errors };
  } finally {
    if (state) disposeState(state);
    v?.dispose();
    releaseInput(mat);
    releaseInput(ten);
  }
}
