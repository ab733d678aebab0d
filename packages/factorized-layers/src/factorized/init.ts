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
import { ArgumentError, NotSupportedError, RankError, createRng, describe, normalTensor, tf } from '@tenfold/core';
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
  const draw = (sh: number[], sigma: number, mu = 0): tf.Tensor => tf.tidy(() => tf.add(tf.mul(normalTensor(sh, rng), sigma), mu));
  const n = shape.length;
  switch (kind) {
    case 'cp': {
      const r = rank as number;
      const sigma = (std / Math.sqrt(r)) ** (1 / n);
      return { kind, weights: tf.ones([r]), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'tucker': {
      const sigma = (std / Math.sqrt(prod(rank as number[]))) ** (1 / (n + 1));
      return { kind, core: draw(shapes[0], sigma), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'tt': {
      const sigma = (std / Math.sqrt(prod(rank as number[]))) ** (1 / n);
      return { kind, factors: shapes.map((sh) => draw(sh, sigma)) };
    }
    case 'dense':
      return { kind, tensor: draw(shapes[0], std, mean) };
  }
}
