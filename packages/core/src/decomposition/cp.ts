/**
 * CANDECOMP/PARAFAC by alternating least squares: TensorLy 0.9 `parafac` (`_cp.py`). The
 * options, their checks and the stopping rule are in ./parafacOptions.ts (re-exported here).
 */
import * as tf from '@tensorflow/tfjs';
import { NotSupportedError } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { qrUnchecked } from '../linalg/host.js';
import { toRng } from '../base/rng.js';
import { CPTensor, cpToTensor, type RankSpec } from '../tensors/index.js';
import { checkEnumOption, checkInputTensor, checkOptions, checkMask, releaseInput, type CheckedInput } from './internal/inputChecks.js';
import {
  checkCpInit,
  cpSqNorm,
  disposeState,
  initializeCpState,
  normalMatrix,
  normalizeState,
  orthonormalize,
  scaleColumns,
  stateToCp,
  type CpState,
} from './internal/cpState.js';
import { dot64, gramHost, sqNorm64, toHost } from './internal/float64Reductions.js';
import { inverseToDevice } from './internal/smallInverse.js';
import { fromHostMatrix, readSync } from '../backend/transfer.js';
import { hostAls } from './internal/cpAlsHost.js';
import { mttkrp, mttkrpPlacement, mttkrpSweep } from '../tenalg/mttkrp.js';
import { StepProgress } from '../checks/index.js';
import { PARAFAC_OPTIONS, checkCpOptions, recordError, resolveCpRank, type CheckedCpOptions, type IterationCallback, type ParafacOptions, type ParafacResult } from './parafacOptions.js';

export {
  checkCpOptions,
  recordError,
  resolveCpRank,
  type CheckedCpOptions,
  type IterationCallback,
  type IterationInfo,
  type ParafacOptions,
  type ParafacResult,
} from './parafacOptions.js';

/** `<T, [w; F]>` from the last mode's MTTKRP (weights included) and the last factor: one scalar download. */
export function innerFromMttkrp(mLastWeighted: tf.Tensor2D, fLast: tf.Tensor2D): number {
  return dot64(mLastWeighted, fLast);
}

/**
 * CP decomposition by alternating least squares (TensorLy `parafac`):
 * `T ~ [[w; F_0, ..., F_{N-1}]] = sum_r w_r F_0[:, r] o ... o F_{N-1}[:, r]`.
 *
 * Each sweep updates every non-fixed mode m by the normal equations
 * `F_m = MTTKRP_m diag(w) (w w^T * (Hadamard_{i != m} F_i^T F_i + l2Reg I))^{-1}`
 * (Kolda & Bader, "Tensor decompositions and applications", SIAM Review 2009, §3.4).
 * The weights are never updated by ALS (they stay ones unless `normalizeFactors`). The
 * error of a sweep uses `||T - T_hat||^2 = ||T||^2 + ||T_hat||^2 - 2 <T, T_hat>` with the
 * inner product read off the last mode's MTTKRP. TensorLy's options are all here, with
 * its semantics (CONVENTIONS.md §1.7-1.8): SVD init with only mode 0 scaled by S and
 * U[0,1) padding when the rank exceeds a mode, stopping from the second sweep on,
 * normalisation after the stopping test, Bro's line search, masks.
 *
 * Engine: MTTKRPs by a dimension tree (two products with the tensor per sweep, no
 * Khatri–Rao product of all other factors), Grams on the backend, the R x R systems and
 * the error scalar on the host in float64; O(1) host round trips per mode.
 *
 * Progress: task 'parafac', one record per sweep, total `nIterMax`; `error` is the sweep's
 * relative error when the sweep computes it anyway (tol > 0, returnErrors or callback), none at step 0.
 *
 * @param tensor the data (any TensorLike), finite, at least 2-D.
 * @param rank an integer, 'same', a fraction (TensorLy's float rank) or `{ fraction }`.
 * @returns a CPTensor (or `{ cp, errors }` with `returnErrors: true`) that the caller disposes.
 * @throws ArgumentError for a bad onProgress/signal; AbortedError when `signal` fires.
 */
