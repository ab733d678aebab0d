/**
 * Data-aware low-rank factorization of a 2-D convolution into a `kh x kw` conv with `rank`
 * output channels followed by a `1 x 1` conv, after Composer's `factorize_conv2d`
 * (Zhang et al., TPAMI 2016).
 */
import { tf } from '@tenfold/core';
import { ArgumentError, NotSupportedError, ShapeError, assertFinite, describe, tidyObject, toTensor, type TensorLike } from '@tenfold/core';
import { kernelFromTfjs, kernelToTfjs, resolveConvWeight, toChannelsFirst, toChannelsLast, type KernelLayout } from '../conv/layout.js';
import { convGeometry, resolvePadding, toPair, type ConvGeometry, type ConvPadding, type IntPair } from '../conv/geometry.js';
import type { ConvSpec } from '../conv/sequence.js';
import { MAX_ITERATIONS, checkOptions, optionKeys, checkProgress, checkSignal, type ProgressCallback } from '../internal/checks.js';
import { factorizeMatrix, LowRankSolution } from './factorizeMatrix.js';
import { im2colNhwc } from './patches.js';

export interface FactorizeConv2dOptions {
  /** Second conv `(out, d, 1, 1)`: `wa` (`(d, C, kh, kw)`) and `wb` are already factorized. */
  wb?: TensorLike | null;
  /** Latent channels: an integer, or a fraction in (0, 1) of `fan_in = C kh kw`. Default 0.25. */
  rank?: number;
  /** Bias of the first conv (`[out]` without `wb`, `[d]` with it). */
  biasA?: TensorLike | null;
  /** Bias of the second conv (`[out]`); needs `wb`. */
  biasB?: TensorLike | null;
  /**
   * Output bias (`[out]`) handled as {@link factorizeMatrix}'s `bias`: it is added to the
   * target but excluded from the regression and added back to the result, so the fit spends
   * no effort on a constant offset the patches cannot represent. Composer's `biasA` / `biasB`
   * instead stay inside the regression target. Not combinable with the bias of the conv that
   * produces the output (`biasA` without `wb`, `biasB` with it).
   */
  bias?: TensorLike | null;
  /** Alternating least-squares sweeps. Default 3. */
  nIters?: number;
  stride?: IntPair;
  /** An int, `[ph, pw]`, `[[top, bottom], [left, right]]`, `'valid'` or `'same'`. */
  padding?: ConvPadding;
  dilation?: IntPair;
  /** Groups of the original conv (`wa` is then `(out, C / groups, kh, kw)`); needs no `wb`. */
  groups?: number;
  /** Progress records of the ALS sweeps, as {@link factorizeMatrix}'s, with task 'factorizeConv2d'. */
  onProgress?: ProgressCallback;
  /** Checked before the work and after every sweep; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
  /**
   * `'torch'` (default): `x` NCHW, kernels `(out, in, kh, kw)`. `'tfjs'`: `x` NHWC, `wa` / `wb`
   * and the returned kernels `(kh, kw, in, out)`. A tfjs Conv2D layer as `wa` is read as such.
   */
  layout?: KernelLayout;
}

const FACTORIZE_CONV2D_OPTIONS = optionKeys<FactorizeConv2dOptions>()('wb', 'rank', 'biasA', 'biasB', 'bias', 'nIters', 'stride', 'padding', 'dilation', 'groups', 'layout', 'onProgress', 'signal');

/**
 * Expand a grouped weight `(out, C / g, kh, kw)` into the equivalent dense block-diagonal
 * weight `(out, C, kh, kw)`. Internal.
 */
function denseFromGrouped(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  if (groups === 1) return w;
  const [out, inPer, kh, kw] = w.shape;
  const outPer = out / groups;
  const blocks: tf.Tensor4D[] = [];
  for (let g = 0; g < groups; g++) {
    const ws = tf.slice(w, [g * outPer, 0, 0, 0], [outPer, inPer, kh, kw]);
    blocks.push(tf.pad(ws, [[0, 0], [g * inPer, (groups - 1 - g) * inPer], [0, 0], [0, 0]]));
  }
  return tf.concat(blocks, 0);
}

