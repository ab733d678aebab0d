/**
 * `FactorizedConv.fromConv` / `fromConvList` (tltorch `from_conv`, `from_conv_list`): the
 * kernel `(out, in / groups, *k)` (TT: moved to `(in, *k, out)`, tltorch `kernel_to_tensor`)
 * is decomposed by `FactorizedTensor.fromTensor` (CP: parafac with l2Reg 1e-5; Tucker: HOOI;
 * TT: TT-SVD); bias and geometry are copied. The conv is given as a tfjs Conv1D/2D/3D layer,
 * a kernel tensor (`layout` 'torch' (default) or 'tfjs'), or a PyTorch-like
 * `{ weight, bias?, stride?, padding?, dilation?, groups? }`. Layout conversion goes through
 * `./layout.ts` only.
 *
 * Deviation: tltorch keeps only `conv.stride[0]` (a (2, 1) stride becomes (2, 2)); the
 * per-dim stride is kept here (docs/fidelity/factorized-conv.md).
 */
import { ArgumentError, RankError, ShapeError, assertFinite, describe, tf, toTensor, type TensorLike } from '@tenfold/core';
import { estimateRank } from '@tenfold/rank';
import { FactorizedTensor, checkDecompositionOptions, type TensorDecompositionOptions } from '../factorized/factorizedTensor.js';
import { type TensorFactorization, parseTensorFactorization } from '../factorized/params.js';
import type { FactorizedRankSpec } from '../factorized/rank.js';
import { checkOptions, optionKeys } from '../internal/checks.js';
import type { ConvPaddingNd } from './geometry.js';
import { type KernelLayout, resolveConvWeight } from './layout.js';
import { resolveFixedRankModes } from './factorizedConvSpec.js';
import { FactorizedConv, type FactorizedConvImplementation } from './factorizedConv.js';
import { checkImplementation } from '../internal/paramChecks.js';

/** A PyTorch-like conv: torch-layout weight `(out, in / groups, *k)` and its geometry. */
export interface ConvSpecLike {
  weight: TensorLike;
  bias?: TensorLike | null;
  stride?: number | number[];
  padding?: ConvPaddingNd;
  dilation?: number | number[];
  groups?: number;
}

/** A tfjs Conv1D/2D/3D layer (the parts read). */
interface TfjsConvLayer {
  getClassName(): string;
  getWeights(): tf.Tensor[];
  getConfig(): Record<string, unknown>;
}

export type ConvLike = TensorLike | TfjsConvLayer | ConvSpecLike;

export interface FromConvOptions {
  /** Rank, or 'evbmf': EVBMF on the out/in unfoldings (`@tenfold/rank` estimateRank). */
  rank?: FactorizedRankSpec | 'evbmf';
  factorization?: TensorFactorization | string;
  /** Default 'reconstructed', as tltorch's from_conv. */
  implementation?: FactorizedConvImplementation;
  /** Layout of a kernel tensor: 'torch' `(out, in, *k)` (default) or 'tfjs' `(*k, in, out)`. */
  layout?: KernelLayout;
  /** Override or give the geometry (a layer's or spec's own is used otherwise). */
  stride?: number | number[];
  padding?: ConvPaddingNd;
  dilation?: number | number[];
  groups?: number;
  /** A bias `(out)` for a bare kernel. */
  bias?: TensorLike | null;
  fixedRankModes?: 'spatial' | number[] | null;
  /** Options of parafac / tucker / tensorTrain (camelCase TensorLy names). */
  decomposition?: TensorDecompositionOptions;
}

const FROM_CONV_OPTIONS = optionKeys<FromConvOptions>()('rank', 'factorization', 'implementation', 'layout', 'stride', 'padding', 'dilation', 'groups', 'bias', 'fixedRankModes', 'decomposition');

export type FromConvListOptions = Omit<FromConvOptions, 'bias' | 'stride' | 'padding' | 'dilation'>;

const FROM_CONV_LIST_OPTIONS = optionKeys<FromConvListOptions>()('rank', 'factorization', 'implementation', 'layout', 'groups', 'fixedRankModes', 'decomposition');

interface ResolvedConv {
  weight: tf.Tensor;
  bias: tf.Tensor | null;
  geometry: { stride?: number | number[]; padding?: ConvPaddingNd; dilation?: number | number[]; groups?: number };
}

function isLayer(v: unknown): v is TfjsConvLayer {
  return typeof v === 'object' && v !== null && typeof (v as TfjsConvLayer).getClassName === 'function' && typeof (v as TfjsConvLayer).getWeights === 'function';
}

function isSpec(v: unknown): v is ConvSpecLike {
  return typeof v === 'object' && v !== null && !(v instanceof tf.Tensor) && !Array.isArray(v) && 'weight' in v;
}