export function parafac(tensor: TensorLike, rank: RankSpec, opts: ParafacOptions & { returnErrors: true }): ParafacResult;
export function parafac(tensor: TensorLike, rank: RankSpec, opts?: ParafacOptions): CPTensor;
export function parafac(tensor: TensorLike, rank: RankSpec, opts: ParafacOptions = {}): CPTensor | ParafacResult {
  opts = checkOptions(opts, PARAFAC_OPTIONS, 'parafac');
  const input = checkInputTensor(tensor, 'tensor', 2);
  let mask: CheckedInput | null = null;
  try {
    const shape = input.shape;
    const R = resolveCpRank(shape, rank);
    const o = checkCpOptions(opts, shape.length, { tol: 1e-8 });
    if (o.init instanceof CPTensor) checkCpInit(o.init, shape, R);
    if (opts.mask !== undefined) mask = checkMask(opts.mask, shape);
    const engine = checkEnumOption(opts.engine ?? 'auto', 'engine', ['auto', 'device', 'host'] as const);
    if (engine === 'host' && (mask || o.linesearch)) {
      throw new NotSupportedError(`engine 'host' does not support ${mask ? 'mask' : 'linesearch'}; use engine 'auto' or 'device'`);
    }
    const useHost = engine === 'host' || (engine === 'auto' && !mask && !o.linesearch && mttkrpPlacement(input.t.size, R) === 'host');
    const progress = StepProgress.from('parafac', opts, o.nIterMax);
    progress.check();
    const rng = toRng(opts.seed);
    const { cp, errors } = (useHost ? runParafacOnHost : runParafac)(input.t, R, o, rng, mask ? mask.t : null, opts.callback, progress);
    return o.returnErrors ? { cp, errors } : cp;
  } finally {
    releaseInput(mask);
    releaseInput(input);
  }
}

/** The host float64 engine (see `internal/cpAlsHost.ts`): same init, same sweeps. */
function runParafacOnHost(
  t0: tf.Tensor,
  R: number,
  o: CheckedCpOptions,
  rng: ReturnType<typeof toRng>,
  _mask: tf.Tensor | null,
  callback?: IterationCallback,
  progress?: StepProgress,
): { cp: CPTensor; errors: number[] } {
  const shape = t0.shape;
  const N = shape.length;
  const state = initializeCpState(t0, R, {
    init: o.init, svd: o.svd, rng, nonNegative: false, normalizeFactors: o.normalizeFactors, mask: null, svdMaskRepeats: o.svdMaskRepeats,
  });
  if (o.fixedModes.length === N) return { cp: stateToCp(state), errors: [] };
  const host = { factors: state.factors.map((f) => toHost(f)), weights: state.weights };
  disposeState(state);
  const fixed = o.fixedModes.filter((m) => m !== N - 1);
  const errors = hostAls(Float64Array.from(readSync(t0)), shape, host, {
    nIterMax: o.nIterMax,
    tol: o.tol,
    l2Reg: o.l2Reg,
    cvgCriterion: o.cvgCriterion,
    normalizeFactors: o.normalizeFactors,
    orthogonalise: o.orthogonalise,
    modes: [...Array(N).keys()].filter((m) => !fixed.includes(m)),
    needErrors: o.tol > 0 || o.returnErrors || callback !== undefined,
    callback,
    progress,
  });
  return { cp: new CPTensor(tf.tensor1d(Float32Array.from(host.weights)), host.factors.map((f) => fromHostMatrix(f))), errors };
}

