/**
 * Inverse of the small R x R normal matrices of the ALS solvers (CP, non-negative CP, TR-ALS).
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../../backend/transfer.js';
import { fromHostMatrix } from '../../backend/transfer.js';
import { hostEye, solveOrPinv } from '../../linalg/host.js';
import { HOST_INVERSE_MAX } from '../../backend/placement.js';
import { toHost } from './float64Reductions.js';

/**
 * The inverse of a small square host matrix, as a float32 tensor. Up to 256 x 256 it is
 * LU with partial pivoting in float64 (numpy's `solve` semantics: only an exactly zero
 * pivot fails). Larger ones (CP ranks in the thousands) use block inversion through the
 * Schur complement, the leaves inverted on the host and the O(R^3) products on the
 * backend, so a rank-2291 step costs seconds, not minutes.
 */
export function inverseToDevice(a: HostMatrix): tf.Tensor2D {
  const n = a.rows;
  if (n <= HOST_INVERSE_MAX) return fromHostMatrix(solveOrPinv(a, hostEye(n)));
  return tf.tidy(() => blockInverse(fromHostMatrix(a)));
}

function blockInverse(a: tf.Tensor2D): tf.Tensor2D {
  const n = a.shape[0];
  if (n <= HOST_INVERSE_MAX) {
    const h = toHost(a);
    return fromHostMatrix(solveOrPinv(h, hostEye(n)));
  }
  const h = Math.floor(n / 2);
  const A = tf.slice(a, [0, 0], [h, h]);
  const B = tf.slice(a, [0, h], [h, n - h]);
  const C = tf.slice(a, [h, 0], [n - h, h]);
  const D = tf.slice(a, [h, h], [n - h, n - h]);
  const Ai = blockInverse(A);
  const AiB = tf.matMul(Ai, B);
  const CAi = tf.matMul(C, Ai);
  const S = tf.sub(D, tf.matMul(C, AiB));
  const Si = blockInverse(S as tf.Tensor2D);
  const top = tf.concat([tf.add(Ai, tf.matMul(tf.matMul(AiB, Si), CAi)), tf.neg(tf.matMul(AiB, Si))], 1);
  const bottom = tf.concat([tf.neg(tf.matMul(Si, CAi)), Si], 1);
  return tf.concat([top, bottom], 0) as tf.Tensor2D;
}