/** Read one conv into a torch-layout weight (new tensor), bias (new tensor or null) and geometry. */
function resolveConv(c: ConvLike, layout: KernelLayout, argName: string): ResolvedConv {
  if (isLayer(c)) {
    const m = /^Conv([123])D$/.exec(c.getClassName());
    if (!m) throw new ArgumentError(`${argName} must be a tfjs Conv1D/2D/3D layer, a kernel or { weight, ... }; got a ${c.getClassName()} layer`);
    const cfg = c.getConfig();
    if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') throw new ArgumentError(`${argName}: only channelsLast tfjs conv layers are supported; got dataFormat ${describe(cfg.dataFormat)}`);
    if (cfg.padding !== 'same' && cfg.padding !== 'valid') throw new ArgumentError(`${argName}: padding ${describe(cfg.padding)} is not supported (only 'same' / 'valid')`);
    const { weight, bias } = resolveConvWeight(c, Number(m[1]), 'tfjs', argName);
    return { weight, bias, geometry: { stride: cfg.strides as number[], padding: cfg.padding as ConvPaddingNd, dilation: cfg.dilationRate as number | number[] } };
  }
  if (isSpec(c)) {
    const w = toTensor(c.weight, `${argName}.weight`);
    try {
      const { weight } = resolveConvWeight(w, Math.max(w.rank - 2, 1), 'torch', `${argName}.weight`);
      let bias: tf.Tensor | null = null;
      if (c.bias !== undefined && c.bias !== null) {
        const b = toTensor(c.bias, `${argName}.bias`);
        bias = b === c.bias ? tf.clone(b) : b;
      }
      return { weight, bias, geometry: { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups } };
    } finally {
      if (w !== c.weight) w.dispose();
    }
  }
  const t = toTensor(c as TensorLike, argName);
  try {
    const { weight } = resolveConvWeight(t, Math.max(t.rank - 2, 1), layout, argName);
    return { weight, bias: null, geometry: {} };
  } finally {
    if (t !== c) t.dispose();
  }
}

/** 'evbmf' -> a rank for `kind` from EVBMF on the out / in unfoldings of the torch kernel. */
function evbmfRank(weight: tf.Tensor, kind: TensorFactorization): FactorizedRankSpec {
  const est = estimateRank(weight, { modes: [0, 1], minRank: 1 });
  if (kind === 'tucker') return [Math.max(est.ranks[0], 1), Math.max(est.ranks[1], 1), ...weight.shape.slice(2)];
  return Math.max(est.rank, 1);
}

function checkCommon(opts: FromConvListOptions): { kind: TensorFactorization; implementation: FactorizedConvImplementation; layout: KernelLayout } {
  const kind = parseTensorFactorization(opts.factorization ?? 'cp');
  const implementation = checkImplementation(opts.implementation ?? 'reconstructed');
  const layout = opts.layout ?? 'torch';
  if (layout !== 'torch' && layout !== 'tfjs') throw new ArgumentError(`layout must be 'torch' or 'tfjs'; got ${describe(layout)}`);
  checkDecompositionOptions(opts.decomposition);
  if (opts.rank === 'evbmf' && kind === 'dense') throw new RankError("rank 'evbmf' needs factorization 'cp', 'tucker' or 'tt'; got 'dense'");
  return { kind, implementation, layout };
}

/** Move the out-channel mode last for TT (tltorch `kernel_to_tensor`). */
function kernelToTensor(kind: TensorFactorization, w: tf.Tensor): tf.Tensor {
  if (kind !== 'tt') return w;
  return tf.transpose(w, [...Array.from({ length: w.rank - 1 }, (_, i) => i + 1), 0]);
}

