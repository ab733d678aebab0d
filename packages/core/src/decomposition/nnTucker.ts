/**
 * Non-negative Tucker (TensorLy 0.9 `_tucker.py`): the options of both solvers, the frame
 * they share (checks, rank resolution, state ownership) and the multiplicative updates.
 * HALS is in ./nnTuckerHals.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import type { TensorLike } from '../io/index.js';
import { toRng, uniformTensor, type Rng } from '../base/rng.js';
import { TuckerTensor, tuckerNormalize, validateTuckerRank, type RankSpec } from '../tensors/index.js';
import {
  checkBoolOption,
  checkCallback,
  checkEnumOption,
  checkInputTensor,
  checkIterations,
  checkOptions,
  checkNumberOption,
  checkSvdMethod,
  releaseInput,
  type DecompositionSvdMethod,
} from './internal/inputChecks.js';
import { nndsvda } from './internal/cpState.js';
import { arrange } from './internal/labelledTensor.js';
import { sqNorm64 } from './internal/float64Reductions.js';
import { unfoldForSvd, unfoldT } from './internal/unfoldings.js';
import { truncatedSvdHost } from '../linalg/truncatedSvdHost.js';
import { fromHostMatrix, readScalar } from '../backend/transfer.js';
import { contractModes, expand, projectCore } from './internal/tuckerCore.js';
import type { IterationCallback } from './cp.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import { resolvePartialRanks } from './tucker.js';

export interface NonNegativeTuckerOptions {
  /** Maximum number of sweeps (default 10 for MU, 100 for HALS, as TensorLy). */
  nIterMax?: number;
  /** 'svd' (NNDSVDa HOSVD + abs, default) or 'random'. */
  init?: 'svd' | 'random';
  /** SVD of the init ('truncated' default; TensorLy names accepted). */
  svd?: DecompositionSvdMethod;
  /** Stop when the change of the relative error is below `tol` (tested from the third sweep). */
  tol?: number;
  seed?: number;
  /** Return `{ tucker, errors }`. */
  returnErrors?: boolean;
  /** `tuckerNormalize` the result (default false). */
  normalizeFactors?: boolean;
  /** Called after every sweep; returning true stops. */
  callback?: IterationCallback;
  /** Progress records: step 0 then one per sweep, total nIterMax, error always. */
  onProgress?: ProgressCallback;
  /** Checked every sweep; an aborted signal throws `AbortedError` (everything built is disposed). */
  signal?: AbortSignal;
}

export interface NonNegativeTuckerHalsOptions extends NonNegativeTuckerOptions {
  /** L1 penalty per factor (or one for all). */
  sparsityCoefficients?: number | (number | null)[] | null;
  /** L1 penalty on the core. */
  coreSparsityCoefficient?: number | null;
  /** Modes whose factor keeps its initial value. */
  fixedModes?: number[];
  /** Run the inner HALS to (near) convergence. */
  exact?: boolean;
}

const MU_OPTIONS = optionKeys<NonNegativeTuckerOptions>()('nIterMax', 'init', 'svd', 'tol', 'seed', 'returnErrors', 'normalizeFactors', 'callback', 'onProgress', 'signal');
export const HALS_OPTIONS = optionKeys<NonNegativeTuckerHalsOptions>()(...MU_OPTIONS, 'sparsityCoefficients', 'coreSparsityCoefficient', 'fixedModes', 'exact');

interface NnTuckerState {
  core: tf.Tensor;
  factors: tf.Tensor2D[];
}

/** TensorLy `initialize_tucker(..., non_negative=True)`: NNDSVDa factors, core `T x_k W_k^T`, all abs. */
export function initNonNegativeTucker(t: tf.Tensor, ranks: number[], init: 'svd' | 'random', svd: 'truncated' | 'randomized' | 'gram', rng: Rng): NnTuckerState {
  const shape = t.shape;
  const modes = [...shape.keys()];
  let factors: tf.Tensor2D[] = [];
  let core: tf.Tensor;
  if (init === 'random') {
    core = tf.tidy(() => tf.add(uniformTensor(ranks, rng), 0.01));
    factors = modes.map((m) => uniformTensor([shape[m], ranks[m]], rng) as tf.Tensor2D);
  } else {
    const meanY = tf.tidy(() => readScalar(tf.mean(t)));
    factors = modes.map((m) => {
      const { y, yT } = unfoldForSvd(t, m, svd);
      try {
        const res = truncatedSvdHost(y, ranks[m], { method: svd, rng, wantV: true, yT });
        let w = nndsvda(res.u, res.s, res.vt as HostMatrix, meanY);
        if (w.cols < ranks[m]) {
          // Fewer singular vectors than asked: pad with U[0,1) columns (kept non-negative).
          const k = ranks[m];
          const pad: HostMatrix = { rows: w.rows, cols: k, data: new Float64Array(w.rows * k) };
          for (let i = 0; i < w.rows; i++) for (let j = 0; j < k; j++) pad.data[i * k + j] = j < w.cols ? w.data[i * w.cols + j] : rng.random();
          w = pad;
        }
        return fromHostMatrix(w);
      } finally {
        y.dispose();
        yT?.dispose();
      }
    });
    core = projectCore(t, factors, modes);
  }
  const absCore = tf.abs(core);
  core.dispose();
  const absFactors = factors.map((f) => {
    const a = tf.abs(f) as tf.Tensor2D;
    f.dispose();
    return a;
  });
  return { core: absCore, factors: absFactors };
}

