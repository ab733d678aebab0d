/**
 * Randomized range finder: Halko, Martinsson & Tropp, "Finding structure with randomness",
 * SIAM Review 2011, Alg. 4.4 (randomized subspace iteration); TensorLy 0.9
 * `tenalg.svd.randomized_range_finder`.
 */
import * as tf from '@tensorflow/tfjs';
import { toRng, type Seed } from '../base/rng.js';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { mm, tallSvd } from './engine.js';
import { checkMatrix, release } from './validate.js';
import { checkIntOption, checkOptions, optionKeys } from '../checks/index.js';

/** Options of {@link randomizedRangeFinder}: power iterations `nIter` (default 2) and `seed` (default 0). */
export interface RandomizedRangeFinderOptions {
  nIter?: number;
  seed?: Seed;
}

const RANDOMIZED_RANGE_FINDER_OPTIONS = optionKeys<RandomizedRangeFinderOptions>()('nIter', 'seed');

/** Orthonormal basis of range(y), robust to rank deficiency (SVD-based, as `svd`'s sketch uses). */
function basis(y: tf.Tensor2D): tf.Tensor2D {
  return tallSvd(y, y.shape[1], 'exact').u as tf.Tensor2D;
}

/**
 * An `(m, nDims)` matrix Q with orthonormal columns whose range approximates the range of
 * `A (m, n)`: `Q = orth(A Omega)` for a seeded Gaussian `Omega (n, nDims)`, then `nIter`
 * rounds of `Q = orth(A orth(A^T Q))` (power iterations, which sharpen a slowly decaying
 * spectrum). `nDims` is clamped to `min(m, n)`. Products on the backend.
 *
 * @throws ShapeError if A is not a non-empty matrix; ArgumentError for a bad nDims / nIter
 */
export function randomizedRangeFinder(a: TensorLike, nDims: number, options: RandomizedRangeFinderOptions = {}): tf.Tensor2D {
  if (typeof nDims !== 'number' || !Number.isInteger(nDims) || nDims < 1) throw new ArgumentError(`nDims must be a positive integer; got ${describe(nDims)}`);
  options = checkOptions(options, RANDOMIZED_RANGE_FINDER_OPTIONS, 'randomizedRangeFinder');
  const nIter = checkIntOption(options.nIter ?? 2, 'nIter', 0, 1000);
  const rng = toRng(options.seed ?? 0, 'seed');
  const m = checkMatrix(a, 'a');
  try {
    const [rows, cols] = m.t.shape;
    const l = Math.min(nDims, rows, cols);
    const omega = new Float32Array(cols * l);
    for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
    const om = tf.tensor2d(omega, [cols, l]);
    const at = tf.transpose(m.t) as tf.Tensor2D;
    let y = mm(m.t, om);
    om.dispose();
    let q = basis(y);
    y.dispose();
    for (let it = 0; it < nIter; it++) {
      const z = mm(at, q);
      q.dispose();
      const qz = basis(z);
      z.dispose();
      y = mm(m.t, qz);
      qz.dispose();
      q = basis(y);
      y.dispose();
    }
    at.dispose();
    return q;
  } finally {
    release(m);
  }
}
