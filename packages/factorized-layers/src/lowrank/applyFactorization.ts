/**
 * Factorize the Dense and Conv2D layers of a tfjs model into pairs of smaller layers, after
 * Composer's `apply_factorization` / `Factorize` algorithm (`factorize.py`,
 * `factorize_modules.py`; Zhang et al., TPAMI 2016).
 *
 * tfjs layouts are converted here, at the boundary, and nowhere else: a Dense kernel is
 * `(in, out)` (Composer's `Wa` layout already), a Conv2D kernel is `(kh, kw, in, out)` and
 * activations are NHWC (`channelsLast`) or NCHW (`channelsFirst`); the functional API
 * (`factorizeConv2d`) works on `(out, in, kh, kw)` weights and NCHW activations.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, NotSupportedError, ShapeError, assertFinite, describe, svd, toTensor, type TensorLike } from '@tenfold/core';
import { MAX_ITERATIONS, checkOptions as checkKnown } from '../internal/checks.js';
import { factorizeConv2d } from './factorizeConv2d.js';
import { factorizeMatrix, type LowRankSolution } from './factorizeMatrix.js';

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

/** Composer's `_clean_latent_size`: `max(1, floor(l min(in, out)))` for `l < 1`, else `floor(l)`. */
export function cleanLatentSize(latent: number, inSize: number, outSize: number): number {
  if (typeof latent !== 'number' || !Number.isFinite(latent) || latent <= 0) throw new ArgumentError(`latent must be a positive number (an integer size or a fraction < 1); got ${describe(latent)}`);
  checkSize(inSize, 'inSize');
  checkSize(outSize, 'outSize');
  return latent < 1 ? Math.max(1, Math.floor(latent * Math.min(inSize, outSize))) : Math.floor(latent);
}

/**
 * Composer's `_max_rank_with_possible_speedup`: with `fan_in = in Π k`, a rank-`r` split costs
 * `r (fan_in + out)` multiply-adds per location against `fan_in out`, so it pays off for
 * `r <= ceil(fan_in out / (fan_in + out) - 1)`.
 */
export function maxRankWithSpeedup(inSize: number, outSize: number, kernelSize: readonly number[] = []): number {
  checkSize(inSize, 'inSize');
  checkSize(outSize, 'outSize');
  if (!Array.isArray(kernelSize) || !kernelSize.every((k) => typeof k === 'number' && Number.isInteger(k) && k >= 1)) {
    throw new ArgumentError(`kernelSize must be an array of positive integers; got ${describe(kernelSize)}`);
  }
  const fanIn = inSize * kernelSize.reduce((a, b) => a * b, 1);
  return Math.ceil((fanIn * outSize) / (fanIn + outSize) - 1);
}

