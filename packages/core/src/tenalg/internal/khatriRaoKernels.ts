/**
 * The Khatri–Rao kernels without argument checks, for the decompositions' inner loops and
 * the public `khatriRao` (../khatriRao.ts): the product of `(I_k, R)` matrices in TensorLy's
 * row order (first matrix slowest) and its transpose, by broadcasting (no gather), and sampled
 * rows of it (for `sampleKhatriRao` and randomised CP).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Khatri–Rao product of `(I_k, R)` matrices in TensorLy's row order (first matrix slowest),
 * `(prod I_k, R)`, by broadcasting (no gather).
 */
export function khatriRaoRows(mats: tf.Tensor2D[]): tf.Tensor2D {
  return tf.tidy(() => {
    const r = mats[0].shape[1];
    let acc: tf.Tensor = mats[0];
    let rows = mats[0].shape[0];
    for (let i = 1; i < mats.length; i++) {
      const m = mats[i];
      acc = tf.mul(tf.reshape(acc, [rows, 1, r]), tf.reshape(m, [1, m.shape[0], r]));
      rows *= m.shape[0];
      acc = tf.reshape(acc, [rows, r]);
    }
    return (mats.length === 1 ? tf.clone(acc) : acc) as tf.Tensor2D;
  });
}

/** The transpose of `khatriRaoRows`, `(R, prod I_k)`, built from transposed factors `(R, I_k)`. */
export function khatriRaoCols(matsT: tf.Tensor2D[]): tf.Tensor2D {
  return tf.tidy(() => {
    const r = matsT[0].shape[0];
    let acc: tf.Tensor = matsT[0];
    let cols = matsT[0].shape[1];
    for (let i = 1; i < matsT.length; i++) {
      const m = matsT[i];
      acc = tf.mul(tf.reshape(acc, [r, cols, 1]), tf.reshape(m, [r, 1, m.shape[1]]));
      cols *= m.shape[1];
      acc = tf.reshape(acc, [r, cols]);
    }
    return (matsT.length === 1 ? tf.clone(acc) : acc) as tf.Tensor2D;
  });
}

/**
 * Rows of the Khatri–Rao product of `(I_k, R)` matrices picked by one row index per matrix:
 * row q is `prod_k mats[k][indices[k][q], :]`, the gathered rows multiplied left to right.
 */
export function sampledKhatriRaoRows(mats: readonly tf.Tensor2D[], indices: readonly (readonly number[] | Int32Array)[]): tf.Tensor2D {
  return tf.tidy(() => {
    const pick = (k: number): tf.Tensor2D => tf.gather(mats[k], tf.tensor1d(indices[k] as number[] | Int32Array, 'int32')) as tf.Tensor2D;
    let acc = pick(0);
    for (let k = 1; k < mats.length; k++) acc = tf.mul(acc, pick(k));
    return acc;
  });
}
