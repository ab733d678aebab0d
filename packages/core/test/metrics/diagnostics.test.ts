import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf, ArgumentError, ModeError, ShapeError, coreConsistency, correlationIndex, cpToTensor, explainedVariance, factorMatchScore, parafac } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures } from '../../../../test-utils/index.js';

const F = loadFixtures('decompositions2');
const cpOf = (x: any) => ({ weights: x.weights ? fx(x.weights) : null, factors: x.factors.map((f: any) => fx(f)) });
const disposeCp = (cp: { weights: tf.Tensor | null; factors: tf.Tensor[] }) => tf.dispose([...(cp.weights ? [cp.weights] : []), ...cp.factors]);

describe('coreConsistency (fixtures)', () => {
  for (const r of [2, 3, 4, 5]) {
    const name = `core_consistency_6x7x5_true_rank3_fit_rank${r}`;
    it(name, () => {
      const c = fixtureCase(F, name);
      const t = fx(c.inputs.tensor);
      const cp = { weights: fx(c.inputs.weights), factors: c.inputs.factors.map((f: any) => fx(f)) };
      // Float32 inputs: the over-ranked fits' pinv amplifies the input rounding, so those
      // cases get a looser relative tolerance (condition numbers in the case's meta).
      const rtol = r <= 3 ? 1e-5 : r === 4 ? 1e-3 : 5e-2;
      expectNoLeak(() => {
        const a = coreConsistency(t, cp);
        const b = coreConsistency(t, cp, { normalised: true });
        expect(Math.abs(a.coreConsistency - c.expected.core_consistency), 'cc').toBeLessThanOrEqual(rtol * Math.abs(c.expected.core_consistency) + 1e-3);
        expect(Math.abs(b.coreConsistency - c.expected.core_consistency_normalised), 'cc normalised').toBeLessThanOrEqual(rtol * Math.abs(c.expected.core_consistency_normalised) + 1e-3);
        expectClose(a.core, c.expected.core, f32Tolerance(c.expected.core.data, undefined, rtol, rtol), 'core');
        return [a.core, b.core];
      });
      disposeCp(cp);
      t.dispose();
    });
  }

  it('near 100 at the true rank, falls above it (parafac fits)', () => {
    const c = fixtureCase(F, 'core_consistency_6x7x5_true_rank3_fit_rank3');
    const t = fx(c.inputs.tensor);
    const ccs = [3, 4].map((r) => {
      const cp = parafac(t, r, { nIterMax: 200, tol: 1e-10 });
      const res = coreConsistency(t, cp);
      res.core.dispose();
      cp.dispose();
      return res.coreConsistency;
    });
    expect(ccs[0]).toBeGreaterThan(95);
    expect(ccs[1]).toBeLessThan(ccs[0] - 20);
    t.dispose();
  });

  it('bad input is typed', () => {
    const c = fixtureCase(F, 'core_consistency_6x7x5_true_rank3_fit_rank3');
    const t = fx(c.inputs.tensor);
    const two = [tf.ones([6, 2]), tf.ones([7, 2])];
    const before = tf.memory().numTensors;
    expect(() => coreConsistency(t, { factors: two })).toThrow(ShapeError);
    expect(() => coreConsistency(t, { factors: c.inputs.factors.map((f: any) => f) }, { normalized: true } as any)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, ...two]);
  });
});

