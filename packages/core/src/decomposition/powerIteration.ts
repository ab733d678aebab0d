/**
 * CP decomposition by the robust tensor power method with deflation: TensorLy 0.9
 * `power_iteration` / `parafac_power_iteration` (`_cp_power.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { readScalar } from '../backend/transfer.js';
import { ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng, uniformTensor, type Rng, type Seed } from '../base/rng.js';
import { multiModeDot, norm, outer } from '../tenalg/index.js';
import { CPTensor, type RankSpec } from '../tensors/index.js';
import { checkCallback, checkInputTensor, checkIntOption, checkIterations, checkOptions, checkSignal, releaseInput, throwIfAborted } from './internal/inputChecks.js';
import { resolveCpRank, type IterationCallback } from './cp.js';
import { StepProgress, checkProgress, type ProgressCallback, optionKeys } from '../checks/index.js';

export interface PowerIterationOptions {
  /** Random starts tried; the one with the largest `T(v_0, ..., v_{N-1})` is kept (default 10). */
  nRepeat?: number;
  /** Power-iteration sweeps per start, and again to refine the best start (default 10). */
  nIteration?: number;
  /** Seed of the U[0,1) starts (TensorLy draws them from NumPy's global RNG and takes no seed). */
  seed?: Seed;
  /** Checked before every start; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
  /**
   * Progress records. Single eigenpair: step 0, one per random start, one for the refinement
   * (total nRepeat + 1), no error. CP by deflation: one per component (total rank), error
   * `||residual|| / ||T||`.
   */
  onProgress?: ProgressCallback;
}

export interface ParafacPowerIterationOptions extends PowerIterationOptions {
  /**
   * Called after each extracted component (TensorLy's `verbose` prints): `iteration` is the
   * number of components so far, `error` is `||deflated|| / ||T||`. Returning true stops
   * (the components found so far are returned).
   */
  callback?: IterationCallback;
}

/** One eigenpair of the power method. The caller owns (and disposes) the tensors. */
export interface PowerIterationResult {
  /** `lambda = T(v_0, ..., v_{N-1})`. */
  eigenval: number;
  /** The unit vectors `v_k`, one per mode. */
  factors: tf.Tensor1D[];
  /** `T - lambda v_0 o ... o v_{N-1}`. */
  deflated: tf.Tensor;
}

export const POWER_OPTIONS = optionKeys<PowerIterationOptions>()('nRepeat', 'nIteration', 'seed', 'signal', 'onProgress');
export const PARAFAC_POWER_OPTIONS = optionKeys<ParafacPowerIterationOptions>()(...POWER_OPTIONS, 'callback');

/** @internal Checked options shared by the power methods. */
export interface CheckedPowerOptions {
  nRepeat: number;
  nIteration: number;
  rng: Rng;
  signal: AbortSignal | undefined;
  onProgress: ProgressCallback | undefined;
  /** Set by the single-eigenpair entry points: one record per start and one for the refinement. */
  progress?: StepProgress;
}

/** @internal Check the shared options (before any work). */
export function checkPowerOptions(opts: PowerIterationOptions): CheckedPowerOptions {
  const nRepeat = checkIterations(opts.nRepeat ?? 10, 'nRepeat', 1);
  const nIteration = checkIterations(opts.nIteration ?? 10, 'nIteration', 0);
  const signal = checkSignal(opts.signal);
  const onProgress = checkProgress(opts.onProgress);
  const rng = toRng(opts.seed);
  return { nRepeat, nIteration, rng, signal, onProgress };
}

/** @internal The progress of a single-eigenpair call: total nRepeat + 1 (the refinement). */
export function eigenpairProgress(task: string, o: CheckedPowerOptions): CheckedPowerOptions {
  return { ...o, progress: new StepProgress(task, o.onProgress, o.signal, o.nRepeat + 1) };
}

/**
 * @internal The progress of a CP-by-deflation call: one record per component (total `rank`);
 * the caller adds `||residual|| / ||T||`, computed only when a callback or onProgress listens.
 */
