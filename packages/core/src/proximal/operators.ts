/**
 * The proximal operators of TensorLy 0.9 (`tenalg/proximal.py`) as tensor functions:
 * element-wise thresholdings on the backend, the column-wise projections on the host in
 * float64 (their inner loops are sequential: sorts, pool-adjacent-violators, banded solves).
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, readScalar, toHostMatrix } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { assertFinite, toTensor, type TensorLike } from '../io/index.js';
import { checkConstraint, proxHost, type Constraint } from './constraint.js';
import { checkOptions, optionKeys } from '../checks/options.js';

/** Convert and check a finite tensor argument; `owned` tells whether we created it. */
function checkTensor(x: TensorLike, argName: string): { t: tf.Tensor; owned: boolean } {
  const t = toTensor(x, argName);
  const owned = t !== x;
  try {
    assertFinite(t, argName);
  } catch (err) {
    if (owned) t.dispose();
    throw err;
  }
  return { t, owned };
}

function checkNonNegative(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${name} must be a finite number >= 0; got ${describe(v)}`);
  return v;
}

/**
 * Soft thresholding, `sign(x) max(|x| - threshold, 0)`: the proximal operator of
 * `threshold * ||x||_1`, `argmin_z threshold ||z||_1 + ||z - x||^2 / 2` (Donoho, "De-noising
 * by soft-thresholding", IEEE Trans. Inf. Theory 1995). `threshold` is a number or a tensor
 * that broadcasts against x (TensorLy's `mask * reg / mu` in robust PCA). On the backend.
 *
 * @throws NonFiniteError on NaN/Inf; ArgumentError for a negative threshold; ShapeError if
 *   a tensor threshold does not broadcast.
 */
export function softThresholding(x: TensorLike, threshold: number | TensorLike): tf.Tensor {
  const c = checkTensor(x, 'tensor');
  let thr: { t: tf.Tensor; owned: boolean } | null = null;
  try {
    if (typeof threshold === 'number') {
      checkNonNegative(threshold, 'threshold');
      return tf.tidy(() => softUnchecked(c.t, threshold));
    }
    thr = checkTensor(threshold, 'threshold');
    try {
      tf.broadcast_util.assertAndGetBroadcastShape(c.t.shape, thr.t.shape);
    } catch {
      throw new ShapeError(`threshold must broadcast against the tensor's shape ${describe(c.t.shape)}; got shape ${describe(thr.t.shape)}`);
    }
    const neg = tf.tidy(() => readScalar(tf.any(tf.less(thr!.t, 0))));
    if (neg) throw new ArgumentError('threshold must be >= 0 everywhere; it holds negative values');
    const tt = thr.t;
    return tf.tidy(() => softUnchecked(c.t, tt));
  } finally {
    if (thr?.owned) thr.t.dispose();
    if (c.owned) c.t.dispose();
  }
}

/** `sign(x) max(|x| - thr, 0)` without checks (call inside tf.tidy). */
export function softUnchecked(x: tf.Tensor, thr: number | tf.Tensor): tf.Tensor {
  return tf.mul(tf.sign(x), tf.relu(tf.sub(tf.abs(x), thr)));
}

/**
 * Apply a constraint's proximal operator (see `Constraint`) to a vector (one column) or a
 * matrix (column-wise where the operator is per column), on the host in float64. TensorLy
 * `proximal_operator` with one constraint.
 *
 * @throws ShapeError unless x is 1-D or 2-D and non-empty; NonFiniteError on NaN/Inf;
 *   ArgumentError for an unknown constraint or a bad parameter.
 */
export function proximalOperator(x: TensorLike, constraint: Constraint): tf.Tensor {
  const k = checkConstraint(constraint);
  const c = checkTensor(x, 'tensor');
  try {
    if (c.t.rank !== 1 && c.t.rank !== 2) throw new ShapeError(`tensor must be a vector or a matrix; got shape ${describe(c.t.shape)}`);
    if (c.t.size === 0) throw new ShapeError(`tensor must not be empty; got shape ${describe(c.t.shape)}`);
    const m = c.t.rank === 1 ? toHostMatrix(tf.reshape(c.t, [-1, 1]) as tf.Tensor2D) : toHostMatrix(c.t);
    const out = fromHostMatrix(proxHost(m, k));
    if (c.t.rank === 2) return out;
    const v = tf.reshape(out, [-1]);
    out.dispose();
    return v;
  } finally {
    if (c.owned) c.t.dispose();
  }
}

