/**
 * Randomised CP-ALS with a sampled Khatri–Rao product: TensorLy 0.9 `randomised_parafac`.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { solveOrPinv } from '../linalg/host.js';
import { toRng, type Seed } from '../base/rng.js';
import { CPTensor, cpToTensor, type RankSpec } from '../tensors/index.js';
import { checkCallback, checkEnumOption, checkInputTensor, checkIntOption,
  checkIterations, checkAllocation, checkOptions, checkNumberOption, checkBoolOption, checkSvdMethod, releaseInput, type DecompositionSvdMethod } from './internal/inputChecks.js';
import { checkCpInit, disposeState, initializeCpState, stateToCp, type CpState } from './internal/cpState.js';
import { gramHost, sqNorm64, toHost } from './internal/float64Reductions.js';
import { prod } from '../base/internal/shapeHelpers.js';
import { hostTranspose } from '../linalg/host.js';
import { fromHostMatrix } from '../backend/transfer.js';
import { sampleKhatriRao } from '../tenalg/sampleKhatriRao.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';

import { resolveCpRank, type IterationCallback, type ParafacResult } from './cp.js';

export interface RandomisedParafacOptions {
  /** Maximum number of sweeps (default 100). */
  nIterMax?: number;
  /** 'random' (default), 'svd' or a CPTensor. */
  init?: 'svd' | 'random' | CPTensor;
  svd?: DecompositionSvdMethod;
  /** Stop when the change of the relative error is below `tol` (default 1e-8). */
  tol?: number;
  /** Stop after this many sweeps without a new best error (default 20). */
  maxStagnation?: number;
  returnErrors?: boolean;
  seed?: Seed;
  callback?: IterationCallback;
  /** Progress records: step 0 then one per sweep, total nIterMax, error always. */
  onProgress?: ProgressCallback;
  /** Checked every sweep; an aborted signal throws `AbortedError` (everything built is disposed). */
  signal?: AbortSignal;
}

const OPTIONS = optionKeys<RandomisedParafacOptions>()('nIterMax', 'init', 'svd', 'tol', 'maxStagnation', 'returnErrors', 'seed', 'callback', 'onProgress', 'signal');

