/**
 * Options and report of {@link compressModel}: what a caller may ask for per layer and for the
 * whole model, and what comes back for each layer.
 */
import type { ProgressCallback, TensorLike } from '@tenfold/core';

/**
 * How a layer is replaced.
 * - `'lowrank'`: Composer's pair (Zhang et al. 2016): Dense `in → r → out`, or Conv2D
 *   `kh x kw` with `r` filters then `1 x 1`; two standard tfjs layers `<name>_a`, `<name>_b`.
 * - `'cp'`: a Conv2D becomes one {@link CpConv2D} (Lebedev et al. 2015, 4-conv form).
 * - `'tucker2'`: a Conv2D becomes one {@link Tucker2Conv2D} (Kim et al. 2016, 3-conv form).
 * - `'cp'` (Conv1D / Conv3D), `'tucker'`, `'tt'` (Conv1D / 2D / 3D): one {@link FactorizedConv1D}
 *   / `2D` / `3D` whose whole kernel is a CP / Tucker / TT tensor (tltorch `from_conv`). A
 *   Conv1D / Conv3D under a global factorization it cannot take gets `'cp'`.
 * - `'blocktt'`, `'cp'`, `'tucker'` (Embedding): one {@link FactorizedEmbeddingLayer} over the
 *   tensorized table (tltorch `from_embedding`); default `'blocktt'` for an Embedding.
 *   A Conv1D / Conv3D left to its default with rank `'full'` gets `'tucker'` (lossless).
 */
export type CompressFactorization = 'lowrank' | 'cp' | 'tucker2' | 'tucker' | 'tt' | 'blocktt';

/**
 * A rank: an integer `r >= 1`; a fraction in (0, 1) of the full rank (`min(fan_in, out)` for
 * `'lowrank'`, of the channel counts for `'cp'` / `'tucker2'` of a Conv2D; of the PARAMETERS
 * for the whole-kernel factorizations of Conv1D / Conv3D / Embedding and `'tucker'` / `'tt'`,
 * as tltorch's float rank); `'full'` (exact, for checks; not for CP); `'same'` (whole-kernel
 * factorizations only: as many parameters as the dense kernel, tltorch's `'same'`); or
 * `'evbmf'` (the EVBMF rank of the kernel unfolding, Nakajima et al. 2013).
 */
export type CompressRank = number | 'full' | 'same' | 'evbmf';

/** Weight transfer: truncated SVD, data-aware ALS (needs `calibration`), or curvature-weighted. */
export type CompressTransfer = 'svd' | 'als' | 'curvature';

/** Per-layer choices; `false` keeps the layer dense. */
export interface LayerCompressOptions {
  factorization?: CompressFactorization;
  rank?: CompressRank;
}

/** A calibration batch: model inputs, and (for `transfer: 'curvature'`) targets and a loss. */
export interface CalibrationOptions {
  /** One tensor per model input (a single tensor for a one-input model). */
  inputs: TensorLike | TensorLike[];
  /** Targets of the loss, for curvature-weighted transfer (as {@link kfacFactors}: `[N]` class indices for 'crossEntropy', `[N, C]` otherwise). */
  targets?: TensorLike | null;
  /** Loss on the model's output (logits) for the curvature (K-FAC) weighting. */
  loss?: 'mse' | 'crossEntropy' | 'bce' | null;
}

export interface CompressModelOptions {
  /** Default factorization. Default `'lowrank'`. */
  factorization?: CompressFactorization;
  /** Default rank. Default 0.25 (of the full rank); not combinable with `budget`. */
  rank?: CompressRank;
  /** Per-layer overrides by layer name; `false` keeps that layer dense. */
  layers?: Record<string, LayerCompressOptions | false>;
  /**
   * A global budget. It covers the Dense / Conv2D `'lowrank'` pairs only; the other layers
   * (CpConv2D / Tucker2Conv2D, whole-kernel Conv1D / 2D / 3D, Embedding) take `rank` (or their
   * per-layer rank). The `'lowrank'` layers without a per-layer rank get ranks chosen greedily
   * by singular-value energy per parameter (or per FLOP) until their total reaches this
   * fraction of their original parameters (FLOPs).
   */
  budget?: { params: number } | { flops: number };
  /**
   * Keep a layer dense when its rank saves no operations (Composer's
   * `_max_rank_with_possible_speedup`, {@link maxRankWithSpeedup}). Default true.
   */
  requireSpeedup?: boolean;
  /**
   * Weight transfer. Default `'als'` with a calibration batch, else `'svd'`. `'curvature'`
   * (Sequential models; needs `calibration.targets` and `.loss`): the rank-r weight the loss
   * notices least under the layer's K-FAC curvature of the ORIGINAL model
   * ({@link kfacFactors}, {@link curvatureWeightedLowRank}).
   */
  transfer?: CompressTransfer;
  calibration?: CalibrationOptions | null;
  /** ALS sweeps of the data-aware transfer. Default 3. */
  nIters?: number;
  /** Rank floor: a smaller rank is a warning (and kept dense with `keepDenseOnViolation`). */
  minRank?: number;
  /** Bound on a layer's relative output error on the calibration batch (needs `calibration`). */
  maxOutputError?: number;
  /** Keep a layer dense when it violates `minRank` or `maxOutputError`. Default false. */
  keepDenseOnViolation?: boolean;
  /** No `console.warn` for EVBMF ranks 0 / 1 (they stay in the report's warnings). */
  quiet?: boolean;
  /** One record per model layer, `stage` = the layer's name. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** What happened to one layer that has weights. */
export interface CompressLayerReport {
  /** Name of the layer in the original model. */
  layer: string;
  className: string;
  replaced: boolean;
  /** Why the layer was (not) replaced, and how. */
  reason: string;
  factorization: CompressFactorization | null;
  /** The rank of the replacement (`[rOut, rIn]` for Tucker-2); the rank chosen when kept dense; else null. */
  rank: number | number[] | null;
  /** Composer's largest rank that saves operations (`'lowrank'`), else null. */
  maxRank: number | null;
  inFeatures: number;
  outFeatures: number;
  /** Spatial kernel size (`[1, 1]` for Dense). */
  kernelSize: number[];
  /** Output positions per sample (spatial sites, or leading dims of a Dense input). */
  positions: number;
  paramsBefore: number;
  paramsAfter: number;
  /** Floating-point operations (2 per multiply-add) per input sample. */
  flopsBefore: number;
  flopsAfter: number;
  transfer: 'svd' | 'als' | 'curvature' | 'decomposition' | null;
  /** `||W - Ŵ||_F / ||W||_F` of the replacement's effective kernel, null when not replaced. */
  weightError: number | null;
  /** `||y - ŷ||_F / ||y||_F` of the layer's output on the calibration batch (new model's activations), else null. */
  outputError: number | null;
  /** The ALS regression's normalised error (factorizeMatrix's `nmse`), else null. */
  nmse: number | null;
  /** Guard violations and suspicious ranks. */
  warnings: string[];
}

export interface CompressSummary {
  paramsBefore: number;
  paramsAfter: number;
  /** Sum over the Dense / Conv2D layers. */
  flopsBefore: number;
  flopsAfter: number;
  replaced: number;
  warnings: string[];
}

export interface CompressResult<M = import('@tenfold/core').tf.LayersModel> {
  /** The new model; the caller owns it (`model.dispose()`). */
  model: M;
  report: CompressLayerReport[];
  summary: CompressSummary;
}
