/**
 * tuckerRanksWithFactors: the ranks of `tuckerRanks` and the truncated HOSVD from the same
 * SVDs (one per mode). Checked against tuckerRanks, against the identities of the HOSVD
 * (orthonormal factors spanning the leading singular subspace of each unfolding, core =
 * t x_n U_n^T) and against core's exact singular values.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { multiModeDot, svd, unfold } from '@tenfold/core';
import { evbmf, tuckerRanks, tuckerRanksWithFactors } from '@tenfold/rank';
import { expectNoLeak } from '../../../test-utils/index.js';

/** A seeded 3-way tensor with Tucker ranks (3, 2, 4) plus noise 1e-2. */
function lowTucker(): tf.Tensor {
  return tf.tidy(() => {
    const core = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 1);
    const f = [tf.randomNormal([12, 3], 0, 1, 'float32', 2), tf.randomNormal([10, 2], 0, 1, 'float32', 3), tf.randomNormal([14, 4], 0, 1, 'float32', 4)];
    return tf.add(multiModeDot(core, f), tf.randomNormal([12, 10, 14], 0, 1e-2, 'float32', 5));
  });
}

describe('tuckerRanksWithFactors', () => {
  it('returns tuckerRanks\'s ranks and the HOSVD at them, without leaking', () => {
    const t = lowTucker();
    const ranks = tuckerRanks(t);
    const before = tf.memory().numTensors;
    const res = tuckerRanksWithFactors(t);
    expect(tf.memory().numTensors).toBe(before + 4); // 3 factors + the core
    try {
      expect(res.ranks).toEqual(ranks);
      expect(res.ranks).toEqual([3, 2, 4]);
      expect(res.core.shape).toEqual(ranks);
      res.factors.forEach((u, n) => tf.tidy(() => {
        const unf = unfold(t, n);
        // Orthonormal columns.
        const gram = tf.matMul(u, u, true, false);
        expect(tf.max(tf.abs(tf.sub(gram, tf.eye(ranks[n])))).arraySync()).toBeLessThan(1e-5);
        // U^T Y Y^T U = diag(s^2) with s the leading singular values of the unfolding (exact SVD).
        const ref = svd(unf, { rank: ranks[n] });
        const proj = tf.matMul(u, unf, true, false);
        const s2 = tf.sum(tf.square(proj), 1).arraySync() as number[];
        const sRef = ref.s.arraySync() as number[];
        s2.forEach((v, j) => expect(Math.abs(Math.sqrt(v) - sRef[j]) / sRef[0]).toBeLessThan(1e-5));
        // Same sign rule as svd (TensorLy's svd_flip): the columns agree with svd's U.
        expect(tf.max(tf.abs(tf.sub(u, ref.u))).arraySync()).toBeLessThan(1e-3);
        // The singular values evbmf saw are those of the same SVD.
        const e = evbmf(unf);
        expect(e.singularValues.length).toBe(Math.min(...unf.shape));
        e.dispose();
      }));
      tf.tidy(() => {
        const core = multiModeDot(t, res.factors, { transpose: true });
        expect(tf.max(tf.abs(tf.sub(core, res.core))).arraySync()).toBeLessThan(1e-5);
      });
    } finally {
      res.dispose();
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    }
    // Nothing leaks on a throw either.
    const v = tf.tensor([1, 2, 3]);
    expectNoLeak(() => {
      expect(() => tuckerRanksWithFactors(v)).toThrow();
    });
    v.dispose();
  });

  it('floors the ranks at minRank like tuckerRanks', () => {
    const t = tf.randomNormal([6, 5, 4], 0, 1, 'float32', 9);
    const res = tuckerRanksWithFactors(t, { minRank: 2 });
    expect(res.ranks).toEqual(tuckerRanks(t, { minRank: 2 }));
    expect(res.ranks.every((r) => r >= 2)).toBe(true);
    res.dispose();
    t.dispose();
  });
});
