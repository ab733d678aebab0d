import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ShapeError, checkMode } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { moveaxis, notInput, prod, shapeStr } from './internal/shapeHelpers.js';
import { checkShape } from '../checks/index.js';
import { checkSkips } from './partialUnfold.js';

export interface PartialFoldOptions {
  /** Number of leading dims that were skipped (default 1). */
  skipBegin?: number;
  /** Number of trailing dims that were skipped (default 0). */
  skipEnd?: number;
}

const PARTIAL_FOLD_OPTIONS = optionKeys<PartialFoldOptions>()('skipBegin', 'skipEnd');

/**
 * Inverse of {@link partialUnfold} (with or without `ravelTensors`): `shape` is the full
 * shape of the folded tensor, skipped dims included.
 *
 *   partialFold(U, mode, shape) = moveaxis(reshape(U, shape with dim skipBegin+mode moved to skipBegin),
 *                                          skipBegin, skipBegin + mode)
 *
 * Mirrors `tensorly.base.partial_fold`.
 *
 * @throws ShapeError when `shape` is malformed or its size differs from `unfolded`'s;
 *   ModeError for a mode out of range
 */
export function partialFold(unfolded: TensorLike, mode: number, shape: readonly number[], options: PartialFoldOptions = {}): tf.Tensor {
  const { skipBegin = 1, skipEnd = 0 } = checkOptions(options, PARTIAL_FOLD_OPTIONS, 'partialFold');
  const full = checkShape(shape, 'shape');
  const { sb, inner } = checkSkips(full.length, skipBegin, skipEnd);
  const m = checkMode(mode, inner, 'mode');
  return tf.tidy(() => {
    const x = toTensor(unfolded, 'unfolded');
    if (x.size !== prod(full)) {
      throw new ShapeError(`unfolded has ${x.size} entries (shape ${shapeStr(x.shape)}) but shape ${shapeStr(full)} needs ${prod(full)}`);
    }
    const moved = [...full];
    const [dim] = moved.splice(sb + m, 1);
    moved.splice(sb, 0, dim);
    return notInput(moveaxis(tf.reshape(x, moved), sb, sb + m), x);
  });
}
