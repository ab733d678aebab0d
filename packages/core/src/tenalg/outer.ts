import * as tf from '@tensorflow/tfjs';
import { checkAllocation } from '../checks/index.js';
import { ShapeError } from '../errors/index.js';
import type { TensorLike } from '../io/tensorLike.js';
import { shapeStr } from '../base/internal/shapeHelpers.js';
import { toTensorList } from './internal/toTensorList.js';

/**
 * Generalised outer product of a list of tensors:
 *
 *   outer([A, B, ...])[a..., b..., ...] = A[a...] * B[b...] * ...
 *
 * of shape `(...shape(A), ...shape(B), ...)`. Takes ONE list, like
 * `tensorly.tenalg.outer(tensors)` in TensorLy 0.9. A single tensor is returned as a copy.
 *
 * @throws ArgumentError for an empty list
 */
export function outer(tensors: readonly TensorLike[]): tf.Tensor {
  return tf.tidy(() => {
    const list = toTensorList(tensors, 'tensors');
    checkAllocation(list.reduce((n, t) => n * t.size, 1), `the outer product of tensors (${list.map((t) => shapeStr(t.shape)).join(', ')})`);
    let res = list[0];
    for (let k = 1; k < list.length; k++) {
      const t = list[k];
      const left = tf.reshape(res, [...res.shape, ...t.shape.map(() => 1)]);
      const right = tf.reshape(t, [...res.shape.map(() => 1), ...t.shape]);
      res = tf.mul(left, right);
    }
    return list.length === 1 ? tf.clone(res) : res;
  });
}

/**
 * Batched generalised outer product: dim 0 of every tensor is a shared batch (sample) dim,
 *
 *   batchedOuter([A, B, ...])[n, a..., b..., ...] = A[n, a...] * B[n, b...] * ...
 *
 * of shape `(N, ...shape(A)[1:], ...shape(B)[1:], ...)`. Takes ONE list, like
 * `tensorly.tenalg.batched_outer(tensors)` in TensorLy 0.9. A single tensor is returned
 * as a copy.
 *
 * @throws ArgumentError for an empty list; ShapeError for a scalar or when the batch sizes
 *   differ
 */
export function batchedOuter(tensors: readonly TensorLike[]): tf.Tensor {
  return tf.tidy(() => {
    const list = toTensorList(tensors, 'tensors');
    list.forEach((t, i) => {
      if (t.rank < 1) throw new ShapeError(`tensors[${i}] must have a batch dim (at least 1-D); got a scalar`);
      if (t.shape[0] !== list[0].shape[0]) {
        throw new ShapeError(`all tensors must have the same batch size (dim 0): tensors[${i}] has shape ${shapeStr(t.shape)}, tensors[0] has ${shapeStr(list[0].shape)}`);
      }
    });
    const n = list[0].shape[0];
    let res = list[0];
    for (let k = 1; k < list.length; k++) {
      const t = list[k];
      const tail = t.shape.slice(1);
      const left = tf.reshape(res, [...res.shape, ...tail.map(() => 1)]);
      const right = tf.reshape(t, [n, ...res.shape.slice(1).map(() => 1), ...tail]);
      res = tf.mul(left, right);
    }
    return list.length === 1 ? tf.clone(res) : res;
  });
}
