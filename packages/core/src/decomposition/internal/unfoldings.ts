/**
 * TensorLy's `unfold` / `fold` for the decompositions' inner loops (no argument checks), and
 * the unfolding plus transpose the Gram route of `truncatedSvdHost` needs.
 */
import * as tf from '@tensorflow/tfjs';
import { usesExactSvd } from '../../linalg/truncatedSvdHost.js';
import { unfoldingOf } from './labelledTensor.js';

/** TensorLy's `unfold(t, mode)`: moveaxis(mode, 0) then C-order reshape. */
export function unfoldT(t: tf.Tensor, mode: number): tf.Tensor2D {
  return unfoldingOf({ t, labels: [...Array(t.rank).keys()] }, mode);
}

/**
 * `unfold(t, mode)` and its transpose for a Gram product, with one transpose of the tensor
 * for the first and last modes (the other operand is a free reshape).
 */
export function unfoldWithTranspose(t: tf.Tensor, mode: number): { y: tf.Tensor2D; yT: tf.Tensor2D } {
  const nd = t.rank;
  const I = t.shape[mode];
  return tf.tidy(() => {
    if (mode === nd - 1 && nd > 1) {
      const yT = tf.reshape(t, [-1, I]) as tf.Tensor2D;
      return { y: tf.transpose(yT) as tf.Tensor2D, yT };
    }
    const y = unfoldT(t, mode);
    return { y, yT: tf.transpose(y) as tf.Tensor2D };
  });
}

/** The unfolding for `truncatedSvdHost`, with its transpose when the Gram route will need it. */
export function unfoldForSvd(t: tf.Tensor, mode: number, method: 'truncated' | 'randomized' | 'gram'): { y: tf.Tensor2D; yT?: tf.Tensor2D } {
  const I = t.shape[mode];
  if (usesExactSvd(I, t.size / I, method)) return { y: unfoldT(t, mode) };
  return unfoldWithTranspose(t, mode);
}

/** Inverse of `unfoldT`. */
export function foldT(m: tf.Tensor, mode: number, shape: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const moved = [shape[mode], ...shape.filter((_, i) => i !== mode)];
    const t = tf.reshape(m, moved);
    if (mode === 0) return t;
    const nd = shape.length;
    // Axis 0 goes back to position `mode`.
    const perm: number[] = [];
    for (let i = 0; i < nd; i++) perm.push(i === mode ? 0 : i < mode ? i + 1 : i);
    return tf.transpose(t, perm);
  });
}
