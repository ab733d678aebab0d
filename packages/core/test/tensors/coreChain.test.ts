/**
 * TT, TR and TT-matrix share one thin base (tensors/internal/coreChain.ts): owned cores,
 * shape, rank, `factors`, `clone` of the same class, dispose. The same behaviour for all three.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, TRTensor, TTMatrix, TTTensor, tf } from '@tenfold/core';
import { expectClose, expectNoLeak } from '../../../../test-utils/index.js';

const seeded = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

const cases = [
  { name: 'TTTensor', make: () => new TTTensor([seeded([1, 3, 2], 1), seeded([2, 4, 2], 2), seeded([2, 5, 1], 3)]), shape: [3, 4, 5], rank: [1, 2, 2, 1], minCores: 1 },
  { name: 'TRTensor', make: () => new TRTensor([seeded([2, 3, 3], 4), seeded([3, 4, 2], 5)]), shape: [3, 4], rank: [2, 3, 2], minCores: 2 },
  { name: 'TTMatrix', make: () => new TTMatrix([seeded([1, 2, 3, 2], 6), seeded([2, 4, 5, 1], 7)]), shape: [2, 4, 3, 5], rank: [1, 2, 1], minCores: 1 },
] as const;

describe('chain-of-cores base', () => {
  for (const c of cases) {
    it(`${c.name}: shape, rank, factors alias, clone of the same class with equal values, dispose`, () => {
      const before = tf.memory().numTensors;
      const x = c.make();
      expect(x.shape).toEqual(c.shape);
      expect(x.rank).toEqual(c.rank);
      expect(x.factors).toBe(x.cores);
      const y = x.clone();
      expect(y.constructor).toBe(x.constructor);
      expect(y.cores).not.toBe(x.cores);
      y.cores.forEach((core, k) => {
        expect(core).not.toBe(x.cores[k]);
        expectClose(core, x.cores[k].dataSync(), { rtol: 0, atol: 0 }, `${c.name} core ${k}`);
      });
      expectNoLeak(() => {
        const a = x.toTensor();
        const b = y.toTensor();
        expectClose(a, b.dataSync(), { rtol: 0, atol: 0 }, `${c.name} full`);
        return [a, b];
      });
      x.dispose();
      expect(x.isDisposed).toBe(true);
      expect(() => x.clone()).toThrow(ArgumentError);
      expect(y.cores.every((core) => !core.isDisposed)).toBe(true);
      y.dispose();
      x.dispose(); // twice is safe
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('rejects too few cores and ranks that do not chain, keeping the caller\'s tensors', () => {
    expect(() => new TRTensor([seeded([2, 3, 2], 1)])).toThrow(ArgumentError);
    expect(() => new TTTensor([])).toThrow(ArgumentError);
    const a = seeded([1, 3, 2], 1);
    const b = seeded([3, 4, 1], 2);
    expect(() => new TTTensor([a, b])).toThrow(ShapeError);
    expect(a.isDisposed || b.isDisposed).toBe(false);
    tf.dispose([a, b]);
  });
});
