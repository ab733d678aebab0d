/**
 * Square linear systems, `solve(a, b)`.
 */
import * as tf from '@tensorflow/tfjs';
import { toHostMatrix } from '../backend/transfer.js';
import { ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { EPS32, solveUnchecked } from './host.js';
import { checkMatrix, release, type CheckedMatrix } from './validate.js';

/**
 * Solve A X = B for a square, non-singular A (numpy's / TensorLy's `solve`). `b` is a vector
 * (n) or a matrix (n x k); the result has the same shape as `b`.
 *
 * LU with partial pivoting on the host in float64 (Golub & Van Loan Alg. 3.4.1): one
 * download of A and B, O(n^3) host work (the systems Tenfold solves are R x R).
 * A is declared singular when a pivot is at most n * eps32 * max|A|: such a system has no
 * meaningful float32 solution (numpy raises only on an exact zero pivot); use `lstsq` for
 * a minimum-norm solution instead.
 *
 * @throws ShapeError on non-square A or mismatched rows; NonFiniteError on NaN/Inf;
 *   ArgumentError if A is singular.
 */
export function solve(a: TensorLike, b: TensorLike): tf.Tensor {
  const ca = checkMatrix(a, 'a', { square: true });
  let cb: CheckedMatrix | undefined;
  try {
    cb = checkMatrix(b, 'b', { allowVector: true });
    const n = ca.t.shape[0];
    if (cb.t.shape[0] !== n) {
      throw new ShapeError(`b must have ${n} rows to match a (${n} x ${n}); got shape ${describe(cb.t.shape)}`);
    }
    const isVector = cb.t.rank === 1;
    const b2 = isVector ? tf.reshape(cb.t, [n, 1]) : cb.t;
    const bh = toHostMatrix(b2);
    if (isVector) b2.dispose();
    const x = solveUnchecked(toHostMatrix(ca.t), bh, EPS32);
    const out = Float32Array.from(x.data);
    return isVector ? tf.tensor1d(out) : tf.tensor2d(out, [x.rows, x.cols]);
  } finally {
    release(ca, cb);
  }
}
