/**
 * Random initialisation of tensorized-tensor parameters so that the reconstruction's entries
 * have mean 0 and a target std (tltorch `TensorizedTensor.normal_`; see
 * `TensorizedTensor.normal` for the per-factorization std of the parameters).
 */
import { RankError, createRng, describe, tf } from '@tenfold/core';
import { type ParsedTensorizedShape, flatShape } from './shape.js';
import { type FactorParams, type Factorization, type ResolvedRank, paramShapes } from './params.js';
import { checkParamAllocation } from './rank.js';
import { checkStd, drawNormals, normalParamStd } from '../factorized/init.js';
import { checkSeed } from '../internal/checks.js';

/** Parameters drawn so that the reconstruction has entry std `std` (see `TensorizedTensor.normal`). */
export function normalParams(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank, std: number, seed?: number): FactorParams {
  checkStd(std);
  checkSeed(seed);
  if (kind === 'cp' && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 1)) throw new RankError(`rank of 'cp' parameters must be a positive integer; got ${describe(rank)}`);
  checkParamAllocation(kind, s, rank);
  const rng = createRng(seed);
  const shapes = paramShapes(kind, s, rank);
  switch (kind) {
    case 'cp':
      return { kind, weights: tf.ones([rank as number]), factors: drawNormals(shapes.slice(1), normalParamStd('cp', flatShape(s).length, rank, std), rng) };
    case 'tucker': {
      const [core, ...factors] = drawNormals(shapes, normalParamStd('tucker', flatShape(s).length, rank, std), rng);
      return { kind, core, factors };
    }
    case 'blocktt':
      // W entry = sum over the internal bonds (prod r_k terms) of a product of n core entries:
      // var = prod(r) sigma^(2n), TT's rule with n = the number of cores.
      return { kind, cores: drawNormals(shapes, normalParamStd('tt', shapes.length, rank, std), rng) };
    case 'dense':
      return { kind, matrix: drawNormals(shapes, std, rng)[0] };
  }
}