/**
 * Approximate the convolution `W * x (+ biasA)` (or `Wb * (Wa * x + biasA) + biasB` when
 * already factorized) by `Wb' * (Wa' * x) + bias`, with `Wa'` of shape `(k, C, kh, kw)` and
 * `Wb'` of shape `(out, k, 1, 1)`, minimising the squared error on the given activations.
 *
 * As Composer's `factorize_conv2d`: the activations are unfolded into patches `X`
 * (`[N O1 O2, C kh kw]`, columns in `(c, kh, kw)` order), the weight becomes
 * `W.reshape(out, -1)ᵀ`, the target `Y = X W (+ biasA) (@ Wb (+ biasB))` is built here, and
 * {@link factorizeMatrix} runs without a bias argument (the new bias is the residual mean).
 * A fractional rank is a fraction of `fan_in = C kh kw`.
 *
 * Unlike Composer (which raises `NotImplementedError`), stride, dilation and groups are
 * supported: the patches are the ones the conv actually sees (through `extractPatches`'
 * im2col), and a grouped weight is expanded to its dense block-diagonal equivalent, so the
 * first factor is a dense `(k, C, kh, kw)` conv carrying the original stride, padding and
 * dilation. `biasB` without `wb` throws an ArgumentError (Composer: RuntimeError).
 *
 * Progress: task 'factorizeConv2d', step 0 then one record per ALS sweep (total nIters), no error.
 *
 * @param x activations entering the conv, NCHW `[N, C, H, W]` (NHWC with `layout: 'tfjs'`).
 * @param wa the conv weight `(out, C / groups, kh, kw)`, or the first factor `(d, C, kh, kw)`
 *   (tfjs layout with `layout: 'tfjs'`), or a tfjs Conv2D layer (its kernel; pass its bias as `bias`).
 * @returns a {@link LowRankSolution} with `wa` `(k, C, kh, kw)` and `wb` `(out, k, 1, 1)`; after a
 * skip rule, `wa` is the single full weight `(out, C, kh, kw)` (`wb` null) or the inputs.
 */
