/**
 * CP (4 convs) and Tucker-2 (3 convs) decompositions of a 2-D convolution, after jacobgil's
 * `pytorch-tensor-decompositions` (`decompositions.py`) and the blog seed's `est_rank`.
 *
 * - CP: Lebedev, Ganin, Rakhuba, Oseledets & Lempitsky, "Speeding-up Convolutional Neural
 *   Networks Using Fine-tuned CP-Decomposition", ICLR 2015.
 * - Tucker-2: Kim, Park, Yoo, Choi, Yang & Shin, "Compression of Deep Convolutional Neural
 *   Networks for Fast and Low Power Mobile Applications", ICLR 2016.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, RankError, ShapeError, assertFinite, describe, parafac, partialTucker, tidyObject, toTensor, type TensorLike } from '@tenfold/core';
import { checkOptions, optionKeys } from '../internal/checks.js';
import { estimateRank } from '@tenfold/rank';
import { resolvePadding, toPair, type ConvPadding, type IntPair } from './geometry.js';
import type { ConvSpec } from './sequence.js';
import { resolveConvWeight, type KernelLayout } from './layout.js';

/** Hyper-parameters of the conv being decomposed. */
export interface ConvDecompositionOptions {
  /** Bias `[out]` of the original conv, added by the last conv of the sequence (may be absent). */
  bias?: TensorLike | null;
  stride?: IntPair;
  /** An int, `[ph, pw]`, `[[top, bottom], [left, right]]` (kept asymmetric), `'valid'` or `'same'`. */
  padding?: ConvPadding;
  dilation?: IntPair;
  /**
   * Groups of the original conv (weight `(out, in / g, kh, kw)`): a grouped conv is `g`
   * independent convs, so each block `(out / g, in / g, kh, kw)` is decomposed on its own at
   * the same rank (EVBMF: the largest over the blocks) and the specs are grouped convs that
   * keep the blocks apart. Default 1.
   */
  groups?: number;
  /**
   * Layout of a tensor `weight`: `'torch'` (default) `(out, in, kh, kw)` or `'tfjs'`
   * `(kh, kw, in, out)`. A tfjs Conv2D layer is read as such (its kernel, bias, strides,
   * padding and dilation are the defaults of the options). The specs are torch-layout.
   */
  layout?: KernelLayout;
  /** Input spatial size, needed only to resolve `'same'` padding with stride > 1. */
  inputSize?: [number, number];
}

export interface CpConv2dOptions extends ConvDecompositionOptions {
  /** Options passed to core's `parafac` (default `{ init: 'svd', seed: 0 }`: jacobgil's init, reproducible). */
  parafacOptions?: NonNullable<Parameters<typeof parafac>[2]>;
  /** With rank 'evbmf': round the EVBMF rank up to a multiple of this (the blog's 8). */
  roundTo?: number;
}

export interface Tucker2Conv2dOptions extends ConvDecompositionOptions {
  /** Options passed to core's `partialTucker` (default `{ init: 'svd' }`, as jacobgil; `modes` is always [0, 1]). */
  tuckerOptions?: NonNullable<Parameters<typeof partialTucker>[2]>;
}

interface Prepared {
  w: tf.Tensor4D;
  bias: tf.Tensor1D | null;
  stride: [number, number];
  dilation: [number, number];
  padding: [[number, number], [number, number]];
  groups: number;
}

/** A conv weight given as a tfjs Conv2D layer, a tfjs kernel or a torch weight. */
export type ConvWeightArg = TensorLike | tf.layers.Layer;

/** Defaults taken from a tfjs Conv2D layer's config (NHWC / NCHW input size for 'same'). */
function layerDefaults(layer: tf.layers.Layer): ConvDecompositionOptions {
  const cfg = layer.getConfig() as Record<string, unknown>;
  const nodes = (layer as unknown as { inboundNodes: { inputShapes: unknown }[] }).inboundNodes;
  const s = (nodes.length > 0 ? nodes[0].inputShapes : cfg.batchInputShape) as (number | null)[] | undefined;
  let inputSize: [number, number] | undefined;
  if (Array.isArray(s) && s.length === 4) {
    const hw = cfg.dataFormat === 'channelsFirst' ? [s[2], s[3]] : [s[1], s[2]];
    if (typeof hw[0] === 'number' && typeof hw[1] === 'number') inputSize = [hw[0], hw[1]];
  }
  return {
    stride: cfg.strides as [number, number],
    dilation: cfg.dilationRate as [number, number],
    padding: cfg.padding as 'same' | 'valid',
    ...(inputSize ? { inputSize } : {}),
  };
}

