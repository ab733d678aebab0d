import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, RankError, ShapeError, svd } from '@tenfold/core';
import { CurvatureLowRankSolution, LowRankSolution, curvatureWeightedLowRank } from '@tenfold/factorized-layers';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

/** Row-major float64 matmul. */
function mm(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const v = a[i * k + p];
    for (let j = 0; j < m; j++) out[i * m + j] += v * b[p * m + j];
  }
  return out;
}
function transpose(a: ArrayLike<number>, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}
/** `||A^{1/2} E G^{1/2}||_F² = tr(Eᵀ A E G)`, no square roots needed. */
function weightedSq(e: ArrayLike<number>, a: ArrayLike<number>, g: ArrayLike<number>, d: number, m: number): number {
  const ae = mm(a, e, d, d, m);
  const aeg = mm(ae, g, d, m, m);
  let s = 0;
  for (let i = 0; i < d * m; i++) s += e[i] * aeg[i];
  return s;
}
/** A random SPD matrix `B Bᵀ + ε I` from a seed (the ε keeps damping-0 inverses bounded). */
function spd(n: number, seed: number, eps = 0.05): Float64Array {
  const b = tf.tidy(() => tf.randomNormal([n, n], 0, 1, 'float32', seed).dataSync());
  const out = mm(b, transpose(b, n, n), n, n, n);
  for (let i = 0; i < n; i++) out[i * n + i] += eps * n;
  return out;
}
function product(sol: LowRankSolution): Float32Array {
  return tf.tidy(() => tf.matMul(sol.wa as tf.Tensor2D, sol.wb as tf.Tensor2D).dataSync() as Float32Array);
}

