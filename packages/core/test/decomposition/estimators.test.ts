import { describe, expect, it } from 'vitest';
import { tf, ArgumentError, AbortedError, CP, CPPower, NonNegativeCP, SymmetricCP, TensorTrain, TensorTrainMatrix, Tucker, cpToTensor, parafac, randomCp, selectRank, tensorTrain, ttToTensor, tuckerToTensor } from '@tenfold/core';
import { fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const F = loadFixtures('decompositions2');

describe('estimator classes', () => {
  it('CP equals parafac and keeps decomposition and errors; dispose frees them', () => {
    const t = randomCp([5, 6, 4], 2, { full: true, seed: 1 }) as tf.Tensor;
    const before = tf.memory().numTensors;
    const est = new CP(2, { nIterMax: 30, tol: 0 });
    const cp = est.fitTransform(t);
    expect(est.decomposition).toBe(cp);
    expect(est.errors.length).toBe(30);
    const ref = parafac(t, 2, { nIterMax: 30, tol: 0 });
    const a = cpToTensor(cp);
    const b = cpToTensor(ref);
    expect(relError(a, b)).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    ref.dispose();
    est.fitTransform(t); // refit disposes the previous model
    est.dispose();
    est.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new CP(2, { nIter: 3 } as any).fitTransform(t)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('Tucker, TensorTrain, TensorTrainMatrix, NonNegativeCP, CPPower, SymmetricCP reproduce their functions', () => {
    const t = tf.abs(randomCp([4, 4, 4], 2, { full: true, seed: 3 }) as tf.Tensor);
    const before = tf.memory().numTensors;
    const tk = new Tucker([2, 2, 2]);
    const rt = tuckerToTensor(tk.fitTransform(t));
    expect(relError(rt, t)).toBeLessThan(0.2);
    const tt = new TensorTrain([1, 2, 2, 1]);
    const a = ttToTensor(tt.fitTransform(t));
    const ref = tensorTrain(t, [1, 2, 2, 1]);
    const b = ttToTensor(ref);
    expect(relError(a, b)).toBeLessThan(1e-5);
    const ttm = new TensorTrainMatrix(2);
    const t4 = tf.reshape(t, [4, 4, 2, 2]);
    ttm.fitTransform(t4);
    const nn = new NonNegativeCP(2, { nIterMax: 20 });
    nn.fitTransform(t);
    expect(nn.errors.length).toBeGreaterThan(0);
    const c = fixtureCase(F, 'symmetric_parafac_power_iteration_5x5x5_rank3_orthogonal');
    const st = fx(c.inputs.tensor);
    const sym = new SymmetricCP(3, { seed: 0 });
    const m = sym.fitTransform(st);
    expect(m.weights.dataSync()[0]).toBeCloseTo(c.expected.weights.data[0], 3);
    const pw = new CPPower(3, { seed: 0 });
    const pr = cpToTensor(pw.fitTransform(st));
    expect(relError(pr, st)).toBeLessThan(1e-4);
    tf.dispose([rt, a, b, st, t4, pr]);
    ref.dispose();
    for (const e of [tk, tt, ttm, nn, sym, pw]) e.dispose();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('selectRank', () => {
  it('core consistency ~100 and stable at the true rank, lower above; error falls then flattens', () => {
    const c = fixtureCase(F, 'core_consistency_6x7x5_true_rank3_fit_rank3');
    const t = fx(c.inputs.tensor);
    const before = tf.memory().numTensors;
    const res = selectRank(t, [2, 3, 4], { nRestarts: 3, seed: 1, nIterMax: 150 });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.map((r) => r.rank)).toEqual([2, 3, 4]);
    expect(res[1].error).toBeLessThan(res[0].error);
    expect(Math.abs(res[1].error - c.meta.fit_relative_error)).toBeLessThan(5e-3);
    expect(res[1].coreConsistency).toBeGreaterThan(95);
    expect(res[2].coreConsistency).toBeLessThan(res[1].coreConsistency - 20);
    expect(res[1].stability).toBeGreaterThan(0.95);
    const kept = selectRank(t, [3], { nRestarts: 1, keepModels: true });
    expect(kept[0].stability).toBe(1);
    kept[0].model?.dispose();
    const ac = new AbortController();
    ac.abort();
    expect(() => selectRank(t, [2], { signal: ac.signal })).toThrow(AbortedError);
    expect(() => selectRank(t, [0])).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});