/** @internal `FactorizedConv.fromConv`. */
export function fromConvImpl(conv: ConvLike, options: FromConvOptions | null = {}): FactorizedConv {
  const opts = checkOptions(options, FROM_CONV_OPTIONS, 'FactorizedConv.fromConv');
  const { kind, implementation, layout } = checkCommon(opts);
  if (conv === null || conv === undefined) throw new ArgumentError(`conv must be a tfjs conv layer, a kernel or { weight, ... }; got ${describe(conv)}`);
  const r = resolveConv(conv, layout, 'conv');
  const owned: tf.Tensor[] = [r.weight, ...(r.bias ? [r.bias] : [])];
  try {
    if (opts.bias !== undefined && opts.bias !== null) {
      const b = toTensor(opts.bias, 'bias');
      owned.push(b === opts.bias ? tf.clone(b) : b);
      r.bias = owned[owned.length - 1];
    }
    const w = r.weight;
    if (w.rank < 3 || w.rank > 5) throw new ShapeError(`conv kernel must have 1 to 3 spatial dims (out, in, *k); got shape ${describe(w.shape)}`);
    assertFinite(w, 'conv.weight');
    const [out, inPer, ...k] = w.shape as number[];
    if (r.bias) {
      assertFinite(r.bias, 'bias');
      if (r.bias.rank !== 1 || r.bias.shape[0] !== out) throw new ShapeError(`bias must have shape [${out}]; got ${describe(r.bias.shape)}`);
    }
    const groups = opts.groups ?? r.geometry.groups ?? 1;
    const rank = opts.rank === 'evbmf' ? evbmfRank(w, kind) : (opts.rank ?? 'same');
    const fixed = resolveFixedRankModes(opts.fixedRankModes, kind, k.length, 1);
    const t = kernelToTensor(kind, w);
    if (t !== w) owned.push(t);
    const weight = FactorizedTensor.fromTensor(t, rank, kind, { fixedRankModes: fixed, decomposition: opts.decomposition });
    try {
      const layer = new FactorizedConv({
        inChannels: inPer * groups,
        outChannels: out,
        kernelSize: k,
        stride: opts.stride ?? r.geometry.stride,
        padding: opts.padding ?? r.geometry.padding,
        dilation: opts.dilation ?? r.geometry.dilation,
        groups,
        bias: r.bias !== null,
        factorization: weight,
        implementation,
      });
      if (layer.bias && r.bias) layer.bias.assign(r.bias);
      return layer;
    } catch (e) {
      weight.dispose();
      throw e;
    }
  } finally {
    tf.dispose(owned);
  }
}

/** @internal `FactorizedConv.fromConvList`. */
export function fromConvListImpl(convs: ConvLike[], options: FromConvListOptions | null = {}): FactorizedConv {
  const opts = checkOptions(options, FROM_CONV_LIST_OPTIONS, 'FactorizedConv.fromConvList');
  const { kind, implementation, layout } = checkCommon(opts);
  if (!Array.isArray(convs) || convs.length === 0) throw new ArgumentError(`convs must be a non-empty list of convs; got ${describe(convs)}`);
  const rs: ResolvedConv[] = [];
  const owned: tf.Tensor[] = [];
  try {
    convs.forEach((c, i) => {
      if (c === null || c === undefined) throw new ArgumentError(`convs[${i}] must be a tfjs conv layer, a kernel or { weight, ... }; got ${describe(c)}`);
      const r = resolveConv(c, layout, `convs[${i}]`);
      owned.push(r.weight, ...(r.bias ? [r.bias] : []));
      rs.push(r);
    });
    const shape0 = rs[0].weight.shape;
    rs.forEach((r, i) => {
      if (r.weight.shape.length !== shape0.length || r.weight.shape.some((d, k) => d !== shape0[k])) {
        throw new ShapeError(`convs[${i}] kernel has shape ${describe(r.weight.shape)}; every conv must match convs[0]'s ${describe(shape0)}`);
      }
      assertFinite(r.weight, `convs[${i}].weight`);
      if (r.bias && (r.bias.rank !== 1 || r.bias.shape[0] !== shape0[0])) throw new ShapeError(`convs[${i}].bias must have shape [${shape0[0]}]; got ${describe(r.bias.shape)}`);
    });
    if (shape0.length < 3 || shape0.length > 5) throw new ShapeError(`conv kernels must have 1 to 3 spatial dims; got shape ${describe(shape0)}`);
    const [out, inPer, ...k] = shape0 as number[];
    const groups = opts.groups ?? rs[0].geometry.groups ?? 1;
    const n = rs.length;
    const stacked = tf.tidy(() => {
      const s = tf.stack(rs.map((r) => kernelToTensor(kind, r.weight)));
      return n > 1 ? s : tf.squeeze(s, [0]);
    });
    owned.push(stacked);
    const rank = opts.rank === 'evbmf' ? evbmfRank(rs[0].weight, kind) : (opts.rank ?? 'same');
    const fixed = resolveFixedRankModes(opts.fixedRankModes, kind, k.length, n);
    const weight = FactorizedTensor.fromTensor(stacked, rank, kind, { fixedRankModes: fixed, decomposition: opts.decomposition });
    let layer: FactorizedConv;
    try {
      layer = new FactorizedConv({ inChannels: inPer * groups, outChannels: out, kernelSize: k, groups, nLayers: n, bias: true, factorization: weight, implementation });
    } catch (e) {
      weight.dispose();
      throw e;
    }
    try {
      rs.forEach((r, i) => {
        const g = r.geometry;
        layer.setLayer(i, { stride: g.stride, padding: g.padding, dilation: g.dilation, bias: r.bias });
        // A conv without a bias is not biased (tltorch's has_bias stays False).
        layer.hasBias[i] = r.bias !== null;
      });
    } catch (e) {
      layer.dispose();
      throw e;
    }
    return layer;
  } finally {
    tf.dispose(owned);
  }
}
