import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { prod, shapeStr } from '../base/internal/shapeHelpers.js';

export interface ModeDotOptions {
  /** Use the transpose of the matrix, which then has shape `(I_mode, J)` (default false). */
  transpose?: boolean;
}

const MODE_DOT_OPTIONS = optionKeys<ModeDotOptions>()('transpose');

/**
 * The mode-n product on tensors already converted and validated (inside a tidy). `argName`
 * names the matrix in error messages.
 */
export function modeDotRaw(x: tf.Tensor, mv: tf.Tensor, mode: number, transpose: boolean, argName: string): tf.Tensor {
  const shape = x.shape;
  const dim = shape[mode];
  let j: number;
  let newShape: number[];
  if (mv.rank === 2) {
    const inAxis = transpose ? 0 : 1;
    if (mv.shape[inAxis] !== dim) {
      throw new ShapeError(
        `${argName} of shape ${shapeStr(mv.shape)} does not fit mode ${mode} of the tensor of shape ${shapeStr(shape)}: ` +
          `its dim ${inAxis} must equal ${dim}${transpose ? ' (transpose: true, so the matrix is (I_mode, J))' : ' (the matrix is (J, I_mode))'}`,
      );
    }
    j = mv.shape[1 - inAxis] as number;
    newShape = [...shape];
    newShape[mode] = j;
  } else if (mv.rank === 1) {
    if (mv.shape[0] !== dim) {
      throw new ShapeError(`${argName} is a vector of length ${mv.shape[0]}; mode ${mode} of the tensor of shape ${shapeStr(shape)} needs length ${dim}`);
    }
    j = 1;
    newShape = shape.filter((_, i) => i !== mode);
  } else {
    throw new ShapeError(`${argName} must be a matrix (2-D) or a vector (1-D); got shape ${shapeStr(mv.shape)}`);
  }
  const before = prod(shape.slice(0, mode));
  const after = prod(shape.slice(mode + 1));
  // Plain (no-flag) 2-D matmuls only (see backend/wasmKernelFixes/matMul.ts):
  // trailing mode: (before, I) @ M^T, the tensor is not copied;
  // leading mode: M @ (I, after), the tensor is the right operand (copied on wasm only);
  // middle mode: move the mode last ((before, after, I), one transpose), multiply by M^T,
  // and move the new mode back (one transpose of the result).
  if (before === 1 && after > 1) {
    const left = mv.rank === 1 ? tf.reshape(mv, [1, dim]) : transpose ? tf.transpose(mv) : mv;
    return tf.reshape(tf.matMul(left, tf.reshape(x, [dim, after])), newShape);
  }
  // The operator as an (I_mode, J) right operand.
  const mt = mv.rank === 1 ? tf.reshape(mv, [dim, 1]) : transpose ? mv : tf.transpose(mv);
  if (after === 1) {
    return tf.reshape(tf.matMul(tf.reshape(x, [before, dim]), mt), newShape);
  }
  // The inner tidy frees the transposed copy as soon as the product exists.
  const out = tf.tidy(() => {
    const moved = tf.reshape(tf.transpose(tf.reshape(x, [before, dim, after]), [0, 2, 1]), [before * after, dim]);
    return tf.reshape(tf.matMul(moved, mt), [before, after, j]);
  });
  return tf.reshape(j === 1 ? out : tf.transpose(out, [0, 2, 1]), newShape);
}

/**
 * The n-mode product of a tensor with a matrix or a vector (Kolda & Bader 2009, §2.5),
 * mirroring `tensorly.tenalg.mode_dot`:
 *
 *   matrix M (J x I_n):  (T x_n M)[..., j, ...] = sum_i M[j, i] T[..., i, ...],
 *                        i.e. fold(M @ unfold(T, n), n, shape with I_n -> J)
 *   vector v (I_n):      the same contraction with the mode removed (shape without I_n).
 *
 * With `transpose: true` the matrix is given as `(I_n, J)` and `M^T` is applied.
 * Runs as one plain matmul on the backend; for a middle mode the tensor and the result are
 * transposed once each so that the matmul stays unbatched and flag-free (the fast path of
 * the wasm backend).
 *
 * @throws ShapeError when the matrix does not fit the mode or is neither 1-D nor 2-D;
 *   ModeError for a mode out of range
 */
export function modeDot(t: TensorLike, matrixOrVector: TensorLike, mode: number, options: ModeDotOptions = {}): tf.Tensor {
  const { transpose = false } = checkOptions(options, MODE_DOT_OPTIONS, 'modeDot');
  if (typeof transpose !== 'boolean') throw new ArgumentError(`transpose must be a boolean; got ${describe(transpose)}`);
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    if (x.rank < 1) throw new ShapeError(`tensor must have at least 1 dimension; got a scalar`);
    const m = checkMode(mode, x.rank, 'mode');
    const mv = toTensor(matrixOrVector, 'matrixOrVector');
    return modeDotRaw(x, mv, m, transpose, 'matrixOrVector');
  });
}
