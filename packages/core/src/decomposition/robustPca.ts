/**
 * Robust tensor PCA: TensorLy 0.9 `robust_pca` (`decomposition/robust_decomposition.py`).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorLike } from '../io/index.js';
import { svdThresholdUnchecked } from '../proximal/svdThresholding.js';
import { softUnchecked } from '../proximal/operators.js';
import {
  checkBoolOption,
  checkCallback,
  checkInputTensor,
  checkIntOption, checkIterations,
  checkOptions,
  checkMask,
  checkNumberOption,
  releaseInput,
  throwIfAborted,
  type CheckedInput,
} from './internal/inputChecks.js';
import { foldT, unfoldT } from './internal/unfoldings.js';
import { sqNorm64 } from './internal/float64Reductions.js';
import { ArgumentError, describe } from '../errors/index.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import type { IterationCallback } from './cp.js';

export interface RobustPcaOptions {
  /** 1 where observed, 0 where missing (values in [0, 1]): the sparse part's threshold is `mask * regE / mu`. */
  mask?: TensorLike;
  /** Stop (after the second iteration) when `||X - D - E|| <= tol` and `max_i ||J_i - D|| <= tol` (default 1e-6). */
  tol?: number;
  /** Weight of the l1 norm of the sparse part (default 1). */
  regE?: number;
  /** Weight of the nuclear norms of the unfoldings of the low-rank part (default 1). */
  regJ?: number;
  /** Initial penalty mu (default 1e-4). */
  muInit?: number;
  /** Largest mu (default 1e10). */
  muMax?: number;
  /** mu is multiplied by this each iteration (default 1.1). */
  learningRate?: number;
  /** Maximum number of iterations (default 100). */
  nIterMax?: number;
  /** Also return `errors`, `||X - D - E||` of every iteration. */
  returnErrors?: boolean;
  /** Called after every iteration with `error = ||X - D - E|| / ||X||`; return true to stop. */
  callback?: IterationCallback;
  /** Abort between iterations (throws AbortedError, nothing leaks). */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per iteration, total nIterMax, error `||X - D - E|| / ||X||`. */
  onProgress?: ProgressCallback;
}

export interface RobustPcaResult {
  /** The low-rank part D. */
  lowRank: tf.Tensor;
  /** The sparse part E. */
  sparse: tf.Tensor;
  /** `||X - D - E||_F` after every iteration (with `returnErrors`). */
  errors?: number[];
}

const OPTIONS = optionKeys<RobustPcaOptions>()('mask', 'tol', 'regE', 'regJ', 'muInit', 'muMax', 'learningRate', 'nIterMax', 'returnErrors', 'callback', 'signal', 'onProgress');

/**
 * Robust tensor PCA, `X = D + E` with D low-rank in every unfolding and E sparse, by the
 * ADMM / inexact augmented Lagrangian of Goldfarb & Qin ("Robust low-rank tensor recovery:
 * models and algorithms", SIAM J. Matrix Anal. Appl. 2014; matrix case: Lin, Chen & Ma, "The
 * augmented Lagrange multiplier method for exact recovery of corrupted low-rank matrices",
 * 2010). It minimises `sum_i regJ ||J_i||_* + regE ||mask * E||_1` s.t. `X = D + E`,
 * `unfold(D, i) = unfold(J_i, i)`. Per iteration, with multipliers L_i, L_x and penalty mu:
 *   J_i = fold(svdThresholding(unfold(D + L_i / mu, i), regJ / mu))
 *   D   = (L_x / mu + X - E + sum_i (J_i - L_i / mu)) / (N + 1)
 *   E   = softThresholding(X - D + L_x / mu, mask * regE / mu)
 *   L_i += mu (D - J_i);  L_x += mu (X - D - E);  mu = min(mu * learningRate, muMax)
 * and stops (from the third iteration on, as TensorLy) when `||X - D - E|| <= tol` and
 * `max_i ||J_i - D|| <= tol`. TensorLy's defaults. A matrix is the N = 2 case (both the
 * row and the column nuclear norm are penalised, as in TensorLy).
 *
 * Engine: everything stays on the backend except the singular value thresholding's small
 * eigenproblem (see `svdThresholding`: the Gram matrix of the smaller side of each
 * unfolding, only the singular values above regJ / mu are used, and an unfolding whose
 * Frobenius norm is below the threshold needs no decomposition at all). In float32 the
 * residuals cannot fall much below eps32 ||X||, so a `tol` under that runs to `nIterMax`.
 *
 * Progress: task 'robustPca', one record per iteration, total nIterMax, error = errors[k-1] / ||X||.
 *
 * @returns `{ lowRank, sparse, errors? }`; the caller disposes the tensors.
 * @throws ShapeError if X is not at least 2-D or a mode is empty, or the mask's shape differs;
 *   NonFiniteError on NaN/Inf in X or the mask; ArgumentError for a bad option (unknown
 *   keys, mask values outside [0, 1]); AbortedError when `signal` fires.
 */