function resolveAllRanks(shape: readonly number[], rank: RankSpec): number[] {
  const all = [...shape.keys()];
  if (Array.isArray(rank) || (typeof rank === 'number' && Number.isInteger(rank))) return resolvePartialRanks(shape, rank, all);
  return resolvePartialRanks(shape, validateTuckerRank(shape, rank), all);
}

interface CommonNn {
  nIterMax: number;
  init: 'svd' | 'random';
  svd: 'truncated' | 'randomized' | 'gram';
  tol: number;
  returnErrors: boolean;
  normalizeFactors: boolean;
  progress: StepProgress;
}

function checkCommon(opts: NonNegativeTuckerOptions, defaults: { nIterMax: number; tol: number }, task: string): CommonNn {
  const nIterMax = checkIterations(opts.nIterMax ?? defaults.nIterMax, 'nIterMax', 0);
  const init = checkEnumOption(opts.init ?? 'svd', 'init', ['svd', 'random'] as const);
  const svd = checkSvdMethod(opts.svd ?? 'truncated');
  const tol = checkNumberOption(opts.tol ?? defaults.tol, 'tol', 0);
  const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
  const normalizeFactors = checkBoolOption(opts.normalizeFactors ?? false, 'normalizeFactors');
  checkCallback(opts.callback);
  const progress = StepProgress.from(task, opts, nIterMax);
  return { nIterMax, init, svd, tol, returnErrors, normalizeFactors, progress };
}

export function finish(state: NnTuckerState, errors: number[], c: CommonNn): TuckerTensor | { tucker: TuckerTensor; errors: number[] } {
  let tk = new TuckerTensor(state.core, state.factors);
  if (c.normalizeFactors) {
    const n = tuckerNormalize(tk);
    tk.dispose();
    tk = n;
  }
  return c.returnErrors ? { tucker: tk, errors } : tk;
}

/** `X x_k G_k` for every mode (G_k symmetric r x r), in mode order. */
function multiplyAllModes(x: tf.Tensor, mats: readonly tf.Tensor2D[]): tf.Tensor {
  const N = x.rank;
  const pending = new Map<number, tf.Tensor2D>();
  mats.forEach((g, k) => pending.set(k, g));
  const y = contractModes({ t: x, labels: [...Array(N).keys()] }, pending);
  const out = arrange(y, [...Array(N).keys()].map((k) => ~k));
  y.t.dispose();
  return out;
}

/**
 * The two products both non-negative Tucker updates need for mode `m` (call inside a tidy):
 * `UtM = (T x_{k != m} U_k^T)_(m) core_(m)^T` and `UtU = (core x_{k != m} U_k^T U_k)_(m) core_(m)^T`,
 * computed without forming `B = unfold(core x_{k != m} U_k, m)^T`.
 */
export function factorNormalTerms(t: tf.Tensor, core: tf.Tensor, factors: readonly tf.Tensor2D[], m: number, labels: number[]): { utm: tf.Tensor2D; utu: tf.Tensor2D } {
  const others = new Map<number, tf.Tensor2D>();
  const grams = new Map<number, tf.Tensor2D>();
  factors.forEach((f, k) => {
    if (k !== m) {
      others.set(k, f);
      grams.set(k, tf.matMul(tf.transpose(f), f) as tf.Tensor2D);
    }
  });
  const y = contractModes({ t, labels }, others);
  const yArr = arrange(y, labels.map((k) => (k === m ? m : ~k)));
  const coreT = tf.transpose(unfoldT(core, m));
  const z = contractModes({ t: core, labels }, grams);
  const zArr = arrange(z, labels.map((k) => (k === m ? m : ~k)));
  return { utm: tf.matMul(unfoldT(yArr, m), coreT) as tf.Tensor2D, utu: tf.matMul(unfoldT(zArr, m), coreT) as tf.Tensor2D };
}

type NnTuckerResult = TuckerTensor | { tucker: TuckerTensor; errors: number[] };

/**
 * The frame both non-negative Tucker solvers share: option and input checks, rank
 * resolution, and ownership of the state, which `body` registers with `own` right after
 * it initialises it; the state is disposed if `body` throws and handed to the result
 * otherwise, and a converted input is released either way.
 */