describe('factorMatchScore (fixtures)', () => {
  const names = F.cases.map((c) => c.name).filter((n) => n.startsWith('factor_match_score_'));
  it('covers the fixture cases', () => expect(names.length).toBe(5));
  for (const name of names) {
    it(name, () => {
      const c = fixtureCase(F, name);
      const a = cpOf(c.inputs.cp_tensor1);
      const b = cpOf(c.inputs.cp_tensor2);
      expectNoLeak(() => {
        const r = factorMatchScore(a, b, { considerWeights: c.inputs.consider_weights, skipMode: c.inputs.skip_mode, absoluteValue: c.inputs.absolute_value });
        expect(Math.abs(r.fms - c.expected.fms)).toBeLessThan(1e-5);
        expect(r.permutation).toEqual(c.expected.permutation);
        expectClose(r.congruence, c.expected.congruence, { rtol: 1e-4, atol: 1e-5 }, 'congruence');
      });
      disposeCp(a);
      disposeCp(b);
    });
  }

  it('FMS of a model with itself, permuted and rescaled, is 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const cp = { weights: tf.randomUniform([3], 0.5, 2, 'float32', seed), factors: [4, 5, 6].map((d, k) => tf.randomNormal([d, 3], 0, 1, 'float32', seed + k + 1)) };
        const perm = [2, 0, 1];
        const idx = tf.tensor1d(perm, 'int32');
        const other = {
          weights: tf.mul(tf.gather(cp.weights, idx), 8),
          factors: cp.factors.map((f, k) => tf.mul(tf.gather(f, idx, 1), k === 1 ? -2 : k === 2 ? -0.25 : 0.5)),
        };
        const r = factorMatchScore(cp, other, { considerWeights: false });
        expect(r.fms).toBeCloseTo(1, 5);
        expect(r.permutation).toEqual([1, 2, 0]);
        tf.dispose([idx, cp.weights, ...cp.factors, other.weights, ...other.factors]);
      }),
      { numRuns: 8 },
    );
  });

  it('bad input is typed', () => {
    const a = { factors: [tf.ones([3, 2]), tf.ones([4, 2])] };
    const b = { factors: [tf.ones([3, 2]), tf.ones([5, 2])] };
    expect(() => factorMatchScore(a, b)).toThrow(ShapeError);
    expect(() => factorMatchScore(a, a, { skipMode: 2 })).toThrow(ModeError);
    expect(() => factorMatchScore(a, a, { skip: 0 } as any)).toThrow(ArgumentError);
    tf.dispose([...a.factors, ...b.factors]);
  });
});

describe('correlationIndex (fixtures)', () => {
  const names = F.cases.map((c) => c.name).filter((n) => n.startsWith('correlation_index_'));
  for (const name of names) {
    it(name, () => {
      const c = fixtureCase(F, name);
      const a = c.inputs.factors_1.map((f: any) => fx(f));
      const b = c.inputs.factors_2.map((f: any) => fx(f));
      expectNoLeak(() => {
        const s = correlationIndex(a, b, { tol: c.inputs.tol, method: c.inputs.method });
        expect(Math.abs(s - c.expected)).toBeLessThanOrEqual(1e-4 * Math.abs(c.expected) + 1e-6);
      });
      tf.dispose([...a, ...b]);
    });
  }
  it('0 for the same factors permuted; typed errors', () => {
    const a = [tf.randomNormal([4, 3], 0, 1, 'float32', 1), tf.randomNormal([5, 3], 0, 1, 'float32', 2)];
    const idx = tf.tensor1d([1, 2, 0], 'int32');
    const b = a.map((f) => tf.mul(tf.gather(f, idx, 1), 3));
    expect(correlationIndex(a, b, { tol: 1e-6, method: 'avg_score' })).toBe(0);
    expect(() => correlationIndex(a, b, { method: 'mean' as any })).toThrow(ArgumentError);
    expect(() => correlationIndex(a, [b[0], tf.ones([5, 2])])).toThrow(ShapeError);
    tf.dispose([...a, ...b, idx]);
  });
});

describe('explainedVariance', () => {
  it('is 1 - ||T - T_hat||^2 / ||T||^2', () => {
    const t = tf.tensor([[1, 2], [3, 4]]);
    const h = tf.tensor([[1, 2], [3, 3]]);
    expect(explainedVariance(t, h)).toBeCloseTo(1 - 1 / 30, 6);
    expect(explainedVariance(t, t)).toBe(1);
    expect(() => explainedVariance(t, tf.ones([3]))).toThrow(ShapeError);
    tf.dispose([t, h]);
    void cpToTensor;
  });
});
