/**
 * Plain convolution specs and their evaluation.
 *
 * Weights follow PyTorch: `(out, in / groups, kh, kw)`, images NCHW. tfjs convolves NHWC
 * tensors with `(kh, kw, in, out)` kernels; conv/layout.ts converts between the two.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe, toTensor, type TensorLike } from '@tenfold/core';
import type { ExplicitPadding2D } from './geometry.js';
import { depthwiseKernelToTfjs, kernelToTfjs, toChannelsFirst, toChannelsLast } from './layout.js';

/** One 2-D convolution: weight `(out, in / groups, kh, kw)`, optional bias `(out)`, explicit geometry. */
export interface ConvSpec {
  weight: tf.Tensor4D;
  bias?: tf.Tensor1D | null;
  stride: [number, number];
  /** `[[top, bottom], [left, right]]`; asymmetric padding is kept. */
  padding: ExplicitPadding2D;
  dilation: [number, number];
  groups: number;
}

/**
 * Convolve an NHWC tensor with a PyTorch-layout weight. Handles what tfjs does not do
 * directly: explicit asymmetric padding (pre-padded with zeros), stride and dilation both
 * > 1 (tfjs asserts one of them is 1: we convolve at stride 1 and subsample, which is the
 * same computation), and groups (depthwise through `tf.depthwiseConv2d`, otherwise one
 * conv per group). Internal: no validation, call inside `tf.tidy`.
 */
export function conv2dNhwc(
  x: tf.Tensor4D,
  weight: tf.Tensor4D,
  stride: [number, number],
  padding: ExplicitPadding2D,
  dilation: [number, number],
  groups: number,
  bias?: tf.Tensor1D | null,
): tf.Tensor4D {
  let h = x;
  const [[t, b], [l, r]] = padding;
  if (t || b || l || r) h = tf.pad(h, [[0, 0], [t, b], [l, r], [0, 0]]);
  const bothStrided = (stride[0] > 1 || stride[1] > 1) && (dilation[0] > 1 || dilation[1] > 1);
  const convStride: [number, number] = bothStrided ? [1, 1] : stride;
  const out = weight.shape[0];
  const cin = h.shape[3];
  let y: tf.Tensor4D;
  if (groups === 1) {
    y = tf.conv2d(h, kernelToTfjs(weight) as tf.Tensor4D, convStride, 'valid', 'NHWC', dilation);
  } else if (groups === cin && weight.shape[1] === 1) {
    y = tf.depthwiseConv2d(h, depthwiseKernelToTfjs(weight, cin), convStride, 'valid', 'NHWC', dilation);
  } else {
    const inPer = cin / groups;
    const outPer = out / groups;
    const parts: tf.Tensor4D[] = [];
    for (let g = 0; g < groups; g++) {
      const xs = tf.slice(h, [0, 0, 0, g * inPer], [-1, -1, -1, inPer]);
      const ws = tf.slice(weight, [g * outPer, 0, 0, 0], [outPer, -1, -1, -1]);
      parts.push(tf.conv2d(xs, kernelToTfjs(ws) as tf.Tensor4D, convStride, 'valid', 'NHWC', dilation));
    }
    y = tf.concat(parts, 3);
  }
  if (bothStrided) {
    y = tf.stridedSlice(y, [0, 0, 0, 0], [y.shape[0], y.shape[1], y.shape[2], y.shape[3]], [1, stride[0], stride[1], 1]) as tf.Tensor4D;
  }
  if (bias) y = tf.add(y, bias);
  return y;
}