export function runNonNegativeTucker<O extends NonNegativeTuckerOptions>(
  fnName: string,
  known: readonly string[],
  tensor: TensorLike,
  rank: RankSpec,
  opts: O,
  defaults: { nIterMax: number; tol: number },
  body: (ctx: { t: tf.Tensor; N: number; ranks: number[]; c: CommonNn; own: (s: NnTuckerState) => NnTuckerState }) => NnTuckerResult,
): NnTuckerResult {
  opts = checkOptions(opts, known, fnName);
  const input = checkInputTensor(tensor, 'tensor', 2);
  let state: NnTuckerState | null = null;
  try {
    const ranks = resolveAllRanks(input.shape, rank);
    const c = checkCommon(opts, defaults, fnName);
    c.progress.check();
    const out = body({ t: input.t, N: input.shape.length, ranks, c, own: (s) => (state = s) });
    state = null;
    return out;
  } catch (err) {
    const s = state as NnTuckerState | null;
    if (s) {
      s.core.dispose();
      for (const f of s.factors) f.dispose();
    }
    throw err;
  } finally {
    releaseInput(input);
  }
}

/**
 * Non-negative Tucker by multiplicative updates (Kim & Choi, "Non-negative Tucker
 * decomposition", CVPR 2007; TensorLy `non_negative_tucker`). For each mode with
 * `B = unfold(core x_{k != m} U_k, m)^T`: `U_m <- U_m * max(T_(m) B, eps) / max(U_m B^T B, eps)`,
 * computed without B as `(T x_{k != m} U_k^T)_(m) core_(m)^T` and
 * `U_m (core x_{k != m} U_k^T U_k)_(m) core_(m)^T`; then
 * `core <- core * max(T x_k U_k^T, eps) / max(core x_k U_k^T U_k, eps)`, eps = 1e-11.
 * The error is the exact `||T - T_hat|| / ||T||`; the stopping test runs from the third sweep.
 * Defaults: nIterMax 10, tol 1e-4.
 * Progress: task 'nonNegativeTucker', one record per sweep, total nIterMax, error = the sweep's error.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function nonNegativeTucker(tensor: TensorLike, rank: RankSpec, opts: NonNegativeTuckerOptions & { returnErrors: true }): { tucker: TuckerTensor; errors: number[] };
export function nonNegativeTucker(tensor: TensorLike, rank: RankSpec, opts?: NonNegativeTuckerOptions): TuckerTensor;
export function nonNegativeTucker(tensor: TensorLike, rank: RankSpec, opts: NonNegativeTuckerOptions = {}): TuckerTensor | { tucker: TuckerTensor; errors: number[] } {
  return runNonNegativeTucker('nonNegativeTucker', MU_OPTIONS, tensor, rank, opts, { nIterMax: 10, tol: 1e-4 }, ({ t, N, ranks, c, own }) => {
    const rng = toRng(opts.seed);
    const s = own(initNonNegativeTucker(t, ranks, c.init, c.svd, rng));
    const eps = 1e-11;
    const normT = Math.sqrt(sqNorm64(t));
    const errors: number[] = [];
    const labels = [...Array(N).keys()];
    c.progress.begin();
    for (let iteration = 0; iteration < c.nIterMax; iteration++) {
      for (let m = 0; m < N; m++) {
        const next = tf.tidy(() => {
          const { utm, utu } = factorNormalTerms(t, s.core, s.factors, m, labels);
          const num = tf.maximum(utm, eps);
          const den = tf.maximum(tf.matMul(s.factors[m], utu), eps);
          return tf.div(tf.mul(s.factors[m], num), den) as tf.Tensor2D;
        });
        s.factors[m].dispose();
        s.factors[m] = next;
      }
      const newCore = tf.tidy(() => {
        const num = tf.maximum(projectCore(t, s.factors, labels), eps);
        const grams = s.factors.map((f) => tf.matMul(tf.transpose(f), f) as tf.Tensor2D);
        const den = tf.maximum(multiplyAllModes(s.core, grams), eps);
        return tf.div(tf.mul(s.core, num), den);
      });
      s.core.dispose();
      s.core = newCore;
      const err = tf.tidy(() => Math.sqrt(sqNorm64(tf.sub(t, expand(s.core, s.factors, labels))))) / normT;
      errors.push(err);
      const stopCb = opts.callback ? opts.callback({ iteration: iteration + 1, error: err }) === true : false;
      c.progress.step(iteration + 1, err);
      if (stopCb) break;
      if (iteration > 1 && Math.abs(errors[errors.length - 2] - errors[errors.length - 1]) < c.tol) break;
    }
    return finish(s, errors, c);
  });
}
