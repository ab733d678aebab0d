/**
 * Tucker decomposition by higher-order orthogonal iteration: TensorLy 0.9 `tucker` and
 * `partial_tucker` (`_tucker.py`). The options and their checks are in ./tuckerOptions.ts
 * (re-exported here).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng, uniformTensor, type Rng } from '../base/rng.js';
import { TuckerTensor, validateTuckerRank, type RankSpec } from '../tensors/index.js';
import {
  checkInputTensor,
  checkOptions,
  checkMask,
  checkModeList,
  checkBoolOption,
  releaseInput,
  type CheckedInput,
} from './internal/inputChecks.js';
import { sqNorm64 } from './internal/float64Reductions.js';
import { unfoldForSvd, unfoldT } from './internal/unfoldings.js';
import { unfoldingOf } from './internal/labelledTensor.js';
import { type HostTruncatedSvd, truncatedSvdHost } from '../linalg/truncatedSvdHost.js';
import { fromHostMatrix } from '../backend/transfer.js';
import { completeBasis, contractModes, expand, projectCore } from './internal/tuckerCore.js';
import type { IterationCallback } from './cp.js';
import type { HostMatrix } from '../backend/transfer.js';
import {
  PARTIAL_OPTIONS,
  TUCKER_OPTIONS,
  checkGivenInit,
  checkTuckerOpts,
  isGivenInit,
  resolvePartialRanks,
  type CheckedTuckerOpts,
  type GivenInit,
  type PartialTuckerOptions,
  type PartialTuckerResult,
  type TuckerOptions,
  type TuckerResult,
} from './tuckerOptions.js';

export { resolvePartialRanks, type PartialTuckerOptions, type PartialTuckerResult, type TuckerOptions, type TuckerResult } from './tuckerOptions.js';

/** Leading left singular vectors of a device matrix as a device factor with exactly `k` columns. */
function leadingFactor(y: tf.Tensor2D, k: number, method: 'truncated' | 'randomized' | 'gram', rng: Rng, mask?: tf.Tensor2D | null, repeats = 0, yT?: tf.Tensor2D): tf.Tensor2D {
  let cur = y;
  let res: HostTruncatedSvd = truncatedSvdHost(cur, k, { method, rng, wantV: !!mask, yT });
  if (mask) {
    for (let rep = 0; rep < repeats; rep++) {
      const r = res;
      const next = tf.tidy(() => {
        const kk = r.s.length;
        const us: HostMatrix = { rows: r.u.rows, cols: kk, data: r.u.data.map((v, idx) => v * r.s[idx % kk]) };
        const rec = tf.matMul(fromHostMatrix(us), fromHostMatrix(r.vt as HostMatrix));
        return tf.add(tf.mul(cur, mask), tf.mul(rec, tf.sub(1, mask))) as tf.Tensor2D;
      });
      if (cur !== y) cur.dispose();
      cur = next;
      res = truncatedSvdHost(cur, k, { method, rng, wantV: true });
    }
    if (cur !== y) cur.dispose();
  }
  return fromHostMatrix(completeBasis(res.u, k, rng));
}

/**
 * HOOI on `modes` of a checked tensor. Returns owned core and factors plus the errors.
 */
