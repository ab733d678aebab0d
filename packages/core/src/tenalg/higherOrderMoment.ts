import * as tf from '@tensorflow/tfjs';
import { checkAllocation } from '../checks/index.js';
import { RankError } from '../errors/index.js';
import { ShapeError, checkPositiveInt } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { shapeStr } from '../base/internal/shapeHelpers.js';
import { batchedOuter } from './outer.js';

/**
 * Empirical higher-order moment of samples `X` of shape `(n_samples, n_features)`:
 *
 *   M_d = (1/n) sum_s x_s ⊗ x_s ⊗ ... ⊗ x_s     (d factors; shape (F,)*d)
 *
 * i.e. the mean over samples of the batched outer product of a sample with itself `order`
 * times; order 1 is the mean, order 2 the (uncentred) second moment `X^T X / n`. Used by
 * method-of-moments tensor decompositions (Anandkumar et al. 2014).
 *
 * Mirrors `tensorly.tenalg.higher_order_moment`, which is broken in TensorLy 0.9: it calls
 * `batched_outer(moment, tensor)` with two positional arguments and raises `TypeError` for
 * every input with `order >= 2` (fixture `higher_order_moment_bug`). This is the function as
 * intended (docs/fidelity/tenalg.md). Extra sample dims (`(n, F1, F2, ...)`) are allowed, as
 * TensorLy's loop allows them: each outer product then concatenates the feature shapes.
 *
 * @throws ShapeError when `t` has no sample dim or no samples; RankError when `order` is
 *   not a positive integer
 */
export function higherOrderMoment(t: TensorLike, order: number): tf.Tensor {
  const d = checkPositiveInt(order, 'order');
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    if (x.rank < 2) throw new ShapeError(`tensor must be (n_samples, n_features, ...), at least 2-D; got shape ${shapeStr(x.shape)}`);
    if (x.shape[0] === 0) throw new ShapeError(`tensor must hold at least one sample; got shape ${shapeStr(x.shape)}`);
    const features = x.size / x.shape[0];
    checkAllocation(x.shape[0] * Math.pow(features, d), `order ${d} moment of a tensor of shape ${shapeStr(x.shape)}`, RankError);
    let moment: tf.Tensor = x;
    for (let k = 1; k < d; k++) moment = batchedOuter([moment, x]);
    return tf.mean(moment, 0);
  });
}
