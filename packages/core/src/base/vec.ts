import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { notInput, prod, shapeStr } from './internal/shapeHelpers.js';
import { checkShape } from '../checks/index.js';

/**
 * Vectorise a tensor: its entries in C (row-major) order, `vec(T) = reshape(T, [-1])`.
 * Mirrors `tensorly.base.tensor_to_vec`.
 */
export function tensorToVec(t: TensorLike): tf.Tensor1D {
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    return notInput(tf.reshape(x, [x.size]), x) as tf.Tensor1D;
  });
}

/**
 * Inverse of {@link tensorToVec}: a C-order reshape of `vec` to `shape`.
 * Mirrors `tensorly.base.vec_to_tensor`.
 *
 * @throws ShapeError when `shape` is malformed or needs a different number of entries
 */
export function vecToTensor(vec: TensorLike, shape: readonly number[]): tf.Tensor {
  const full = checkShape(shape, 'shape');
  return tf.tidy(() => {
    const x = toTensor(vec, 'vec');
    if (x.size !== prod(full)) {
      throw new ShapeError(`vec has ${x.size} entries (shape ${shapeStr(x.shape)}) but shape ${shapeStr(full)} needs ${prod(full)}`);
    }
    return notInput(tf.reshape(x, full), x);
  });
}
