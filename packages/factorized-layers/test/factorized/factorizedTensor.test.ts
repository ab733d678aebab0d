/**
 * FactorizedTensor family (tltorch CPTensor / TuckerTensor / TTTensor / DenseTensor): rank
 * resolution against every `factorized_tensor_rank_*` case of layers2.json, reconstruction,
 * first-mode indexing, the normal_ init's std, trainability and leaks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, ModeError, NotSupportedError, RankError, tf } from '@tenfold/core';
import { CPTensor, DenseTensor, FactorizedTensor, TTTensor, TuckerTensor, resolveFactorizedRank } from '../../src/index.js';
import { expectClose, expectNoLeak, loadFixtures, relError } from '../../../../test-utils/index.js';

const layers2 = loadFixtures('layers2');
const rankCases = layers2.cases.filter((c) => c.name.startsWith('factorized_tensor_rank_'));

describe('factorized_tensor_rank fixtures', () => {
  it('covers CP, Tucker, TT and fixed modes', () => {
    expect(rankCases.length).toBeGreaterThanOrEqual(78);
    expect(rankCases.some((c) => c.inputs.fixed_rank_modes)).toBe(true);
  });
  for (const c of rankCases) {
    it(c.name, () => {
      const { shape, rank, factorization, fixed_rank_modes } = c.inputs;
      const opts = fixed_rank_modes ? { fixedRankModes: fixed_rank_modes as number[] } : {};
      expect(resolveFactorizedRank(shape, rank, factorization, fixed_rank_modes ?? null)).toEqual(c.expected);
      const before = tf.memory().numTensors;
      const t = FactorizedTensor.new(shape, rank, factorization, { ...opts, seed: 1 });
      expect(tf.memory().numTensors - before).toBe(t.variables.length);
      try {
        expect(t.rank).toEqual(c.expected);
        expect(t.shape).toEqual(shape);
        expect(t.factorization).toBe(String(factorization).toLowerCase());
      } finally {
        t.dispose();
      }
    });
  }
});

describe('FactorizedTensor classes', () => {
  it('new returns the registered class of each factorization', () => {
    const kinds = [['cp', CPTensor], ['Tucker', TuckerTensor], ['TT', TTTensor], ['dense', DenseTensor]] as const;
    for (const [name, C] of kinds) {
      const t = FactorizedTensor.new([4, 3, 2], 'same', name, { seed: 2 });
      expect(t).toBeInstanceOf(C);
      expect(t.variables.every((v) => v.trainable)).toBe(true);
      t.dispose();
      expect(t.isDisposed).toBe(true);
    }
  });

  it('normal(0, std) hits the target std of the reconstruction (TT included, unlike tltorch)', () => {
    for (const kind of ['cp', 'tucker', 'tt', 'dense']) {
      const t = FactorizedTensor.new([12, 10, 8, 6], 0.5, kind, { seed: 3 });
      t.normal(0, 0.1, 11);
      const full = t.toTensor();
      const std = tf.tidy(() => tf.sqrt(tf.mean(tf.square(full))).dataSync()[0]);
      // One draw: the factor products are heavy-tailed, so a loose band (the scaling bug would be off by sqrt(prod r) >> 2).
      expect(std, kind).toBeGreaterThan(0.05);
      expect(std, kind).toBeLessThan(0.2);
      full.dispose();
      t.dispose();
    }
  });

  it('normal with mean != 0 is only for dense (tltorch raises for Tucker/TT)', () => {
    const t = FactorizedTensor.new([3, 3], 2, 'tucker', { seed: 1 });
    expect(() => t.normal(1, 0.1)).toThrow(NotSupportedError);
    t.dispose();
    const d = FactorizedTensor.new([50, 40], 'same', 'dense', { seed: 1 }).normal(2, 0.01, 4);
    const m = tf.tidy(() => tf.mean(d.toTensor()).dataSync()[0]);
    expect(Math.abs(m - 2)).toBeLessThan(0.01);
    d.dispose();
  });

  it('fromTensor reconstructs a tensor of matching low rank (CP, Tucker, TT) and copies a dense one', () => {
    const t = tf.tidy(() => {
      const a = tf.randomNormal([5, 1, 1, 2], 0, 1, 'float32', 1);
      const b = tf.randomNormal([1, 4, 1, 2], 0, 1, 'float32', 2);
      const c = tf.randomNormal([1, 1, 3, 2], 0, 1, 'float32', 3);
      return tf.sum(tf.mul(tf.mul(a, b), c), 3);
    });
    const cases: [string, number | number[]][] = [['cp', 2], ['tucker', [2, 2, 2]], ['tt', [1, 2, 2, 1]], ['dense', 1]];
    for (const [kind, rank] of cases) {
      const before = tf.memory().numTensors;
      const f = FactorizedTensor.fromTensor(t, rank, kind, kind === 'cp' ? { decomposition: { nIterMax: 500, tol: 1e-12 } } : {});
      expect(tf.memory().numTensors - before, kind).toBe(f.variables.length);
      const rec = f.toTensor();
      expect(relError(rec, t), kind).toBeLessThan(kind === 'cp' ? 1e-3 : 1e-4);
      rec.dispose();
      f.dispose();
    }
    t.dispose();
  });

  it('get(i) equals the i-th slice of the reconstruction (property, every kind)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cp', 'tucker', 'tt', 'dense'),
        fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 2, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (kind, shape, seed) => {
          const t = FactorizedTensor.new(shape, 'same', kind, { seed, std: 1 });
          const i = seed % shape[0];
          const before = tf.memory().numTensors;
          const sub = t.get(i);
          const full = t.toTensor();
          const want = tf.tidy(() => tf.squeeze(tf.slice(full, [i], [1]), [0]));
          const got = sub.toTensor();
          expectClose(got, Array.from(want.dataSync()), { rtol: 1e-4, atol: 1e-5 }, `${kind} ${shape}`);
          expect(sub.shape).toEqual(shape.slice(1));
          tf.dispose([full, want, got]);
          sub.dispose();
          expect(tf.memory().numTensors).toBe(before);
          t.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is trainable: gradients of the reconstruction reach every variable', () => {
    for (const kind of ['cp', 'tucker', 'tt', 'dense']) {
      const t = FactorizedTensor.new([4, 3, 2], 'same', kind, { seed: 5, std: 1 });
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(t.toTensor())) as tf.Scalar, t.variables);
      expect(Object.keys(grads).length).toBe(t.variables.length);
      const g = Object.values(grads).map((x) => tf.tidy(() => tf.sum(tf.abs(x)).dataSync()[0]));
      expect(g.every((v) => v > 0), kind).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
      t.dispose();
    }
  });

  it('initFromTensor replaces the parameters at the same rank; clone copies', () => {
    const t = FactorizedTensor.new([4, 3, 2], [4, 3, 2], 'tucker', { seed: 1 });
    const x = tf.randomNormal([4, 3, 2], 0, 1, 'float32', 7);
    t.initFromTensor(x);
    const c = t.clone();
    const rec = c.toTensor();
    expect(relError(rec, x)).toBeLessThan(1e-4);
    tf.dispose([x, rec]);
    c.dispose();
    t.dispose();
  });

  it('throws typed errors before allocating, without leaks', () => {
    expectNoLeak(() => {
      expect(() => FactorizedTensor.new([4, 3], 'same', 'ttm')).toThrow(ArgumentError);
    });
    expectNoLeak(() => {
      expect(() => FactorizedTensor.new([5, 1], 0.3, 'cp')).toThrow(RankError);
    });
    expectNoLeak(() => {
      expect(() => FactorizedTensor.new([4, 3], [2], 'tucker')).toThrow(RankError);
    });
    expectNoLeak(() => {
      expect(() => FactorizedTensor.new([4, 3], 1e9, 'cp')).toThrow(RankError);
    });
    expectNoLeak(() => {
      expect(() => FactorizedTensor.new([4, 3], 2, 'cp', { sed: 1 } as never)).toThrow(/sed/);
    });
    const nan = tf.tensor([[NaN, 1]]);
    expectNoLeak(() => {
      expect(() => FactorizedTensor.fromTensor(nan, 1, 'cp')).toThrow(/tensor/);
    });
    nan.dispose();
    const t = FactorizedTensor.new([4], 'same', 'tt');
    expect(() => t.get(0)).toThrow(ModeError);
    t.dispose();
    expect(() => t.toTensor()).toThrow(ArgumentError);
  });
});
