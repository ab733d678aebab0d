/**
 * Inputs for the bad-input contract suite: small deterministic tensors, and the bad values
 * each class of the suite feeds in.
 */
import * as tf from '@tensorflow/tfjs';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A deterministic float32 tensor with distinct, well-conditioned entries. */
export function T(shape: number[] = [3, 4, 5]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: size(shape) }, (_, i) => Math.sin(1.3 * i + 0.7) + (i % 3)), shape);
}

/** A tensor holding one NaN (or Inf) entry. */
export function nanT(shape: number[] = [3, 4, 5], value = NaN): tf.Tensor {
  const data = Float32Array.from({ length: size(shape) }, (_, i) => Math.cos(i));
  data[Math.min(1, data.length - 1)] = value;
  return tf.tensor(data, shape);
}

/** A tensor that has been disposed. */
export function gone(shape: number[] = [3, 4]): tf.Tensor {
  const t = T(shape);
  t.dispose();
  return t;
}

/** A symmetric positive definite matrix. */
export function spd(n = 4): tf.Tensor2D {
  return tf.tidy(() => {
    const a = T([n, n]) as tf.Tensor2D;
    return tf.add(tf.matMul(a, a, false, true), tf.mul(tf.eye(n), n)) as tf.Tensor2D;
  });
}

/** A float64 host matrix. */
export function hostM(rows = 3, cols = 3, fill?: (i: number) => number): { rows: number; cols: number; data: Float64Array } {
  const data = Float64Array.from({ length: rows * cols }, (_, i) => (fill ? fill(i) : Math.sin(i + 1) + (i % (cols + 1) === 0 ? 3 : 0)));
  return { rows, cols, data };
}

/** The wrong types every tensor argument must refuse with a typed error. */
export const WRONG_TYPES: [string, unknown][] = [
  ['a string', 'abc'],
  ['a boolean', true],
  ['a function', () => 1],
  ['an object', { foo: 1 }],
];
