/**
 * Symmetric eigendecomposition, `eigh(symmetric)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix } from '../backend/transfer.js';
import { ArgumentError } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { eighUnchecked } from './host.js';
import { checkMatrix, release } from './validate.js';

/** Relative asymmetry tolerated by `eigh` (float32 Gram products are not bitwise symmetric). */
export const EIGH_SYMMETRY_RTOL = 1e-4;

/**
 * Eigen-decomposition of a real symmetric matrix, A = V diag(values) V^T (numpy's / TensorLy's
 * `eigh`). `values` are ascending; `vectors` holds orthonormal eigenvectors as columns, each
 * signed so that its largest-|.| entry is positive (ties to the first index), which makes the
 * result deterministic where numpy's signs are arbitrary.
 *
 * Computed on the host in float64 (Householder tridiagonalisation + implicit QL, Golub &
 * Van Loan Alg. 8.3.3) on (A + A^T) / 2: an n x n download, O(n^3) host work.
 *
 * @throws ShapeError unless A is square, non-empty and 2-D; NonFiniteError on NaN/Inf;
 *   ArgumentError if A is not symmetric (max |A - A^T| > 1e-4 max |A|).
 */
export function eigh(symmetric: TensorLike): { values: tf.Tensor1D; vectors: tf.Tensor2D } {
  const c = checkMatrix(symmetric, 'symmetric', { square: true });
  try {
    const h = toHostMatrix(c.t);
    const n = h.rows;
    let amax = 0;
    let asym = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        amax = Math.max(amax, Math.abs(h.data[i * n + j]));
        if (j < i) asym = Math.max(asym, Math.abs(h.data[i * n + j] - h.data[j * n + i]));
      }
    }
    if (asym > EIGH_SYMMETRY_RTOL * amax) {
      throw new ArgumentError(`symmetric must be a symmetric matrix; max |A - A^T| is ${asym.toExponential(3)}, above ${EIGH_SYMMETRY_RTOL} * max|A| = ${(EIGH_SYMMETRY_RTOL * amax).toExponential(3)}`);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) h.data[i * n + j] = (h.data[i * n + j] + h.data[j * n + i]) / 2;
    }
    const { values, vectors } = eighUnchecked(h, true);
    return { values: tf.tensor1d(Float32Array.from(values)), vectors: fromHostMatrix(vectors) };
  } finally {
    release(c);
  }
}
