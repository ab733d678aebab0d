import { describe, expect, it } from 'vitest';
import { tf, ArgumentError, ShapeError, CPRegressor, TuckerRegressor, cpToTensor, cpRegression, randomCp, randomTucker, tuckerToTensor } from '@tenfold/core';
import { relError } from '../../../../test-utils/index.js';

function data(w: tf.Tensor, n: number, seed: number): { X: tf.Tensor; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const X = tf.randomNormal([n, ...w.shape], 0, 1, 'float32', seed);
    const y = tf.reshape(tf.matMul(tf.reshape(X, [n, -1]), tf.reshape(w, [-1, 1])), [-1]) as tf.Tensor1D;
    return { X, y };
  });
}

describe('tensor regression', () => {
  it('CPRegressor recovers a rank-2 CP weight (small ridge); no leak', () => {
    const w = randomCp([5, 6], 2, { full: true, seed: 1 }) as tf.Tensor;
    const { X, y } = data(w, 200, 2);
    const before = tf.memory().numTensors;
    const est = new CPRegressor(2, { regW: 1e-4, nIterMax: 50, seed: 0 }).fit(X, y);
    const wHat = cpToTensor(est.result!.cp);
    expect(relError(wHat, w)).toBeLessThan(1e-2);
    const pred = est.predict(X);
    expect(relError(pred, y)).toBeLessThan(1e-2);
    tf.dispose([wHat, pred]);
    est.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => cpRegression(X, tf.ones([3]), 2)).toThrow(ShapeError);
    expect(() => cpRegression(X, y, 2, { reg: 1 } as any)).toThrow(ArgumentError);
    expect(() => new CPRegressor(2).predict(X)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before + 1); // the tf.ones above
    tf.dispose([w, X, y]);
  });

  it('TuckerRegressor recovers a rank-(2,2) Tucker weight', () => {
    const tk = randomTucker([5, 6], [2, 2], { seed: 3 });
    const w = tuckerToTensor(tk);
    tk.dispose();
    const { X, y } = data(w, 200, 4);
    const before = tf.memory().numTensors;
    const est = new TuckerRegressor([2, 2], { regW: 1e-4, nIterMax: 50, seed: 0 }).fit(X, y);
    const wHat = tuckerToTensor(est.result!.tucker);
    expect(relError(wHat, w)).toBeLessThan(1e-2);
    wHat.dispose();
    est.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, X, y]);
  });
});
