/**
 * What the two tensor-ring ALS solvers share (TensorLy 0.9 `_tr_als.py`): option checks,
 * the random start (`random_tr`), the sweep loop with TensorLy's stopping rule, the callback
 * and the abort signal. Private to the decompositions.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, describe } from '../../errors/index.js';
import { toTensor, type TensorLike } from '../../io/index.js';
import { toRng, uniformTensor, type Rng, type Seed } from '../../base/rng.js';
import { TRTensor, trToTensor, validateTrRank, validateTrTensor, type RankSpec, type TRTensorLike } from '../../tensors/index.js';
import { checkCallback, checkIntOption, checkIterations, checkNumberOption, throwIfAborted } from './inputChecks.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../../checks/index.js';
import { dot64 } from './float64Reductions.js';
import type { IterationCallback } from '../cp.js';

export interface TensorRingAlsCommonOptions {
  /** Maximum number of ALS sweeps (default 100). */
  nIterMax?: number;
  /** Stop when the relative error decreases by less than `tol` in a sweep (default 1e-6; 0 runs every sweep). */
  tol?: number;
  /** Seed of the random start (and of the sampling); TensorLy calls it `random_state`. */
  seed?: Seed;
  /** TensorLy's name for `seed` (give one of the two). */
  randomState?: Seed;
  /**
   * 'random' (default: U[0,1) cores, TensorLy's `random_tr`) or TR cores to start from, with
   * the tensor's shape and the resolved ranks (a Tenfold addition; the cores are copied).
   */
  init?: 'random' | TRTensorLike;
  /** Called with `{ iteration: 0, error }` before the first sweep and after every sweep; returning true stops. */
  callback?: IterationCallback;
  /** Aborts between sweeps with an AbortedError. */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per sweep, total nIterMax, error when computed (tol > 0 or callback). */
  onProgress?: ProgressCallback;
}

export const TR_ALS_COMMON_OPTIONS = optionKeys<TensorRingAlsCommonOptions>()('nIterMax', 'tol', 'seed', 'randomState', 'init', 'callback', 'signal', 'onProgress');

export interface CheckedTrAlsOptions {
  nIterMax: number;
  tol: number;
  rng: Rng;
  init: 'random' | TRTensorLike;
  callback?: IterationCallback;
  signal?: AbortSignal;
  progress: StepProgress;
}

/** Check the shared options (before any work); `task` names the progress records. */
export function checkTrAlsOptions(opts: TensorRingAlsCommonOptions, task: string): CheckedTrAlsOptions {
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
  const tol = checkNumberOption(opts.tol ?? 1e-6, 'tol', 0);
  if (opts.seed !== undefined && opts.randomState !== undefined) {
    throw new ArgumentError(`give seed or randomState, not both; got seed ${describe(opts.seed)} and randomState ${describe(opts.randomState)}`);
  }
  const rng = toRng(opts.seed ?? opts.randomState, opts.seed !== undefined ? 'seed' : 'randomState');
  const init = opts.init ?? 'random';
  if (init !== 'random' && !(init instanceof TRTensor) && !Array.isArray(init)) {
    throw new ArgumentError(`init must be 'random', a TRTensor or a list of TR cores; got ${describe(init)}`);
  }
  checkCallback(opts.callback);
  const progress = StepProgress.from(task, opts, nIterMax);
  return { nIterMax, tol, rng, init, callback: opts.callback, signal: progress.signal, progress };
}

/** Resolve the rank (TensorLy `validate_tr_rank`) and insist on positive ranks. */
export function resolveTrRanks(shape: readonly number[], rank: RankSpec): number[] {
  const ranks = validateTrRank(shape, rank);
  if (ranks.some((r) => r < 1)) throw new RankError(`rank resolved to ${describe(ranks)} for shape ${describe([...shape])}; every rank must be at least 1`);
  return ranks;
}

/**
 * The starting cores (owned copies): U[0,1) draws in core order from `rng` (TensorLy draws
 * `random_tr(shape, rank, random_state=rng)`), or copies of the given cores after checking
 * that they match the shape and ranks.
 */
export function initialCores(shape: readonly number[], ranks: readonly number[], init: 'random' | TRTensorLike, rng: Rng): tf.Tensor3D[] {
  if (init === 'random') return shape.map((d, k) => uniformTensor([ranks[k], d, ranks[k + 1]], rng) as tf.Tensor3D);
  const list: readonly TensorLike[] = init instanceof TRTensor ? (init.assertAlive('init'), init.cores) : init;
  return tf.tidy(() => {
    const cores = list.map((c, i) => toTensor(c, `init[${i}]`)) as tf.Tensor3D[];
    const v = validateTrTensor(cores, 'init');
    const same = v.shape.length === shape.length && v.shape.every((d, i) => d === shape[i]) && v.rank.every((r, i) => r === ranks[i]);
    if (!same) {
      throw new ShapeError(`init must be TR cores of shape ${describe([...shape])} and ranks ${describe([...ranks])}; got shape ${describe(v.shape)} and ranks ${describe(v.rank)}`);
    }
    return cores.map((c) => tf.clone(c));
  });
}

/** `||T_hat - T|| / ||T||` with the full reconstruction (host float64 sums when small). */
export function fullRelativeError(cores: readonly tf.Tensor3D[], t: tf.Tensor, normT: number): number {
  const res = tf.tidy(() => tf.sub(trToTensor(cores), t));
  const e = Math.sqrt(dot64(res, res));
  res.dispose();
  return e / normT;
}

/** The Frobenius norm of a tensor (host float64 sums when small). */
export function tensorNorm(t: tf.Tensor): number {
  return Math.sqrt(dot64(t, t));
}

export interface AlsLoop {
  fnName: string;
  o: CheckedTrAlsOptions;
  /** The relative error of the start (only asked when there is a callback). */
  initialError: () => number;
  /** One sweep over the modes; returns the relative error when `needErrors`, else NaN. */
  sweep: (needErrors: boolean) => number;
}

/**
 * TensorLy's loop: the callback sees the start's error, then after sweep `it` (1-based) the
 * sweep's error; it stops when the callback returns true, or when `tol > 0`, `it >= 2` and
 * `errors[-2] - errors[-1] < tol`. The signal is checked before every sweep.
 */
export function runAlsLoop(l: AlsLoop): void {
  const { o } = l;
  throwIfAborted(o.signal, l.fnName);
  const needErrors = o.tol > 0 || o.callback !== undefined;
  o.progress.begin();
  if (o.callback && o.callback({ iteration: 0, error: l.initialError() }) === true) return;
  const errors: number[] = [];
  for (let it = 0; it < o.nIterMax; it++) {
    throwIfAborted(o.signal, l.fnName);
    const err = l.sweep(needErrors);
    if (!needErrors) {
      o.progress.step(it + 1);
      continue;
    }
    errors.push(err);
    const stopCb = o.callback !== undefined && o.callback({ iteration: it + 1, error: err }) === true;
    o.progress.step(it + 1, err);
    if (stopCb) break;
    if (o.tol > 0 && it >= 1 && errors[it - 1] - errors[it] < o.tol) break;
  }
}
