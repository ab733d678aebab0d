import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as math from 'mathjs';
import * as tf from '@tensorflow/tfjs';
import {
  ArgumentError,
  NonFiniteError,
  ShapeError,
  hardThresholding,
  hostSvd,
  l2Prox,
  l2SquareProx,
  monotonicityProx,
  normalizedSparsityProx,
  procrustes,
  proximalOperator,
  simplexProx,
  smoothnessProx,
  softSparsityProx,
  softThresholding,
  svdThresholding,
  unimodalityProx,
} from '@tenfold/core';
import { expectClose, expectNoLeak } from '../../../../test-utils/index.js';

const vec = (n: number) => fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n, maxLength: n });
const cols = (rows: number, c: number) => fc.array(vec(rows), { minLength: c, maxLength: c });
/** Columns given as arrays -> a row-major rows x c tensor. */
const fromCols = (cs: number[][]) => tf.tensor2d(cs[0].map((_, i) => cs.map((c) => c[i])));
const colsOf = (t: tf.Tensor): number[][] => {
  const [I, R] = t.shape;
  const d = t.dataSync();
  return Array.from({ length: R }, (_, r) => Array.from({ length: I }, (_, i) => d[i * R + r]));
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const sub = (a: number[], b: number[]) => a.map((x, i) => x - b[i]);
const f32 = (v: number[]) => Array.from(Float32Array.from(v));

/** Brute-force isotonic regression (Barlow et al. 1972): x_k = min_{j >= k} max_{i <= k} mean(v[i..j]). */
function isotonicBrute(v: number[]): number[] {
  const n = v.length;
  const mean = (i: number, j: number) => v.slice(i, j + 1).reduce((s, x) => s + x, 0) / (j - i + 1);
  return v.map((_, k) => {
    let best = Infinity;
    for (let j = k; j < n; j++) {
      let mx = -Infinity;
      for (let i = 0; i <= k; i++) mx = Math.max(mx, mean(i, j));
      best = Math.min(best, mx);
    }
    return best;
  });
}

describe('proximal operators are the minimisers of their problems (float64 brute force)', () => {
  it('softThresholding = argmin thr ||z||_1 + ||z - x||^2 / 2 (closed form per entry, checked by perturbation)', () => {
    fc.assert(fc.property(vec(6), fc.double({ min: 0, max: 3, noNaN: true }), (x, thr) => {
      expectNoLeak(() => softThresholding(x, thr));
      const zz = softThresholding(x, thr);
      const got = Array.from(zz.dataSync());
      zz.dispose();
      const obj = (w: number[]) => thr * w.reduce((s, a) => s + Math.abs(a), 0) + 0.5 * w.reduce((s, a, i) => s + (a - x[i]) ** 2, 0);
      for (const d of [-1e-3, 1e-3]) for (let i = 0; i < 6; i++) {
        const w = got.slice();
        w[i] += d;
        expect(obj(got)).toBeLessThanOrEqual(obj(w) + 1e-6);
      }
    }), { numRuns: 30 });
  });

  it('softThresholding with a tensor threshold (a mask) broadcasts', () => {
    const x = tf.tensor2d([[3, -3], [0.5, -2]]);
    const thr = tf.tensor2d([[1, 0], [1, 1]]);
    const z = softThresholding(x, thr);
    expectClose(z, [2, -3, 0, -1], { rtol: 0, atol: 1e-7 });
    tf.dispose([x, thr, z]);
  });

  it('simplexProx: variational inequality <x - p, t e_j - p> <= 0 at every vertex (exact projection)', () => {
    fc.assert(fc.property(cols(7, 3), fc.double({ min: 0.1, max: 4, noNaN: true }), (cs, t) => {
      const x = fromCols(cs);
      const p = simplexProx(x, t);
      colsOf(p).forEach((pc, r) => {
        expect(Math.min(...pc)).toBeGreaterThanOrEqual(0);
        expect(Math.abs(pc.reduce((s, a) => s + a, 0) - t)).toBeLessThan(1e-5 * (1 + t));
        const xc = f32(cs[r]);
        for (let j = 0; j < 7; j++) {
          const c = Array(7).fill(0);
          c[j] = t;
          expect(dot(sub(xc, pc), sub(c, pc))).toBeLessThanOrEqual(1e-4 * (1 + t * t));
        }
      });
      tf.dispose([x, p]);
    }), { numRuns: 30 });
  });

  it('softSparsityProx: the l1-ball projection (vertices +-t e_j), identity inside the ball', () => {
    fc.assert(fc.property(cols(6, 2), fc.double({ min: 0.1, max: 8, noNaN: true }), (cs, t) => {
      const x = fromCols(cs);
      const p = softSparsityProx(x, t);
      colsOf(p).forEach((pc, r) => {
        const xc = f32(cs[r]);
        const l1 = xc.reduce((s, a) => s + Math.abs(a), 0);
        if (l1 <= t) expect(pc).toEqual(xc);
        expect(pc.reduce((s, a) => s + Math.abs(a), 0)).toBeLessThanOrEqual(t * (1 + 1e-5));
        for (let j = 0; j < 6; j++) for (const sgn of [-1, 1]) {
          const c = Array(6).fill(0);
          c[j] = sgn * t;
          expect(dot(sub(xc, pc), sub(c, pc))).toBeLessThanOrEqual(1e-4 * (1 + t * t));
        }
      });
      tf.dispose([x, p]);
    }), { numRuns: 30 });
  });

  it('monotonicityProx equals the min-max isotonic formula (increasing and decreasing)', () => {
    fc.assert(fc.property(cols(7, 2), (cs) => {
      const x = fromCols(cs);
      const inc = monotonicityProx(x);
      const dec = monotonicityProx(x, { decreasing: true });
      colsOf(inc).forEach((pc, r) => expectClose(pc, isotonicBrute(f32(cs[r])), { rtol: 1e-5, atol: 1e-5 }));
      colsOf(dec).forEach((pc, r) => expectClose(pc, isotonicBrute(f32(cs[r]).reverse()).reverse(), { rtol: 1e-5, atol: 1e-5 }));
      tf.dispose([x, inc, dec]);
    }), { numRuns: 40 });
    // TensorLy's scheme returns [-1, -1] here (negative prefix means clipped to 0); the projection is the input.
    const v = monotonicityProx([-2, -1]);
    expectClose(v, [-2, -1], { rtol: 0, atol: 0 });
    v.dispose();
  });

  it('unimodalityProx: unimodal, and no closer unimodal vector among all split-point fits and random unimodal vectors', () => {
    fc.assert(fc.property(vec(7), fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 7, maxLength: 7 }), fc.integer({ min: 0, max: 6 }), (x, steps, peak) => {
      const p = tf.tidy(() => Array.from(unimodalityProx(tf.tensor1d(x)).dataSync()));
      let i = 1;
      while (i < 7 && p[i] >= p[i - 1]) i++;
      while (i < 7 && p[i] <= p[i - 1]) i++;
      expect(i).toBe(7);
      const xf = f32(x);
      const d = (c: number[]) => c.reduce((s, a, k) => s + (a - xf[k]) ** 2, 0);
      // Every split: brute-force isotonic prefix + antitonic suffix.
      for (let s = 0; s < 7; s++) {
        const c = [...isotonicBrute(xf.slice(0, s + 1)), ...isotonicBrute(xf.slice(s + 1).reverse()).reverse()];
        expect(d(p)).toBeLessThanOrEqual(d(c) + 1e-5);
      }
      // A random unimodal vector peaking at `peak`.
      const c = Array(7).fill(0);
      c[peak] = 3;
      for (let k = peak - 1; k >= 0; k--) c[k] = c[k + 1] - steps[k];
      for (let k = peak + 1; k < 7; k++) c[k] = c[k - 1] - steps[k];
      expect(d(p)).toBeLessThanOrEqual(d(c) + 1e-5);
    }), { numRuns: 40 });
  });

  it('smoothnessProx solves (I + r tridiag(-1, 2, -1)) z = x (mathjs lusolve, float64)', () => {
    fc.assert(fc.property(cols(6, 2), fc.double({ min: 0, max: 5, noNaN: true }), (cs, r) => {
      const x = fromCols(cs);
      const z = smoothnessProx(x, r);
      const A = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1 + 2 * r : Math.abs(i - j) === 1 ? -r : 0)));
      colsOf(z).forEach((zc, k) => {
        const ref = (math.lusolve(A, f32(cs[k])) as number[][]).map((row) => row[0]);
        expectClose(zc, ref, { rtol: 1e-5, atol: 1e-5 });
      });
      tf.dispose([x, z]);
    }), { numRuns: 20 });
  });

  it('l2Prox = argmin reg ||z||_F + ||z - x||^2 / 2 (perturbation check); l2SquareProx = x / (1 + 2 reg)', () => {
    fc.assert(fc.property(cols(4, 2), fc.double({ min: 0, max: 10, noNaN: true }), (cs, reg) => {
      const x = fromCols(cs);
      const xs = Array.from(x.dataSync());
      const z = l2Prox(x, reg);
      const zs = Array.from(z.dataSync());
      const obj = (w: number[]) => reg * Math.sqrt(w.reduce((s, a) => s + a * a, 0)) + 0.5 * w.reduce((s, a, i) => s + (a - xs[i]) ** 2, 0);
      for (let i = 0; i < zs.length; i++) for (const dlt of [-1e-3, 1e-3]) {
        const w = zs.slice();
        w[i] += dlt;
        expect(obj(zs)).toBeLessThanOrEqual(obj(w) + 1e-5);
      }
      const q = l2SquareProx(x, reg);
      expectClose(q, xs.map((a) => a / (1 + 2 * reg)), { rtol: 1e-6, atol: 1e-7 });
      tf.dispose([x, z, q]);
    }), { numRuns: 30 });
  });

  it('hardThresholding keeps the k largest magnitudes; normalizedSparsityProx then has unit norm', () => {
    fc.assert(fc.property(vec(9), fc.integer({ min: 1, max: 9 }), (x, k) => {
      const h = tf.tidy(() => Array.from(hardThresholding(tf.tensor2d(x, [3, 3]), k).dataSync()));
      const xf = f32(x);
      const kept = xf.filter((_, i) => h[i] !== 0).map(Math.abs);
      const dropped = xf.filter((_, i) => h[i] === 0).map(Math.abs);
      expect(kept.length).toBeLessThanOrEqual(k);
      if (kept.length && dropped.length) expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...dropped) - (kept.length < k ? Infinity : 0));
      h.forEach((v, i) => expect(v === 0 || v === xf[i]).toBe(true));
      const nd = tf.tidy(() => Array.from(normalizedSparsityProx(tf.tensor2d(x, [3, 3]), k).dataSync()));
      if (kept.some((a) => a > 0)) expect(Math.abs(Math.sqrt(nd.reduce((s, a) => s + a * a, 0)) - 1)).toBeLessThan(1e-6);
    }), { numRuns: 30 });
  });

  for (const [m, n, label] of [[9, 7, 'host'], [200, 130, 'Gram route (wide side 130 > 96)'], [110, 240, 'Gram route, wide matrix']] as const) {
    it(`svdThresholding = U soft(s) V^T against a float64 host SVD (${m}x${n}, ${label}); procrustes = U V^T`, () => {
      const a = tf.tidy(() => tf.add(tf.matMul(tf.randomNormal([m, 4], 0, 1, 'float32', 1), tf.randomNormal([4, n], 0, 1, 'float32', 2)), tf.randomNormal([m, n], 0, 0.3, 'float32', 3)));
      const h = hostSvd({ rows: m, cols: n, data: Float64Array.from(a.dataSync()) });
      const k = h.s.length;
      for (const thr of [0.5 * h.s[4], 2.0, 0.5 * h.s[0]]) {
        const ref = new Float64Array(m * n);
        const ref2 = new Float64Array(m * n);
        for (let r = 0; r < k; r++) {
          const f = Math.max(h.s[r] - thr, 0);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            const uv = h.u.data[i * k + r] * h.vt.data[r * n + j];
            ref[i * n + j] += f * uv;
            if (thr === 2.0) ref2[i * n + j] += uv;
          }
        }
        expectNoLeak(() => svdThresholding(a, thr));
        const jj = svdThresholding(a, thr);
        const scale = Math.max(...Array.from(ref).map(Math.abs));
        expectClose(jj, ref, { rtol: 1e-3, atol: 2e-4 * scale }, `thr ${thr}`);
        jj.dispose();
        if (thr === 2.0) {
          const q = procrustes(a);
          expectClose(q, ref2, { rtol: 1e-3, atol: 2e-4 }, 'procrustes');
          q.dispose();
        }
      }
      a.dispose();
    });
  }

  it('svdThresholding: a threshold above ||M||_F gives zero; threshold 0 gives M back', () => {
    const a = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const z = svdThresholding(a, 100);
    expectClose(z, [0, 0, 0, 0, 0, 0], { rtol: 0, atol: 0 });
    const id = svdThresholding(a, 0);
    expectClose(id, [1, 2, 3, 4, 5, 6], { rtol: 1e-5, atol: 1e-5 });
    tf.dispose([a, z, id]);
  });
});

describe('proximal operators: bad input', () => {
  it('typed errors naming the argument, no leaks', () => {
    const z3 = tf.zeros([2, 2, 2]);
    const before = tf.memory().numTensors;
    expect(() => softThresholding([1, NaN], 1)).toThrow(NonFiniteError);
    expect(() => softThresholding([1, 2], -1)).toThrow(/threshold must be a finite number >= 0/);
    expect(() => softThresholding([[1, 2]], [1, 2, 3])).toThrow(ShapeError);
    expect(() => svdThresholding([1, 2, 3], 1)).toThrow(ShapeError);
    expect(() => svdThresholding([[1, 2]], NaN)).toThrow(/threshold/);
    expect(() => procrustes([[Infinity]])).toThrow(NonFiniteError);
    expect(() => simplexProx([1, 2], 0)).toThrow(/simplex/);
    expect(() => hardThresholding([1, 2], 1.5)).toThrow(/numberOfNonZero/);
    expect(() => proximalOperator([1, 2], { type: 'bogus' } as any)).toThrow(ArgumentError);
    expect(() => monotonicityProx(z3)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    z3.dispose();
  });
});