function runPartialTucker(
  t0: tf.Tensor,
  ranks: number[],
  modes: number[],
  o: CheckedTuckerOpts,
  rng: Rng,
  mask: tf.Tensor | null,
  callback?: IterationCallback,
): { core: tf.Tensor; factors: tf.Tensor2D[]; errors: number[] } {
  const shape = t0.shape;
  const N = shape.length;
  let factors: tf.Tensor2D[] = [];
  let core: tf.Tensor | null = null;
  let t = t0;
  let tRot: tf.Tensor | null = null;
  const errors: number[] = [];
  try {
    o.progress.check();
    if (isGivenInit(o.init)) {
      core = tf.clone(o.init.core);
      factors = o.init.factors.map((f) => tf.clone(f) as tf.Tensor2D);
    } else if (o.init === 'random') {
      const coreShape = shape.map((d, k) => (modes.includes(k) ? ranks[modes.indexOf(k)] : d));
      core = tf.tidy(() => tf.add(uniformTensor(coreShape, rng), 0.01));
      factors = modes.map((m, i) => uniformTensor([shape[m], ranks[i]], rng) as tf.Tensor2D);
    } else {
      factors = modes.map((m, i) => {
        const { y, yT } = mask ? { y: unfoldT(t0, m), yT: undefined } : unfoldForSvd(t0, m, o.svd);
        const mm = mask ? unfoldT(mask, m) : null;
        try {
          return leadingFactor(y, ranks[i], o.svd, rng, mm, o.svdMaskRepeats, yT);
        } finally {
          y.dispose();
          yT?.dispose();
          mm?.dispose();
        }
      });
      core = projectCore(t0, factors, modes);
    }
    let normT2 = sqNorm64(t0);
    o.progress.begin();
    for (let iteration = 0; iteration < o.nIterMax; iteration++) {
      if (mask) {
        const m = mask;
        const c = core as tf.Tensor;
        const next = tf.tidy(() => tf.add(tf.mul(t, m), tf.mul(expand(c, factors, modes), tf.sub(1, m))));
        if (t !== t0) t.dispose();
        t = next;
        normT2 = sqNorm64(t);
      }
      let lastPartial: { t: tf.Tensor; labels: number[] } | null = null;
      for (let i = 0; i < modes.length; i++) {
        const mode = modes[i];
        const pending = new Map<number, tf.Tensor2D>();
        modes.forEach((m, j) => {
          if (j !== i) pending.set(m, factors[j]);
        });
        let src: { t: tf.Tensor; labels: number[] } = { t, labels: [...Array(N).keys()] };
        if (!mask && N > 2 && mode === N - 1 && pending.has(0) && t.size > ROTATE_MIN_SIZE) {
          // Updating the last mode starts by contracting mode 0: on a copy of T with mode 0
          // moved last (made once per run) that is a plain (rows, I_0) @ (I_0, R_0) product.
          if (!tRot) tRot = tf.transpose(t, [...Array(N - 1).keys()].map((k) => k + 1).concat([0]));
          src = { t: tRot, labels: [...Array(N - 1).keys()].map((k) => k + 1).concat([0]) };
        }
        const y = contractModes(src, pending);
        const unf = unfoldingOf(y, mode);
        // TensorLy's in-loop SVD is always the truncated one, whatever `svd` says.
        const u = leadingFactor(unf, ranks[i], 'truncated', rng);
        unf.dispose();
        factors[i].dispose();
        factors[i] = u;
        if (i === modes.length - 1) lastPartial = y;
        else y.t.dispose();
      }
      (core as tf.Tensor).dispose();
      if (lastPartial) {
        // The last mode's partial already holds every other mode's new projection.
        const lp = lastPartial;
        const lastMode = modes[modes.length - 1];
        const y = contractModes(lp, new Map([[lastMode, factors[modes.length - 1]]]));
        lp.t.dispose();
        core = tf.tidy(() => {
          const order = [...Array(N).keys()].map((l) => (modes.includes(l) ? ~l : l));
          const perm = order.map((l) => y.labels.indexOf(l));
          return perm.every((p, q) => p === q) ? tf.clone(y.t) : tf.transpose(y.t, perm);
        });
        y.t.dispose();
      } else {
        core = projectCore(t, factors, modes);
      }
      const coreNorm2 = sqNorm64(core as tf.Tensor);
      const err = Math.sqrt(Math.abs(normT2 - coreNorm2)) / Math.sqrt(normT2);
      errors.push(err);
      const stopCb = callback ? callback({ iteration: iteration + 1, error: err }) === true : false;
      o.progress.step(iteration + 1, err);
      if (stopCb) break;
      if (iteration > 1 && o.tol > 0 && Math.abs(errors[errors.length - 2] - errors[errors.length - 1]) < o.tol) break;
    }
    return { core: core as tf.Tensor, factors, errors };
  } catch (err) {
    core?.dispose();
    for (const f of factors) f.dispose();
    throw err;
  } finally {
    if (t !== t0 && !t.isDisposed) t.dispose();
    tRot?.dispose();
  }
}

/** Tensors above this size get the rotated copy for the last mode's update (below, the copy costs more than it saves). */
const ROTATE_MIN_SIZE = 1e6;

