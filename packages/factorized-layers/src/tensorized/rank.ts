/**
 * The rank of a tensorized tensor, resolved by tltorch's rules before anything is drawn or
 * decomposed, and the allocation check of the parameters it implies.
 */
import { RankError, ShapeError, describe, validateCpRank, validateTuckerRank } from '@tenfold/core';
import { type ParsedTensorizedShape, type TensorizedRank, type TensorizedShape, flatShape, matrixShape, parseTensorizedShape, validateBlockTtRank } from './shape.js';
import { type Factorization, type ResolvedRank, paramShapes, parseFactorization } from './params.js';
import { checkRankSpec } from '../internal/paramChecks.js';
import { checkAllocations, elementCount, maxElements } from '../internal/checks.js';

/**
 * Refuse parameters that would not fit before drawing or decomposing anything: a RankError
 * when the rank is what makes them too big, a ShapeError when the shape itself is.
 */
export function checkParamAllocation(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank): void {
  const ErrorClass = elementCount(matrixShape(s)) <= maxElements() ? RankError : ShapeError;
  checkAllocations(paramShapes(kind, s, rank), `tensorizedShape ${describe([...s.batch, s.out, s.in])} at rank ${describe(rank)}`, ErrorClass);
}

/**
 * Resolve a rank by tltorch's rules: CP `validate_cp_rank(flattened shape)`, Tucker
 * `validate_tucker_rank(flattened shape)`, BlockTT `validate_block_tt_rank`, dense none.
 */
export function resolveTensorizedRank(factorization: Factorization | string, tensorizedShape: TensorizedShape, rank: TensorizedRank = 'same'): ResolvedRank {
  const kind = parseFactorization(factorization);
  const s = parseTensorizedShape(tensorizedShape);
  if (kind === 'dense') return null;
  checkRankSpec(rank);
  const fs = flatShape(s);
  switch (kind) {
    case 'cp': {
      if (Array.isArray(rank)) throw new RankError(`rank for 'cp' must be a single number, 'same' or { fraction }; got the list ${describe(rank)}`);
      const r = validateCpRank(fs, rank);
      // TensorLy's formula may round a small fraction to 0; parafac rejects that rank, so do we.
      if (r < 1) throw new RankError(`rank ${describe(rank)} resolves to a CP rank of ${r} for the flattened shape ${describe(fs)}; the rank must be >= 1`);
      return r;
    }
    case 'tucker': {
      if (Array.isArray(rank) && rank.length !== fs.length) {
        throw new RankError(`rank for 'tucker' over the flattened shape ${describe(fs)} must list ${fs.length} ranks; got ${describe(rank)}`);
      }
      return [...validateTuckerRank(fs, rank)];
    }
    case 'blocktt':
      return validateBlockTtRank(tensorizedShape, rank);
  }
}