function prepare(weight: ConvWeightArg, opts0: ConvDecompositionOptions): Prepared {
  const layout = opts0.layout ?? 'torch';
  if (layout !== 'torch' && layout !== 'tfjs') throw new ArgumentError(`opts.layout must be 'torch' or 'tfjs'; got ${describe(layout)}`);
  let w: tf.Tensor4D;
  let opts = opts0;
  if (weight instanceof tf.layers.Layer) {
    const r = resolveConvWeight(weight as never, 2, layout, 'weight');
    w = r.weight as tf.Tensor4D;
    const given = Object.fromEntries(Object.entries(opts0).filter(([, v]) => v !== undefined));
    opts = { ...layerDefaults(weight), bias: r.bias, ...given };
  } else {
    w = (layout === 'tfjs' ? resolveConvWeight(weight, 2, 'tfjs', 'weight').weight : toTensor(weight, 'weight')) as tf.Tensor4D;
  }
  if (w.rank !== 4) throw new ShapeError(`weight must be 4-D (out, in, kh, kw); got shape ${describe(w.shape)}`);
  if (w.size === 0) throw new ShapeError(`weight must have no empty mode; got shape ${describe(w.shape)}`);
  const groups = opts.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1 || w.shape[0] % groups !== 0) {
    throw new ArgumentError(`opts.groups must be a positive integer dividing the ${w.shape[0]} output channels; got ${describe(opts.groups)}`);
  }
  const bias = opts.bias == null ? null : (toTensor(opts.bias, 'opts.bias') as tf.Tensor1D);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== w.shape[0])) {
    throw new ShapeError(`opts.bias must have shape [${w.shape[0]}] (the output channels); got ${describe(bias.shape)}`);
  }
  const kernel: [number, number] = [w.shape[2], w.shape[3]];
  const stride = toPair(opts.stride, 'opts.stride', 1);
  const dilation = toPair(opts.dilation, 'opts.dilation', 1);
  const padding = resolvePadding(opts.padding, kernel, stride, dilation, opts.inputSize, 'opts.padding');
  assertFinite(w, 'weight');
  if (bias) assertFinite(bias, 'opts.bias');
  return { w: w as tf.Tensor4D, bias: bias as tf.Tensor1D | null, stride, dilation, padding, groups };
}

/** The `g` independent blocks `(out / g, in / g, kh, kw)` of a grouped weight. */
function groupBlocks(w: tf.Tensor4D, g: number): tf.Tensor4D[] {
  const per = w.shape[0] / g;
  return Array.from({ length: g }, (_, i) => tf.slice(w, [i * per, 0, 0, 0], [per, -1, -1, -1]));
}

const CONV_KEYS = optionKeys<ConvDecompositionOptions>()('bias', 'stride', 'padding', 'dilation', 'groups', 'inputSize', 'layout');
const CP_CONV2D_OPTIONS = optionKeys<CpConv2dOptions>()(...CONV_KEYS, 'parafacOptions', 'roundTo');
const TUCKER2_CONV2D_OPTIONS = optionKeys<Tucker2Conv2dOptions>()(...CONV_KEYS, 'tuckerOptions');

const NO_PAD: [[number, number], [number, number]] = [[0, 0], [0, 0]];

/** A `1 x 1` conv spec from a matrix `(out, in / groups)`. */
function pointwise(m: tf.Tensor2D, bias: tf.Tensor1D | null, groups = 1): ConvSpec {
  const [o, i] = m.shape;
  return { weight: tf.reshape(m, [o, i, 1, 1]) as tf.Tensor4D, bias: bias ? tf.clone(bias) : null, stride: [1, 1], padding: NO_PAD, dilation: [1, 1], groups };
}

