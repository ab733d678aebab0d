import * as tf from '@tensorflow/tfjs';
import { checkAllocation, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import type { TensorLike } from '../io/tensorLike.js';
import { shapeStr } from '../base/internal/shapeHelpers.js';
import { toTensorList } from './internal/toTensorList.js';

export interface KroneckerOptions {
  /** Index of a matrix to leave out; negative counts from the end. */
  skipMatrix?: number | null;
  /** Multiply in reverse order: `kron(kron(A_{N-1}, A_{N-2}), ...)` (default false). */
  reverse?: boolean;
}

const KRONECKER_OPTIONS = optionKeys<KroneckerOptions>()('skipMatrix', 'reverse');

/** Kronecker product of two matrices by broadcasting: `(a1,1,a2,1) * (1,b1,1,b2)`. */
function kron2(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [a1, a2] = a.shape as [number, number];
  const [b1, b2] = b.shape as [number, number];
  return tf.reshape(tf.mul(tf.reshape(a, [a1, 1, a2, 1]), tf.reshape(b, [1, b1, 1, b2])), [a1 * b1, a2 * b2]);
}

/**
 * Kronecker product of a list of matrices, `A_0 ⊗ A_1 ⊗ ... ⊗ A_{N-1}`, left to right
 * (`reverse` reverses the list first):
 *
 *   (A ⊗ B)[i*p + k, j*q + l] = A[i, j] * B[k, l]   for B of shape (p, q).
 *
 * With the C-order vectorisation, `vec(G x_0 U_0 ... x_{N-1} U_{N-1}) = (U_0 ⊗ ... ⊗ U_{N-1}) vec(G)`.
 * A single (remaining) matrix is returned as a copy. Mirrors `tensorly.tenalg.kronecker`
 * (which accepts any ndim through `np.kron`; here the inputs must be matrices).
 *
 * @throws ArgumentError for an empty list or when `skipMatrix` removes the only matrix;
 *   ShapeError for an input that is not 2-D; ModeError for `skipMatrix` out of range
 */
export function kronecker(matrices: readonly TensorLike[], options: KroneckerOptions = {}): tf.Tensor2D {
  const { skipMatrix = null, reverse = false } = checkOptions(options, KRONECKER_OPTIONS, 'kronecker');
  if (typeof reverse !== 'boolean') throw new ArgumentError(`reverse must be a boolean; got ${describe(reverse)}`);
  return tf.tidy(() => {
    let mats = toTensorList(matrices, 'matrices');
    let labels = mats.map((_, i) => `matrices[${i}]`);
    mats.forEach((m, i) => {
      if (m.rank !== 2) throw new ShapeError(`${labels[i]} must be a matrix (2-D); got shape ${shapeStr(m.shape)}`);
    });
    if (skipMatrix !== null && skipMatrix !== undefined) {
      const s = checkMode(skipMatrix, mats.length, 'skipMatrix');
      if (mats.length === 1) throw new ArgumentError(`skipMatrix (${skipMatrix}) leaves no matrix: matrices holds only one`);
      mats = mats.filter((_, i) => i !== s);
      labels = labels.filter((_, i) => i !== s);
    }
    if (reverse) mats = [...mats].reverse();
    checkAllocation(mats.reduce((n, m) => n * m.size, 1), `the Kronecker product of matrices (${mats.map((m) => shapeStr(m.shape)).join(', ')})`);
    let res = mats[0];
    for (let k = 1; k < mats.length; k++) res = kron2(res, mats[k]);
    return (mats.length === 1 ? tf.clone(res) : res) as tf.Tensor2D;
  });
}
