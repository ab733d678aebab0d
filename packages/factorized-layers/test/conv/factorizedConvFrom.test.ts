/**
 * FactorizedConv.fromConv inputs and ranks: 'evbmf' ranks from @tenfold/rank's estimateRank
 * (CP: the overall rank; Tucker: the out / in ranks, spatial modes kept), a tfjs-layout
 * kernel equals the same torch-layout kernel, 'same' / fraction / int ranks, no leaks.
 */
import { describe, expect, it } from 'vitest';
import { tf, tuckerToTensor } from '@tenfold/core';
import { estimateRank } from '@tenfold/rank';
import { FactorizedConv, kernelToTfjs } from '../../src/index.js';
import { expectClose, relError } from '../../../../test-utils/index.js';

/** A (16, 12, 3, 3) kernel of multilinear rank (3, 2, 3, 3) plus 1% noise. */
function lowRankKernel(): tf.Tensor {
  return tf.tidy(() => {
    const core = tf.randomNormal([3, 2, 3, 3], 0, 1, 'float32', 1);
    const factors = [tf.randomNormal([16, 3], 0, 1, 'float32', 2), tf.randomNormal([12, 2], 0, 1, 'float32', 3), tf.eye(3), tf.eye(3)];
    const clean = tuckerToTensor({ core, factors } as never);
    const scale = tf.sqrt(tf.mean(tf.square(clean)));
    return tf.add(clean, tf.mul(tf.randomNormal(clean.shape, 0, 0.01, 'float32', 4), scale));
  });
}

describe('FactorizedConv.fromConv', () => {
  it("rank 'evbmf' takes estimateRank's ranks (Tucker per out/in mode, CP and TT the overall rank)", () => {
    const w = lowRankKernel();
    const est = estimateRank(w, { modes: [0, 1], minRank: 1 });
    expect(est.ranks).toEqual([3, 2]);
    const before = tf.memory().numTensors;
    const tk = FactorizedConv.fromConv(w, { factorization: 'tucker', rank: 'evbmf' });
    expect(tk.rank).toEqual([3, 2, 3, 3]);
    const rec = tk.weight.toTensor();
    expect(relError(rec, w)).toBeLessThan(0.03);
    rec.dispose();
    tk.dispose();
    const cp = FactorizedConv.fromConv(w, { factorization: 'cp', rank: 'evbmf', decomposition: { nIterMax: 5 } });
    expect(cp.rank).toBe(est.rank);
    cp.dispose();
    const tt = FactorizedConv.fromConv(w, { factorization: 'tt', rank: 'evbmf' });
    expect(Math.max(...(tt.rank as number[]))).toBeLessThanOrEqual(est.rank);
    tt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it("a 'tfjs'-layout kernel gives the same layer as the torch-layout kernel", () => {
    const w = tf.randomNormal([6, 4, 3, 2], 0, 1, 'float32', 7);
    const wt = kernelToTfjs(w);
    const x = tf.randomNormal([2, 4, 7, 6], 0, 1, 'float32', 8);
    const a = FactorizedConv.fromConv(w, { factorization: 'tucker', rank: [6, 4, 3, 2], padding: [[1, 1], [0, 1]] });
    const b = FactorizedConv.fromConv(wt, { factorization: 'tucker', rank: [6, 4, 3, 2], padding: [[1, 1], [0, 1]], layout: 'tfjs' });
    const [ya, yb] = [a.apply(x), b.apply(x)];
    expectClose(ya, Array.from(yb.dataSync()), { rtol: 1e-4, atol: 1e-4 }, 'torch vs tfjs layout');
    expect(a.kernelShape).toEqual([6, 4, 3, 2]);
    tf.dispose([w, wt, x, ya, yb]);
    a.dispose();
    b.dispose();
  });

  it("'same', fraction and int ranks resolve as tltorch (CP over (out, in, *k))", () => {
    const w = tf.randomNormal([8, 4, 3, 3], 0, 1, 'float32', 9);
    const cases: [number | 'same', number][] = [['same', 16], [0.5, 8], [4, 4]]; // factorized_tensor_rank_CP_8x4x3x3_*
    for (const [rank, want] of cases) {
      const l = FactorizedConv.fromConv(w, { factorization: 'cp', rank, decomposition: { nIterMax: 2 } });
      expect(l.rank).toBe(want);
      l.dispose();
    }
    w.dispose();
  });
});