/**
 * CP decomposition of a conv weight `W (T, S, kh, kw) ≈ Σ_r λ_r a_r ∘ b_r ∘ v_r ∘ h_r` into four
 * convolutions (Lebedev et al. 2015; jacobgil's `cp_decomposition_conv_layer`):
 * 1. pointwise `S → R` with weight `Bᵀ` (`(R, S, 1, 1)`);
 * 2. depthwise `(kh, 1)` with weight `Vᵀ` (`(R, 1, kh, 1)`, groups R), the vertical padding,
 *    stride and dilation;
 * 3. depthwise `(1, kw)` with weight `Hᵀ` (`(R, 1, 1, kw)`, groups R), the horizontal ones;
 * 4. pointwise `R → T` with weight `A diag(λ)` (`(T, R, 1, 1)`) and the original bias.
 *
 * The factors come from core's `parafac(W, R, { init: 'svd' })`. Differences from jacobgil,
 * all deliberate (docs/fidelity/lowrank.md): the padding and dilation are applied per
 * dimension (jacobgil uses `padding[0]` for both and drops the dilation), the vertical stride
 * is applied in conv 2 rather than conv 3 (same output, fewer operations), and a bias-free
 * conv works (jacobgil crashes). A grouped conv (`opts.groups`, which jacobgil lacks) is
 * decomposed block by block (see {@link ConvDecompositionOptions.groups}).
 *
 * @param weight a torch weight `(T, S, kh, kw)`, a tfjs kernel (`opts.layout: 'tfjs'`) or a tfjs Conv2D layer.
 * @param rank the CP rank R, or `'evbmf'` for the blog's `est_rank`: the larger EVBMF rank of
 * the mode-0 and mode-1 unfoldings rounded up to a multiple of `opts.roundTo` (default 8).
 * @returns the four {@link ConvSpec}s (they own their tensors).
 */
export function cpConv2d(weight: ConvWeightArg, rank: number | 'evbmf', opts: CpConv2dOptions | null = {}): ConvSpec[] {
  opts = checkOptions(opts, CP_CONV2D_OPTIONS, 'cpConv2d', 'opts');
  return tidyObject((): ConvSpec[] => {
    const p = prepare(weight, opts as ConvDecompositionOptions);
    const [, , kh, kw] = p.w.shape;
    let r: number;
    if (rank === 'evbmf') {
      const roundTo = (opts as CpConv2dOptions).roundTo ?? 8;
      if (!Number.isInteger(roundTo) || roundTo < 1) throw new ArgumentError(`opts.roundTo must be a positive integer; got ${describe(roundTo)}`);
      // The blog's rule is not clamped: a CP rank may exceed the channel counts.
      r = Math.max(...groupBlocks(p.w, p.groups).map((blk) => estimateRank(blk, { modes: [0, 1], roundTo, clamp: false }).rank));
      if (!(r >= 1)) throw new RankError(`EVBMF found no signal in weight (estimated rank ${r}); pass an explicit rank`);
    } else {
      if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) {
        throw new RankError(`rank must be a positive integer or 'evbmf'; got ${describe(rank)}`);
      }
      r = rank;
    }
    const g = p.groups;
    const parts = groupBlocks(p.w, g).map((blk) => {
      // A seed by default: the SVD init fills ranks beyond a mode's size at random (TensorLy).
      const cp = parafac(blk, r, { init: 'svd', seed: 0, ...((opts as CpConv2dOptions).parafacOptions ?? {}) });
      const cpt = ('cp' in cp ? (cp as { cp: unknown }).cp : cp) as { weights: tf.Tensor | null; factors: tf.Tensor2D[] };
      const [last, first, vertical, horizontal] = cpt.factors;
      return { first, vertical, horizontal, last: (cpt.weights ? tf.mul(last, cpt.weights) : last) as tf.Tensor2D };
    });
    // Group i's R components are channels [i R, (i + 1) R) of the middle convs.
    const cat = (f: (q: (typeof parts)[number]) => tf.Tensor, axis: number) => tf.concat(parts.map(f), axis) as tf.Tensor2D;
    const first = cat((q) => tf.transpose(q.first), 0);
    const vertical = cat((q) => tf.transpose(q.vertical), 0);
    const horizontal = cat((q) => tf.transpose(q.horizontal), 0);
    const lastScaled = cat((q) => q.last, 0);
    const [[t, b], [l, rr]] = p.padding;
    const gr = g * r;
    return [
      pointwise(first, null, g),
      {
        weight: tf.reshape(vertical, [gr, 1, kh, 1]) as tf.Tensor4D,
        bias: null,
        stride: [p.stride[0], 1],
        padding: [[t, b], [0, 0]],
        dilation: [p.dilation[0], 1],
        groups: gr,
      },
      {
        weight: tf.reshape(horizontal, [gr, 1, 1, kw]) as tf.Tensor4D,
        bias: null,
        stride: [1, p.stride[1]],
        padding: [[0, 0], [l, rr]],
        dilation: [1, p.dilation[1]],
        groups: gr,
      },
      pointwise(lastScaled, p.bias, g),
    ];
  });
}