export function factorizeConv2d(x: TensorLike, wa: TensorLike | tf.layers.Layer, options: FactorizeConv2dOptions | null = {}): LowRankSolution {
  const opts = checkOptions(options, FACTORIZE_CONV2D_OPTIONS, 'factorizeConv2d');
  const layout = opts.layout ?? 'torch';
  if (layout !== 'torch' && layout !== 'tfjs') throw new ArgumentError(`opts.layout must be 'torch' or 'tfjs'; got ${describe(layout)}`);
  const nIters = opts.nIters ?? 3;
  if (!Number.isInteger(nIters) || nIters < 0 || nIters > MAX_ITERATIONS) {
    throw new ArgumentError(`opts.nIters must be an integer in [0, ${MAX_ITERATIONS}]; got ${describe(nIters)}`);
  }
  // The sweeps run in factorizeMatrix: its records, renamed, with the clock started here.
  const userProgress = checkProgress(opts.onProgress);
  const signal = checkSignal(opts.signal);
  const start = performance.now();
  const onProgress: ProgressCallback | undefined = userProgress && ((r) => userProgress({ ...r, task: 'factorizeConv2d', elapsed: (performance.now() - start) / 1000 }));
  // Validate and build the regression problem, then hand over to factorizeMatrix.
  const prob = tidyObject((): { Xmat: tf.Tensor2D; Y: tf.Tensor2D; WAmat: tf.Tensor2D; WBmat: tf.Tensor2D | null; outBias: tf.Tensor1D | null; kernel: number[]; c: number } => {
    const X0 = toTensor(x, 'x') as tf.Tensor4D;
    if (X0.rank !== 4) throw new ShapeError(`x must be 4-D (${layout === 'tfjs' ? 'N, H, W, C' : 'N, C, H, W'}); got shape ${describe(X0.shape)}`);
    const X = (layout === 'tfjs' ? toChannelsFirst(X0) : X0) as tf.Tensor4D;
    // A tfjs layer or kernel goes through conv/layout.ts; a torch weight is used as given.
    const WA = (wa instanceof tf.layers.Layer || layout === 'tfjs' ? resolveConvWeight(wa, 2, layout, 'wa').weight : toTensor(wa, 'wa')) as tf.Tensor4D;
    if (WA.rank !== 4) throw new ShapeError(`wa must be 4-D (out, in/groups, kh, kw); got shape ${describe(WA.shape)}`);
    const WB0 = opts.wb == null ? null : (toTensor(opts.wb, 'opts.wb') as tf.Tensor4D);
    if (WB0 && layout === 'tfjs' && WB0.rank !== 4) throw new ShapeError(`opts.wb must be a 4-D tfjs kernel (1, 1, d, out); got shape ${describe(WB0.shape)}`);
    const WB = (WB0 && layout === 'tfjs' ? kernelFromTfjs(WB0) : WB0) as tf.Tensor4D | null;
    const groups = opts.groups ?? 1;
    const c = X.shape[1];
    if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || WA.shape[0] % groups !== 0) {
      throw new ArgumentError(`opts.groups must be a positive integer dividing the ${c} input and ${WA.shape[0]} output channels; got ${describe(groups)}`);
    }
    if (groups > 1 && WB) {
      throw new NotSupportedError(`opts.groups > 1 is supported for a single conv weight only; got groups ${groups} with opts.wb`);
    }
    if (WA.shape[1] * groups !== c) {
      throw new ShapeError(`wa expects ${WA.shape[1]} x ${groups} groups = ${WA.shape[1] * groups} input channels, but x has ${c}`);
    }
    const [, , kh, kw] = WA.shape;
    const geom: ConvGeometry = convGeometry([X.shape[2], X.shape[3]], [kh, kw], { stride: opts.stride, padding: opts.padding, dilation: opts.dilation }, 'opts.');
    const biasA = opts.biasA == null ? null : toTensor(opts.biasA, 'opts.biasA');
    const biasB = opts.biasB == null ? null : toTensor(opts.biasB, 'opts.biasB');
    if (biasA && (biasA.rank !== 1 || biasA.shape[0] !== WA.shape[0])) {
      throw new ShapeError(`opts.biasA must have shape [${WA.shape[0]}] (wa's output channels); got ${describe(biasA.shape)}`);
    }
    if (WB) {
      if (WB.rank !== 4 || WB.shape[1] !== WA.shape[0] || WB.shape[2] !== 1 || WB.shape[3] !== 1) {
        throw new ShapeError(`opts.wb must be (out, ${WA.shape[0]}, 1, 1) to follow wa; got shape ${describe(WB.shape)}`);
      }
      if (biasB && (biasB.rank !== 1 || biasB.shape[0] !== WB.shape[0])) {
        throw new ShapeError(`opts.biasB must have shape [${WB.shape[0]}] (wb's output channels); got ${describe(biasB.shape)}`);
      }
    } else if (biasB) {
      throw new ArgumentError(`opts.biasB was given without opts.wb; there is no second conv to add it to`);
    }
    const outBias = opts.bias == null ? null : toTensor(opts.bias, 'opts.bias');
    const outChannels = WB ? WB.shape[0] : WA.shape[0];
    if (outBias) {
      if (outBias.rank !== 1 || outBias.shape[0] !== outChannels) {
        throw new ShapeError(`opts.bias must have shape [${outChannels}] (the output channels); got ${describe(outBias.shape)}`);
      }
      if (WB ? biasB : biasA) {
        throw new ArgumentError(`opts.bias cannot be combined with opts.${WB ? 'biasB' : 'biasA'}: both are the output bias`);
      }
    }

    // The fit solves least squares on these: NaN/Inf is refused here, naming the argument
    // (factorizeMatrix would only see the derived patches and targets).
    assertFinite(X, 'x');
    assertFinite(WA, 'wa');
    if (WB) assertFinite(WB, 'opts.wb');
    if (biasA) assertFinite(biasA, 'opts.biasA');
    if (biasB) assertFinite(biasB, 'opts.biasB');
    if (outBias) assertFinite(outBias, 'opts.bias');
    const cols = im2colNhwc(toChannelsLast(X) as tf.Tensor4D, geom);
    const Xmat = tf.reshape(cols, [-1, cols.shape[3]]) as tf.Tensor2D;
    const dense = denseFromGrouped(WA as tf.Tensor4D, groups);
    const WAmat = tf.transpose(tf.reshape(dense, [dense.shape[0], -1])) as tf.Tensor2D;
    let Y = tf.matMul(Xmat, WAmat) as tf.Tensor2D;
    if (biasA) Y = tf.add(Y, biasA);
    let WBmat: tf.Tensor2D | null = null;
    if (WB) {
      WBmat = tf.transpose(tf.reshape(WB, [WB.shape[0], -1])) as tf.Tensor2D;
      Y = tf.matMul(Y, WBmat);
      if (biasB) Y = tf.add(Y, biasB);
    }
    if (outBias) Y = tf.add(Y, outBias);
    return { Xmat, Y, WAmat, WBmat, outBias: outBias ? (tf.clone(outBias) as tf.Tensor1D) : null, kernel: [kh, kw], c };
  });

  let sol: LowRankSolution;
  try {
    sol = factorizeMatrix(prob.Xmat, prob.Y, prob.WAmat, { wb: prob.WBmat, bias: prob.outBias, rank: opts.rank ?? 0.25, nIters: opts.nIters ?? 3, onProgress, signal });
  } finally {
    tf.dispose([prob.Xmat, prob.Y, prob.WAmat]);
    prob.WBmat?.dispose();
    prob.outBias?.dispose();
  }
  // Matrices back to conv weights: Wa (fan_in, k) -> (k, C, kh, kw); Wb (k, out) -> (out, k, 1, 1).
  const [kh, kw] = prob.kernel;
  const back = (t: tf.Tensor) => (layout === 'tfjs' ? kernelToTfjs(t) : t);
  const wa4 = tf.tidy(() => back(tf.reshape(tf.transpose(sol.wa), [sol.wa.shape[1] as number, prob.c, kh, kw])));
  const wb4 = sol.wb ? tf.tidy(() => back(tf.reshape(tf.transpose(sol.wb!), [sol.wb!.shape[1] as number, sol.wb!.shape[0], 1, 1]))) : null;
  sol.wa.dispose();
  sol.wb?.dispose();
  sol.wa = wa4;
  sol.wb = wb4;
  return sol;
}