function runParafac(
  t0: tf.Tensor,
  R: number,
  o: CheckedCpOptions,
  rng: ReturnType<typeof toRng>,
  mask: tf.Tensor | null,
  callback?: IterationCallback,
  progress?: StepProgress,
): { cp: CPTensor; errors: number[] } {
  const shape = t0.shape;
  const N = shape.length;
  const state = initializeCpState(t0, R, {
    init: o.init, svd: o.svd, rng, nonNegative: false, normalizeFactors: o.normalizeFactors, mask, svdMaskRepeats: o.svdMaskRepeats,
  });
  const errors: number[] = [];
  // The working tensor: the input, or its imputed copy when masked (owned then).
  let t = t0;
  const tree = mttkrpSweep(shape);
  try {
    if (o.fixedModes.length === N) return { cp: stateToCp(state), errors };
    // The last mode carries the error identity, so it cannot be fixed (TensorLy warns and drops it).
    const fixed = o.fixedModes.filter((m) => m !== N - 1);
    const modes = [...Array(N).keys()].filter((m) => !fixed.includes(m));
    const needErrors = o.tol > 0 || o.returnErrors || callback !== undefined || o.linesearch;
    let normT2 = sqNorm64(t);

    // With a mask the working tensor is re-imputed from the model (TensorLy's error_calc):
    // `T <- T * mask + T_hat * (1 - mask)`, and ||T|| recomputed.
    const imputed = (s: CpState): { next: tf.Tensor; low: tf.Tensor } => {
      const m = mask as tf.Tensor;
      return tf.tidy(() => {
        const low = cpToTensor({ weights: tf.tensor1d(Float32Array.from(s.weights)), factors: s.factors });
        return { next: tf.add(tf.mul(t, m), tf.mul(low, tf.sub(1, m))), low };
      });
    };
    const commit = (next: tf.Tensor): void => {
      if (t !== t0) t.dispose();
      t = next;
      normT2 = sqNorm64(t);
    };
    const impute = (): void => {
      if (!mask) return;
      const { next, low } = imputed(state);
      low.dispose();
      commit(next);
    };
    // Unnormalised error of a state without a mask, by the MTTKRP identity.
    const identityError = (s: CpState, mLastWeighted?: tf.Tensor2D): number => {
      let mw = mLastWeighted;
      if (!mw) {
        const mLast = mttkrp(t, null, s.factors, N - 1, { method: 'tree' });
        mw = scaleColumns(mLast, s.weights);
        mLast.dispose();
      }
      const ip = innerFromMttkrp(mw, s.factors[N - 1]);
      if (mw !== mLastWeighted) mw.dispose();
      return Math.sqrt(Math.abs(normT2 + cpSqNorm(s) - 2 * ip));
    };
    // Masked error: impute with the state's model, then ||T - T_hat|| (committing the imputation when asked).
    const maskedError = (s: CpState, keep: boolean): { err: number; next: tf.Tensor; norm2: number } => {
      const { next, low } = imputed(s);
      const err = Math.sqrt(tf.tidy(() => sqNorm64(tf.sub(next, low))));
      low.dispose();
      const norm2 = sqNorm64(next);
      if (keep) commit(next);
      return { err, next, norm2 };
    };
    const fullError = (s: CpState): number => (mask ? maskedError(s, true).err : identityError(s));

    progress?.begin();
    if (callback) {
      const e0 = fullError(state) / Math.sqrt(normT2);
      if (callback({ iteration: 0, error: e0 }) === true) return { cp: stateToCp(state), errors };
    }

    let accPow = 2;
    let accFail = 0;
    let last: CpState | null = null;
    for (let iteration = 0; iteration < o.nIterMax; iteration++) {
      if (o.orthogonalise >= 0 && iteration <= o.orthogonalise) {
        state.factors = state.factors.map((f, k) => {
          if (Math.min(shape[k], R) < R) return f;
          const q = orthonormalize(f, (h) => qrUnchecked(h).q);
          f.dispose();
          state.grams[k] = gramHost(q);
          return q;
        });
      }
      if (o.linesearch && iteration % 2 === 0) {
        if (last) disposeState(last);
        last = { factors: state.factors.map((f) => tf.clone(f)), weights: state.weights.slice(), grams: [] };
      }
      tree.begin(t);
      let mLast: tf.Tensor2D | null = null;
      for (const mode of modes) {
        const v = normalMatrix(state, mode, o.l2Reg);
        const m = tree.mttkrp(state.factors, mode);
        const mw = scaleColumns(m, state.weights);
        m.dispose();
        const vinv = inverseToDevice(v);
        const f = tf.matMul(mw, vinv) as tf.Tensor2D;
        vinv.dispose();
        state.factors[mode].dispose();
        state.factors[mode] = f;
        state.grams[mode] = gramHost(f);
        if (mode === N - 1) mLast = mw;
        else mw.dispose();
      }
      tree.end();

      const lineIter = o.linesearch && iteration % 2 === 0 && iteration > 5;
      let unnorm = NaN;
      if (needErrors && !lineIter) {
        unnorm = mask ? fullError(state) : identityError(state, mLast as tf.Tensor2D);
      } else if (mask) {
        impute();
      }
      if (lineIter && last) {
        // Bro's extrapolation: jump ahead along the last two-sweep direction, keep it if better.
        const jump = Math.pow(iteration, 1 / accPow);
        const lw = last.weights;
        const cand: CpState = {
          factors: state.factors.map((f, k) => tf.tidy(() => tf.add(last!.factors[k], tf.mul(tf.sub(f, last!.factors[k]), jump))) as tf.Tensor2D),
          weights: state.weights.map((w, r) => lw[r] + (w - lw[r]) * jump),
          grams: [],
        };
        cand.grams = cand.factors.map(gramHost);
        let candErr: number;
        let candNext: tf.Tensor | null = null;
        let candNorm2 = normT2;
        if (mask) {
          const r = maskedError(cand, false);
          candErr = r.err;
          candNext = r.next;
          candNorm2 = r.norm2;
        } else {
          candErr = identityError(cand);
        }
        if (candErr / Math.sqrt(candNorm2) < errors[errors.length - 1]) {
          disposeState(state);
          state.factors = cand.factors;
          state.weights = cand.weights;
          state.grams = cand.grams;
          if (candNext) commit(candNext);
          unnorm = candErr;
          accFail = 0;
        } else {
          disposeState(cand);
          candNext?.dispose();
          unnorm = mask ? fullError(state) : identityError(state, mLast as tf.Tensor2D);
          accFail += 1;
          if (accFail === 4) {
            accPow += 1;
            accFail = 0;
          }
        }
      }
      mLast?.dispose();
      if (needErrors) {
        const stop = recordError(errors, unnorm / Math.sqrt(normT2), iteration, o.tol, o.cvgCriterion, callback);
        progress?.step(iteration + 1, errors[errors.length - 1]);
        if (stop) break;
      } else {
        progress?.step(iteration + 1);
      }
      if (o.normalizeFactors) normalizeState(state);
    }
    if (last) disposeState(last);
    return { cp: stateToCp(state), errors };
  } catch (err) {
    disposeState(state);
    throw err;
  } finally {
    tree.release();
    if (t !== t0 && !t.isDisposed) t.dispose();
  }
}

