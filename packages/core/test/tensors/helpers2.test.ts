import { describe, expect, it } from 'vitest';
import {
  tf,
  ArgumentError,
  ShapeError,
  CPTensor,
  TuckerTensor,
  cpFlipSign,
  cpPermuteFactors,
  cpToTensor,
  cpVonneumannEntropy,
  khatriRao,
  makeSvdNonNegative,
  modeDot,
  randomizedRangeFinder,
  sampleKhatriRao,
  svd,
  tensorTrain,
  ttVonneumannEntropy,
  tuckerModeDot,
  tuckerToTensor,
  vonneumannEntropy,
} from '@tenfold/core';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

describe('cpFlipSign / cpPermuteFactors', () => {
  it('cpFlipSign keeps the tensor, makes non-target column means and weights non-negative', () => {
    const cp = new CPTensor(tf.tensor1d([-2, 1, 3]), [4, 5, 6].map((d, k) => tf.randomNormal([d, 3], 0, 1, 'float32', k + 1)));
    const before = tf.memory().numTensors;
    const f = cpFlipSign(cp, { mode: 0 });
    const [a, b] = [cpToTensor(cp), cpToTensor(f)];
    expect(relError(b, a)).toBeLessThan(1e-6);
    for (const k of [1, 2]) for (const m of tf.tidy(() => tf.mean(f.factors[k], 0)).dataSync()) expect(m).toBeGreaterThanOrEqual(0);
    for (const w of f.weights.dataSync()) expect(w).toBeGreaterThanOrEqual(0);
    tf.dispose([a, b]);
    f.dispose();
    expect(tf.memory().numTensors).toBe(before + 2); // the two means read above
    cp.dispose();
  });

  it('cpPermuteFactors undoes a permutation', () => {
    const ref = new CPTensor(null, [4, 5, 6].map((d, k) => tf.randomNormal([d, 3], 0, 1, 'float32', 10 + k)));
    const idx = tf.tensor1d([2, 0, 1], 'int32');
    const other = new CPTensor(tf.tensor1d([1, 2, 3]), ref.factors.map((f) => tf.gather(f, idx, 1)));
    expectNoLeak(() => {
      const { tensors, permutations } = cpPermuteFactors(ref, other);
      expect(permutations[0]).toEqual([1, 2, 0]);
      const back = tensors[0].factors[0];
      expect(relError(back, ref.factors[0])).toBeLessThan(1e-6);
      return tensors;
    });
    tf.dispose([idx]);
    ref.dispose();
    other.dispose();
  });
});

describe('tuckerModeDot', () => {
  it('matches modeDot on the full tensor (matrix and vector)', () => {
    const tk = new TuckerTensor(tf.randomNormal([2, 3, 2], 0, 1, 'float32', 1), [4, 5, 6].map((d, k) => tf.randomNormal([d, [2, 3, 2][k]], 0, 1, 'float32', 2 + k)));
    const full = tuckerToTensor(tk);
    const M = tf.randomNormal([7, 5], 0, 1, 'float32', 9);
    const v = tf.randomNormal([5], 0, 1, 'float32', 10);
    expectNoLeak(() => {
      const a = tuckerModeDot(tk, M, 1);
      const b = tuckerModeDot(tk, v, 1);
      const [ra, rb, ea, eb] = [tuckerToTensor(a), tuckerToTensor(b), modeDot(full, M, 1), modeDot(full, v, 1)];
      expect(ra.shape).toEqual([4, 7, 6]);
      expect(relError(ra, ea)).toBeLessThan(1e-5);
      expect(rb.shape).toEqual([4, 6]);
      expect(relError(rb, eb)).toBeLessThan(1e-5);
      expect(() => tuckerModeDot(tk, [1, 2, 3], 1)).toThrow(ShapeError);
      return [a, b, ra, rb, ea, eb];
    });
    tf.dispose([full, M, v]);
    tk.dispose();
  });
});

