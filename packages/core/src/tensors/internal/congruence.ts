/**
 * The kernel of the (Tucker) congruence coefficient between the columns of two lists of
 * matrices, below `tensors` so that `cpPermuteFactors` (../cpFlipSign.ts) and the public
 * metric `congruenceCoefficient` (metrics/metrics.ts) share it without an upward import.
 *
 * Columns are scaled to unit norm, `C = m1^T m2` (entry-wise `|C|` with `absoluteValue`),
 * the `C_k` of a list multiplied entry-wise; the column matching maximising
 * `sum_i C[i, perm[i]]` is found exactly by the Hungarian algorithm (Tucker 1951; TensorLy
 * `congruence_coefficient` with scipy's `linear_sum_assignment`).
 */
import * as tf from '@tensorflow/tfjs';
import { readSync, readScalar } from '../../backend/transfer.js';
import { assertFinite } from '../../checks/index.js';
import { ArgumentError, ShapeError, describe } from '../../errors/index.js';
import { toTensor, type TensorLike } from '../../io/tensorLike.js';
import { linearSumAssignment } from '../../base/internal/hungarian.js';

export interface CongruenceResult {
  /** Mean congruence of the matched column pairs. */
  score: number;
  /** `permutation[i]` is the column of `m2s` matched to column `i` of `m1s`. */
  permutation: number[];
}

/**
 * Optimal mean congruence of the columns of the lists `l1` and `l2` (see the top of the file).
 * Gram products run on the backend; the R x R assignment runs on the host (one sync).
 *
 * @throws ShapeError when the lists differ in length, the matrices are not 2-D, their
 *   column counts differ, or paired matrices have different row counts;
 *   ArgumentError when a column has zero norm; NonFiniteError for NaN / Inf entries
 */
export function congruenceMatch(l1: readonly TensorLike[], l2: readonly TensorLike[], absoluteValue: boolean): CongruenceResult {
  if (l1.length !== l2.length) throw new ShapeError(`m1s and m2s must hold as many matrices; got ${l1.length} and ${l2.length}`);
  const { c, minNorm } = tf.tidy(() => {
    const a = l1.map((m, i) => toTensor(m, `m1s[${i}]`));
    const b = l2.map((m, i) => toTensor(m, `m2s[${i}]`));
    a.forEach((m, i) => assertFinite(m, `m1s[${i}]`));
    b.forEach((m, i) => assertFinite(m, `m2s[${i}]`));
    [...a, ...b].forEach((m, i) => {
      if (m.rank !== 2) throw new ShapeError(`${i < a.length ? `m1s[${i}]` : `m2s[${i - a.length}]`} must be a matrix; got shape ${describe(m.shape)}`);
    });
    const R = a[0].shape[1] as number;
    [...a, ...b].forEach((m, i) => {
      if (m.shape[1] !== R) throw new ShapeError(`all matrices must have the same number of columns (${R}); ${i < a.length ? `m1s[${i}]` : `m2s[${i - a.length}]`} has shape ${describe(m.shape)}`);
    });
    a.forEach((m, i) => {
      if (m.shape[0] !== b[i].shape[0]) throw new ShapeError(`m1s[${i}] and m2s[${i}] must have the same number of rows; got ${describe(m.shape)} and ${describe(b[i].shape)}`);
    });
    let norms: tf.Tensor = tf.ones([1]);
    let c: tf.Tensor = tf.ones([R, R]);
    a.forEach((m1, i) => {
      const n1 = tf.norm(m1, 'euclidean', 0);
      const n2 = tf.norm(b[i], 'euclidean', 0);
      norms = tf.concat([norms, n1, n2]);
      let ck: tf.Tensor = tf.matMul(tf.transpose(tf.div(m1, n1)), tf.div(b[i], n2));
      if (absoluteValue) ck = tf.abs(ck);
      c = tf.mul(c, ck);
    });
    return { c, minNorm: tf.min(norms) };
  });
  const zero = readScalar(minNorm) === 0;
  minNorm.dispose();
  const R = c.shape[0] as number;
  const data = Float64Array.from(readSync(c));
  c.dispose();
  if (zero) throw new ArgumentError(`every column of m1s and m2s must have a nonzero l2 norm`);
  const neg = data.map((x) => -x); // maximise congruence
  const permutation = linearSumAssignment(neg, R, R);
  let s = 0;
  for (let i = 0; i < R; i++) s += data[i * R + permutation[i]];
  return { score: s / R, permutation };
}
