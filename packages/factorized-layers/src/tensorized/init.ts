/**
 * Random initialisation of tensorized-tensor parameters so that the reconstruction's entries
 * have mean 0 and a target std (tltorch `TensorizedTensor.normal_`; see
 * `TensorizedTensor.normal` for the per-factorization std of the parameters).
 */
import { RankError, createRng, describe, normalTensor, tf } from '@tenfold/core';
import { type ParsedTensorizedShape, flatShape, prod } from './shape.js';
import { type FactorParams, type Factorization, type ResolvedRank, paramShapes } from './params.js';
import { checkParamAllocation } from './rank.js';
import { checkStd } from '../factorized/init.js';
import { checkSeed } from '../internal/checks.js';

/** Parameters drawn so that the reconstruction has entry std `std` (see `TensorizedTensor.normal`). */
export function normalParams(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank, std: number, seed?: number): FactorParams {
  checkStd(std);
  checkSeed(seed);
  if (kind === 'cp' && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 1)) throw new RankError(`rank of 'cp' parameters must be a positive integer; got ${describe(rank)}`);
  checkParamAllocation(kind, s, rank);
  const rng = createRng(seed);
  const shapes = paramShapes(kind, s, rank);
  const draw = (shape: number[], sigma: number): tf.Tensor =>
    tf.tidy(() => tf.mul(normalTensor(shape, rng), tf.scalar(sigma)));
  const order = flatShape(s).length;
  switch (kind) {
    case 'cp': {
      const r = rank as number;
      const sigma = (std / Math.sqrt(r)) ** (1 / order);
      return { kind, weights: tf.ones([r]), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'tucker': {
      const r = rank as number[];
      const sigma = (std / Math.sqrt(prod(r))) ** (1 / (order + 1));
      return { kind, core: draw(shapes[0], sigma), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'blocktt': {
      // W entry = sum over the internal bonds (prod r_k terms) of a product of n core entries:
      // var = prod(r) sigma^(2n), so sigma = (std / sqrt(prod r))^(1/n).
      const r = rank as number[];
      const sigma = (std / Math.sqrt(prod(r))) ** (1 / shapes.length);
      return { kind, cores: shapes.map((sh) => draw(sh, sigma)) };
    }
    case 'dense':
      return { kind, matrix: draw(shapes[0], std) };
  }
}
