import * as tf from '@tensorflow/tfjs';
import { ShapeError, checkMode } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { moveaxis, notInput, prod } from './internal/shapeHelpers.js';

/**
 * Mode-`mode` unfolding (matricization) of a tensor, TensorLy's row-major convention:
 *
 *   unfold(T, n) = reshape(moveaxis(T, n, 0), (I_n, prod_{k != n} I_k))
 *
 * so entry `T[i_0, ..., i_{N-1}]` lands at row `i_n` and at the column that enumerates the
 * remaining indices in their original order with the last one varying fastest (C order).
 * This is *not* Kolda & Bader's (2009) column ordering; it is the one that pairs with
 * {@link khatriRao}'s "first matrix slowest" row order. Mirrors `tensorly.base.unfold`.
 *
 * @param t a tensor with at least one dimension
 * @param mode the mode to put on the rows; negative values count from the end
 * @returns a new 2-D tensor of shape `[I_mode, prod of the other dims]`
 * @throws ShapeError for a scalar; ModeError for a mode out of range
 */
export function unfold(t: TensorLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    if (x.rank < 1) throw new ShapeError(`tensor must have at least 1 dimension to be unfolded; got a scalar`);
    const m = checkMode(mode, x.rank, 'mode');
    const rows = x.shape[m];
    const cols = prod(x.shape.filter((_, i) => i !== m));
    return notInput(tf.reshape(moveaxis(x, m, 0), [rows, cols]), x) as tf.Tensor2D;
  });
}