/** A layer size: a positive integer. */
function checkSize(v: unknown, argName: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${argName} must be a positive integer; got ${describe(v)}`);
}

type LayerCtor = [new (cfg: unknown) => tf.layers.Layer, (cls: unknown, cfg: unknown) => tf.layers.Layer];

/** A fresh, unbuilt copy of a layer from its config (tfjs' own serialization registry). */
function cloneLayer(layer: tf.layers.Layer): tf.layers.Layer {
  const name = layer.getClassName();
  const map = (tf.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, LayerCtor> }).classNameMap;
  const entry = map[name];
  if (!entry) throw new NotSupportedError(`layer '${layer.name}' of class ${name} is not registered with tf.serialization and cannot be copied`);
  return entry[1](entry[0], layer.getConfig());
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

/** Product of the non-batch, non-feature dims of a layer's output: the number of positions. */
function positions(shape: tf.Shape | tf.Shape[], channelsFirst: boolean): number {
  const s = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  const inner = channelsFirst ? s.slice(2) : s.slice(1, -1);
  return inner.reduce<number>((a, d) => a * (d ?? 1), 1);
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
 * weights are transferred: by a truncated SVD `W = U S Vᵀ → (U √S, √S Vᵀ)` of the kernel, or,
 * when `opts.data` is given, data-aware by {@link factorizeMatrix} / {@link factorizeConv2d} on
 * the activations each layer receives in the new model (so later layers compensate for the
 * error of earlier ones). Only `tf.Sequential` models are supported.
 */
export function applyFactorization(model: tf.LayersModel, opts: ApplyFactorizationOptions = {}): FactorizationResult {
  if (!(model instanceof tf.Sequential)) {
    throw new NotSupportedError(`model must be a tf.Sequential (functional models are not supported); got ${describe(model?.constructor?.name ?? model)}`);
  }
  opts = checkKnown(opts, ['factorizeLinears', 'factorizeConvs', 'minFeatures', 'latentFeatures', 'minChannels', 'latentChannels', 'data', 'nIters'], 'applyFactorization');
  const o = checkOptions(opts);
  let h: tf.Tensor | null = null;
  if (opts.data != null) {
    const d = toTensor(opts.data, 'opts.data');
    h = d === opts.data ? tf.clone(d) : d;
    const want = model.inputs[0].shape;
    if (h.rank !== want.length || want.some((v, i) => i > 0 && v !== null && v !== h!.shape[i])) {
      h.dispose();
      throw new ShapeError(`opts.data must match the model input shape ${describe(want)}; got shape ${describe(h.shape)}`);
    }
    try {
      assertFinite(h, 'opts.data');
    } catch (e) {
      h.dispose();
      throw e;
    }
  }

  const out = tf.sequential();
  const report: LayerFactorizationReport[] = [];
  try {
    model.layers.forEach((layer, index) => {
      const cls = layer.getClassName();
      const cfg = layer.getConfig() as Record<string, unknown>;
      const first = index === 0;
      const isDense = cls === 'Dense' && o.factorizeLinears;
      const isConv = cls === 'Conv2D' && o.factorizeConvs;
      let replaced = false;
      if ((cls === 'Dense' || cls === 'Conv2D') && layer.getWeights().length > 0) {
        const entry = describeLayer(layer, cls, cfg, o);
        if ((cls === 'Dense' ? isDense : isConv) && entry.qualifies) {
          const r = replaceLayer(layer, cls, cfg, entry.rep, first, out, h, o.nIters);
          if (h) {
            h.dispose();
            h = r.h;
          }
          report.push(r.rep);
          replaced = true;
        } else {
          if (!(cls === 'Dense' ? isDense : isConv)) entry.rep.reason = `factorize${cls === 'Dense' ? 'Linears' : 'Convs'} is false`;
          report.push(entry.rep);
        }
      }
      if (!replaced) {
        const copy = cloneLayer(layer);
        out.add(copy);
        copy.setWeights(layer.getWeights());
        if (h) {
          const next = tf.tidy(() => copy.apply(h!) as tf.Tensor);
          h.dispose();
          h = next;
        }
      }
    });
  } catch (e) {
    (h as tf.Tensor | null)?.dispose();
    out.dispose();
    throw e;
  }
  (h as tf.Tensor | null)?.dispose();
  return { model: out, report };
}

function describeLayer(
  layer: tf.layers.Layer,
  cls: 'Dense' | 'Conv2D',
  cfg: Record<string, unknown>,
  o: Required<Omit<ApplyFactorizationOptions, 'data'>>,
): { rep: LayerFactorizationReport; qualifies: boolean } {
  const kernel = layer.getWeights()[0];
  const hasBias = layer.getWeights().length > 1;
  const ks: [number, number] = cls === 'Dense' ? [1, 1] : [kernel.shape[0] as number, kernel.shape[1] as number];
  const inF = kernel.shape[kernel.rank - 2] as number;
  const outF = kernel.shape[kernel.rank - 1] as number;
  const fanIn = inF * ks[0] * ks[1];
  const pos = positions(layer.outputShape, cfg.dataFormat === 'channelsFirst');
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
      paramsBefore: fanIn * outF + (hasBias ? outF : 0),
      paramsAfter: fanIn * outF + (hasBias ? outF : 0),
      flopsBefore: 2 * pos * fanIn * outF,
      flopsAfter: 2 * pos * fanIn * outF,
    },
  };
}

/** Build the two replacement layers, transfer the weights, and advance the activations. */
function replaceLayer(
  layer: tf.layers.Layer,
  cls: 'Dense' | 'Conv2D',
  cfg: Record<string, unknown>,
  rep: LayerFactorizationReport,
  first: boolean,
  out: tf.Sequential,
  h: tf.Tensor | null,
  nIters: number,
): { rep: LayerFactorizationReport; h: tf.Tensor | null } {
  const k = rep.latent;
  const [kernel, bias] = layer.getWeights();
  const channelsFirst = cfg.dataFormat === 'channelsFirst';
  const inputShape = first && cfg.batchInputShape ? { batchInputShape: cfg.batchInputShape as (number | null)[] } : {};
  const fanIn = rep.inFeatures * rep.kernelSize[0] * rep.kernelSize[1];
  const perPos = rep.flopsBefore / (2 * fanIn * rep.outFeatures);
  // With fewer regression rows than inputs the least-squares problem is underdetermined: the
  // minimum-norm fit would discard W outside the span of the data, so split by SVD instead.
  const rows = h ? (h.shape[0] as number) * perPos : 0;
  const dataAware = h !== null && rows >= fanIn;
  let reason = rep.reason;
  if (h !== null && !dataAware) reason += `; data-aware fit skipped (${rows} rows < fan_in ${fanIn}), SVD split used`;
  // ka, kb: new kernels in tfjs layout; nb: new bias.
  const w = tf.tidy(() => {
    let sol: LowRankSolution | null = null;
    let ka: tf.Tensor;
    let kb: tf.Tensor;
    let nb: tf.Tensor;
    let nmse: number | null = null;
    if (!dataAware || h === null) {
      // SVD transfer on the kernel as a (fan_in, out) matrix; the row order (kh, kw, c) is irrelevant.
      const mat = tf.reshape(kernel, [-1, rep.outFeatures]) as tf.Tensor2D;
      const { u, s, vt } = svd(mat, { rank: k });
      const sq = tf.sqrt(s);
      ka = tf.mul(u, sq);
      kb = tf.mul(tf.reshape(sq, [k, 1]), vt);
      if (cls === 'Conv2D') {
        ka = tf.reshape(ka, [rep.kernelSize[0], rep.kernelSize[1], rep.inFeatures, k]);
        kb = tf.reshape(kb, [1, 1, k, rep.outFeatures]);
      }
      nb = bias ? tf.clone(bias) : tf.zeros([rep.outFeatures]);
    } else if (cls === 'Dense') {
      const X = tf.reshape(h, [-1, rep.inFeatures]);
      const Y = bias ? tf.add(tf.matMul(X, kernel as tf.Tensor2D), bias) : tf.matMul(X, kernel as tf.Tensor2D);
      sol = factorizeMatrix(X, Y, kernel, { bias: bias ?? null, rank: k, nIters });
      ka = tf.clone(sol.wa);
      kb = tf.clone(sol.wb!);
      nb = sol.bias ? tf.clone(sol.bias) : tf.zeros([rep.outFeatures]);
      nmse = sol.nmse;
    } else {
      // Boundary: tfjs (kh, kw, in, out) kernel and NHWC data -> (out, in, kh, kw) and NCHW.
      const wTorch = tf.transpose(kernel, [3, 2, 0, 1]);
      const xNchw = channelsFirst ? h : tf.transpose(h, [0, 3, 1, 2]);
      const padding = cfg.padding as string;
      if (padding !== 'same' && padding !== 'valid') {
        throw new NotSupportedError(`layer '${layer.name}': padding ${describe(padding)} is not supported (only 'same' and 'valid')`);
      }
      sol = factorizeConv2d(xNchw, wTorch, {
        rank: k,
        // The bias stays out of the regression (X cannot represent a constant offset).
        bias: bias ?? null,
        nIters,
        stride: cfg.strides as [number, number],
        dilation: cfg.dilationRate as [number, number],
        padding,
      });
      ka = tf.transpose(sol.wa, [2, 3, 1, 0]);
      kb = tf.transpose(sol.wb!, [2, 3, 1, 0]);
      nb = sol.bias ? tf.clone(sol.bias) : tf.zeros([rep.outFeatures]);
      nmse = sol.nmse;
    }
    const prod = tf.matMul(tf.reshape(ka, [-1, k]), tf.reshape(kb, [k, rep.outFeatures]));
    const ref = tf.reshape(kernel, [-1, rep.outFeatures]);
    const weightError = Math.sqrt(tf.sum(tf.square(tf.sub(prod, ref))).dataSync()[0] / tf.sum(tf.square(ref)).dataSync()[0]);
    const result = { ka, kb, nb, nmse, weightError };
    sol?.dispose();
    return result as unknown as tf.TensorContainer;
  }) as unknown as { ka: tf.Tensor; kb: tf.Tensor; nb: tf.Tensor; nmse: number | null; weightError: number };

  let a: tf.layers.Layer;
  let b: tf.layers.Layer;
  if (cls === 'Dense') {
    a = tf.layers.dense({ units: k, useBias: false, name: `${layer.name}_a`, ...inputShape });
    b = tf.layers.dense({ units: rep.outFeatures, useBias: true, activation: cfg.activation as 'linear', name: `${layer.name}_b` });
  } else {
    const dataFormat = cfg.dataFormat as 'channelsFirst' | 'channelsLast';
    a = tf.layers.conv2d({
      filters: k,
      kernelSize: rep.kernelSize,
      strides: cfg.strides as [number, number],
      padding: cfg.padding as 'same' | 'valid',
      dilationRate: cfg.dilationRate as [number, number],
      dataFormat,
      useBias: false,
      name: `${layer.name}_a`,
      ...inputShape,
    });
    b = tf.layers.conv2d({ filters: rep.outFeatures, kernelSize: 1, dataFormat, useBias: true, activation: cfg.activation as 'linear', name: `${layer.name}_b` });
  }
  try {
    out.add(a);
    out.add(b);
    a.setWeights([w.ka]);
    b.setWeights([w.kb, w.nb]);
  } finally {
    tf.dispose([w.ka, w.kb, w.nb]);
  }
  const next = h ? tf.tidy(() => b.apply(a.apply(h) as tf.Tensor) as tf.Tensor) : null;
  return {
    h: next,
    rep: {
      ...rep,
      replaced: true,
      reason,
      rank: k,
      nmse: w.nmse,
      weightError: w.weightError,
      paramsAfter: fanIn * k + k * rep.outFeatures + rep.outFeatures,
      flopsAfter: 2 * perPos * (fanIn * k + k * rep.outFeatures),
    },
  };
}
