import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, admm, halsNnls, solve } from '@tenfold/core';
import { expectClose, expectNoLeak } from '../../../../test-utils/index.js';

/** A least-squares problem min ||M - U x^T||: U (30 x 4), M (30 x 6); admm's UtM is I x R = M^T U. */
function problem() {
  return tf.tidy(() => {
    const U = tf.randomUniform([30, 4], 0, 1, 'float32', 5);
    const M = tf.randomNormal([30, 6], 0, 1, 'float32', 6);
    return { UtU: tf.matMul(U, U, true, false), MtU: tf.matMul(M, U, true, false) };
  });
}

describe('admm and halsNnls', () => {
  it('admm without a constraint returns the least-squares solution (solve)', () => {
    const { UtU, MtU } = problem();
    const x0 = tf.zeros([6, 4]);
    const r = admm(MtU, UtU, x0, x0);
    const ref = tf.tidy(() => tf.transpose(solve(UtU, tf.transpose(MtU))));
    expectClose(r.x, Array.from(ref.dataSync()), { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([UtU, MtU, x0, r.x, r.xSplit, r.dualVar, ref]);
  });

  it('admm with nonNegative converges to the NNLS solution that exact HALS finds (two algorithms agree)', () => {
    const { UtU, MtU } = problem();
    const x0 = tf.zeros([6, 4]);
    expectNoLeak(() => admm(MtU, UtU, x0, x0, { constraint: { type: 'nonNegative' }, nIterMax: 5000, tol: 1e-10 }));
    const a = admm(MtU, UtU, x0, x0, { constraint: { type: 'nonNegative' }, nIterMax: 5000, tol: 1e-10 });
    const utm = tf.transpose(MtU); // R x n for hals
    const h = halsNnls(utm, UtU, { exact: true });
    const ht = tf.transpose(h);
    expect(Math.min(...a.x.dataSync())).toBeGreaterThanOrEqual(0);
    expectClose(a.x, Array.from(ht.dataSync()), { rtol: 1e-3, atol: 1e-4 });
    // KKT of NNLS: gradient UtU x - UtM >= 0, zero where x > 0.
    const grad = tf.tidy(() => tf.sub(tf.matMul(UtU, h), utm));
    const g = grad.dataSync();
    const hv = h.dataSync();
    g.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(-1e-3);
      if (hv[i] > 1e-4) expect(Math.abs(v)).toBeLessThan(1e-3);
    });
    tf.dispose([UtU, MtU, x0, a.x, a.xSplit, a.dualVar, utm, h, ht, grad]);
  });

  it('bad input: shapes, options, constraint', () => {
    const { UtU, MtU } = problem();
    const x0 = tf.zeros([6, 4]);
    const bad = tf.zeros([5, 4]);
    const z3 = tf.zeros([3, 3]);
    const neg = tf.fill([4, 6], -1);
    const utm = tf.transpose(MtU);
    const before = tf.memory().numTensors;
    expect(() => admm(MtU, UtU, bad, x0)).toThrow(ShapeError);
    expect(() => admm(MtU, z3, x0, x0)).toThrow(/UtU must be 4 x 4/);
    expect(() => admm(MtU, UtU, x0, x0, { nIter: 3 } as any)).toThrow(/unknown option 'nIter'/);
    expect(() => admm(MtU, UtU, x0, x0, { constraint: { type: 'simplex', value: -1 } })).toThrow(ArgumentError);
    expect(() => halsNnls(utm, UtU, { V: neg })).toThrow(/non-negative/);
    expect(() => halsNnls(MtU, UtU)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([UtU, MtU, x0, bad, z3, neg, utm]);
  });
});