/**
 * Hard thresholding: keep the `numberOfNonZero` entries of largest magnitude of the whole
 * tensor (ties to the lower flat index), zero the rest; the projection onto
 * `{||x||_0 <= numberOfNonZero}`. TensorLy `hard_thresholding` (any shape here).
 * @throws NonFiniteError on NaN/Inf; ArgumentError unless numberOfNonZero is an integer >= 0.
 */
export function hardThresholding(x: TensorLike, numberOfNonZero: number): tf.Tensor {
  if (typeof numberOfNonZero !== 'number' || !Number.isInteger(numberOfNonZero) || numberOfNonZero < 0) {
    throw new ArgumentError(`numberOfNonZero must be an integer >= 0; got ${describe(numberOfNonZero)}`);
  }
  const c = checkTensor(x, 'tensor');
  try {
    if (numberOfNonZero === 0) return tf.zerosLike(c.t);
    const flat = tf.tidy(() => tf.reshape(c.t, [1, -1]));
    const h = toHostMatrix(flat);
    flat.dispose();
    const out = proxHost(h, { type: 'hardSparsity', value: numberOfNonZero });
    return tf.tensor(Float32Array.from(out.data), c.t.shape, 'float32');
  } finally {
    if (c.owned) c.t.dispose();
  }
}

/** Projection of each column (or the vector) onto `{v >= 0, sum v = parameter}` (Duchi et al., ICML 2008). TensorLy `simplex_prox`. @throws as `proximalOperator`. */
export function simplexProx(x: TensorLike, parameter: number): tf.Tensor {
  return proximalOperator(x, { type: 'simplex', value: parameter });
}

/** Projection of each column (or the vector) onto the l1 ball `{||v||_1 <= threshold}` (Duchi et al. 2008). TensorLy `soft_sparsity_prox` (see `proxHost` for the deviation). @throws as `proximalOperator`. */
export function softSparsityProx(x: TensorLike, threshold: number): tf.Tensor {
  return proximalOperator(x, { type: 'softSparsity', value: threshold });
}

/** `(I + regularizer tridiag(-1, 2, -1))^{-1} x` per column: the prox of the smoothness penalty. TensorLy `smoothness_prox`. @throws as `proximalOperator`. */
export function smoothnessProx(x: TensorLike, regularizer: number): tf.Tensor {
  return proximalOperator(x, { type: 'smoothness', value: regularizer });
}

/** Options of {@link monotonicityProx}. */
export interface MonotonicityProxOptions {
  /** Fit a non-increasing sequence instead (default false). */
  decreasing?: boolean;
}

const MONOTONICITY_PROX_OPTIONS = optionKeys<MonotonicityProxOptions>()('decreasing');

/** Isotonic regression of each column (non-decreasing, or non-increasing with `decreasing`) by pool-adjacent-violators. TensorLy `monotonicity_prox`. @throws as `proximalOperator`. */
export function monotonicityProx(x: TensorLike, opts: MonotonicityProxOptions = {}): tf.Tensor {
  opts = checkOptions(opts, MONOTONICITY_PROX_OPTIONS, 'monotonicityProx', 'opts');
  return proximalOperator(x, { type: 'monotonicity', decreasing: opts.decreasing ?? false });
}

/** Unimodal regression of each column (Stout 2008). TensorLy `unimodality_prox`. @throws as `proximalOperator`. */
export function unimodalityProx(x: TensorLike): tf.Tensor {
  return proximalOperator(x, { type: 'unimodality' });
}

/** `x - x regularizer / max(||x||_F, regularizer)`: the prox of `regularizer ||x||_F`. TensorLy `l2_prox`. @throws as `proximalOperator`. */
export function l2Prox(x: TensorLike, regularizer: number): tf.Tensor {
  return proximalOperator(x, { type: 'l2Reg', value: regularizer });
}

/** `x / (1 + 2 regularizer)`: the prox of `regularizer ||x||_F^2`. TensorLy `l2_square_prox`. @throws as `proximalOperator`. */
export function l2SquareProx(x: TensorLike, regularizer: number): tf.Tensor {
  return proximalOperator(x, { type: 'l2SquareReg', value: regularizer });
}

/** Hard thresholding to `threshold` entries, then division by the Frobenius norm. TensorLy `normalized_sparsity_prox`. @throws as `proximalOperator`. */
export function normalizedSparsityProx(x: TensorLike, threshold: number): tf.Tensor {
  return proximalOperator(x, { type: 'normalizedSparsity', value: threshold });
}
