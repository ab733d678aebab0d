/**
 * Rank estimation for layer weights and for Tucker decompositions: EVBMF on unfoldings.
 */
import { ArgumentError, RankError, ShapeError, assertFinite, checkMode, describe, sizeOf, tf, unfold, type TensorLike } from '@tenfold/core';
import { StepProgress, checkOptions, checkProgress, checkSignal, optionKeys, type ProgressCallback } from './internal/checks.js';
import { evbmfInternal, type SvdRoute } from './evbmf.js';
import { hostUnfold, releaseSource, toSource, type Source } from './input.js';

export interface EstimateRankOptions {
  /** Modes whose unfoldings EVBMF examines (default [0, 1]: output and input channels). */
  modes?: number[];
  /**
   * Round the combined rank up to a multiple of this (default 1 = no rounding, as jacobgil's
   * `estimate_ranks`; the blog's `est_rank` uses 8).
   */
  roundTo?: number;
  /** Clamp the combined rank to what the weight can hold (default true). */
  clamp?: boolean;
  /** Floor for the combined rank (default 0: a rank of 0 is returned, with a reason). */
  minRank?: number;
  /** Search tolerance passed to {@link evbmf} (default 1e-5, the reference's). */
  xatol?: number;
  /** Where the SVDs run (see {@link evbmf}). */
  svd?: SvdRoute;
  /** Progress records: step 0 then one per mode examined (total modes.length), stage `mode m`, no error. */
  onProgress?: ProgressCallback;
  /** Checked after every mode; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
}

const ESTIMATE_RANK_OPTIONS = optionKeys<EstimateRankOptions>()('modes', 'roundTo', 'clamp', 'minRank', 'xatol', 'svd', 'onProgress', 'signal');

/** Per-mode EVBMF outcome inside {@link EstimateRankResult}. */
export interface ModeRank {
  mode: number;
  /** EVBMF's rank of the mode-`mode` unfolding. */
  rank: number;
  sigma2: number;
  threshold: number;
  /** All singular values of the unfolding (for plots: see {@link spectrumSvg}). */
  singularValues: Float64Array;
  /** Shape of the unfolding. */
  shape: [number, number];
  transposed: boolean;
}

export interface EstimateRankResult {
  /** The combined rank: ceil(max(ranks) / roundTo) * roundTo, clamped and floored as asked. */
  rank: number;
  /** Per-mode EVBMF ranks, in the order of `modes` (jacobgil's `[R_out, R_in]` for [0, 1]). */
  ranks: number[];
  modes: number[];
  /** The combined rank before clamping and flooring. */
  roundedRank: number;
  /** The largest rank the chosen unfoldings can have: max over modes of min(I_m, prod_{k != m} I_k). */
  maxRank: number;
  perMode: ModeRank[];
  /** Set when the rank is 0, was clamped or was floored. */
  reason?: string;
}

export function checkModes(modes: unknown, ndim: number, argName: string): number[] {
  if (!Array.isArray(modes) || modes.length === 0) {
    throw new ArgumentError(`${argName} must be a non-empty array of mode indices; got ${describe(modes)}`);
  }
  const out = modes.map((m) => checkMode(m as number, ndim, argName));
  if (new Set(out).size !== out.length) throw new ArgumentError(`${argName} must not repeat a mode; got ${describe(modes)}`);
  return out;
}

function unfoldSource(src: Source, mode: number): { y: TensorLike; dispose(): void } {
  if (src.kind === 'host') return { y: hostUnfold(src.value, mode), dispose() {} };
  const t = unfold(src.value, mode);
  return { y: t, dispose: () => t.dispose() };
}

/**
 * EVBMF on each mode's unfolding. With `factors`, the left singular vectors of the kept
 * components (at least `minRank`, at most min of the unfolding's shape; TensorLy's signs)
 * are pushed there, caller-owned: the same SVD gives the rank and the factor.
 */
export function perModeRanks(src: Source, modes: number[], opts: { xatol?: number; svd?: SvdRoute }, progress: StepProgress, factors?: { minRank: number; out: tf.Tensor2D[] }): ModeRank[] {
  const out: ModeRank[] = [];
  progress.begin();
  for (const mode of modes) {
    const unf = unfoldSource(src, mode);
    try {
      const shape = src.kind === 'host' ? src.value.shape : src.value.shape;
      const L = Math.min(shape[mode], sizeOf(shape) / shape[mode]);
      const minRank = factors ? Math.min(factors.minRank, L) : undefined;
      const r = evbmfInternal(unf.y, { xatol: opts.xatol, svd: opts.svd, minRank }, factors !== undefined);
      if (factors) {
        factors.out.push(r.u);
        tf.dispose(r.v);
      } else r.dispose();
      out.push({
        mode,
        rank: r.evbRank,
        sigma2: r.sigma2,
        threshold: r.threshold,
        singularValues: r.singularValues,
        shape: r.shape,
        transposed: r.transposed,
      });
    } finally {
      unf.dispose();
    }
    progress.step(out.length, undefined, `mode ${mode}`);
  }
  return out;
}

export function validateCommon(opts: { xatol?: number; svd?: SvdRoute; minRank?: number }): void {
  if (opts.xatol !== undefined && !(typeof opts.xatol === 'number' && opts.xatol > 0 && Number.isFinite(opts.xatol))) {
    throw new ArgumentError(`xatol must be a positive finite number; got ${describe(opts.xatol)}`);
  }
  if (opts.svd !== undefined && !['auto', 'host', 'gram'].includes(opts.svd)) {
    throw new ArgumentError(`svd must be 'auto', 'host' or 'gram'; got ${describe(opts.svd)}`);
  }
  if (opts.minRank !== undefined && !(typeof opts.minRank === 'number' && Number.isInteger(opts.minRank) && opts.minRank >= 0)) {
    throw new RankError(`minRank must be a non-negative integer; got ${describe(opts.minRank)}`);
  }
}

/**
 * Estimate the rank of a layer weight with EVBMF, as in jacobgil's `estimate_ranks` and the
 * blog's `est_rank` (seed 002): EVBMF on TensorLy's mode-n unfoldings of the weight (modes
 * 0 and 1 by default: `unfold(W, 0)` is `(out, in*kh*kw)`, `unfold(W, 1)` is
 * `(in, out*kh*kw)`), per-mode ranks `[R_out, R_in]`, and one combined rank
 * `ceil(max(ranks) / roundTo) * roundTo` (the blog's rule with roundTo = 8).
 *
 * Unlike the blog, the combined rank is clamped (unless `clamp: false`) to the largest rank
 * the chosen unfoldings can have, `max_m min(I_m, prod_{k != m} I_k)`, so rounding never
 * asks for more components than exist, and `minRank` floors it. A rank of 0 comes with a
 * `reason`. Each unfolding with more rows than columns is transposed before EVBMF (the
 * reference silently assumes rows <= columns; see {@link evbmf}).
 *
 * @param weight a conv weight `(out, in, kh, kw)`, a linear weight `(out, in)`, or any
 *   tensor of order >= 2
 * Progress: task 'estimateRank', one record per mode (total modes.length), stage `mode m`, no
 * error (EVBMF itself is not iterative); `signal` is checked after every mode.
 *
 * @throws ShapeError for a weight of order < 2 or with an empty dimension; ModeError for a
 *   bad mode; RankError for a bad roundTo or minRank; NonFiniteError for NaN/Inf;
 *   ArgumentError for a bad onProgress/signal; AbortedError when `signal` fires.
 */
export function estimateRank(weight: TensorLike, options: EstimateRankOptions | null = {}): EstimateRankResult {
  const opts = checkOptions(options, ESTIMATE_RANK_OPTIONS, 'estimateRank');
  validateCommon(opts);
  const onProgress = checkProgress(opts.onProgress);
  const signal = checkSignal(opts.signal);
  const roundTo = opts.roundTo ?? 1;
  if (!(typeof roundTo === 'number' && Number.isInteger(roundTo) && roundTo >= 1)) {
    throw new RankError(`roundTo must be a positive integer; got ${describe(roundTo)}`);
  }
  if (opts.clamp !== undefined && typeof opts.clamp !== 'boolean') throw new ArgumentError(`clamp must be a boolean; got ${describe(opts.clamp)}`);
  const src = toSource(weight, 'weight');
  try {
    const shape = src.kind === 'host' ? src.value.shape : src.value.shape;
    if (shape.length < 2) throw new ShapeError(`weight must have at least 2 dimensions ((out, in) or (out, in, kh, kw)); got shape ${describe([...shape])}`);
    if (shape.some((d) => d < 1)) throw new ShapeError(`weight must not have an empty dimension; got shape ${describe([...shape])}`);
    const modes = checkModes(opts.modes ?? [0, 1], shape.length, 'modes');
    const size = sizeOf(shape);
    const maxRank = Math.max(...modes.map((m) => Math.min(shape[m], size / shape[m])));
    const minRank = opts.minRank ?? 0;
    if (minRank > maxRank) throw new RankError(`minRank must be at most ${maxRank} for a weight of shape ${describe([...shape])}; got ${minRank}`);
    if (src.kind === 'tensor') assertFinite(src.value, 'weight');
    const perMode = perModeRanks(src, modes, opts, new StepProgress('estimateRank', onProgress, signal, modes.length));
    const ranks = perMode.map((p) => p.rank);
    const roundedRank = Math.ceil(Math.max(...ranks) / roundTo) * roundTo;
    let rank = roundedRank;
    const reasons: string[] = [];
    if (roundedRank === 0) reasons.push(`EVBMF keeps no component in any of modes ${describe(modes)}: the weight is indistinguishable from noise`);
    if ((opts.clamp ?? true) && rank > maxRank) {
      reasons.push(`rounded rank ${rank} clamped to ${maxRank}, the most the weight's unfoldings can hold`);
      rank = maxRank;
    }
    if (rank < minRank) {
      reasons.push(`floored to minRank = ${minRank}`);
      rank = minRank;
    }
    const out: EstimateRankResult = { rank, ranks, modes, roundedRank, maxRank, perMode };
    if (reasons.length) out.reason = reasons.join('; ');
    return out;
  } finally {
    releaseSource(src);
  }
}

export interface TuckerRanksOptions {
  /** Modes to estimate (default: all). */
  modes?: number[];
  /** Floor for each rank (default 1, so the result can go straight to `tucker`). */
  minRank?: number;
  xatol?: number;
  svd?: SvdRoute;
  /** Progress records: step 0 then one per mode (total modes.length), stage `mode m`, no error. */
  onProgress?: ProgressCallback;
  /** Checked after every mode; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
}

const TUCKER_RANKS_OPTIONS = optionKeys<TuckerRanksOptions>()('modes', 'minRank', 'xatol', 'svd', 'onProgress', 'signal');

/**
 * Per-mode EVBMF ranks of a tensor, for `tucker(t, rank)` / `partialTucker(t, rank, { modes })`:
 * rank_n = EVBMF rank of `unfold(t, n)` (TensorLy's row-major unfolding), floored at
 * `minRank` (default 1, since Tucker ranks must be positive).
 *
 * Progress: task 'tuckerRanks', one record per mode (total modes.length), stage `mode m`, no error.
 *
 * @throws ShapeError for a tensor of order < 2; ModeError for a bad mode; RankError for a
 *   bad minRank; NonFiniteError for NaN/Inf; ArgumentError for a bad onProgress/signal;
 *   AbortedError when `signal` fires.
 */
export function tuckerRanks(tensor: TensorLike, options: TuckerRanksOptions | null = {}): number[] {
  const opts = checkOptions(options, TUCKER_RANKS_OPTIONS, 'tuckerRanks');
  validateCommon(opts);
  const onProgress = checkProgress(opts.onProgress);
  const signal = checkSignal(opts.signal);
  const src = toSource(tensor, 'tensor');
  try {
    const shape = src.kind === 'host' ? src.value.shape : src.value.shape;
    if (shape.length < 2) throw new ShapeError(`tensor must have at least 2 dimensions; got shape ${describe([...shape])}`);
    if (shape.some((d) => d < 1)) throw new ShapeError(`tensor must not have an empty dimension; got shape ${describe([...shape])}`);
    const modes = checkModes(opts.modes ?? shape.map((_, i) => i), shape.length, 'modes');
    const minRank = opts.minRank ?? 1;
    if (src.kind === 'tensor') assertFinite(src.value, 'tensor');
    const perMode = perModeRanks(src, modes, opts, new StepProgress('tuckerRanks', onProgress, signal, modes.length));
    return perMode.map((p) => Math.min(Math.max(p.rank, minRank), shape[p.mode]));
  } finally {
    releaseSource(src);
  }
}
