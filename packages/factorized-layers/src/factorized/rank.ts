/**
 * Rank resolution of a factorized tensor, by tltorch's rules (`FactorizedTensor.new`):
 * CP `validate_cp_rank(shape, rank)` (one int), Tucker `validate_tucker_rank(shape, rank,
 * fixed_modes=fixed_rank_modes)` (one int per mode, fixed modes at full size), TT
 * `validate_tt_rank(shape, rank)` (`(1, r_1, ..., 1)`), dense none. Fractions round half to
 * even. The formulas are core's `validateCpRank` / `validateTuckerRank` / `validateTtRank`.
 */
import { ArgumentError, RankError, describe, validateCpRank, validateTtRank, validateTuckerRank } from '@tenfold/core';
import { checkRankSpec } from '../internal/paramChecks.js';
import { type FactorizedRank, type TensorFactorization, parseTensorFactorization } from './params.js';

/** A rank as given: 'same', an int, a fraction, `{ fraction }` or a list (Tucker per mode, TT with the boundary 1s). */
export type FactorizedRankSpec = 'same' | number | number[] | { fraction: number };

/** Check a shape: a non-empty list of positive integers. @throws ArgumentError */
export function checkTensorShape(shape: unknown, argName = 'shape'): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)) {
    throw new ArgumentError(`${argName} must be a non-empty list of positive integers; got ${describe(shape)}`);
  }
  return [...shape];
}

/**
 * Resolve `rank` for a `factorization` of a tensor of `shape`.
 * @param fixedRankModes Tucker only: modes kept at full size (tltorch warns and ignores it otherwise; so do we, silently).
 * @throws ArgumentError (shape, factorization, fixedRankModes), RankError (a malformed rank, a CP rank resolving to 0)
 */
export function resolveFactorizedRank(
  shape: readonly number[],
  rank: FactorizedRankSpec = 'same',
  factorization: TensorFactorization | string = 'cp',
  fixedRankModes?: number[] | null,
): FactorizedRank {
  const s = checkTensorShape(shape);
  const kind = parseTensorFactorization(factorization);
  if (kind === 'dense') return null;
  checkRankSpec(rank);
  switch (kind) {
    case 'cp': {
      if (Array.isArray(rank)) throw new RankError(`rank for 'cp' must be a single number, 'same' or { fraction }; got the list ${describe(rank)}`);
      const r = validateCpRank(s, rank);
      // TensorLy may round a small fraction to 0; a CP tensor of rank 0 holds nothing.
      if (r < 1) throw new RankError(`rank ${describe(rank)} resolves to a CP rank of ${r} for shape ${describe(s)}; the rank must be >= 1`);
      return r;
    }
    case 'tucker':
      return [...validateTuckerRank(s, rank, fixedRankModes ? { fixedModes: fixedRankModes } : {})];
    case 'tt':
      return [...validateTtRank(s, rank)];
  }
}
