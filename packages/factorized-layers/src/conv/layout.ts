/**
 * The one place where tfjs layouts meet Tenfold's (PyTorch's) layouts.
 *
 * Tenfold's conv code holds kernels as PyTorch does, `(out, in / groups, *k)`, and images
 * channels-first. tfjs-layers holds kernels as `(*k, in / groups, out)` and images
 * channels-last (NWC / NHWC / NDHWC). Every conversion between the two goes through here.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, ShapeError, describe, toTensor, type TensorLike } from '@tenfold/core';

/** Which layout a conv kernel argument is in. */
export type KernelLayout = 'torch' | 'tfjs';

/** An order of spatial dims (1..3 in tfjs, any positive integer here). @throws ArgumentError */
function checkOrder(order: unknown): number {
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 1) throw new ArgumentError(`order must be a positive integer (spatial dims); got ${describe(order)}`);
  return order;
}

/** A live tensor of rank >= min. @throws ArgumentError (not a tensor), ShapeError (rank) */
function checkConvTensor(t: unknown, argName: string, min: number, what: string): tf.Tensor {
  if (!(t instanceof tf.Tensor) || t.isDisposed) throw new ArgumentError(`${argName} must be a live tf.Tensor ${what}; got ${t instanceof tf.Tensor ? 'a disposed tensor' : describe(t)}`);
  if (t.rank < min) throw new ShapeError(`${argName} must have rank >= ${min} ${what}; got shape ${describe(t.shape)}`);
  return t;
}

/** The permutation taking a tfjs kernel `(*k, in, out)` of `order` spatial dims to `(out, in, *k)`. */
export function tfjsToTorchKernelPerm(order: number): number[] {
  checkOrder(order);
  return [order + 1, order, ...Array.from({ length: order }, (_, i) => i)];
}

/** The permutation taking a torch kernel `(out, in, *k)` of `order` spatial dims to `(*k, in, out)`. */
export function torchToTfjsKernelPerm(order: number): number[] {
  checkOrder(order);
  return [...Array.from({ length: order }, (_, i) => i + 2), 1, 0];
}

/** `(*k, in, out)` -> `(out, in, *k)`. A new tensor; the input is not disposed. */
export function kernelFromTfjs(kernel: tf.Tensor): tf.Tensor {
  checkConvTensor(kernel, 'kernel', 3, '(*k, in, out)');
  return tf.transpose(kernel, tfjsToTorchKernelPerm(kernel.rank - 2));
}

/** `(out, in, *k)` -> `(*k, in, out)`. A new tensor; the input is not disposed. */
export function kernelToTfjs(weight: tf.Tensor): tf.Tensor {
  checkConvTensor(weight, 'weight', 3, '(out, in, *k)');
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
  checkConvTensor(x, 'x', 3, '(N, *spatial, C)');
  const s = x.rank - 2;
  return tf.transpose(x, [0, x.rank - 1, ...Array.from({ length: s }, (_, i) => i + 1)]);
}

/** Channels-first `(N, C, *spatial)` -> channels-last `(N, *spatial, C)`. */
export function toChannelsLast(x: tf.Tensor): tf.Tensor {
  checkConvTensor(x, 'x', 3, '(N, C, *spatial)');
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
  checkOrder(order);
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