export function deflationProgress(task: string, o: CheckedPowerOptions, rank: number): StepProgress {
  return new StepProgress(task, o.onProgress, o.signal, rank);
}

/** `T x_k v_k` over every mode but `skip` (or every mode, to a scalar, when `skip` is null). */
function contract(t: tf.Tensor, vs: tf.Tensor1D[], skip: number | null): tf.Tensor {
  return multiModeDot(t, vs, { skip });
}

/** `n` sweeps of the alternating (higher-order) power update `v_m <- T(.., v_m = ., ..) / ||.||`. */
function sweeps(t: tf.Tensor, start: tf.Tensor1D[], n: number): tf.Tensor1D[] {
  return tf.tidy(() => {
    const vs = [...start];
    for (let it = 0; it < n; it++) {
      for (let m = 0; m < vs.length; m++) {
        const f = contract(t, vs, m);
        vs[m] = tf.div(f, tf.norm(f)) as tf.Tensor1D;
      }
    }
    return vs;
  });
}

function scalarOf(x: tf.Tensor): number {
  const v = readScalar(x);
  x.dispose();
  return v;
}

/** @internal The power method on a checked tensor: best of `nRepeat` starts, refined, then deflated. */
export function powerIterationUnchecked(
  t: tf.Tensor,
  o: CheckedPowerOptions,
  fnName: string,
  update: (t: tf.Tensor, start: tf.Tensor1D[], n: number) => tf.Tensor1D[] = sweeps,
  starts: (shape: number[], rng: Rng) => tf.Tensor1D[] = (shape, rng) => shape.map((s) => uniformTensor([s], rng) as tf.Tensor1D),
): PowerIterationResult {
  let best: tf.Tensor1D[] | null = null;
  let bestScore = -Infinity;
  try {
    o.progress?.begin();
    for (let i = 0; i < o.nRepeat; i++) {
      throwIfAborted(o.signal, fnName);
      const start = starts(t.shape, o.rng);
      const vs = update(t, start, o.nIteration);
      tf.dispose(start.filter((s) => !vs.includes(s)));
      const score = scalarOf(contract(t, vs, null));
      if (best === null || score > bestScore) {
        if (best) tf.dispose(best.filter((b) => !vs.includes(b)));
        best = vs;
        bestScore = score;
      } else {
        tf.dispose(vs.filter((v) => !(best as tf.Tensor1D[]).includes(v)));
      }
      o.progress?.step(i + 1);
    }
    throwIfAborted(o.signal, fnName);
    const refined = update(t, best as tf.Tensor1D[], o.nIteration);
    tf.dispose((best as tf.Tensor1D[]).filter((b) => !refined.includes(b)));
    best = refined;
    const eigenval = scalarOf(contract(t, best, null));
    const factors = best;
    const deflated = tf.tidy(() => tf.sub(t, tf.mul(outer(factors), eigenval)));
    try {
      o.progress?.step(o.nRepeat + 1);
    } catch (err) {
      deflated.dispose();
      throw err;
    }
    return { eigenval, factors: uniqueOwned(factors), deflated };
  } catch (err) {
    if (best) tf.dispose([...new Set(best)]);
    throw err;
  }
}

/** The symmetric method shares one vector across modes; give every mode its own tensor. */
function uniqueOwned(vs: tf.Tensor1D[]): tf.Tensor1D[] {
  const seen = new Set<tf.Tensor>();
  return vs.map((v) => {
    if (seen.has(v)) return tf.clone(v);
    seen.add(v);
    return v;
  });
}

