import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';

/** `2` (Frobenius), `1`, `'inf'` (or `Infinity`) or any other positive `p`. */
export type NormOrder = number | 'inf';

/**
 * Entry-wise norm of a tensor of any shape, mirroring `tensorly.norm(x, order)` with
 * `axis=None`:
 *
 *   order 2:     sqrt(sum |x|^2)        (the Frobenius norm, also for matrices — never the
 *                                       spectral norm)
 *   order 1:     sum |x|
 *   order 'inf': max |x|
 *   order p:     (sum |x|^p)^(1/p)
 *
 * For orders other than 1 the entries are scaled by max|x| on the backend before the power,
 * so float32 neither overflows nor underflows (`||x||_p = m ||x/m||_p`). Costs one host sync:
 * the result is a JS number.
 *
 * @throws ArgumentError for an order that is not a positive number or `'inf'`
 */
export function norm(t: TensorLike, order: NormOrder = 2): number {
  const isInf = order === 'inf' || order === Infinity;
  if (!isInf && (typeof order !== 'number' || !Number.isFinite(order) || order <= 0)) {
    throw new ArgumentError(`order must be a positive number or 'inf'; got ${describe(order)}`);
  }
  // One host sync for both numbers; the final root runs in float64 on the host.
  const both = tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    if (x.size === 0) return tf.zeros([2]);
    const ax = tf.abs(x);
    const m = tf.max(ax);
    if (isInf) return tf.stack([m, tf.scalar(0)]);
    if (order === 1) return tf.stack([m, tf.sum(ax)]);
    // All zeros: divide by 1 instead of 0.
    const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m));
    const scaled = tf.div(ax, safe);
    const s = order === 2 ? tf.sum(tf.square(scaled)) : tf.sum(tf.pow(scaled, tf.scalar(order as number)));
    return tf.stack([m, s]);
  });
  const [maxAbs, sum] = readSync(both);
  both.dispose();
  if (isInf) return maxAbs;
  if (order === 1) return sum;
  return maxAbs === 0 ? 0 : maxAbs * Math.pow(sum, 1 / (order as number));
}