describe('curvatureWeightedLowRank', () => {
  it('with A = G = I equals the truncated SVD', () => {
    const w = tf.randomNormal([12, 9], 0, 1, 'float32', 3);
    const [i12, i9] = [tf.eye(12), tf.eye(9)];
    expectNoLeak(() => {
      const sol = curvatureWeightedLowRank(w, i12, i9, 4);
      expect(sol).toBeInstanceOf(LowRankSolution);
      expect(sol.rank).toBe(4);
      expect(sol.wa.shape).toEqual([12, 4]);
      expect(sol.wb!.shape).toEqual([4, 9]);
      const ref = tf.tidy(() => {
        const { u, s, vt } = svd(w, { rank: 4 });
        return tf.matMul(tf.mul(u, s), vt);
      });
      expect(relError(product(sol), ref)).toBeLessThan(1e-5);
      // The weighted error is then the plain tail energy of the singular values.
      const sAll = tf.tidy(() => svd(w).s.dataSync());
      const tail = Math.sqrt(Array.from(sAll).slice(4).reduce((a, v) => a + v * v, 0) / Array.from(sAll).reduce((a, v) => a + v * v, 0));
      expect(sol.weightedError).toBeCloseTo(tail, 5);
      ref.dispose();
      return sol;
    });
    tf.dispose([w, i12, i9]);
  });

  it('at full rank reproduces W (any SPD factors, with and without damping)', () => {
    const [d, m] = [7, 10];
    const w = tf.randomNormal([d, m], 0, 1, 'float32', 5);
    const a = tf.tensor2d(Float32Array.from(spd(d, 6)), [d, d]);
    const g = tf.tensor2d(Float32Array.from(spd(m, 7)), [m, m]);
    for (const damping of [0, 0.1]) {
      expectNoLeak(() => {
        const sol = curvatureWeightedLowRank(w, a, g, 7, { damping });
        expect(relError(product(sol), w)).toBeLessThan(1e-4);
        expect(sol.weightedError).toBeLessThan(1e-6);
        return sol;
      });
    }
    tf.dispose([w, a, g]);
  });

  it('property: its weighted error is <= that of the truncated SVD, and equals the reported one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 8 }), (d, m, seed, r) => {
        const k = Math.min(r, d, m);
        const a = spd(d, seed);
        const g = spd(m, seed + 1);
        const w = tf.randomNormal([d, m], 0, 1, 'float32', seed + 2);
        const wv = Float64Array.from(w.dataSync());
        const sol = curvatureWeightedLowRank(w, tf.tensor2d(Float32Array.from(a), [d, d]), tf.tensor2d(Float32Array.from(g), [m, m]), k, { damping: 0 });
        const pc = product(sol);
        const ps = tf.tidy(() => {
          const { u, s, vt } = svd(w, { rank: k });
          return tf.matMul(tf.mul(u, s), vt).dataSync();
        });
        const total = weightedSq(wv, a, g, d, m);
        const eC = weightedSq(wv.map((v, i) => v - pc[i]), a, g, d, m);
        const eS = weightedSq(wv.map((v, i) => v - ps[i]), a, g, d, m);
        sol.dispose();
        w.dispose();
        // float32 weights and products: allow rounding of order 1e-5 of the total.
        expect(eC).toBeLessThanOrEqual(eS + 1e-4 * total);
        expect(Math.sqrt(eC / total)).toBeCloseTo(sol.weightedError, 3);
      }),
      { numRuns: 25, seed: 12 },
    );
  });

  it('a conv weight gives the (k, C, kh, kw) / (out, k, 1, 1) pair of the same matrix solution', () => {
    const [out, c, kh, kw, k] = [6, 3, 3, 2, 4];
    const d = c * kh * kw;
    const w4 = tf.randomNormal([out, c, kh, kw], 0, 1, 'float32', 8);
    const a = tf.tensor2d(Float32Array.from(spd(d, 9)), [d, d]);
    const g = tf.tensor2d(Float32Array.from(spd(out, 10)), [out, out]);
    const bias = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    expectNoLeak(() => {
      const conv = curvatureWeightedLowRank(w4, a, g, k, { bias });
      const mat = tf.tidy(() => tf.transpose(tf.reshape(w4, [out, -1])));
      const ref = curvatureWeightedLowRank(mat, a, g, k, { bias });
      expect(conv.wa.shape).toEqual([k, c, kh, kw]);
      expect(conv.wb!.shape).toEqual([out, k, 1, 1]);
      expect(Array.from(conv.bias!.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      const waMat = tf.tidy(() => tf.transpose(tf.reshape(conv.wa, [k, -1])));
      const wbMat = tf.tidy(() => tf.transpose(tf.reshape(conv.wb!, [out, k])));
      expect(relError(waMat, ref.wa)).toBeLessThan(1e-6);
      expect(relError(wbMat, ref.wb!)).toBeLessThan(1e-6);
      tf.dispose([mat, waMat, wbMat]);
      ref.dispose();
      return conv;
    });
    tf.dispose([w4, a, g, bias]);
  });

  it('is invariant to scaling either factor (relative damping)', () => {
    const w = tf.randomNormal([8, 5], 0, 1, 'float32', 11);
    const a = tf.tensor2d(Float32Array.from(spd(8, 12)), [8, 8]);
    const g = tf.tensor2d(Float32Array.from(spd(5, 13)), [5, 5]);
    expectNoLeak(() => tf.tidy(() => {
      const s1 = curvatureWeightedLowRank(w, a, g, 2, { damping: 0.01 });
      const s2 = curvatureWeightedLowRank(w, tf.mul(a, 1000), tf.mul(g, 1e-3), 2, { damping: 0.01 });
      expect(relError(product(s2), product(s1))).toBeLessThan(1e-4);
      expect(s2.weightedError).toBeCloseTo(s1.weightedError, 5);
      s1.dispose();
      s2.dispose();
    }));
    tf.dispose([w, a, g]);
  });

  it('an all-zero factor (no data) falls back to the plain SVD', () => {
    const w = tf.randomNormal([6, 6], 0, 1, 'float32', 14);
    const [z, e] = [tf.zeros([6, 6]), tf.eye(6)];
    expectNoLeak(() => {
      const sol = curvatureWeightedLowRank(w, z, e, 3);
      const ref = curvatureWeightedLowRank(w, e, e, 3);
      expect(relError(product(sol), product(ref))).toBeLessThan(1e-5);
      ref.dispose();
      return sol;
    });
    tf.dispose([w, z, e]);
  });

  it('refuses bad input with typed errors before any work, leaking nothing', () => {
    const w = tf.randomNormal([6, 4], 0, 1, 'float32', 15);
    const a = tf.eye(6);
    const g = tf.eye(4);
    const [v6, e5, e6, z3, nan6] = [tf.zeros([6]), tf.eye(5), tf.eye(6), tf.zeros([3]), tf.fill([6, 6], NaN)];
    const bad: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [() => curvatureWeightedLowRank(v6, a, g, 2), ShapeError, /weight must be 2-D/],
      [() => curvatureWeightedLowRank(w, e5, g, 2), ShapeError, /inputFactor must be \[6, 6\]/],
      [() => curvatureWeightedLowRank(w, a, e6, 2), ShapeError, /outputFactor must be \[4, 4\]/],
      [() => curvatureWeightedLowRank(w, a, g, 0), RankError, /rank/],
      [() => curvatureWeightedLowRank(w, a, g, 5), RankError, /at most min\(D, M\) = 4/],
      [() => curvatureWeightedLowRank(w, a, g, 2.5), RankError, /integer/],
      [() => curvatureWeightedLowRank(w, a, g, 2, { damping: -1 }), ArgumentError, /opts.damping/],
      [() => curvatureWeightedLowRank(w, a, g, 2, { dampng: 1 } as never), ArgumentError, /dampng/],
      [() => curvatureWeightedLowRank(w, a, g, 2, { bias: z3 }), ShapeError, /opts.bias must have shape \[4\]/],
      [() => curvatureWeightedLowRank(w, nan6, g, 2), NonFiniteError, /inputFactor/],
    ];
    for (const [fn, cls, msg] of bad) {
      expectNoLeak(() => {
        expect(fn).toThrow(cls);
        expect(fn).toThrow(msg);
      });
    }
    tf.dispose([v6, e5, e6, z3, nan6]);
    tf.dispose([w, a, g]);
  });

  it('returns a CurvatureLowRankSolution whose nmse is NaN (it saw no data)', () => {
    const sol = curvatureWeightedLowRank([[1, 0], [0, 2]], [[1, 0], [0, 1]], [[1, 0], [0, 1]], 1);
    expect(sol).toBeInstanceOf(CurvatureLowRankSolution);
    expect(Number.isNaN(sol.nmse)).toBe(true);
    // Best rank-1 of diag(1, 2) keeps the 2.
    expect(Array.from(product(sol)).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 0, 0, 2]);
    sol.dispose();
  });
});
