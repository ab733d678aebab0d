/**
 * Patch extraction (im2col) for 2-D convolutions, after curvlinops' `kfac_utils`
 * (`extract_patches`, `extract_averaged_patches`; Dangel, "Convolutions and more as einsum",
 * 2023).
 */
import { tf } from '@tenfold/core';
import { ArgumentError, ShapeError, describe, toTensor, type TensorLike } from '@tenfold/core';
import { checkOptions, optionKeys } from '../internal/checks.js';
import { convGeometry, type ConvGeometry, type ConvPadding, type IntPair } from '../conv/geometry.js';

/** Options of {@link extractPatches}: the convolution's hyper-parameters (PyTorch names). */
export interface PatchOptions {
  kernelSize: IntPair;
  stride?: IntPair;
  /** An int, `[ph, pw]`, `[[top, bottom], [left, right]]`, `'valid'` or `'same'`. */
  padding?: ConvPadding;
  dilation?: IntPair;
  /** Channel groups; the patches are averaged over them (curvlinops' convention). */
  groups?: number;
}

const PATCH_OPTIONS = optionKeys<PatchOptions>()('kernelSize', 'stride', 'padding', 'dilation', 'groups');

/**
 * im2col of an NHWC tensor: `[B, O1, O2, C * K1 * K2]` with columns in `(c, k1, k2)` order,
 * the order of `weight.reshape(out, -1)`. Implemented as one depthwise convolution with
 * one-hot filters (channel multiplier `K1 K2`), which copies the pixels exactly. Internal.
 */
export function im2colNhwc(x: tf.Tensor4D, geom: ConvGeometry): tf.Tensor4D {
  return tf.tidy(() => {
    const [k1, k2] = geom.kernel;
    const c = x.shape[3];
    const eye = tf.reshape(tf.eye(k1 * k2), [k1, k2, 1, k1 * k2]);
    const filter = tf.tile(eye, [1, 1, c, 1]) as tf.Tensor4D;
    const [[t, b], [l, r]] = geom.padding;
    let h = x;
    if (t || b || l || r) h = tf.pad(h, [[0, 0], [t, b], [l, r], [0, 0]]);
    const both = (geom.stride[0] > 1 || geom.stride[1] > 1) && (geom.dilation[0] > 1 || geom.dilation[1] > 1);
    // tfjs requires stride or dilation to be 1: convolve at stride 1 and subsample.
    let y = tf.depthwiseConv2d(h, filter, both ? 1 : geom.stride, 'valid', 'NHWC', geom.dilation);
    if (both) {
      y = tf.stridedSlice(y, [0, 0, 0, 0], [...y.shape], [1, geom.stride[0], geom.stride[1], 1]) as tf.Tensor4D;
    }
    return y;
  });
}

function prepare(x: TensorLike, options: PatchOptions | null, fnName: string): { xt: tf.Tensor4D; geom: ConvGeometry; groups: number } {
  const opts = checkOptions(options, PATCH_OPTIONS, fnName, 'opts');
  const xt = toTensor(x, 'x') as tf.Tensor4D;
  if (xt.rank !== 4) throw new ShapeError(`x must be 4-D (batch, channels, height, width); got shape ${describe(xt.shape)}`);
  if (opts.kernelSize === undefined) throw new ArgumentError(`opts.kernelSize is required; got ${describe(opts?.kernelSize)}`);
  const groups = opts.groups ?? 1;
  const c = xt.shape[1];
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new ArgumentError(`groups must be a positive integer dividing the ${c} input channels; got ${describe(groups)}`);
  }
  const geom = convGeometry([xt.shape[2], xt.shape[3]], opts.kernelSize, { stride: opts.stride, padding: opts.padding, dilation: opts.dilation });
  return { xt: xt as tf.Tensor4D, geom, groups };
}

/** Average the channel groups (`'b (g c) h w -> b c h w'`, g the outer index) and go NHWC. */
function groupMeanNhwc(xt: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [b, c, h, w] = xt.shape;
  const avg = groups === 1 ? xt : tf.mean(tf.reshape(xt, [b, groups, c / groups, h, w]), 1);
  return tf.transpose(avg, [0, 2, 3, 1]) as tf.Tensor4D;
}

/**
 * Extract the patches a 2-D convolution sees, averaged over channel groups.
 *
 * Mirrors curvlinops' `extract_patches(x, kernel_size, stride, padding, dilation, groups)`:
 * returns `[B, O1 * O2, (C / groups) * K1 * K2]`, where row `[b, o1 * O2 + o2, :]` is the
 * flattened patch (column order `(c, k1, k2)`) used for output location `(o1, o2)`, so that
 * `patches @ weight.reshape(out, -1).T` is the convolution for `groups = 1`.
 *
 * Unlike curvlinops, asymmetric padding (`[[top, bottom], [left, right]]`, or `'same'` with an
 * even kernel) is supported rather than rejected (see docs/fidelity/lowrank.md).
 *
 * @param x input of the convolution, NCHW `[B, C, I1, I2]`.
 */
export function extractPatches(x: TensorLike, opts: PatchOptions): tf.Tensor3D {
  return tf.tidy(() => {
    const { xt, geom, groups } = prepare(x, opts, 'extractPatches');
    const cols = im2colNhwc(groupMeanNhwc(xt, groups), geom);
    const [b, o1, o2, f] = cols.shape;
    return tf.reshape(cols, [b, o1 * o2, f]) as tf.Tensor3D;
  });
}

/**
 * Patches averaged over channel groups and output locations: `[B, (C / groups) * K1 * K2]`.
 * Mirrors curvlinops' `extract_averaged_patches` (there an einconv index-pattern
 * contraction; the result is the mean of {@link extractPatches} over its second axis).
 */
export function extractAveragedPatches(x: TensorLike, opts: PatchOptions): tf.Tensor2D {
  return tf.tidy(() => {
    const { xt, geom, groups } = prepare(x, opts, 'extractAveragedPatches');
    const cols = im2colNhwc(groupMeanNhwc(xt, groups), geom);
    return tf.mean(cols, [1, 2]) as tf.Tensor2D;
  });
}
