/**
 * Seeded random PARAFAC2 tensors (TensorLy 0.9 `random_parafac2`, `tensorly/random/base.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, describe } from '../errors/index.js';
import { checkAllocation, checkOptions, optionKeys } from '../checks/index.js';
import { qr } from '../linalg/qr.js';
import { checkShape } from '../tensors/ranks.js';
import { Parafac2Tensor, parafac2Normalise, parafac2ToTensor } from '../tensors/parafac2.js';
import { toRng, uniformTensor, type Seed } from '../base/rng.js';

export interface RandomParafac2Options {
  /** An integer seed or an Rng (advanced in place); default: fresh entropy. */
  seed?: Seed;
  /** Return the zero-padded full tensor `(I, max J_i, K)` instead of the Parafac2Tensor. */
  full?: boolean;
  /** Normalise the factors (unit columns, norms in the weights); default false, as TensorLy. */
  normaliseFactors?: boolean;
}

const RANDOM_PARAFAC2_OPTIONS = optionKeys<RandomParafac2Options>()('seed', 'full', 'normaliseFactors');

/**
 * A random PARAFAC2 tensor (TensorLy `random_parafac2(shapes, rank, full, random_state,
 * normalise_factors)`): for each slice shape `(J_i, K)`, the projection is the Q of the QR
 * of a U[0,1) `(J_i, R)` matrix; then `A (I x R)`, `B (R x R)`, `C (K x R)` are U[0,1) with unit
 * weights (`random_cp([I, R, K], R, normalise_factors=False)`), drawn in that order from
 * the one seeded stream, so a seed gives the same tensor on every backend.
 *
 * @param shapes the slice shapes `(J_i, K)`; every K must agree.
 * @param rank R, an integer with `1 <= R <= min J_i` (orthonormal projections need it;
 *   TensorLy returns projections with fewer columns instead).
 * @throws ShapeError on bad or mismatched shapes; RankError on a bad rank.
 */
export function randomParafac2(shapes: readonly (readonly number[])[], rank: number, options: RandomParafac2Options & { full: true }): tf.Tensor3D;
export function randomParafac2(shapes: readonly (readonly number[])[], rank: number, options?: RandomParafac2Options & { full?: false }): Parafac2Tensor;
export function randomParafac2(shapes: readonly (readonly number[])[], rank: number, options?: RandomParafac2Options): Parafac2Tensor | tf.Tensor3D;
export function randomParafac2(shapes: readonly (readonly number[])[], rank: number, options?: RandomParafac2Options | null): Parafac2Tensor | tf.Tensor3D {
  options = checkOptions(options, RANDOM_PARAFAC2_OPTIONS, 'randomParafac2');
  if (!Array.isArray(shapes) || shapes.length === 0) throw new ShapeError(`shapes must be a non-empty list of slice shapes (J_i, K); got ${describe(shapes)}`);
  const s = shapes.map((sh, i) => {
    const c = checkShape(sh, `shapes[${i}]`);
    if (c.length !== 2) throw new ShapeError(`shapes[${i}] must be a slice shape (J_${i}, K); got ${describe(sh)}`);
    return c;
  });
  const K = s[0][1];
  s.forEach((sh, i) => {
    if (sh[1] !== K) throw new ShapeError(`all slices must have the same number of columns K = ${K} (shapes[0]); shapes[${i}] is ${describe(sh)}`);
  });
  const minJ = Math.min(...s.map((sh) => sh[0]));
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank > minJ) {
    throw new RankError(`rank must be an integer in [1, ${minJ}] (the smallest slice has ${minJ} rows, and each projection needs orthonormal columns); got ${describe(rank)}`);
  }
  checkAllocation(s.reduce((acc, sh) => acc + sh[0] * rank, 0) + (s.length + rank + K) * rank, 'randomParafac2: the factors and projections for these shapes');
  if (options.full === true) checkAllocation(s.length * Math.max(...s.map((sh) => sh[0])) * K, 'randomParafac2: the full tensor of these shapes');
  for (const key of ['full', 'normaliseFactors'] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${key} must be a boolean; got ${describe(v)}`);
  }
  const rng = toRng(options.seed);
  const parts = tf.tidy(() => {
    const projections = s.map((sh) => qr(uniformTensor([sh[0], rank], rng) as tf.Tensor2D).q);
    const factors = [s.length, rank, K].map((d) => uniformTensor([d, rank], rng) as tf.Tensor2D);
    return { projections, factors };
  });
  let p = new Parafac2Tensor(null, parts.factors, parts.projections);
  if (options.normaliseFactors === true) {
    const n = parafac2Normalise(p);
    p.dispose();
    p = n;
  }
  if (options.full === true) {
    const t = parafac2ToTensor(p);
    p.dispose();
    return t;
  }
  return p;
}
