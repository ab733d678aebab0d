/**
 * Random initialisation of factorized-tensor parameters so that the reconstruction's entries
 * have mean 0 and a target std (tltorch `normal_`, `factorized_tensors/init.py`).
 *
 * With N the order of the tensor:
 * - CP: weights 1, factors N(0, (std / sqrt(R))^(1/N)): an entry is a sum of R products of N
 *   independent factor entries, so its variance is R sigma^(2N) = std^2.
 * - Tucker: core and factors N(0, (std / prod_k sqrt(R_k))^(1/(N+1))): prod R_k terms of N+1 entries.
 * - TT: cores N(0, (std / sqrt(prod_k r_k))^(1/N)): prod r_k terms of N entries. tltorch uses
 *   `std / prod r_k` (no square root), so its reconstruction has std `std / sqrt(prod r_k)`;
 *   Tenfold hits `std` (docs/fidelity/factorized-conv.md).
 * - dense: N(mean, std).
 */
import { ArgumentError, NotSupportedError, RankError, createRng, describe, normalTensor, tf, type Rng } from '@tenfold/core';
import { checkAllocations, checkSeed } from '../internal/checks.js';
import { type FactorizedParams, type FactorizedRank, type TensorFactorization, factorizedParamShapes } from './params.js';

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** A finite non-negative std. @throws ArgumentError */
export function checkStd(std: unknown, argName = 'std'): number {
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
    throw new ArgumentError(`${argName} must be a finite non-negative number; got ${describe(std)}`);
  }
  return std;
}

/**
 * Parameters of a `kind` tensor of `shape` at a resolved rank, drawn so that the
 * reconstruction has entry mean `mean` and std `std`.
 * @throws NotSupportedError for mean != 0 on a factorized (non-dense) tensor, as tltorch
 */
export function normalFactorizedParams(
  kind: TensorFactorization,
  shape: readonly number[],
  rank: FactorizedRank,
  mean: number,
  std: number,
  seed?: number,
): FactorizedParams {
  checkSeed(seed);
  if (kind !== 'dense' && mean !== 0) {
    throw new NotSupportedError(`mean must be 0 for a '${kind}' factorized tensor (a product of factors has mean 0, as in tltorch); got ${describe(mean)}`);
  }
  const shapes = factorizedParamShapes(kind, shape, rank);
  checkAllocations(shapes, `a '${kind}' tensor of shape ${describe([...shape])} at rank ${describe(rank)}`, RankError);
  const rng = createRng(seed);
  const sigma = normalParamStd(kind, shape.length, rank, std);
  switch (kind) {
    case 'cp':
      return { kind, weights: tf.ones([rank as number]), factors: drawNormals(shapes.slice(1), sigma, rng) };
    case 'tucker': {
      const [core, ...factors] = drawNormals(shapes, sigma, rng);
      return { kind, core, factors };
    }
    case 'tt':
      return { kind, factors: drawNormals(shapes, sigma, rng) };
    case 'dense':
      return { kind, tensor: drawNormals(shapes, sigma, rng, mean)[0] };
  }
}

/**
 * The std of every parameter of a factorized tensor whose reconstruction has entry std
 * `std`, with `order` factors (CP, Tucker) or cores (TT, block-TT): CP (std / sqrt(R))^(1/N);
 * Tucker (std / prod_k sqrt(R_k))^(1/(N+1)); TT (std / sqrt(prod_k r_k))^(1/N) (boundary
 * ranks 1 included); dense std. Shared with the tensorized tensors (`../tensorized/init.ts`).
 */
export function normalParamStd(kind: TensorFactorization, order: number, rank: FactorizedRank, std: number): number {
  switch (kind) {
    case 'cp':
      return (std / Math.sqrt(rank as number)) ** (1 / order);
    case 'tucker':
      return (std / Math.sqrt(prod(rank as number[]))) ** (1 / (order + 1));
    case 'tt':
      return (std / Math.sqrt(prod(rank as number[]))) ** (1 / order);
    case 'dense':
      return std;
  }
}

/** N(mean, sigma^2) tensors of the given shapes, drawn in order from one generator. */
export function drawNormals(shapes: readonly number[][], sigma: number, rng: Rng, mean = 0): tf.Tensor[] {
  // mean 0 adds nothing: skipping the add keeps the draws bit for bit those of a plain scale.
  return shapes.map((sh) => tf.tidy(() => (mean === 0 ? tf.mul(normalTensor(sh, rng), sigma) : tf.add(tf.mul(normalTensor(sh, rng), sigma), mean))));
}
