/** The estimator classes of the issue-13 decompositions reproduce their functions exactly. */
import { describe, expect, it } from 'vitest';
import {
  tf,
  ConstrainedCP,
  Parafac2,
  TensorRing,
  TensorRingALS,
  TensorRingALSSampled,
  constrainedParafac,
  parafac2,
  parafac2ToSlices,
  randomParafac2,
  randomTr,
  tensorRing,
  tensorRingAls,
  tensorRingAlsSampled,
  trToTensor,
} from '@tenfold/core';
import { relError as relErrorRaw } from '../../../../test-utils/index.js';

const relError = (a: tf.Tensor, b: tf.Tensor): number => {
  const e = relErrorRaw(a, b);
  tf.dispose([a, b]);
  return e;
};

describe('estimators for tensor ring, PARAFAC2 and constrained CP', () => {
  const x = randomTr([6, 7, 5], [2, 3, 2, 2], { full: true, seed: 3 }) as tf.Tensor;

  it('TensorRing / TensorRingALS / TensorRingALSSampled equal their functions; ALS errors per sweep', () => {
    const before = tf.memory().numTensors;
    const svd = new TensorRing([2, 3, 2, 2]);
    const a = svd.fitTransform(x);
    const b = tensorRing(x, [2, 3, 2, 2]);
    expect(relError(trToTensor(a), trToTensor(b))).toBe(0);
    b.dispose();
    const als = new TensorRingALS([2, 2, 2, 2], { nIterMax: 7, tol: 0, seed: 1 });
    const c = als.fitTransform(x);
    const d = tensorRingAls(x, [2, 2, 2, 2], { nIterMax: 7, tol: 0, seed: 1 });
    expect(relError(trToTensor(c), trToTensor(d))).toBe(0);
    expect(als.errors.length).toBe(7);
    expect(als.errors[6]).toBeLessThanOrEqual(als.errors[0]);
    d.dispose();
    const sampled = new TensorRingALSSampled([2, 2, 2, 2], { nSamples: 20, nIterMax: 4, tol: 0, seed: 2 });
    const e = sampled.fitTransform(x);
    const f = tensorRingAlsSampled(x, [2, 2, 2, 2], 20, { nIterMax: 4, tol: 0, seed: 2 });
    expect(relError(trToTensor(e), trToTensor(f))).toBe(0);
    f.dispose();
    [svd, als, sampled].forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Parafac2 on ragged slices and ConstrainedCP equal their functions and keep the errors', () => {
    const before = tf.memory().numTensors;
    const model = randomParafac2([[5, 4], [7, 4], [6, 4]], 2, { seed: 4 });
    const p2 = parafac2ToSlices(model);
    model.dispose();
    const est = new Parafac2(2, { nIterMax: 5, init: 'svd' });
    const got = est.fitTransform(p2);
    const want = parafac2(p2, 2, { nIterMax: 5, init: 'svd', returnErrors: true });
    expect(relError(got.toTensor(), want.decomposition.toTensor())).toBe(0);
    expect(est.errors).toEqual(want.errors);
    want.decomposition.dispose();
    const cc = new ConstrainedCP(2, { nonNegative: true, nIterMax: 5 });
    const y = tf.abs(x);
    const g = cc.fitTransform(y);
    const h = constrainedParafac(y, 2, { nonNegative: true, nIterMax: 5, returnErrors: true });
    expect(relError(g.toTensor(), h.cp.toTensor())).toBe(0);
    expect(cc.errors).toEqual(h.errors);
    h.cp.dispose();
    tf.dispose([y, ...p2]);
    est.dispose();
    cc.dispose();
    expect(tf.memory().numTensors).toBe(before - 0);
  });
});