describe('sampleKhatriRao', () => {
  it('sampled rows equal the rows of the full Khatri-Rao product; seeded', () => {
    const mats = [3, 4, 5].map((d, k) => tf.randomNormal([d, 2], 0, 1, 'float32', 20 + k));
    const kr = khatriRao(mats, { skipMatrix: 1 });
    expectNoLeak(() => {
      const s = sampleKhatriRao(mats, 6, { skipMatrix: 1, seed: 4 });
      const s2 = sampleKhatriRao(mats, 6, { skipMatrix: 1, seed: 4 });
      expect(s2.indicesList).toEqual(s.indicesList);
      const rows = tf.tidy(() => tf.gather(kr, tf.tensor1d(s.rows, 'int32')));
      expect(relError(s.sampled, rows)).toBeLessThan(1e-6);
      expect(() => sampleKhatriRao(mats, 0)).toThrow(ArgumentError);
      expect(() => sampleKhatriRao(mats, 2, { indicesList: [[0, 9], [0, 0], [0, 0]] })).toThrow(ShapeError);
      return [s.sampled, s2.sampled, rows];
    });
    tf.dispose([...mats, kr]);
  });
});

describe('randomizedRangeFinder / makeSvdNonNegative', () => {
  it('the range of a rank-3 matrix is captured exactly', () => {
    const a = tf.matMul(tf.randomNormal([30, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 20], 0, 1, 'float32', 2));
    expectNoLeak(() => {
      const q = randomizedRangeFinder(a, 5, { seed: 1 });
      expect(q.shape).toEqual([30, 5]);
      const proj = tf.tidy(() => tf.matMul(q, tf.matMul(q, a, true, false)));
      expect(relError(proj, a)).toBeLessThan(1e-4);
      return [q, proj];
    });
    a.dispose();
  });

  it('NNDSVD factors are non-negative and the leading term matches sqrt(s0)|u0|', () => {
    const y = tf.abs(tf.randomNormal([6, 5], 0, 1, 'float32', 3));
    const { u, s, vt } = svd(y, { rank: 3 });
    expectNoLeak(() => {
      for (const nntype of ['nndsvd', 'nndsvda'] as const) {
        const { w, h } = makeSvdNonNegative(y, u, s, vt, { nntype });
        expect(Math.min(...w.dataSync(), ...h.dataSync())).toBeGreaterThanOrEqual(0);
        const s0 = Math.sqrt(s.dataSync()[0]);
        const lead = tf.tidy(() => tf.mul(tf.abs(tf.slice(u, [0, 0], [6, 1])), s0));
        const w0 = tf.slice(w, [0, 0], [6, 1]);
        expect(relError(w0, lead)).toBeLessThan(1e-5);
        tf.dispose([w, h, lead, w0]);
      }
      expect(() => makeSvdNonNegative(y, u, s, vt, { nntype: 'x' as any })).toThrow(ArgumentError);
    });
    tf.dispose([y, u, s, vt]);
  });
});

describe('von Neumann entropies', () => {
  it('pure state 0, maximally mixed log2(d); TT and CP forms agree', () => {
    const d = 4;
    const v = tf.tensor2d([[1], [0], [0], [0]]);
    const pure = tf.matMul(v, v, false, true);
    const mixed = tf.div(tf.eye(d), d);
    expect(vonneumannEntropy(pure)).toBeCloseTo(0, 6);
    expect(vonneumannEntropy(mixed)).toBeCloseTo(2, 5);
    const tt = tensorTrain(tf.reshape(mixed, [2, 2, 2, 2]), [1, 2, 4, 2, 1]);
    expect(ttVonneumannEntropy(tt)).toBeCloseTo(2, 4);
    const cp = new CPTensor(tf.fill([4], 0.25), [tf.eye(4), tf.eye(4)]);
    expect(cpVonneumannEntropy(cp)).toBeCloseTo(2, 5);
    expect(() => vonneumannEntropy(tf.ones([3, 2]))).toThrow(ShapeError);
    tt.dispose();
    cp.dispose();
    tf.dispose([v, pure, mixed]);
  });
});
