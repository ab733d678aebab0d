/**
 * Per-mode EVBMF ranks *and* the HOSVD factors they come from, in one SVD per mode: for
 * `FactorizedLinear.fromLinear({ rank: 'evbmf' })` and any caller that estimates Tucker
 * ranks and then decomposes. `tuckerRanks` followed by `tucker(t, ranks)` decomposes every
 * unfolding twice, on two SVD routes (EVBMF's spectrum, then the decomposition's host SVD);
 * here the EVBMF spectrum's singular vectors (core's SVD entry point, TensorLy's signs) are
 * the truncated HOSVD (De Lathauwer, De Moor & Vandewalle, SIAM J. Matrix Anal. Appl.
 * 21(4), 2000): U_n = leading rank_n left singular vectors of unfold(t, n), core =
 * t x_1 U_1^T ... x_N U_N^T, ready as `tucker(t, ranks, { init: { core, factors } })`.
 */
import { ShapeError, assertFinite, describe, multiModeDot, tf, type TensorLike } from '@tenfold/core';
import { StepProgress, checkOptions, checkProgress, checkSignal, optionKeys } from './internal/checks.js';
import { checkModes, perModeRanks, validateCommon, type TuckerRanksOptions } from './estimate.js';
import { releaseSource, toSource } from './input.js';

/** Ranks, factors and core of {@link tuckerRanksWithFactors}; owns the tensors (call `dispose()`). */
export interface TuckerRanksWithFactors {
  /** Per-mode ranks (each the factor's column count), as `tuckerRanks` returns them. */
  ranks: number[];
  /** U_n (I_n x rank_n), orthonormal columns, in the order of all modes. */
  factors: tf.Tensor2D[];
  /** The HOSVD core t x_n U_n^T (rank_0 x ... x rank_{N-1}). */
  core: tf.Tensor;
  dispose(): void;
}

/**
 * `tuckerRanks(tensor)` over all modes, plus the truncated HOSVD at those ranks from the same
 * SVDs (see the module doc). The ranks equal `tuckerRanks`'s (EVBMF's, floored at `minRank`,
 * default 1) unless `minRank` exceeds the smaller side of an unfolding, where they stop there.
 *
 * @throws as `tuckerRanks` (ShapeError, RankError, NonFiniteError, ArgumentError,
 *   AbortedError); ArgumentError for `modes` (always all modes here).
 */
/** Options of {@link tuckerRanksWithFactors}: those of `tuckerRanks` but `modes` (it examines every mode). */
export type TuckerRanksWithFactorsOptions = Omit<TuckerRanksOptions, 'modes'>;

const TUCKER_RANKS_WITH_FACTORS_OPTIONS = optionKeys<TuckerRanksWithFactorsOptions>()('minRank', 'xatol', 'svd', 'onProgress', 'signal');

export function tuckerRanksWithFactors(tensor: TensorLike, options: TuckerRanksWithFactorsOptions | null = {}): TuckerRanksWithFactors {
  const opts = checkOptions(options, TUCKER_RANKS_WITH_FACTORS_OPTIONS, 'tuckerRanksWithFactors');
  validateCommon(opts);
  const onProgress = checkProgress(opts.onProgress);
  const signal = checkSignal(opts.signal);
  const src = toSource(tensor, 'tensor');
  const factors: tf.Tensor2D[] = [];
  try {
    const shape = src.value.shape;
    if (shape.length < 2) throw new ShapeError(`tensor must have at least 2 dimensions; got shape ${describe([...shape])}`);
    if (shape.some((d) => d < 1)) throw new ShapeError(`tensor must not have an empty dimension; got shape ${describe([...shape])}`);
    const modes = checkModes(shape.map((_, i) => i), shape.length, 'modes');
    if (src.kind === 'tensor') assertFinite(src.value, 'tensor');
    perModeRanks(src, modes, opts, new StepProgress('tuckerRanks', onProgress, signal, modes.length), { minRank: opts.minRank ?? 1, out: factors });
    const t = src.kind === 'tensor' ? src.value : null;
    const core = t ? multiModeDot(t, factors, { transpose: true }) : tf.tidy(() => multiModeDot(tf.tensor(Float32Array.from(src.value.data as Float64Array), shape), factors, { transpose: true }));
    return {
      ranks: factors.map((f) => f.shape[1]),
      factors,
      core,
      dispose() {
        tf.dispose([core, ...factors]);
      },
    };
  } catch (e) {
    tf.dispose(factors);
    throw e;
  } finally {
    releaseSource(src);
  }
}
