/**
 * Constrained CP by AO-ADMM: TensorLy 0.9 `constrained_parafac` (`_constrained_cp.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHost64, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import type { TensorLike } from '../io/index.js';
import { hostZeros } from '../linalg/host.js';
import { admmHost } from '../proximal/admm.js';
import { proxHost, type Constraint } from '../proximal/constraint.js';
import { toRng, type Seed } from '../base/rng.js';
import { CPTensor, type RankSpec } from '../tensors/index.js';
import {
  checkBoolOption,
  checkCallback,
  checkEnumOption,
  checkInputTensor,
  checkIntOption, checkIterations,
  checkOptions,
  checkModeList,
  checkNumberOption,
  checkSvdMethod,
  releaseInput,
  throwIfAborted,
  type DecompositionSvdMethod,
} from './internal/inputChecks.js';
import { checkCpInit, disposeState, initializeCpState } from './internal/cpState.js';
import { mttkrp as tenalgMttkrp, mttkrpPlacement, mttkrpSweep } from '../tenalg/mttkrp.js';
import { sqNorm64 } from './internal/float64Reductions.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import { resolveCpRank, type IterationCallback, type ParafacResult } from './cp.js';
import { CONSTRAINT_OPTION_KEYS, resolveConstraints, type ConstraintOptions } from './constrainedCpConstraints.js';

export interface ConstrainedParafacOptions extends ConstraintOptions {
  /** Outer (AO) iterations (default 100). */
  nIterMax?: number;
  /** ADMM iterations per factor update (default 10). */
  nIterMaxInner?: number;
  /** 'svd' (default), 'random' or a CPTensor (used as is, no proximal step). */
  init?: 'svd' | 'random' | CPTensor;
  /** SVD of the 'svd' init (default 'truncated'; TensorLy names accepted). */
  svd?: DecompositionSvdMethod;
  /** Outer tolerance (default 1e-8): stop when the constraint residual or the error change falls below it; 0 runs every iteration. */
  tolOuter?: number;
  /** ADMM tolerance on the relative primal and dual residuals (default 1e-6). */
  tolInner?: number;
  /** Seed of the random init and of the SVD init's padding columns. */
  seed?: Seed;
  /** Return `{ cp, errors }` with the relative error of every iteration. */
  returnErrors?: boolean;
  /** 'abs_rec_error' (default): stop on |delta| < tolOuter; 'rec_error': on delta < tolOuter. */
  cvgCriterion?: 'abs_rec_error' | 'rec_error';
  /** Modes kept at their initial value (the last mode cannot be fixed and is dropped from the list). */
  fixedModes?: number[];
  /** Called after every iteration with the relative error; return true to stop. */
  callback?: IterationCallback;
  /** Abort between iterations (throws AbortedError, nothing leaks). */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per outer iteration, total nIterMax, error always. */
  onProgress?: ProgressCallback;
}

const OPTIONS = optionKeys<ConstrainedParafacOptions>()(
  'nIterMax', 'nIterMaxInner', 'init', 'svd', 'tolOuter', 'tolInner', 'seed', 'returnErrors',
  'cvgCriterion', 'fixedModes', 'callback', 'signal', 'onProgress', ...CONSTRAINT_OPTION_KEYS,
);

/** Hadamard product of the Grams of all factors but `skip`. */
function hadamardGrams(grams: HostMatrix[], skip: number, R: number): HostMatrix {
  const g = hostZeros(R, R);
  g.data.fill(1);
  grams.forEach((gk, k) => {
    if (k !== skip) for (let i = 0; i < R * R; i++) g.data[i] *= gk.data[i];
  });
  return g;
}

function gram(f: HostMatrix): HostMatrix {
  const { rows, cols: R, data } = f;
  const g = hostZeros(R, R);
  for (let i = 0; i < rows; i++) for (let a = 0; a < R; a++) {
    const x = data[i * R + a];
    if (x === 0) continue;
    for (let b = 0; b < R; b++) g.data[a * R + b] += x * data[i * R + b];
  }
  return g;
}