export function robustPca(X: TensorLike, opts: RobustPcaOptions = {}): RobustPcaResult {
  opts = checkOptions(opts, OPTIONS, 'robustPca');
  const tol = checkNumberOption(opts.tol ?? 1e-6, 'tol', 0);
  const regE = checkNumberOption(opts.regE ?? 1, 'regE', 0);
  const regJ = checkNumberOption(opts.regJ ?? 1, 'regJ', 0);
  const muInit = checkNumberOption(opts.muInit ?? 1e-4, 'muInit', 0);
  if (muInit === 0) throw new ArgumentError(`muInit must be > 0; got ${describe(muInit)}`);
  const muMax = checkNumberOption(opts.muMax ?? 1e10, 'muMax', muInit);
  const learningRate = checkNumberOption(opts.learningRate ?? 1.1, 'learningRate', 1);
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 1);
  const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
  checkCallback(opts.callback);
  const progress = StepProgress.from('robustPca', opts, nIterMax);
  const signal = progress.signal;
  throwIfAborted(signal, 'robustPca');
  const input = checkInputTensor(X, 'X', 2);
  let mask: CheckedInput | null = null;
  const live: Record<string, tf.Tensor | null> = { D: null, E: null, Lx: null };
  let J: tf.Tensor[] = [];
  let L: tf.Tensor[] = [];
  try {
    if (opts.mask !== undefined) mask = checkMask(opts.mask, input.shape);
    const x = input.t;
    const shape = input.shape;
    const N = shape.length;
    const normX = Math.sqrt(sqNorm64(x));
    live.D = tf.zerosLike(x);
    live.E = tf.zerosLike(x);
    live.Lx = tf.zerosLike(x);
    L = shape.map(() => tf.zerosLike(x));
    const errors: number[] = [];
    let mu = muInit;
    progress.begin();
    for (let iteration = 0; iteration < nIterMax; iteration++) {
      throwIfAborted(signal, 'robustPca');
      const D0 = live.D as tf.Tensor;
      tf.dispose(J);
      J = [];
      for (let i = 0; i < N; i++) {
        const arg = tf.tidy(() => unfoldT(tf.add(D0, tf.div(L[i], mu)), i));
        let j: tf.Tensor2D;
        try {
          j = svdThresholdUnchecked(arg, regJ / mu).j;
        } finally {
          arg.dispose();
        }
        J.push(tf.tidy(() => foldT(j, i, shape)));
        j.dispose();
      }
      const E0 = live.E as tf.Tensor;
      const Lx0 = live.Lx as tf.Tensor;
      const m = mu;
      const D = tf.tidy(() => {
        let acc = tf.sub(tf.add(tf.div(Lx0, m), x), E0);
        for (let i = 0; i < N; i++) acc = tf.add(acc, tf.sub(J[i], tf.div(L[i], m)));
        return tf.div(acc, N + 1);
      });
      D0.dispose();
      live.D = D;
      const E = tf.tidy(() => {
        const thr = mask ? tf.mul(mask.t, regE / m) : regE / m;
        return softUnchecked(tf.add(tf.sub(x, D), tf.div(Lx0, m)), thr);
      });
      E0.dispose();
      live.E = E;
      const Lnext = L.map((Li, i) => tf.tidy(() => tf.add(Li, tf.mul(tf.sub(D, J[i]), m))));
      tf.dispose(L);
      L = Lnext;
      const resid = tf.tidy(() => tf.sub(tf.sub(x, D), E));
      live.Lx = tf.tidy(() => tf.add(Lx0, tf.mul(resid, m)));
      Lx0.dispose();
      mu = Math.min(mu * learningRate, muMax);
      const recX = Math.sqrt(sqNorm64(resid));
      resid.dispose();
      let recD = 0;
      for (const Ji of J) {
        const diff = tf.sub(Ji, D);
        recD = Math.max(recD, Math.sqrt(sqNorm64(diff)));
        diff.dispose();
      }
      errors.push(recX);
      const relX = normX > 0 ? recX / normX : recX;
      const stopByCallback = opts.callback ? opts.callback({ iteration: iteration + 1, error: relX }) === true : false;
      progress.step(iteration + 1, relX);
      if (iteration > 1 && recX <= tol && recD <= tol) break;
      if (stopByCallback) break;
    }
    const out: RobustPcaResult = { lowRank: live.D as tf.Tensor, sparse: live.E as tf.Tensor };
    live.D = null;
    live.E = null;
    if (returnErrors) out.errors = errors;
    return out;
  } finally {
    tf.dispose([...J, ...L]);
    for (const t of Object.values(live)) if (t && !t.isDisposed) t.dispose();
    releaseInput(mask);
    releaseInput(input);
  }
}
