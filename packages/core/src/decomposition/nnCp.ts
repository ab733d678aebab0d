/**
 * Non-negative CP: multiplicative updates and HALS (TensorLy 0.9 `_nn_cp.py`).
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { EPS32, solveOrPinv } from '../linalg/host.js';
import { toRng } from '../base/rng.js';
import { CPTensor, cpToTensor, type RankSpec } from '../tensors/index.js';
import {
  checkBoolOption,
  checkInputTensor,
  checkOptions,
  checkMask,
  checkModeList,
  releaseInput,
  type CheckedInput,
} from './internal/inputChecks.js';
import { checkCpInit, cpSqNorm, disposeState, initializeCpState, normalMatrix, normalizeState, scaleColumns, stateToCp, type CpState } from './internal/cpState.js';
import { dot64, gramHost, sqNorm64, toHost } from './internal/float64Reductions.js';
import { hostTranspose } from '../linalg/host.js';
import { fromHostMatrix } from '../backend/transfer.js';
import { mttkrpSweep } from '../tenalg/mttkrp.js';
import { halsNnlsHost } from '../proximal/halsNnls.js';
import { StepProgress, optionKeys } from '../checks/index.js';
import { checkCpOptions, recordError, resolveCpRank, type ParafacOptions, type ParafacResult } from './cp.js';

export type NonNegativeParafacOptions = Pick<
  ParafacOptions,
  'nIterMax' | 'init' | 'svd' | 'tol' | 'seed' | 'normalizeFactors' | 'returnErrors' | 'mask' | 'cvgCriterion' | 'fixedModes' | 'callback' | 'onProgress' | 'signal'
>;

const NN_OPTIONS = optionKeys<NonNegativeParafacOptions>()('nIterMax', 'init', 'svd', 'tol', 'seed', 'normalizeFactors', 'returnErrors', 'mask', 'cvgCriterion', 'fixedModes', 'callback', 'onProgress', 'signal');

/**
 * Non-negative CP by multiplicative updates (Lee & Seung, "Algorithms for non-negative
 * matrix factorization", NIPS 2001, extended to tensors; TensorLy `non_negative_parafac`):
 * for each mode, `F <- F * max(MTTKRP, eps) / max(F (w w^T * Hadamard_{i != m} F_i^T F_i), eps)`
 * with eps the float32 machine epsilon (TensorLy: the dtype's eps). The init is the SVD
 * init made non-negative (NNDSVDa, then abs). The error uses the MTTKRP identity; the last
 * mode cannot be fixed. Defaults: nIterMax 100, tol 1e-6.
 * Progress: task 'nonNegativeParafac', one record per sweep, total nIterMax, error when the
 * sweep computes it (tol > 0, returnErrors or callback); `signal` is checked every sweep.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function nonNegativeParafac(tensor: TensorLike, rank: RankSpec, opts: NonNegativeParafacOptions & { returnErrors: true }): ParafacResult;
export function nonNegativeParafac(tensor: TensorLike, rank: RankSpec, opts?: NonNegativeParafacOptions): CPTensor;
export function nonNegativeParafac(tensor: TensorLike, rank: RankSpec, opts: NonNegativeParafacOptions = {}): CPTensor | ParafacResult {
  opts = checkOptions(opts, NN_OPTIONS, 'nonNegativeParafac');
  return runNonNegative(tensor, rank, opts, 'mu', { tol: 1e-6 });
}

export interface NonNegativeParafacHalsOptions extends Omit<NonNegativeParafacOptions, 'mask'> {
  /** L1 penalty per mode (or one for all), applied in the HALS updates (default none). */
  sparsityCoefficients?: number | (number | null)[] | null;
  /** Modes constrained to be non-negative: 'all' (default) or a list; the others get plain least squares. */
  nnModes?: 'all' | number[];
  /** Run the inner HALS to (near) convergence (50000 sweeps, tol 1e-15) instead of 100 sweeps. */
  exact?: boolean;
}

const HALS_OPTIONS = optionKeys<NonNegativeParafacHalsOptions>()('nIterMax', 'init', 'svd', 'tol', 'seed', 'normalizeFactors', 'returnErrors', 'cvgCriterion', 'fixedModes', 'callback', 'sparsityCoefficients', 'nnModes', 'exact', 'onProgress', 'signal');

