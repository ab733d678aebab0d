import { describe, expect, it } from 'vitest';
import { ArgumentError, RankError, ShapeError } from '@tenfold/core';
import { factorize, getTensorizedShape, mergeInts, parseTensorizedShape, validateBlockTtRank } from '../../src/tensorized/index.js';
import { loadFixtures } from '../../../../test-utils/index.js';

const ranks = loadFixtures('ranks');
const byFn = (fn: string) => ranks.cases.filter((c) => c.inputs.fn === fn);

describe('getTensorizedShape (tltorch get_tensorized_shape)', () => {
  const cases = byFn('get_tensorized_shape');
  it('has fixture cases', () => expect(cases.length).toBeGreaterThan(10));
  for (const c of cases) {
    it(c.name, () => {
      const { in_features, out_features, order, min_dim } = c.inputs;
      expect(getTensorizedShape(in_features, out_features, { order, minDim: min_dim })).toEqual(c.expected);
    });
  }
  it('rejects bad arguments with typed errors', () => {
    expect(() => getTensorizedShape(0, 4)).toThrow(ArgumentError);
    expect(() => getTensorizedShape(4, 2.5)).toThrow(/outFeatures/);
    expect(() => getTensorizedShape(8, 8, { order: 0 })).toThrow(/order/);
    expect(() => getTensorizedShape(8, 8, { minDim: -1 })).toThrow(/minDim/);
  });
});

describe('factorize / mergeInts', () => {
  for (const c of byFn('factorize')) {
    it(c.name, () => expect(factorize(c.inputs.value, c.inputs.min_value, c.inputs.remaining)).toEqual(c.expected));
  }
  for (const c of byFn('merge_ints')) {
    it(c.name, () => expect(mergeInts(c.inputs.values, c.inputs.size)).toEqual(c.expected));
  }
  it('identities: factorize multiplies back; mergeInts keeps the product and sorts', () => {
    for (const v of [1, 2, 7, 12, 360, 1024, 3072, 9973]) expect(factorize(v).reduce((a, b) => a * b, 1)).toBe(v);
    const m = mergeInts([3, 2, 5, 7, 11], 2);
    expect(m.reduce((a, b) => a * b, 1)).toBe(2310);
    expect([...m].sort((a, b) => a - b)).toEqual(m);
  });
  it('typed errors', () => {
    expect(() => factorize(0)).toThrow(ArgumentError);
    expect(() => mergeInts([2, -1], 1)).toThrow(/values/);
    expect(() => mergeInts([2, 3], 0)).toThrow(/size/);
  });
});

describe('validateBlockTtRank (tltorch validate_block_tt_rank)', () => {
  const cases = byFn('validate_block_tt_rank');
  it('has fixture cases with and without a leading nLayers mode', () => {
    expect(cases.some((c) => typeof c.inputs.tensorized_shape[0] === 'number')).toBe(true);
    expect(cases.length).toBeGreaterThan(10);
  });
  for (const c of cases) {
    it(c.name, () => expect(validateBlockTtRank(c.inputs.tensorized_shape, c.inputs.rank)).toEqual(c.expected));
  }
  it('typed errors', () => {
    expect(() => validateBlockTtRank([[4, 4], [3, 3, 2]], 'same')).toThrow(ShapeError);
    expect(() => validateBlockTtRank([[4, 4]] as never, 'same')).toThrow(ShapeError);
    expect(() => validateBlockTtRank([[4, 4], [3, 3]], -1)).toThrow(RankError);
  });
});

describe('parseTensorizedShape', () => {
  it('splits batch, out and in', () => {
    expect(parseTensorizedShape([2, [4, 4], [3, 3]])).toEqual({ batch: [2], out: [4, 4], in: [3, 3] });
    expect(parseTensorizedShape([[4], [3]])).toEqual({ batch: [], out: [4], in: [3] });
  });
  it('rejects malformed shapes', () => {
    expect(() => parseTensorizedShape([[4, 4], 3] as never)).toThrow(ShapeError);
    expect(() => parseTensorizedShape([0, [4], [3]])).toThrow(ShapeError);
    expect(() => parseTensorizedShape([[4, 0], [3]])).toThrow(/tensorizedShape/);
  });
});