/**
 * Tucker-2 decomposition of a conv weight along its channel modes,
 * `W ≈ G ×₀ A ×₁ B` with `A (T, R_out)`, `B (S, R_in)` and core `G (R_out, R_in, kh, kw)`, as three
 * convolutions (Kim et al. 2016; jacobgil's `tucker_decomposition_conv_layer`):
 * 1. pointwise `S → R_in` with weight `Bᵀ`;
 * 2. the core conv `R_in → R_out` with the original kernel, stride, padding and dilation;
 * 3. pointwise `R_out → T` with weight `A` and the original bias.
 *
 * The factors come from core's `partialTucker(W, [R_out, R_in], { modes: [0, 1], init: 'svd' })`.
 * A bias-free conv works (jacobgil crashes on it) and asymmetric padding is kept. A grouped
 * conv is decomposed block by block, `ranks` per group.
 *
 * @param weight a torch weight `(T, S, kh, kw)`, a tfjs kernel (`opts.layout: 'tfjs'`) or a tfjs Conv2D layer.
 * @param ranks `[R_out, R_in]`, or `'evbmf'` for jacobgil's `estimate_ranks` (the EVBMF ranks
 * of the mode-0 and mode-1 unfoldings, no rounding).
 */
export function tucker2Conv2d(weight: ConvWeightArg, ranks: [number, number] | 'evbmf', opts: Tucker2Conv2dOptions | null = {}): ConvSpec[] {
  opts = checkOptions(opts, TUCKER2_CONV2D_OPTIONS, 'tucker2Conv2d', 'opts');
  return tidyObject((): ConvSpec[] => {
    const p = prepare(weight, opts as ConvDecompositionOptions);
    const g = p.groups;
    const blocks = groupBlocks(p.w, g);
    const [T, S] = blocks[0].shape;
    let rs: [number, number];
    if (ranks === 'evbmf') {
      const est = blocks.map((blk) => estimateRank(blk, { modes: [0, 1] }).ranks);
      rs = [Math.max(...est.map((e) => e[0])), Math.max(...est.map((e) => e[1]))];
      if (!(rs[0] >= 1 && rs[1] >= 1)) throw new RankError(`EVBMF found no signal in a mode of weight (estimated ranks ${describe(rs)}); pass explicit ranks`);
    } else {
      if (!Array.isArray(ranks) || ranks.length !== 2 || !ranks.every((v) => Number.isInteger(v) && v >= 1)) {
        throw new RankError(`ranks must be [rOut, rIn] of positive integers or 'evbmf'; got ${describe(ranks)}`);
      }
      rs = [ranks[0], ranks[1]];
    }
    if (rs[0] > T || rs[1] > S) {
      throw new RankError(`ranks [rOut, rIn] must not exceed the channels${g > 1 ? ' per group' : ''} [${T}, ${S}]; got ${describe(rs)}`);
    }
    const parts = blocks.map((blk) => {
      const res = partialTucker(blk, rs, { init: 'svd', ...((opts as Tucker2Conv2dOptions).tuckerOptions ?? {}), modes: [0, 1] });
      const [last, first] = res.factors as tf.Tensor2D[];
      return { last, first, core: res.core };
    });
    const first = tf.concat(parts.map((q) => tf.transpose(q.first)), 0) as tf.Tensor2D;
    const core = tf.concat(parts.map((q) => q.core), 0) as tf.Tensor4D;
    const last = tf.concat(parts.map((q) => q.last), 0) as tf.Tensor2D;
    return [
      pointwise(first, null, g),
      { weight: core, bias: null, stride: p.stride, padding: p.padding, dilation: p.dilation, groups: g },
      pointwise(last, p.bias, g),
    ];
  });
}
