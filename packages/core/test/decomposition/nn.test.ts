import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  ArgumentError,
  ModeError,
  NonFiniteError,
  RankError,
  ShapeError,
  nonNegativeParafac,
  nonNegativeParafacHals,
  nonNegativeTucker,
  nonNegativeTuckerHals,
  randomCp,
  randomisedParafac,
} from '@tenfold/core';
import { expectNoLeak, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');

function minOf(ts: tf.Tensor[]): number {
  return Math.min(...ts.map((t) => tf.tidy(() => tf.min(t).dataSync()[0])));
}

describe('non-negative decompositions: fixtures', () => {
  it('non_negative_parafac_6x8x7_rank3_svd (MU from NNDSVDa)', () => {
    const c = fixtureCase(file, 'non_negative_parafac_6x8x7_rank3_svd');
    const t = fx(c.inputs.tensor);
    const { cp, errors } = nonNegativeParafac(t, c.inputs.rank, { nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, init: c.inputs.init, returnErrors: true });
    const rec = cp.toTensor();
    // The note: a port should reach <= anchor + 2e-3; factors >= 0.
    expect(relError(rec, t)).toBeLessThanOrEqual(c.expected.final_relative_error + 2e-3);
    expect(errors.at(-1)!).toBeLessThanOrEqual(c.expected.final_relative_error + 2e-3);
    expect(minOf([...cp.factors, cp.weights])).toBeGreaterThanOrEqual(0);
    // The same init and updates: the first sweeps follow the anchor closely.
    errors.slice(0, 5).forEach((e, i) => expect(Math.abs(e - c.expected.rec_errors.data[i])).toBeLessThan(1e-4));
    tf.dispose([t, rec]);
    cp.dispose();
  });

  it('non_negative_tucker_6x8x7_rank333_svd (Kim & Choi MU)', () => {
    const c = fixtureCase(file, 'non_negative_tucker_6x8x7_rank333_svd');
    const t = fx(c.inputs.tensor);
    const { tucker, errors } = nonNegativeTucker(t, c.inputs.rank, { nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, init: c.inputs.init, returnErrors: true });
    const rec = tucker.toTensor();
    expect(relError(rec, t)).toBeLessThanOrEqual(c.expected.final_relative_error + 2e-3);
    expect(errors.length).toBe(c.expected.n_iterations);
    errors.forEach((e, i) => expect(Math.abs(e - c.expected.rec_errors.data[i])).toBeLessThan(1e-4));
    expect(minOf([tucker.core, ...tucker.factors])).toBeGreaterThanOrEqual(0);
    tf.dispose([t, rec]);
    tucker.dispose();
  });
});

describe('HALS and randomised CP', () => {
  const t = () => tf.tidy(() => tf.add(randomCp([6, 8, 7], 3, { full: true, seed: 9 }), tf.randomUniform([6, 8, 7], 0, 0.01, 'float32', 2)));

  it('nonNegativeParafacHals fits better than MU at the same sweeps, non-negative', () => {
    const x = t();
    const h = nonNegativeParafacHals(x, 3, { nIterMax: 50, returnErrors: true });
    const m = nonNegativeParafac(x, 3, { nIterMax: 50, tol: 0, returnErrors: true });
    expect(h.errors.at(-1)!).toBeLessThan(m.errors.at(-1)! + 1e-4);
    expect(h.errors.at(-1)!).toBeLessThan(0.02);
    expect(minOf(h.cp.factors)).toBeGreaterThanOrEqual(0);
    h.cp.dispose();
    m.cp.dispose();
    x.dispose();
  });

  it('nonNegativeParafacHals: nnModes, sparsity, exact and fixed modes', () => {
    const x = t();
    const a = nonNegativeParafacHals(x, 3, { nnModes: [0], nIterMax: 10 });
    expect(tf.tidy(() => tf.min(a.factors[0]).dataSync()[0])).toBeGreaterThanOrEqual(0);
    const init = nonNegativeParafac(x, 3, { nIterMax: 0 });
    const b = nonNegativeParafacHals(x, 3, { init, fixedModes: [1], sparsityCoefficients: 1e-3, exact: true, nIterMax: 3 });
    expect(relError(b.factors[1], init.factors[1])).toBe(0);
    [a, b, init].forEach((c) => c.dispose());
    x.dispose();
  });

  it('nonNegativeTuckerHals reaches a small error, non-negative', () => {
    const x = t();
    const { tucker, errors } = nonNegativeTuckerHals(x, [3, 3, 3], { nIterMax: 30, returnErrors: true });
    expect(errors.at(-1)!).toBeLessThan(0.05);
    const rec = tucker.toTensor();
    expect(Math.abs(relError(rec, x) - errors.at(-1)!)).toBeLessThan(1e-3);
    expect(minOf([tucker.core, ...tucker.factors])).toBeGreaterThanOrEqual(0);
    rec.dispose();
    tucker.dispose();
    x.dispose();
  });

  it('randomisedParafac reaches TensorLy test bound (< 0.05) on a rank-3 tensor', () => {
    const x = t();
    const { cp, errors } = randomisedParafac(x, 3, 60, { nIterMax: 100, seed: 3, returnErrors: true });
    const rec = cp.toTensor();
    expect(relError(rec, x)).toBeLessThan(0.05);
    expect(errors.every(Number.isFinite)).toBe(true);
    rec.dispose();
    cp.dispose();
    x.dispose();
  });

  it('validates input', () => {
    const x = tf.ones([3, 4, 5]);
    expect(() => nonNegativeParafac(tf.tensor([[1, NaN]]), 1)).toThrow(NonFiniteError);
    expect(() => nonNegativeParafac(x, 0)).toThrow(RankError);
    expect(() => nonNegativeParafac(x, 2, { linesearch: true } as never)).toThrow(ArgumentError);
    expect(() => nonNegativeParafacHals(x, 2, { nnModes: [4] })).toThrow(ModeError);
    const badInit = nonNegativeParafac(tf.ones([3, 4, 6]), 2, { nIterMax: 0 });
    expect(() => nonNegativeParafac(x, 2, { init: badInit })).toThrow(ShapeError);
    badInit.dispose();
    expect(() => nonNegativeParafacHals(x, 2, { sparsityCoefficients: [1, 2] })).toThrow(ArgumentError);
    expect(() => nonNegativeTucker(x, [2, 2])).toThrow(RankError);
    expect(() => nonNegativeTuckerHals(x, 2, { fixedModes: [9] })).toThrow(ModeError);
    expect(() => randomisedParafac(x, 2, 0)).toThrow(ArgumentError);
    expect(() => randomisedParafac(x, 2, 10, { maxStagnation: -1 })).toThrow(ArgumentError);
    x.dispose();
  });

  it('does not leak', () => {
    const x = t();
    expectNoLeak(() => nonNegativeParafac(x, 2, { nIterMax: 5 }));
    expectNoLeak(() => nonNegativeParafac(x, 2, { nIterMax: 5, normalizeFactors: true, returnErrors: true }));
    const mask = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([6, 8, 7], 0, 1, 'float32', 1), 0.1), 'float32'));
    expectNoLeak(() => nonNegativeParafac(x, 2, { nIterMax: 3, mask }));
    expectNoLeak(() => nonNegativeParafacHals(x, 2, { nIterMax: 5 }));
    expectNoLeak(() => nonNegativeTucker(x, 2, { nIterMax: 3, init: 'random', seed: 1 }));
    expectNoLeak(() => nonNegativeTuckerHals(x, 2, { nIterMax: 3, normalizeFactors: true }));
    expectNoLeak(() => randomisedParafac(x, 2, 20, { nIterMax: 3, seed: 1 }));
    tf.dispose([x, mask]);
  });
});

describe('non-negative results are non-negative (property)', () => {
  it('for all four algorithms on random non-negative tensors', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (shape, r, seed) => {
        const x = tf.randomUniform(shape, 0, 1, 'float32', seed);
        const outs = [
          nonNegativeParafac(x, r, { nIterMax: 5 }),
          nonNegativeParafacHals(x, r, { nIterMax: 5 }),
        ];
        const tks = [nonNegativeTucker(x, r, { nIterMax: 3 }), nonNegativeTuckerHals(x, r, { nIterMax: 3 })];
        const m = Math.min(minOf(outs.flatMap((c) => [...c.factors, c.weights])), minOf(tks.flatMap((k) => [k.core, ...k.factors])));
        outs.forEach((c) => c.dispose());
        tks.forEach((k) => k.dispose());
        x.dispose();
        return m >= 0;
      }),
      { numRuns: 10, seed: 8 },
    );
  });
});
