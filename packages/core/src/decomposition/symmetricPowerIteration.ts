/**
 * Symmetric CP decomposition by the robust symmetric tensor power method: TensorLy 0.9
 * `symmetric_power_iteration` / `symmetric_parafac_power_iteration` (`_symmetric_cp.py`).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorLike } from '../io/index.js';
import { uniformTensor, type Rng } from '../base/rng.js';
import { multiModeDot, norm } from '../tenalg/index.js';
import type { RankSpec } from '../tensors/index.js';
import { checkCallback, checkInputTensor, checkOptions, releaseInput } from './internal/inputChecks.js';
import { resolveCpRank } from './cp.js';
import {
  POWER_OPTIONS,
  PARAFAC_POWER_OPTIONS,
  checkCubical,
  checkPowerOptions,
  deflationProgress,
  eigenpairProgress,
  powerIterationUnchecked,
  type ParafacPowerIterationOptions,
  type PowerIterationOptions,
} from './powerIteration.js';

/** One symmetric eigenpair. The caller owns (and disposes) the tensors. */
export interface SymmetricPowerIterationResult {
  /** `lambda = T(v, ..., v)`. */
  eigenval: number;
  /** The unit vector `v`. */
  factor: tf.Tensor1D;
  /** `T - lambda v o ... o v`. */
  deflated: tf.Tensor;
}

/** A symmetric CP model `sum_r w_r v_r o ... o v_r` (TensorLy returns `(weights, factor)`). */
export interface SymmetricCp {
  /** `(R,)` eigenvalues. */
  weights: tf.Tensor1D;
  /** `(s, R)`: column r is `v_r`. */
  factor: tf.Tensor2D;
}

/** `order * n` symmetric updates `v <- T(., v, ..., v) / ||.||` (modes 1..N-1 contracted). */
function symmetricSweeps(t: tf.Tensor, start: tf.Tensor1D[], n: number): tf.Tensor1D[] {
  const order = t.rank;
  const modes = [...Array(order - 1).keys()].map((k) => k + 1);
  const v = tf.tidy(() => {
    let f = start[0];
    for (let it = 0; it < n * order; it++) {
      const g = multiModeDot(t, Array(order - 1).fill(f), { modes });
      f = tf.div(g, tf.norm(g)) as tf.Tensor1D;
    }
    return n === 0 ? tf.clone(f) : f;
  });
  return Array(order).fill(v);
}

const symmetricStarts = (shape: number[], rng: Rng): tf.Tensor1D[] => Array(shape.length).fill(uniformTensor([shape[0]], rng));

/**
 * One eigenpair of a symmetric tensor `T` of shape `(s, ..., s)` by the robust symmetric
 * tensor power method (TensorLy `symmetric_power_iteration`; Anandkumar, Ge, Hsu, Kakade &
 * Telgarsky, JMLR 2014, Alg. 1): from each of `nRepeat` U[0,1) starts, `order * nIteration`
 * updates `v <- T(., v, ..., v) / ||T(., v, ..., v)||`; the start with the largest
 * `lambda = T(v, ..., v)` is refined the same way, then deflated: `T - lambda v^{o N}`.
 * Symmetry of `T` is assumed, not checked (only modes 1..N-1 are contracted).
 *
 * Deviation: `seed` seeds the starts (TensorLy takes none; docs/fidelity/decomposition.md).
 * Progress: task 'symmetricPowerIteration', one record per start and one for the refinement
 * (total nRepeat + 1), no error.
 *
 * @throws ShapeError when the modes differ in size (TensorLy: ValueError) or the tensor has
 *   fewer than 2 modes; NonFiniteError; ArgumentError; AbortedError
 */
export function symmetricPowerIteration(tensor: TensorLike, opts: PowerIterationOptions = {}): SymmetricPowerIterationResult {
  opts = checkOptions(opts, POWER_OPTIONS, 'symmetricPowerIteration');
  const o = checkPowerOptions(opts);
  const input = checkInputTensor(tensor, 'tensor', 2);
  try {
    checkCubical(input.shape);
    const res = powerIterationUnchecked(input.t, eigenpairProgress('symmetricPowerIteration', o), 'symmetricPowerIteration', symmetricSweeps, symmetricStarts);
    tf.dispose(res.factors.slice(1));
    return { eigenval: res.eigenval, factor: res.factors[0], deflated: res.deflated };
  } finally {
    releaseInput(input);
  }
}

/**
 * Symmetric CP decomposition `T ~ sum_r w_r v_r^{o N}` by the symmetric power method with
 * deflation (TensorLy `symmetric_parafac_power_iteration`): `rank` times
 * {@link symmetricPowerIteration} on the residual. `callback` is called after each component
 * with `{ iteration: components so far, error: ||residual|| / ||T|| }`; true stops.
 * Progress: task 'symmetricParafacPowerIteration', one record per component (total rank),
 * error `||residual|| / ||T||`.
 *
 * @throws ShapeError (non-cubical, fewer than 2 modes), NonFiniteError, RankError,
 *   ArgumentError, AbortedError
 */
export function symmetricParafacPowerIteration(tensor: TensorLike, rank: RankSpec, opts: ParafacPowerIterationOptions = {}): SymmetricCp {
  opts = checkOptions(opts, PARAFAC_POWER_OPTIONS, 'symmetricParafacPowerIteration');
  const o = checkPowerOptions(opts);
  checkCallback(opts.callback);
  const input = checkInputTensor(tensor, 'tensor', 2);
  const vectors: tf.Tensor1D[] = [];
  const weights: number[] = [];
  let residual: tf.Tensor = input.t;
  try {
    checkCubical(input.shape);
    const R = resolveCpRank(input.shape, rank);
    const normT = norm(input.t);
    const progress = deflationProgress('symmetricParafacPowerIteration', o, R);
    progress.begin();
    for (let r = 0; r < R; r++) {
      const res = powerIterationUnchecked(residual, o, 'symmetricParafacPowerIteration', symmetricSweeps, symmetricStarts);
      tf.dispose(res.factors.slice(1));
      vectors.push(res.factors[0]);
      weights.push(res.eigenval);
      if (residual !== input.t) residual.dispose();
      residual = res.deflated;
      if (opts.callback || progress.active) {
        const rel = normT > 0 ? norm(residual) / normT : 0;
        const stop = opts.callback !== undefined && opts.callback({ iteration: r + 1, error: rel }) === true;
        progress.step(r + 1, rel);
        if (stop) break;
      } else {
        progress.step(r + 1);
      }
    }
    return { weights: tf.tensor1d(weights), factor: tf.stack(vectors, 1) as tf.Tensor2D };
  } finally {
    tf.dispose(vectors);
    if (residual !== input.t && !residual.isDisposed) residual.dispose();
    releaseInput(input);
  }
}