/**
 * Non-negative CP by hierarchical ALS (Cichocki & Phan, "Fast local algorithms for large
 * scale nonnegative matrix and tensor factorizations", IEICE 2009; TensorLy
 * `non_negative_parafac_hals`): each mode in `nnModes` is updated by `hals_nnls` on
 * `(MTTKRP^T, w w^T * Hadamard_{i != m} F_i^T F_i)` starting from the current factor
 * (row-by-row exact coordinate minimisation, 100 sweeps or until the update falls below
 * 1e-7 of the first one); other modes by the unconstrained normal equations. The inner
 * solver runs on the host in float64 (its R row updates are sequential).
 * Defaults: nIterMax 100, tol 1e-7.
 * Progress: task 'nonNegativeParafacHals', as {@link nonNegativeParafac}.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function nonNegativeParafacHals(tensor: TensorLike, rank: RankSpec, opts: NonNegativeParafacHalsOptions & { returnErrors: true }): ParafacResult;
export function nonNegativeParafacHals(tensor: TensorLike, rank: RankSpec, opts?: NonNegativeParafacHalsOptions): CPTensor;
export function nonNegativeParafacHals(tensor: TensorLike, rank: RankSpec, opts: NonNegativeParafacHalsOptions = {}): CPTensor | ParafacResult {
  opts = checkOptions(opts, HALS_OPTIONS, 'nonNegativeParafacHals');
  return runNonNegative(tensor, rank, opts, 'hals', { tol: 1e-7 });
}

function runNonNegative(
  tensor: TensorLike,
  rank: RankSpec,
  opts: NonNegativeParafacHalsOptions & NonNegativeParafacOptions,
  algorithm: 'mu' | 'hals',
  defaults: { tol: number },
): CPTensor | ParafacResult {
  const input = checkInputTensor(tensor, 'tensor', 2);
  let mask: CheckedInput | null = null;
  let state: CpState | null = null;
  let t = input.t;
  const tree = mttkrpSweep(input.shape);
  try {
    const shape = input.shape;
    const N = shape.length;
    const R = resolveCpRank(shape, rank);
    const o = checkCpOptions(opts, N, defaults);
    let nnModes: number[] = [...Array(N).keys()];
    let sparsity: (number | null)[] = Array(N).fill(null);
    let exact = false;
    if (algorithm === 'hals') {
      if (opts.nnModes !== undefined && opts.nnModes !== 'all') nnModes = checkModeList(opts.nnModes, N, 'nnModes');
      const sc = opts.sparsityCoefficients;
      if (sc !== undefined && sc !== null) {
        const list = Array.isArray(sc) ? sc : Array(N).fill(sc);
        if (list.length !== N || !list.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) {
          throw new ArgumentError(`sparsityCoefficients must be a finite number or a list of ${N} numbers / nulls; got ${describe(sc)}`);
        }
        sparsity = list;
      }
      exact = checkBoolOption(opts.exact ?? false, 'exact');
    }
    if (o.init instanceof CPTensor) checkCpInit(o.init, shape, R);
    if (opts.mask !== undefined) mask = checkMask(opts.mask, shape);
    const progress = StepProgress.from(algorithm === 'mu' ? 'nonNegativeParafac' : 'nonNegativeParafacHals', opts, o.nIterMax);
    progress.check();
    const rng = toRng(opts.seed);
    state = initializeCpState(input.t, R, {
      init: o.init, svd: o.svd, rng, nonNegative: true, normalizeFactors: o.normalizeFactors, mask: mask ? mask.t : null, svdMaskRepeats: 5,
    });
    const s = state;
    const errors: number[] = [];
    const fixed = o.fixedModes.filter((m) => m !== N - 1);
    for (const m of fixed) sparsity[m] = null;
    const modes = [...Array(N).keys()].filter((m) => !fixed.includes(m));
    const needErrors = o.tol > 0 || o.returnErrors || opts.callback !== undefined;
    let normT2 = sqNorm64(t);
    progress.begin();
    for (let iteration = 0; iteration < o.nIterMax; iteration++) {
      if (mask) {
        const m = mask.t;
        const next = tf.tidy(() => {
          const low = cpToTensor({ weights: tf.tensor1d(Float32Array.from(s.weights)), factors: s.factors });
          return tf.add(tf.mul(t, m), tf.mul(low, tf.sub(1, m)));
        });
        if (t !== input.t) t.dispose();
        t = next;
        normT2 = sqNorm64(t);
      }
      tree.begin(t);
      let mLast: tf.Tensor2D | null = null;
      for (const mode of modes) {
        const v = normalMatrix(s, mode, 0);
        const m0 = tree.mttkrp(s.factors, mode);
        const mw = scaleColumns(m0, s.weights);
        m0.dispose();
        let f: tf.Tensor2D;
        if (algorithm === 'mu') {
          f = tf.tidy(() => {
            const num = tf.maximum(mw, EPS32);
            const den = tf.maximum(tf.matMul(s.factors[mode], fromHostMatrix(v)), EPS32);
            return tf.div(tf.mul(s.factors[mode], num), den) as tf.Tensor2D;
          });
        } else if (nnModes.includes(mode)) {
          const utm = hostTranspose(toHost(mw));
          const vt = hostTranspose(toHost(s.factors[mode]));
          halsNnlsHost(utm, v, vt, 100, sparsity[mode], exact);
          f = fromHostMatrix(hostTranspose(vt));
        } else {
          f = fromHostMatrix(hostTranspose(solveOrPinv(v, hostTranspose(toHost(mw)))));
        }
        s.factors[mode].dispose();
        s.factors[mode] = f;
        s.grams[mode] = gramHost(f);
        if (mode === N - 1) mLast = mw;
        else mw.dispose();
      }
      tree.end();
      if (needErrors) {
        const ip = dot64(mLast as tf.Tensor2D, s.factors[N - 1]);
        const err = Math.sqrt(Math.abs(normT2 + cpSqNorm(s) - 2 * ip)) / Math.sqrt(normT2);
        mLast?.dispose();
        const stop = recordError(errors, err, iteration, o.tol, o.cvgCriterion, opts.callback);
        progress.step(iteration + 1, err);
        if (stop) break;
      } else {
        mLast?.dispose();
        progress.step(iteration + 1);
      }
      if (o.normalizeFactors) normalizeState(s);
    }
    const cp = stateToCp(s);
    state = null;
    return o.returnErrors ? { cp, errors } : cp;
  } catch (err) {
    if (state) disposeState(state);
    throw err;
  } finally {
    tree.release();
    if (t !== input.t && !t.isDisposed) t.dispose();
    releaseInput(mask);
    releaseInput(input);
  }
}
