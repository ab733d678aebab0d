/**
 * TensorLy's `svd_flip` sign convention (u-based), on the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { checkMatrix, release } from './validate.js';

/**
 * Sign-normalise an SVD, as `tensorly.tenalg.svd.svd_flip(U, V, u_based_decision=True)`:
 * each column j of U is multiplied by the sign of its largest-|.| entry (ties go to the
 * first index, like numpy's `argmax`), and row j of V^T by the same sign, so U diag(s) V^T
 * is unchanged. A zero column keeps its sign (TensorLy multiplies it by sign(0) = 0).
 * Returns new tensors `{ u, vt }`.
 *
 * @throws ShapeError unless u is m x k and vt is k x n; NonFiniteError on NaN/Inf.
 */
export function svdFlip(u: TensorLike, vt: TensorLike): { u: tf.Tensor2D; vt: tf.Tensor2D } {
  const cu = checkMatrix(u, 'u');
  let cv;
  try {
    cv = checkMatrix(vt, 'vt');
    if (cu.t.shape[1] !== cv.t.shape[0]) {
      throw new ShapeError(`vt must have as many rows as u has columns (${cu.t.shape[1]}); got vt of shape [${cv.t.shape.join(', ')}]`);
    }
    return svdFlipTensors(cu.t, cv.t);
  } finally {
    release(cu, cv);
  }
}

/** `svdFlip` on validated tensors (internal). */
export function svdFlipTensors(u: tf.Tensor2D, vt: tf.Tensor2D): { u: tf.Tensor2D; vt: tf.Tensor2D } {
  return tf.tidy(() => {
    const [m, k] = u.shape;
    // argMax returns the first maximal index, as numpy does; pick U[argmax_j, j] by a flat gather.
    const at = tf.argMax(tf.abs(u), 0) as tf.Tensor1D;
    const flat = tf.add(tf.mul(at, tf.scalar(k, 'int32')), tf.range(0, k, 1, 'int32'));
    const picked = tf.gather(tf.reshape(u, [m * k]), flat);
    const signs = tf.where(tf.less(picked, 0), tf.fill([k], -1), tf.fill([k], 1));
    return {
      u: tf.mul(u, signs) as tf.Tensor2D,
      vt: tf.mul(vt, tf.reshape(signs, [k, 1])) as tf.Tensor2D,
    };
  });
}
