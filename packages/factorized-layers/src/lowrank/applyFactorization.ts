/**
 * Factorize the Dense and Conv2D layers of a tfjs model into pairs of smaller layers, after
 * Composer's `apply_factorization` / `Factorize` algorithm (`factorize.py`,
 * `factorize_modules.py`; Zhang et al., TPAMI 2016).
 *
 * A thin layer over {@link compressModel}: Composer's qualification rules (`min_features`,
 * latent size, speed-up bound) choose the layers and ranks, compressModel builds the model.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, NotSupportedError, ShapeError, assertFinite, describe, toTensor, type TensorLike } from '@tenfold/core';
import { compressModel } from '../compress/compressModel.js';
import type { LayerCompressOptions } from '../compress/types.js';
import { MAX_ITERATIONS, checkOptions as checkKnown } from '../internal/checks.js';
import { cleanLatentSize, maxRankWithSpeedup } from './speedup.js';
import { layerInfo } from '../compress/layerInfo.js';

export { cleanLatentSize, maxRankWithSpeedup } from './speedup.js';

export interface ApplyFactorizationOptions {
  /** Factorize Dense layers. Default true. */
  factorizeLinears?: boolean;
  /** Factorize Conv2D layers. Default true. */
  factorizeConvs?: boolean;
  /** A Dense layer qualifies only if `min(in, out) >= minFeatures`. Default 512 (Composer's functional default). */
  minFeatures?: number;
  /** Latent features: a fraction in (0, 1) of `min(in, out)`, or an integer. Default 0.25. */
  latentFeatures?: number;
  /** A Conv2D layer qualifies only if `min(inChannels, outChannels) >= minChannels`. Default 512. */
  minChannels?: number;
  /** Latent channels: a fraction in (0, 1) of `min(in, out)`, or an integer. Default 0.25. */
  latentChannels?: number;
  /**
   * A batch of model inputs. When given, each layer is factorized data-aware (alternating
   * least squares on the activations it receives in the new model, Composer's
   * `set_rank(input, rank)`); otherwise the weights are split by a truncated SVD. A layer whose
   * regression has fewer rows (samples × output positions) than inputs (`fan_in`) is split by
   * SVD even with data, since the fit would be underdetermined (the report says so).
   */
  data?: TensorLike | null;
  /** ALS sweeps for the data-aware path. Default 3. */
  nIters?: number;
}

/** What happened to one Dense or Conv2D layer. */
export interface LayerFactorizationReport {
  /** Name of the layer in the original model. */
  layer: string;
  className: 'Dense' | 'Conv2D';
  inFeatures: number;
  outFeatures: number;
  /** `[kh, kw]` for a conv, `[1, 1]` for a dense layer. */
  kernelSize: [number, number];
  replaced: boolean;
  /** Why the layer was (not) replaced. */
  reason: string;
  /** The latent size asked for (Composer's `_clean_latent_size`). */
  latent: number;
  /** The largest latent size that saves operations (Composer's `_max_rank_with_possible_speedup`). */
  maxRank: number;
  /** Latent size of the replacement, null when not replaced. */
  rank: number | null;
  /** Normalised output error on `data` (data-aware path), else null. */
  nmse: number | null;
  /** `||W - Wa Wb||_F / ||W||_F` of the replacement's weights, null when not replaced. */
  weightError: number | null;
  paramsBefore: number;
  paramsAfter: number;
  /** Floating-point operations (2 per multiply-add) per input sample. */
  flopsBefore: number;
  flopsAfter: number;
}

export interface FactorizationResult {
  /** The new model (the caller owns it: `model.dispose()`). */
  model: tf.Sequential;
  report: LayerFactorizationReport[];
}

function checkOptions(opts: ApplyFactorizationOptions): Required<Omit<ApplyFactorizationOptions, 'data'>> {
  const o = {
    factorizeLinears: opts.factorizeLinears ?? true,
    factorizeConvs: opts.factorizeConvs ?? true,
    minFeatures: opts.minFeatures ?? 512,
    latentFeatures: opts.latentFeatures ?? 0.25,
    minChannels: opts.minChannels ?? 512,
    latentChannels: opts.latentChannels ?? 0.25,
    nIters: opts.nIters ?? 3,
  };
  for (const key of ['factorizeLinears', 'factorizeConvs'] as const) {
    if (typeof o[key] !== 'boolean') throw new ArgumentError(`opts.${key} must be a boolean; got ${describe(o[key])}`);
  }
  if (o.nIters > MAX_ITERATIONS) throw new ArgumentError(`opts.nIters must be at most ${MAX_ITERATIONS}; got ${describe(o.nIters)}`);
  for (const key of ['minFeatures', 'minChannels', 'nIters'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 0) throw new ArgumentError(`opts.${key} must be a non-negative integer; got ${describe(o[key])}`);
  }
  for (const key of ['latentFeatures', 'latentChannels'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !(v > 0) || (v >= 1 && !Number.isInteger(v))) {
      throw new ArgumentError(`opts.${key} must be a fraction in (0, 1) or a positive integer; got ${describe(v)}`);
    }
  }
  return o;
}

/** `opts.data` against the model input, named as this function's option. @throws ShapeError, NonFiniteError */
function checkData(model: tf.LayersModel, data: TensorLike): void {
  const d = toTensor(data, 'opts.data');
  try {
    const want = model.inputs[0].shape;
    if (d.rank !== want.length || want.some((v, i) => i > 0 && v !== null && v !== d.shape[i])) {
      throw new ShapeError(`opts.data must match the model input shape ${describe(want)}; got shape ${describe(d.shape)}`);
    }
    assertFinite(d, 'opts.data');
  } finally {
    if (d !== data) d.dispose();
  }
}

