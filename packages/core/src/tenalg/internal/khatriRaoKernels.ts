/**
 * The Khatri–Rao kernels without argument checks, for the decompositions' inner loops and
 * the public `khatriRao` (../khatriRao.ts): the product of `(I_k, R)` matrices in TensorLy's
 * row order (first matrix slowest) and its transpose, by broadcasting (no gather).
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