/** Check one spec against the number of input channels; returns its output channels. */
function checkSpec(spec: ConvSpec, i: number, channels: number): number {
  const name = `specs[${i}]`;
  if (!spec || !(spec.weight instanceof tf.Tensor) || spec.weight.rank !== 4) {
    throw new ShapeError(`${name}.weight must be a 4-D tensor (out, in/groups, kh, kw); got ${describe(spec?.weight)}`);
  }
  if (spec.weight.isDisposed) throw new ArgumentError(`${name}.weight is a disposed tensor`);
  if (spec.bias && (!(spec.bias instanceof tf.Tensor) || spec.bias.isDisposed)) throw new ArgumentError(`${name}.bias must be a live tf.Tensor or null; got ${spec.bias instanceof tf.Tensor ? 'a disposed tensor' : describe(spec.bias)}`);
  const [out, inPer] = spec.weight.shape;
  const g = spec.groups;
  if (!Number.isInteger(g) || g < 1 || out % g !== 0) {
    throw new ArgumentError(`${name}.groups must be a positive integer dividing the ${out} output channels; got ${describe(g)}`);
  }
  if (inPer * g !== channels) {
    throw new ShapeError(`${name}.weight expects ${inPer} x ${g} groups = ${inPer * g} input channels, but the input has ${channels}`);
  }
  for (const [key, v, min] of [['stride', spec.stride, 1], ['dilation', spec.dilation, 1]] as const) {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((p) => Number.isInteger(p) && p >= min)) {
      throw new ArgumentError(`${name}.${key} must be a pair of integers >= ${min}; got ${describe(v)}`);
    }
  }
  const p = spec.padding;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((q) => Array.isArray(q) && q.length === 2 && q.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new ArgumentError(`${name}.padding must be [[top, bottom], [left, right]] of non-negative integers; got ${describe(p)}`);
  }
  if (spec.bias && (spec.bias.rank !== 1 || spec.bias.shape[0] !== out)) {
    throw new ShapeError(`${name}.bias must have shape [${out}]; got ${describe(spec.bias.shape)}`);
  }
  return out;
}

/**
 * Apply a sequence of convolutions to an NCHW input and return the NCHW output.
 *
 * `y = conv_n(... conv_1(x))`, each `conv_i` with its own weight, bias, stride, padding,
 * dilation and groups, exactly as `torch.nn.functional.conv2d` would compute them. The
 * input is transposed to NHWC once and back once.
 */
export function applyConvSequence(x: TensorLike, specs: readonly ConvSpec[]): tf.Tensor4D {
  return tf.tidy(() => {
    const xt = toTensor(x, 'x');
    if (xt.rank !== 4) throw new ShapeError(`x must be 4-D (N, C, H, W); got shape ${describe(xt.shape)}`);
    if (!Array.isArray(specs) || specs.length === 0) {
      throw new ArgumentError(`specs must be a non-empty array of conv specs; got ${describe(specs)}`);
    }
    let channels = xt.shape[1] as number;
    for (let i = 0; i < specs.length; i++) channels = checkSpec(specs[i], i, channels);
    let h = toChannelsLast(xt) as tf.Tensor4D;
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i];
      const span = [0, 1].map((d) => (s.weight.shape[2 + d] - 1) * s.dilation[d] + 1);
      const padded = [h.shape[1] + s.padding[0][0] + s.padding[0][1], h.shape[2] + s.padding[1][0] + s.padding[1][1]];
      if (padded[0] < span[0] || padded[1] < span[1]) {
        throw new ShapeError(`specs[${i}]: the padded input of size ${describe(padded)} is smaller than the dilated kernel ${describe(span)}`);
      }
      h = conv2dNhwc(h, s.weight, s.stride, s.padding, s.dilation, s.groups, s.bias);
    }
    return toChannelsFirst(h) as tf.Tensor4D;
  });
}

/** Dispose the tensors held by a list of specs. */
export function disposeConvSpecs(specs: readonly ConvSpec[]): void {
  if (!Array.isArray(specs)) throw new ArgumentError(`specs must be an array of conv specs; got ${describe(specs)}`);
  specs.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || !(s.weight instanceof tf.Tensor) || (s.bias != null && !(s.bias instanceof tf.Tensor))) {
      throw new ArgumentError(`specs[${i}] must be a conv spec { weight: tf.Tensor, bias?: tf.Tensor | null, ... }; got ${describe(s)}`);
    }
  });
  for (const s of specs) {
    s.weight.dispose();
    s.bias?.dispose();
  }
}