/**
 * Replace the qualifying Dense and Conv2D layers of a sequential model by two smaller layers
 * each, returning a new model and a per-layer report. The original model is not modified.
 *
 * A layer qualifies, as in Composer, when `min(in, out) >= minFeatures` (`minChannels` for a
 * conv) and the latent size `k` (`latentFeatures` / `latentChannels` via `cleanLatentSize`)
 * is at most `maxRankWithSpeedup(in, out, kernel)`, i.e. when the split needs fewer
 * operations. A Dense `(in → out)` becomes Dense `(in → k, no bias)` then Dense `(k → out)`
 * with the original activation and a bias; a Conv2D becomes Conv2D `(k filters, the original
 * kernel, strides, padding, dilation, no bias)` then a `1 x 1` Conv2D with the activation and
 * a bias.
 *
 * Unlike Composer, whose `from_linear` / `from_conv2d` re-initialise the new modules, the
 * weights are transferred ({@link compressModel}): by a truncated SVD of the kernel, or, when
 * `opts.data` is given, data-aware by {@link factorizeMatrix} / {@link factorizeConv2d} on
 * the activations each layer receives in the new model (so later layers compensate for the
 * error of earlier ones). Only `tf.Sequential` models are supported here; compressModel takes
 * any LayersModel.
 */
export function applyFactorization(model: tf.LayersModel, opts: ApplyFactorizationOptions = {}): FactorizationResult {
  if (!(model instanceof tf.Sequential)) {
    throw new NotSupportedError(`model must be a tf.Sequential (use compressModel for functional models); got ${describe(model?.constructor?.name ?? model)}`);
  }
  opts = checkKnown(opts, ['factorizeLinears', 'factorizeConvs', 'minFeatures', 'latentFeatures', 'minChannels', 'latentChannels', 'data', 'nIters'], 'applyFactorization');
  const o = checkOptions(opts);
  if (opts.data != null) checkData(model, opts.data);
  const entries = new Map<string, LayerFactorizationReport>();
  const layers: Record<string, LayerCompressOptions | false> = {};
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (layer.getWeights().length === 0) continue;
    if (cls !== 'Dense' && cls !== 'Conv2D') {
      // Composer factorizes Dense / Conv2D only; compressModel would replace Conv1D / Conv3D / Embedding by default.
      layers[layer.name] = false;
      continue;
    }
    const entry = describeLayer(layer, o);
    const enabled = cls === 'Dense' ? o.factorizeLinears : o.factorizeConvs;
    if (!enabled) entry.rep.reason = `factorize${cls === 'Dense' ? 'Linears' : 'Convs'} is false`;
    entries.set(layer.name, entry.rep);
    layers[layer.name] = enabled && entry.qualifies ? { factorization: 'lowrank', rank: entry.rep.latent } : false;
  }
  const { model: out, report } = compressModel(model, {
    layers,
    requireSpeedup: false,
    nIters: o.nIters,
    ...(opts.data != null ? { calibration: { inputs: opts.data }, transfer: 'als' as const } : { transfer: 'svd' as const }),
  });
  const result: LayerFactorizationReport[] = [];
  for (const r of report) {
    const e = entries.get(r.layer);
    if (!e) continue;
    if (r.replaced) {
      const note = r.reason.indexOf('; ');
      Object.assign(e, {
        replaced: true,
        reason: note >= 0 ? e.reason + r.reason.slice(note) : e.reason,
        rank: r.rank as number,
        nmse: r.nmse,
        weightError: r.weightError,
        paramsAfter: r.paramsAfter,
        flopsAfter: r.flopsAfter,
      });
    }
    result.push(e);
  }
  return { model: out as tf.Sequential, report: result };
}

/** Composer's qualification of one layer, on compressModel's sizes ({@link layerInfo}). */
function describeLayer(layer: tf.layers.Layer, o: Required<Omit<ApplyFactorizationOptions, 'data'>>): { rep: LayerFactorizationReport; qualifies: boolean } {
  const info = layerInfo(layer)!;
  const { cls, inF, outF, kernelSize: ks } = info;
  const latent = cleanLatentSize(cls === 'Dense' ? o.latentFeatures : o.latentChannels, inF, outF);
  const maxRank = maxRankWithSpeedup(inF, outF, ks);
  const minSize = cls === 'Dense' ? o.minFeatures : o.minChannels;
  let reason: string;
  let qualifies = false;
  if (Math.min(inF, outF) < minSize) reason = `min(in, out) = ${Math.min(inF, outF)} < ${cls === 'Dense' ? 'minFeatures' : 'minChannels'} = ${minSize}`;
  else if (latent > maxRank) reason = `latent ${latent} > ${maxRank}, the largest rank that saves operations`;
  else {
    reason = `latent ${latent} <= ${maxRank}`;
    qualifies = true;
  }
  return {
    qualifies,
    rep: {
      layer: layer.name,
      className: cls,
      inFeatures: inF,
      outFeatures: outF,
      kernelSize: ks,
      replaced: false,
      reason,
      latent,
      maxRank,
      rank: null,
      nmse: null,
      weightError: null,
      paramsBefore: info.paramsBefore,
      paramsAfter: info.paramsBefore,
      flopsBefore: info.flopsBefore,
      flopsAfter: info.flopsBefore,
    },
  };
}
