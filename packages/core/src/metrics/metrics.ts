/**
 * Metrics of TensorLy 0.9 (`tensorly/metrics/regression.py`, `tensorly/metrics/factors.py`):
 * mean squared error, its root, and the optimal mean (Tucker) congruence coefficient
 * between the columns of factor matrices.
 */
import * as tf from '@tensorflow/tfjs';
import { readScalar } from '../backend/transfer.js';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { isNdArray, toTensor, type TensorLike } from '../io/tensorLike.js';
import { congruenceMatch, type CongruenceResult } from '../tensors/internal/congruence.js';

function sameShape(a: tf.Tensor, b: tf.Tensor, na: string, nb: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${na} and ${nb} must have the same shape; got ${describe(a.shape)} and ${describe(b.shape)}`);
  }
  if (a.size === 0) throw new ShapeError(`${na} must not be empty; got shape ${describe(a.shape)}`);
}

/**
 * Mean squared error `mean((yTrue - yPred)^2)` over all entries (TensorLy `MSE` with
 * `axis=None`). The shapes must be equal (no broadcasting). One host sync.
 */
export function mse(yTrue: TensorLike, yPred: TensorLike): number {
  const m = tf.tidy(() => {
    const a = toTensor(yTrue, 'yTrue');
    const b = toTensor(yPred, 'yPred');
    sameShape(a, b, 'yTrue', 'yPred');
    return tf.mean(tf.squaredDifference(a, b));
  });
  const v = readScalar(m);
  m.dispose();
  return v;
}

/** Root mean squared error `sqrt(mse(yTrue, yPred))` (TensorLy `RMSE`). */
export function rmse(yTrue: TensorLike, yPred: TensorLike): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** A single matrix, or a list of matrices (one per mode of a factorization). */
export type MatrixOrList = TensorLike | readonly TensorLike[];

function isMatrixList(x: unknown): x is readonly TensorLike[] {
  if (!Array.isArray(x) || x.length === 0) return false;
  // A nested-array matrix is number[][] (its rows are number[]); a list holds matrices.
  return x.every((e) => e instanceof tf.Tensor || isNdArray(e) || (Array.isArray(e) && Array.isArray(e[0])) || (typeof e === 'object' && e !== null && !Array.isArray(e) && 'data' in e && 'shape' in e));
}

export interface CongruenceOptions {
  /** Take |cos| before matching, so sign flips do not matter (default true). */
  absoluteValue?: boolean;
}

const CONGRUENCE_OPTIONS = optionKeys<CongruenceOptions>()('absoluteValue');

export type { CongruenceResult };

/**
 * Optimal mean (Tucker) congruence coefficient between the columns of two matrices
 * (TensorLy `congruence_coefficient`; Tucker 1951, also called cosine similarity):
 * columns are scaled to unit norm, `C = m1^T m2` (entry-wise `|C|` with `absoluteValue`),
 * and for lists of matrices the `C_k` are multiplied entry-wise. The column matching that
 * maximises `sum_i C[i, perm[i]]` is found exactly with the Hungarian algorithm
 * (scipy's `linear_sum_assignment` in TensorLy); the score is the mean matched congruence.
 * Gram products run on the backend; the R x R assignment runs on the host (one sync).
 *
 * @throws ShapeError when the lists differ in length, the matrices are not 2-D, their
 *   column counts differ, or paired matrices have different row counts;
 *   ArgumentError when a column has zero norm
 */
export function congruenceCoefficient(m1s: MatrixOrList, m2s: MatrixOrList, options: CongruenceOptions = {}): CongruenceResult {
  const { absoluteValue = true } = checkOptions(options, CONGRUENCE_OPTIONS, 'congruenceCoefficient');
  if (typeof absoluteValue !== 'boolean') throw new ArgumentError(`absoluteValue must be a boolean; got ${describe(absoluteValue)}`);
  const l1 = isMatrixList(m1s) ? m1s : [m1s as TensorLike];
  const l2 = isMatrixList(m2s) ? m2s : [m2s as TensorLike];
  return congruenceMatch(l1, l2, absoluteValue);
}
