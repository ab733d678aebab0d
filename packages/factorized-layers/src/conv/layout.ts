/**
 * The one place where tfjs layouts meet Tenfold's (PyTorch's) layouts.
 *
 * Tenfold's conv code holds kernels as PyTorch does, `(out, in / groups, *k)`, and images
 * channels-first. tfjs-layers holds kernels as `(*k, in / groups, out)` and images
 * channels-last (NWC / NHWC / NDHWC). Every conversion between the two goes through here.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe, toTensor, type TensorLike } from '@tenfold/core';

/** Which layout a conv kernel argument is in. */
export type KernelLayout = 'torch' | 'tfjs';

function checkOrder(order: number, argName: string): void {
  if (!Number.isInteger(order) || order < 1 || order > 3) {
    throw new ArgumentError(`${argName} must be 1, 2 or 3 spatial dims; got ${describe(order)}`);
  }
}

function checkRank(t: tf.Tensor, argName: string, what: string): void {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  if (t.rank < 3 || t.rank > 5) throw new ShapeError(`${argName} must be ${what} of rank 3 to 5 (1-3 spatial dims); got shape ${describe(t.shape)}`);
}

/** The permutation taking a tfjs kernel `(*k, in, out)` of `order` spatial dims to `(out, in, *k)`. */
export function tfjsToTorchKernelPerm(order: number): number[] {
  checkOrder(order, 'order');
  return [order + 1, order, ...Array.from({ length: order }, (_, i) => i)];
}

/** The permutation taking a torch kernel `(out, in, *k)` of `order` spatial dims to `(*k, in, out)`. */
export function torchToTfjsKernelPerm(order: number): number[] {
  checkOrder(order, 'order');
  return [...Array.from({ length: order }, (_, i) => i + 2), 1, 0];
}

/** `(*k, in, out)` -> `(out, in, *k)`. A new tensor; the input is not disposed. */
export function kernelFromTfjs(kernel: tf.Tensor): tf.Tensor {
  checkRank(kernel, 'kernel', 'a tfjs kernel (*k, in, out)');
  return tf.transpose(kernel, tfjsToTorchKernelPerm(kernel.rank - 2));
}

/** `(out, in, *k)` -> `(*k, in, out)`. A new tensor; the input is not disposed. */
export function kernelToTfjs(weight: tf.Tensor): tf.Tensor {
  checkRank(weight, 'weight', 'a torch kernel (out, in, *k)');
  return tf.transpose(weight, torchToTfjsKernelPerm(weight.rank - 2));
}

/**
 * A depthwise torch weight `(C mult, 1, kh, kw)` (groups = C) -> tfjs' depthwise filter
 * `(kh, kw, C, mult)`; torch's output channel `c mult + q` reads input channel `c`.
 */
export function depthwiseKernelToTfjs(weight: tf.Tensor4D, channels: number): tf.Tensor4D {
  const [out, , kh, kw] = weight.shape;
  return tf.transpose(tf.reshape(weight, [channels, out / channels, kh, kw]), [2, 3, 0, 1]);
}

/** Channels-last `(N, *spatial, C)` -> channels-first `(N, C, *spatial)`. */
export function toChannelsFirst(x: tf.Tensor): tf.Tensor {
  checkRank(x, 'x', 'a channels-last batch (N, *spatial, C)');
  const s = x.rank - 2;
  return tf.transpose(x, [0, x.rank - 1, ...Array.from({ length: s }, (_, i) => i + 1)]);
}

/** Channels-first `(N, C, *spatial)` -> channels-last `(N, *spatial, C)`. */
export function toChannelsLast(x: tf.Tensor): tf.Tensor {
  checkRank(x, 'x', 'a channels-first batch (N, C, *spatial)');
  const s = x.rank - 2;
  return tf.transpose(x, [0, ...Array.from({ length: s }, (_, i) => i + 2), 1]);
}

/** The parts of a tfjs conv layer this module reads (Conv1D / Conv2D / Conv3D). */
interface ConvLayerLike {
  getClassName(): string;
  getWeights(): tf.Tensor[];
  getConfig(): Record<string, unknown>;
}

function isConvLayer(v: unknown): v is ConvLayerLike {
  return (
    typeof v === 'object' && v !== null &&
    typeof (v as ConvLayerLike).getClassName === 'function' &&
    typeof (v as ConvLayerLike).getWeights === 'function'
  );
}

/**
 * A conv weight given as a tfjs conv layer, a tfjs kernel (`layout: 'tfjs'`) or a PyTorch
 * weight (`layout: 'torch'`, the default), returned as a new `(out, in / groups, *k)` tensor
 * plus the layer's bias (a new tensor) when a layer was given.
 *
 * @param order the number of spatial dims expected (1, 2 or 3).
 * @throws ArgumentError for a layer that is not Conv1D/2D/3D or an unknown layout;
 *   ShapeError when the kernel's rank is not `order + 2`.
 */
export function resolveConvWeight(
  weightOrLayer: TensorLike | ConvLayerLike,
  order: number,
  layout: KernelLayout = 'torch',
  argName = 'weight',
): { weight: tf.Tensor; bias: tf.Tensor1D | null } {
  checkOrder(order, 'order');
  if (layout !== 'torch' && layout !== 'tfjs') {
    throw new ArgumentError(`layout must be 'torch' or 'tfjs'; got ${describe(layout)}`);
  }
  if (isConvLayer(weightOrLayer)) {
    const cls = weightOrLayer.getClassName();
    if (cls !== `Conv${order}D`) {
      throw new ArgumentError(`${argName} must be a tfjs Conv${order}D layer or a kernel tensor; got a ${cls} layer`);
    }
    const [kernel, bias] = weightOrLayer.getWeights();
    if (kernel.rank !== order + 2) throw new ShapeError(`${argName}: the ${cls} layer's kernel has shape ${describe(kernel.shape)}`);
    return { weight: kernelFromTfjs(kernel), bias: bias ? (tf.clone(bias) as tf.Tensor1D) : null };
  }
  const t = toTensor(weightOrLayer as TensorLike, argName);
  const owned = t !== weightOrLayer;
  try {
    if (t.rank !== order + 2) {
      const k = Array(order).fill('k').join(', ');
      const want = layout === 'torch' ? `(out, in, ${k})` : `(${k}, in, out)`;
      throw new ShapeError(`${argName} must be a rank-${order + 2} ${layout} kernel ${want}; got shape ${describe(t.shape)}`);
    }
    const weight = layout === 'tfjs' ? kernelFromTfjs(t) : tf.clone(t);
    return { weight, bias: null };
  } finally {
    if (owned) t.dispose();
  }
}