/**
 * Randomised CP-ALS (Battaglino, Ballard & Kolda, "A practical randomized CP tensor
 * decomposition", SIAM J. Matrix Anal. Appl. 2018; TensorLy `randomised_parafac`): each
 * mode solves the least-squares problem on `nSamples` rows of the Khatri–Rao product
 * drawn uniformly with replacement, `F_m = (K^T K)^{-1} K^T X_sampled`, where the rows of
 * `X_sampled (nSamples, I_m)` are the matching fibres of the tensor (gathered on the
 * backend). The error is the exact `||T - T_hat|| / ||T||`; it stops on `|delta| < tol` or
 * when the best error has not improved for `maxStagnation` sweeps, tested from the third
 * sweep on.
 * Progress: task 'randomisedParafac', one record per sweep, total nIterMax, error = the sweep's error.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function randomisedParafac(tensor: TensorLike, rank: RankSpec, nSamples: number, opts: RandomisedParafacOptions & { returnErrors: true }): ParafacResult;
export function randomisedParafac(tensor: TensorLike, rank: RankSpec, nSamples: number, opts?: RandomisedParafacOptions): CPTensor;
export function randomisedParafac(tensor: TensorLike, rank: RankSpec, nSamples: number, opts: RandomisedParafacOptions = {}): CPTensor | ParafacResult {
  opts = checkOptions(opts, OPTIONS, 'randomisedParafac');
  const input = checkInputTensor(tensor, 'tensor', 2);
  let state: CpState | null = null;
  try {
    const shape = input.shape;
    const N = shape.length;
    const R = resolveCpRank(shape, rank);
    if (typeof nSamples !== 'number' || !Number.isInteger(nSamples) || nSamples < 1) {
      throw new ArgumentError(`nSamples must be a positive integer (rows of the Khatri–Rao product to sample); got ${describe(nSamples)}`);
    }
    checkAllocation(nSamples * Math.max(R, ...shape), `nSamples ${nSamples} for rank ${R} and shape ${describe(shape)}`);
    const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
    const init = opts.init ?? 'random';
    if (init instanceof CPTensor) checkCpInit(init, shape, R);
    else checkEnumOption(init, 'init', ['svd', 'random'] as const);
    const svd = checkSvdMethod(opts.svd ?? 'truncated');
    const tol = checkNumberOption(opts.tol ?? 1e-8, 'tol', 0);
    const maxStagnation = checkIntOption(opts.maxStagnation ?? 20, 'maxStagnation', 0);
    const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
    checkCallback(opts.callback);
    const progress = StepProgress.from('randomisedParafac', opts, nIterMax);
    progress.check();
    const rng = toRng(opts.seed);
    state = initializeCpState(input.t, R, { init, svd, rng, nonNegative: false, normalizeFactors: false, mask: null, svdMaskRepeats: 0 });
    const s = state;
    s.weights = new Float64Array(R).fill(1);
    const t = input.t;
    const flat = tf.reshape(t, [-1]);
    const strides = shape.map((_, k) => prod(shape.slice(k + 1)));
    const normT = Math.sqrt(sqNorm64(t));
    const errors: number[] = [];
    let minError = 0;
    let stagnation = 0;
    try {
      progress.begin();
      for (let iteration = 0; iteration < nIterMax; iteration++) {
        for (let mode = 0; mode < N; mode++) {
          const idx = shape.map((d, k) => (k === mode ? null : Int32Array.from({ length: nSamples }, () => rng.int(d))));
          const im = shape[mode];
          const gatherIdx = new Int32Array(nSamples * im);
          for (let q = 0; q < nSamples; q++) {
            let base = 0;
            for (let k = 0; k < N; k++) if (k !== mode) base += (idx[k] as Int32Array)[q] * strides[k];
            for (let i = 0; i < im; i++) gatherIdx[q * im + i] = base + i * strides[mode];
          }
          const { ktk, ktx } = tf.tidy(() => {
            const kept = [...Array(N).keys()].filter((k) => k !== mode);
            const K = sampleKhatriRao(kept.map((k) => s.factors[k]), nSamples, { indicesList: kept.map((k) => Array.from(idx[k] as Int32Array)) }).sampled;
            const X = tf.reshape(tf.gather(flat, tf.tensor1d(gatherIdx, 'int32')), [nSamples, im]);
            const Kt = tf.transpose(K);
            return { ktk: tf.matMul(Kt, K), ktx: tf.matMul(Kt, X) };
          });
          const f = solveOrPinv(toHost(ktk), toHost(ktx));
          tf.dispose([ktk, ktx]);
          s.factors[mode].dispose();
          s.factors[mode] = fromHostMatrix(hostTranspose(f));
        }
        const err = tf.tidy(() => Math.sqrt(sqNorm64(tf.sub(t, cpToTensor({ weights: null, factors: s.factors }))))) / normT;
        if (!minError || err < minError) {
          minError = err;
          stagnation = -1;
        }
        stagnation += 1;
        errors.push(err);
        const stopCb = opts.callback ? opts.callback({ iteration: iteration + 1, error: err }) === true : false;
        progress.step(iteration + 1, err);
        if (stopCb) break;
        if (iteration > 1 && ((tol > 0 && Math.abs(errors[errors.length - 2] - errors[errors.length - 1]) < tol) || (stagnation > 0 && stagnation > maxStagnation))) break;
      }
    } finally {
      flat.dispose();
    }
    s.grams = s.factors.map(gramHost);
    const cp = stateToCp(s);
    state = null;
    return returnErrors ? { cp, errors } : cp;
  } catch (err) {
    if (state) disposeState(state);
    throw err;
  } finally {
    releaseInput(input);
  }
}