/**
 * Partial Tucker decomposition by HOOI (TensorLy `partial_tucker`): only `modes` are
 * decomposed, `T ~ core x_{k in modes} U_k`, the other modes of the core at full size.
 *
 * Init 'svd' (HOSVD: U_k = leading left singular vectors of `unfold(T, k)`), 'random'
 * (core U[0,1)+0.01, U[0,1) factors) or given. Each sweep sets, for each mode k,
 * `U_k <-` leading `R_k` left singular vectors of `unfold(T x_{j != k} U_j^T, k)` (always
 * the truncated SVD, as TensorLy), then `core = T x_k U_k^T` and
 * `error = sqrt(| ||T||^2 - ||core||^2 |) / ||T||`; it stops when the change is below
 * `tol`, tested from the third sweep on (De Lathauwer, De Moor & Vandewalle, "On the best
 * rank-1 and rank-(R1,...,RN) approximation of higher-order tensors", SIAM J. Matrix
 * Anal. Appl. 2000).
 *
 * Engine: the mode products are chained so that the big one is a plain matmul on the
 * tensor's first or last axis; the core reuses the last mode's partial product; the SVDs
 * of the (small) projected unfoldings run through their Gram matrices on the host.
 *
 * Progress: task 'partialTucker', one record per sweep, total nIterMax, error = the sweep's error.
 *
 * @returns `{ core, factors, modes, errors, dispose() }` (TensorLy returns `((core, factors), errors)`).
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function partialTucker(tensor: TensorLike, rank: RankSpec, opts: PartialTuckerOptions = {}): PartialTuckerResult {
  opts = checkOptions(opts, PARTIAL_OPTIONS, 'partialTucker');
  const input = checkInputTensor(tensor, 'tensor', 1);
  let mask: CheckedInput | null = null;
  try {
    const shape = input.shape;
    const modes = opts.modes === undefined ? [...shape.keys()] : checkModeList(opts.modes, shape.length, 'modes');
    if (modes.length === 0) throw new ArgumentError('modes must name at least one mode to decompose; got []');
    const ranks = resolvePartialRanks(shape, rank, modes);
    const o = checkTuckerOpts(opts, 'partialTucker');
    if (isGivenInit(o.init)) checkGivenInit(o.init, shape, modes, ranks);
    if (opts.mask !== undefined) mask = checkMask(opts.mask, shape);
    const rng = toRng(opts.seed);
    const { core, factors, errors } = runPartialTucker(input.t, ranks, modes, o, rng, mask ? mask.t : null, opts.callback);
    return {
      core,
      factors,
      modes,
      errors,
      dispose() {
        core.dispose();
        for (const f of factors) f.dispose();
      },
    };
  } finally {
    releaseInput(mask);
    releaseInput(input);
  }
}

/**
 * Tucker decomposition by HOOI (TensorLy `tucker`): `T ~ core x_0 U_0 x_1 ... x_{N-1} U_{N-1}`
 * with orthonormal factors. The rank goes through `validateTuckerRank` ('same', a fraction,
 * an int for every mode, or a list). With `fixedFactors` (needs a Tucker `init`), those
 * factors are kept: they are absorbed into the core, the other modes are solved by
 * `partialTucker`, and the core is projected back on them.
 *
 * Progress: task 'tucker', one record per HOOI sweep, total nIterMax, error = the sweep's error
 * (no records when every factor is fixed).
 *
 * @returns a TuckerTensor, or `{ tucker, errors }` with `returnErrors: true`.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function tucker(tensor: TensorLike, rank: RankSpec, opts: TuckerOptions & { returnErrors: true }): TuckerResult;
export function tucker(tensor: TensorLike, rank: RankSpec, opts?: TuckerOptions): TuckerTensor;
export function tucker(tensor: TensorLike, rank: RankSpec, opts: TuckerOptions = {}): TuckerTensor | TuckerResult {
  opts = checkOptions(opts, TUCKER_OPTIONS, 'tucker');
  const input = checkInputTensor(tensor, 'tensor', 2);
  let mask: CheckedInput | null = null;
  try {
    const shape = input.shape;
    const N = shape.length;
    const all = [...shape.keys()];
    const fixed = opts.fixedFactors === undefined ? [] : checkModeList(opts.fixedFactors, N, 'fixedFactors');
    let ranks: number[];
    if (Array.isArray(rank)) {
      if (rank.length !== N) throw new RankError(`rank must have one entry per mode (${N}); got ${describe(rank)}`);
      ranks = resolvePartialRanks(shape, rank, all);
    } else if (typeof rank === 'number' && Number.isInteger(rank)) {
      ranks = resolvePartialRanks(shape, rank, all);
    } else {
      ranks = resolvePartialRanks(shape, validateTuckerRank(shape, rank), all);
    }
    const o = checkTuckerOpts(opts, 'tucker');
    const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
    if (opts.mask !== undefined) mask = checkMask(opts.mask, shape);
    const rng = toRng(opts.seed);
    let core: tf.Tensor;
    let factors: tf.Tensor2D[];
    let errors: number[];
    if (fixed.length > 0) {
      if (!isGivenInit(o.init)) throw new ArgumentError(`fixedFactors needs init to be a Tucker tensor ({ core, factors } or a TuckerTensor) holding the fixed factors; got ${describe(o.init)}`);
      checkGivenInit(o.init, shape, all, ranks);
      const given = o.init;
      const free = all.filter((k) => !fixed.includes(k));
      if (free.length === 0) {
        core = tf.clone(given.core);
        factors = given.factors.map((f) => tf.clone(f) as tf.Tensor2D);
        errors = [];
      } else {
        // Absorb the fixed factors into the core, solve the free modes, project back.
        const partialCore = expand(given.core, fixed.map((k) => given.factors[k] as tf.Tensor2D), fixed);
        const partialInit: GivenInit = { core: partialCore, factors: free.map((k) => given.factors[k]) };
        let res;
        try {
          res = runPartialTucker(input.t, free.map((k) => ranks[k]), free, { ...o, init: partialInit }, rng, mask ? mask.t : null, opts.callback);
        } finally {
          partialCore.dispose();
        }
        const fixedFactors = fixed.map((k) => given.factors[k] as tf.Tensor2D);
        core = projectCore(res.core, fixedFactors, fixed);
        res.core.dispose();
        factors = all.map((k) => (fixed.includes(k) ? (tf.clone(given.factors[k]) as tf.Tensor2D) : res.factors[free.indexOf(k)]));
        errors = res.errors;
      }
    } else {
      if (isGivenInit(o.init)) checkGivenInit(o.init, shape, all, ranks);
      const res = runPartialTucker(input.t, ranks, all, o, rng, mask ? mask.t : null, opts.callback);
      core = res.core;
      factors = res.factors;
      errors = res.errors;
    }
    const tk = new TuckerTensor(core, factors);
    return returnErrors ? { tucker: tk, errors } : tk;
  } finally {
    releaseInput(mask);
    releaseInput(input);
  }
}