const LOW_RANK_CONV_SPECS_OPTIONS = optionKeys<NonNullable<Parameters<typeof lowRankConvSpecs>[1]>>()('stride', 'padding', 'dilation', 'inputSize');

/**
 * The conv specs of a factorized conv: `wa` (`kh x kw`, with the original stride, padding
 * and dilation) then `wb` (`1 x 1`) with the bias; a single spec when `wb` is null. The
 * specs share the solution's tensors (clone them to keep them past `solution.dispose()`).
 */
export function lowRankConvSpecs(
  solution: LowRankSolution,
  opts: { stride?: IntPair; padding?: ConvPadding; dilation?: IntPair; inputSize?: [number, number] } | null = {},
): ConvSpec[] {
  if (!(solution instanceof LowRankSolution)) throw new ArgumentError(`solution must be a LowRankSolution (factorizeConv2d); got ${describe(solution)}`);
  if (solution.wa.isDisposed || solution.wb?.isDisposed || solution.bias?.isDisposed) {
    throw new ArgumentError('solution has been disposed (its tensors are gone)');
  }
  opts = checkOptions(opts, LOW_RANK_CONV_SPECS_OPTIONS, 'lowRankConvSpecs', 'opts');
  const wa = solution.wa as tf.Tensor4D;
  if (wa.rank !== 4) throw new ShapeError(`solution.wa must be a 4-D conv weight; got shape ${describe(wa.shape)}`);
  const kernel: [number, number] = [wa.shape[2], wa.shape[3]];
  const stride = toPair(opts.stride, 'opts.stride', 1);
  const dilation = toPair(opts.dilation, 'opts.dilation', 1);
  const padding = resolvePadding(opts.padding, kernel, stride, dilation, opts.inputSize, 'opts.padding');
  const first: ConvSpec = { weight: wa, bias: null, stride, padding, dilation, groups: 1 };
  if (!solution.wb) return [{ ...first, bias: solution.bias }];
  const second: ConvSpec = { weight: solution.wb as tf.Tensor4D, bias: solution.bias, stride: [1, 1], padding: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1 };
  return [first, second];
}
