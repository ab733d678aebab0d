import * as tf from '@tensorflow/tfjs';
import { ShapeError, checkMode } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { moveaxis, notInput, prod, shapeStr } from './internal/shapeHelpers.js';
import { checkShape } from '../checks/index.js';

/**
 * Refold a mode-`mode` unfolding into a tensor of `shape`, the exact inverse of
 * {@link unfold}:
 *
 *   fold(M, n, shape) = moveaxis(reshape(M, [I_n, I_0, ..., I_{n-1}, I_{n+1}, ...]), 0, n)
 *
 * Like TensorLy, only the number of entries of `unfolded` has to match (it is a C-order
 * reshape). Mirrors `tensorly.base.fold`.
 *
 * @param unfolded the unfolded tensor (usually `[I_mode, prod of the other dims]`)
 * @param mode the mode that was unfolded; negative values count from the end of `shape`
 * @param shape the shape of the folded tensor
 * @throws ShapeError when `shape` is malformed or has a different number of entries;
 *   ModeError for a mode out of range
 */
export function fold(unfolded: TensorLike, mode: number, shape: readonly number[]): tf.Tensor {
  const full = checkShape(shape, 'shape');
  if (full.length < 1) throw new ShapeError(`shape must have at least 1 dimension; got []`);
  const m = checkMode(mode, full.length, 'mode');
  return tf.tidy(() => {
    const x = toTensor(unfolded, 'unfolded');
    if (x.size !== prod(full)) {
      throw new ShapeError(`unfolded has ${x.size} entries (shape ${shapeStr(x.shape)}) but shape ${shapeStr(full)} needs ${prod(full)}`);
    }
    const moved = [full[m], ...full.filter((_, i) => i !== m)];
    return notInput(moveaxis(tf.reshape(x, moved), 0, m), x);
  });
}
