/** Shared pieces of the low-rank regressions: input checks and the ridge solve. */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, readScalar, toHostMatrix } from '../../backend/transfer.js';
import { ShapeError, describe } from '../../errors/index.js';
import { solveUnchecked } from '../../linalg/host.js';
import { checkInputTensor, releaseInput, type CheckedInput } from '../../decomposition/internal/inputChecks.js';
import { toTensor, type TensorLike } from '../../io/index.js';

/** Check `X (n, I_1, ..., I_N)` and `y (n,)`. */
export function checkXy(x: TensorLike, y: TensorLike): { X: CheckedInput; Y: CheckedInput } {
  const X = checkInputTensor(x, 'X', 2);
  let Y: CheckedInput | null = null;
  try {
    Y = checkInputTensor(y, 'y', 1);
    if (Y.shape.length !== 1 || Y.shape[0] !== X.shape[0]) {
      throw new ShapeError(`y must be a vector with one target per sample of X (${X.shape[0]}); got shape ${describe(Y.shape)}`);
    }
    return { X, Y };
  } catch (err) {
    releaseInput(Y);
    releaseInput(X);
    throw err;
  }
}

/** Ridge solution `(phi^T phi + reg I)^{-1} phi^T y` as a vector tensor (host float64 solve). */
export function ridge(phi: tf.Tensor2D, y: tf.Tensor1D, reg: number): tf.Tensor1D {
  const { g, b } = tf.tidy(() => {
    const pt = tf.transpose(phi);
    return { g: tf.matMul(pt, phi), b: tf.matMul(pt, tf.reshape(y, [-1, 1])) };
  });
  const G = toHostMatrix(g);
  const B = toHostMatrix(b);
  tf.dispose([g, b]);
  for (let i = 0; i < G.rows; i++) G.data[i * G.cols + i] += reg;
  const x = solveUnchecked(G, B, 0);
  const t = fromHostMatrix(x);
  const v = tf.reshape(t, [-1]) as tf.Tensor1D;
  t.dispose();
  return v;
}

/**
 * One mode's ALS update of the low-rank regressions: `W[i]` becomes the ridge solution for
 * the design matrix `phi` (n x I_i r_i), reshaped to I_i x r_i. Disposes `phi` and the old W[i].
 */
export function ridgeUpdateFactor(W: tf.Tensor2D[], i: number, phi: tf.Tensor2D, y: tf.Tensor1D, reg: number, cols: number): void {
  const rows = W[i].shape[0];
  const v = ridge(phi, y, reg);
  phi.dispose();
  W[i].dispose();
  W[i] = tf.reshape(v, [rows, cols]) as tf.Tensor2D;
  v.dispose();
}

/**
 * TensorLy's stopping rule of CP/Tucker regression: records `||W||` (the scalar tensor `norm`,
 * disposed here) and says to stop after the third sweep once
 * `| ||W_k|| - ||W_{k-1}|| | / ||W_k|| <= tol`.
 */
export function recordNormAndCheckStop(normHistory: number[], norm: tf.Tensor, iteration: number, tol: number): boolean {
  normHistory.push(readScalar(norm));
  norm.dispose();
  const k = normHistory.length;
  return iteration > 1 && Math.abs(normHistory[k - 1] - normHistory[k - 2]) / normHistory[k - 1] <= tol;
}

/** Predictions `<X_n, W>` for every sample. */
export function predictWith(x: tf.Tensor, w: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [x.shape[0], -1]), tf.reshape(w, [-1, 1])), [-1]) as tf.Tensor1D);
}

/**
 * A fitted regressor's `predict`: `<X_n, W>` per sample for the weight tensor `weight()`
 * builds (called inside the tidy, so it may return a fresh tensor).
 * @throws ShapeError when X is not `(n, ...W.shape)`.
 */
export function predictSamples(X: TensorLike, weight: () => tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const xt = toTensor(X, 'X');
    const w = weight();
    if (xt.shape.length !== w.shape.length + 1 || w.shape.some((d, i) => d !== xt.shape[i + 1])) {
      throw new ShapeError(`X must have shape (n, ${w.shape.join(', ')}); got ${describe(xt.shape)}`);
    }
    return predictWith(xt, w);
  });
}