/**
 * One eigenpair of a tensor by the robust tensor power method (TensorLy `power_iteration`;
 * Anandkumar, Ge, Hsu, Kakade & Telgarsky, "Tensor decompositions for learning latent
 * variable models", JMLR 2014, Alg. 1, in its alternating higher-order form, De Lathauwer,
 * De Moor & Vandewalle 2000): from each of `nRepeat` U[0,1) starts, `nIteration` sweeps of
 * `v_m <- T x_{k != m} v_k / ||T x_{k != m} v_k||` (modes in order, Gauss-Seidel); the start
 * with the largest `lambda = T(v_0, ..., v_{N-1})` is refined by `nIteration` more sweeps and
 * deflated: `T - lambda v_0 o ... o v_{N-1}`. One host sync per start.
 *
 * Deviation: TensorLy draws the starts from NumPy's global RNG and takes no seed; here
 * `seed` makes the result reproducible (docs/fidelity/decomposition.md).
 *
 * Progress: task 'powerIteration', one record per start and one for the refinement
 * (total nRepeat + 1), no error.
 *
 * @throws ShapeError for a tensor with fewer than 2 modes or an empty mode; NonFiniteError;
 *   ArgumentError for a bad option; AbortedError when `signal` fires.
 */
export function powerIteration(tensor: TensorLike, opts: PowerIterationOptions = {}): PowerIterationResult {
  opts = checkOptions(opts, POWER_OPTIONS, 'powerIteration');
  const o = checkPowerOptions(opts);
  const input = checkInputTensor(tensor, 'tensor', 2);
  try {
    return powerIterationUnchecked(input.t, eigenpairProgress('powerIteration', o), 'powerIteration');
  } finally {
    releaseInput(input);
  }
}

/**
 * CP decomposition by the robust tensor power method with deflation (TensorLy
 * `parafac_power_iteration`): `rank` times, {@link powerIteration} on the current residual,
 * then deflate. Returns the CP tensor `[[lambda; V_0, ..., V_{N-1}]]` whose column r holds
 * the r-th eigenpair. Exact for orthogonally decomposable tensors (Anandkumar et al. 2014,
 * Thm. 5.1); for other tensors it is greedy and the fit can be far from ALS's.
 *
 * Progress: task 'parafacPowerIteration', one record per component (total rank), error
 * `||residual|| / ||T||` (a norm of the residual, no reconstruction).
 *
 * @param rank an integer, 'same' or a fraction (TensorLy's `validate_cp_rank`).
 * @throws ShapeError, NonFiniteError, RankError, ArgumentError, AbortedError
 */
export function parafacPowerIteration(tensor: TensorLike, rank: RankSpec, opts: ParafacPowerIterationOptions = {}): CPTensor {
  opts = checkOptions(opts, PARAFAC_POWER_OPTIONS, 'parafacPowerIteration');
  const o = checkPowerOptions(opts);
  checkCallback(opts.callback);
  const input = checkInputTensor(tensor, 'tensor', 2);
  const found: PowerIterationResult[] = [];
  let residual: tf.Tensor = input.t;
  try {
    const R = resolveCpRank(input.shape, rank);
    const normT = norm(input.t);
    const progress = deflationProgress('parafacPowerIteration', o, R);
    progress.begin();
    for (let r = 0; r < R; r++) {
      const res = powerIterationUnchecked(residual, o, 'parafacPowerIteration');
      if (residual !== input.t) residual.dispose();
      residual = res.deflated;
      found.push(res);
      if (opts.callback || progress.active) {
        const rel = normT > 0 ? norm(residual) / normT : 0;
        const stop = opts.callback !== undefined && opts.callback({ iteration: r + 1, error: rel }) === true;
        progress.step(r + 1, rel);
        if (stop) break;
      } else {
        progress.step(r + 1);
      }
    }
    const N = input.shape.length;
    const weights = tf.tensor1d(found.map((f) => f.eigenval));
    const factors = tf.tidy(() => [...Array(N).keys()].map((k) => tf.stack(found.map((f) => f.factors[k]), 1) as tf.Tensor2D));
    return new CPTensor(weights, factors);
  } finally {
    for (const f of found) tf.dispose(f.factors);
    if (residual !== input.t && !residual.isDisposed) residual.dispose();
    releaseInput(input);
  }
}

/** @internal Reject a non-cubical tensor, as TensorLy's symmetric methods do. */
export function checkCubical(shape: readonly number[], argName = 'tensor'): void {
  if (shape.some((d) => d !== shape[0])) {
    throw new ShapeError(`${argName} must have the same size along each mode (shape (s, ..., s)); got shape ${describe([...shape])}`);
  }
}