function frob(d: Float64Array): number {
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

/**
 * CP decomposition with a constraint or penalty per mode, by alternating optimisation with
 * ADMM (AO-ADMM; Huang, Sidiropoulos & Liavas, "A flexible and efficient algorithmic
 * framework for constrained matrix and tensor factorization", IEEE TSP 2016). TensorLy 0.9
 * `constrained_parafac`: for each non-fixed mode m, with `G = Hadamard_{i != m} F_i^T F_i` and
 * `M = MTTKRP_m`, `nIterMaxInner` ADMM steps (`admm`, rho = trace(G) / R) update F_m, its split
 * variable and its dual (both kept across outer iterations). The error is
 * `sqrt(|‖T‖² + ‖cp‖² - 2 <MTTKRP_{N-1}, F_{N-1}>|) / ‖T‖`; from the second iteration on it
 * stops when `sum_m ‖F_m - split_m‖ / ‖F_m‖ < tolOuter` or the error change is below
 * `tolOuter`. The weights stay ones. The 'svd' / 'random' inits are passed through each
 * mode's proximal operator; a CPTensor init is used as is (weights folded into the factors
 * by TensorLy's `prod(w)^(1/R)` rule when they are not all one).
 *
 * Constraints (see `ConstraintOptions` and `Constraint`): `nonNegative`, `l1Reg`, `l2Reg`,
 * `l2SquareReg`, `unimodality`, `normalize`, `simplex`, `normalizedSparsity`, `softSparsity`,
 * `smoothness`, `monotonicity`, `hardSparsity`; each `true` / a number (all modes), a list
 * (per mode) or `{ mode: value }`; at most one per mode. Deviations from TensorLy's
 * operators are listed at `proxHost` and in docs/fidelity/decomposition.md.
 *
 * Engine: the factors, Grams and ADMM steps are float64 on the host (R x R systems, per-column
 * projections); MTTKRPs run on the host too for small problems (entries x rank <= 2e5),
 * else on the backend with one download of the I_m x R result per mode.
 *
 * Progress: task 'constrainedParafac', one record per outer iteration, total nIterMax, error = the iteration's error.
 *
 * @returns a CPTensor (or `{ cp, errors }` with `returnErrors: true`) that the caller disposes.
 * @throws ShapeError if the tensor is not at least 2-D, has an empty mode, or `init` does not
 *   fit; NonFiniteError on NaN/Inf; RankError for a bad rank; ArgumentError for unknown
 *   options, two constraints on one mode or a bad constraint value; ModeError for bad modes;
 *   AbortedError when `signal` fires.
 */
export function constrainedParafac(tensor: TensorLike, rank: RankSpec, opts: ConstrainedParafacOptions & { returnErrors: true }): ParafacResult;
export function constrainedParafac(tensor: TensorLike, rank: RankSpec, opts?: ConstrainedParafacOptions): CPTensor;
export function constrainedParafac(tensor: TensorLike, rank: RankSpec, opts: ConstrainedParafacOptions = {}): CPTensor | ParafacResult {
  opts = checkOptions(opts, OPTIONS, 'constrainedParafac');
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
  const nIterMaxInner = checkIntOption(opts.nIterMaxInner ?? 10, 'nIterMaxInner', 1);
  const init = opts.init ?? 'svd';
  if (!(init instanceof CPTensor)) checkEnumOption(init, 'init', ['svd', 'random'] as const);
  const svd = checkSvdMethod(opts.svd ?? 'truncated');
  const tolOuter = checkNumberOption(opts.tolOuter ?? 1e-8, 'tolOuter', 0);
  const tolInner = checkNumberOption(opts.tolInner ?? 1e-6, 'tolInner', 0);
  const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
  const cvgCriterion = checkEnumOption(opts.cvgCriterion ?? 'abs_rec_error', 'cvgCriterion', ['abs_rec_error', 'rec_error'] as const);
  checkCallback(opts.callback);
  const progress = StepProgress.from('constrainedParafac', opts, nIterMax);
  const signal = progress.signal;
  const rng = toRng(opts.seed);
  throwIfAborted(signal, 'constrainedParafac');
  const input = checkInputTensor(tensor, 'tensor', 2);
  const device: tf.Tensor2D[] = [];
  try {
    const shape = input.shape;
    const N = shape.length;
    const R = resolveCpRank(shape, rank);
    const fixed = opts.fixedModes === undefined ? [] : checkModeList(opts.fixedModes, N, 'fixedModes').filter((m) => m !== N - 1);
    const constraints = resolveConstraints(opts, N);
    if (init instanceof CPTensor) checkCpInit(init, shape, R);
    const proxes = constraints.map((c: Constraint | null) => (c === null ? (v: HostMatrix) => v : (v: HostMatrix) => proxHost(v, c)));

    const state = initializeCpState(input.t, R, { init, svd, rng, nonNegative: false, normalizeFactors: false, mask: null, svdMaskRepeats: 0 });
    let factors: HostMatrix[];
    try {
      factors = state.factors.map((f) => toHostMatrix(f));
    } finally {
      disposeState(state);
    }
    if (!(init instanceof CPTensor)) factors = factors.map((f, m) => proxes[m](f));
    const grams = factors.map(gram);

    const t64 = mttkrpPlacement(input.t.size, R) === 'host' ? toHost64(input.t) : null;
    const hostSweep = t64 ? mttkrpSweep(shape, { data: t64, rank: R }) : null;
    const mttkrp = (mode: number): HostMatrix => {
      if (hostSweep) {
        // A fresh product every call (the factors change between calls), into a new matrix.
        const out = hostZeros(shape[mode], R);
        hostSweep.invalidate();
        hostSweep.mttkrp(factors, mode, out.data);
        return out;
      }
      for (let k = 0; k < N; k++) {
        device[k]?.dispose();
        device[k] = fromHostMatrix(factors[k]);
      }
      const m = tenalgMttkrp(input.t, null, device, mode, { method: 'tree' });
      const h = toHostMatrix(m);
      m.dispose();
      return h;
    };
    const normT2 = t64 ? t64.reduce((s, v) => s + v * v, 0) : sqNorm64(input.t);
    const normT = Math.sqrt(normT2);
    const modes = [...Array(N).keys()].filter((m) => !fixed.includes(m));
    const duals = factors.map((f) => hostZeros(f.rows, R));
    const splits = factors.map((f) => hostZeros(R, f.rows));
    const errors: number[] = [];
    progress.begin();
    for (let iteration = 0; iteration < nIterMax; iteration++) {
      throwIfAborted(signal, 'constrainedParafac');
      let mLast: HostMatrix | null = null;
      for (const mode of modes) {
        const g = hadamardGrams(grams, mode, R);
        const m = mttkrp(mode);
        const r = admmHost(m, g, factors[mode], duals[mode], proxes[mode], nIterMaxInner, tolInner);
        factors[mode] = r.x;
        splits[mode] = r.xSplit;
        duals[mode] = r.dual;
        grams[mode] = gram(r.x);
        mLast = m;
      }
      // ||cp||^2 with unit weights, and <T, cp> from the last mode's MTTKRP.
      let cpNorm2 = 0;
      for (let i = 0; i < R * R; i++) {
        let p = 1;
        for (const gk of grams) p *= gk.data[i];
        cpNorm2 += p;
      }
      let ip = 0;
      const fLast = factors[N - 1];
      if (mLast) for (let i = 0; i < fLast.data.length; i++) ip += mLast.data[i] * fLast.data[i];
      const error = Math.sqrt(Math.abs(normT2 + cpNorm2 - 2 * ip)) / normT;
      errors.push(error);
      let constraintError = 0;
      for (const mode of modes) {
        const f = factors[mode];
        const s = splits[mode];
        const d = new Float64Array(f.data.length);
        for (let i = 0; i < f.rows; i++) for (let r = 0; r < R; r++) d[i * R + r] = f.data[i * R + r] - s.data[r * f.rows + i];
        constraintError += frob(d) / frob(f.data);
      }
      const stopByCallback = opts.callback ? opts.callback({ iteration: iteration + 1, error }) === true : false;
      progress.step(iteration + 1, error);
      if (tolOuter > 0 && iteration >= 1) {
        if (constraintError < tolOuter) break;
        const dec = errors[errors.length - 2] - error;
        if (cvgCriterion === 'abs_rec_error' ? Math.abs(dec) < tolOuter : dec < tolOuter) break;
      }
      if (stopByCallback) break;
    }
    const cp = new CPTensor(tf.ones([R]), factors.map(fromHostMatrix));
    return returnErrors ? { cp, errors } : cp;
  } finally {
    tf.dispose(device);
    releaseInput(input);
  }
}
