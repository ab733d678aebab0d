/** Private helpers of `tenalg`. */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';

/**
 * Convert a list argument element by element (call inside `tf.tidy`). Throws an
 * ArgumentError unless `list` is an array with at least `minLength` entries.
 */
export function toTensorList(list: unknown, argName: string, minLength = 1): tf.Tensor[] {
  if (!Array.isArray(list)) throw new ArgumentError(`${argName} must be an array of tensors; got ${describe(list)}`);
  if (list.length < minLength) throw new ArgumentError(`${argName} must hold at least ${minLength} tensor${minLength === 1 ? '' : 's'}; got ${list.length}`);
  return list.map((x, i) => toTensor(x as TensorLike, `${argName}[${i}]`));
}

/**
 * `a @ b` for 2-D tensors, written around two properties of tfjs-backend-wasm 4.22
 * (measured here; the repository's default backend):
 *
 * 1. Only a matmul without transpose flags and with batch 1 runs on XNNPACK (~10-30
 *    GFLOP/s); transpose flags or a batch fall back to a naive loop (0.3-1 GFLOP/s). So
 *    callers transpose explicitly (a copy) instead of passing flags.
 * 2. XNNPACK's packed-weights operator is cached under `b`'s data id alone, not its shape,
 *    and a reshape shares the data id. A tensor used as `b` under one shape and later,
 *    reshaped, under another silently reuses the stale operator: wrong numbers, or a wasm
 *    "memory access out of bounds" abort. So on wasm `b` is always a tensor that this call
 *    owns: unless the caller states that `b` is fresh (made by a kernel inside the current
 *    tidy, used as `b` in this one shape, disposed afterwards), it is copied first. The copy
 *    is cheap for factor matrices, and disposing it drops the cached operator, so callers'
 *    tensors never enter the cache.
 */
export function matmul2d(a: tf.Tensor, b: tf.Tensor, bFresh = false): tf.Tensor2D {
  const safeB = bFresh || tf.getBackend() !== 'wasm' ? b : tf.clone(b);
  return tf.matMul(a as tf.Tensor2D, safeB as tf.Tensor2D);
}
