/**
 * Input validation (typed errors, before any work), leak checks of every public function,
 * the Brent port's contract, estimateRank / tuckerRanks options, and spectrumSvg.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, NonFiniteError, RankError, ShapeError } from '@tenfold/core';
import { boundedMinimize, estimateRank, evbBracket, evbConstants, evbObjective, evbmf, evbmfSpectrum, spectrumSvg, tuckerRanks, vbmf, vbmfSpectrum } from '@tenfold/rank';
import { expectClose, expectNoLeak, fixtureCase, fx, loadFixtures } from '../../../test-utils/index.js';
import { lowRankPlusNoise } from './helpers.js';

const file = loadFixtures('rank');
const Y = fixtureCase(file, 'evbmf_20x50_rank5_noise0.5_scale1');

function expectNoTensorLeakOnThrow(fn: () => unknown, errorClass: new (...a: any[]) => Error, pattern: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(errorClass);
  expect(fn).toThrow(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

describe('typed errors', () => {
  it('evbmf rejects non-2-D input, non-finite values and bad options', () => {
    const t3 = tf.zeros([2, 3, 4]);
    expectNoTensorLeakOnThrow(() => evbmf(t3), ShapeError, /y must be a 2-D matrix; got shape \[2, 3, 4\]/);
    expectNoTensorLeakOnThrow(() => evbmf([1, 2, 3]), ShapeError, /2-D/);
    expectNoTensorLeakOnThrow(() => evbmf({ data: new Float64Array(0), shape: [0, 3] }), ShapeError, /at least one row/);
    const bad = tf.tensor2d([[1, NaN], [2, 3]]);
    expectNoTensorLeakOnThrow(() => evbmf(bad), NonFiniteError, /y must be finite/);
    expectNoTensorLeakOnThrow(() => evbmf([[1, Infinity], [2, 3]]), NonFiniteError, /Infinity/);
    expectNoTensorLeakOnThrow(() => evbmf([[1, 2], [3]]), ShapeError, /rectangular/);
    const y = fx(Y.inputs.Y);
    expectNoTensorLeakOnThrow(() => evbmf(y, { H: 21 }), RankError, /H must be at most min\(rows, cols\) = 20.*got 21/);
    expectNoTensorLeakOnThrow(() => evbmf(y, { minRank: 21 }), RankError, /minRank must be at most H = 20/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { H: 0 }), RankError, /H must be a positive integer; got 0/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { sigma2: -1 }), ArgumentError, /sigma2 must be a positive finite number; got -1/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { xatol: 0 }), ArgumentError, /xatol/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { minRank: 1.5 }), RankError, /minRank must be a non-negative integer; got 1.5/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { minRank: 30 }), RankError, /minRank must be at most H = 20/);
    expectNoTensorLeakOnThrow(() => evbmf(Y.inputs.Y, { svd: 'lapack' as any }), ArgumentError, /svd must be 'auto', 'host' or 'gram'; got "lapack"/);
    expectNoTensorLeakOnThrow(() => evbmf('abc' as any), ArgumentError, /y must be a TensorLike/);
    tf.dispose([t3, bad, y]);
  });

  it('vbmf rejects a bad cacb', () => {
    expectNoTensorLeakOnThrow(() => vbmf(Y.inputs.Y, 0), ArgumentError, /cacb must be a positive finite number; got 0/);
    expectNoTensorLeakOnThrow(() => vbmf(Y.inputs.Y, undefined as any), ArgumentError, /cacb/);
  });

  it('estimateRank / tuckerRanks reject bad weights and options', () => {
    const v = tf.zeros([5]);
    expectNoTensorLeakOnThrow(() => estimateRank(v), ShapeError, /weight must have at least 2 dimensions/);
    const w = tf.zeros([4, 3, 3, 3]);
    expectNoTensorLeakOnThrow(() => estimateRank(w, { modes: [0, 4] }), ModeError, /modes must be an integer in \[-4, 3\]/);
    expectNoTensorLeakOnThrow(() => estimateRank(w, { modes: [1, 1] }), ArgumentError, /must not repeat/);
    expectNoTensorLeakOnThrow(() => estimateRank(w, { modes: [] }), ArgumentError, /non-empty/);
    expectNoTensorLeakOnThrow(() => estimateRank(w, { roundTo: 0 }), RankError, /roundTo must be a positive integer; got 0/);
    expectNoTensorLeakOnThrow(() => estimateRank(w, { minRank: 10 }), RankError, /minRank must be at most 4/);
    const wn = tf.tensor4d([NaN, 1, 2, 3], [1, 1, 2, 2]);
    expectNoTensorLeakOnThrow(() => estimateRank(wn), NonFiniteError, /weight must be finite/);
    expectNoTensorLeakOnThrow(() => tuckerRanks(wn), NonFiniteError, /tensor must be finite/);
    expectNoTensorLeakOnThrow(() => tuckerRanks([1, 2, 3]), ShapeError, /at least 2 dimensions/);
    tf.dispose([v, w, wn]);
  });

  it('spectrumSvg and boundedMinimize reject bad input', () => {
    expect(() => spectrumSvg({} as any)).toThrow(ArgumentError);
    expect(() => spectrumSvg({ singularValues: [1, NaN], threshold: 1 })).toThrow(/finite non-negative/);
    expect(() => spectrumSvg({ singularValues: [1], threshold: -1 })).toThrow(/threshold/);
    expect(() => boundedMinimize((x) => x, 2, 1)).toThrow(/lower bound 2 exceeds the upper bound 1/);
    expect(() => boundedMinimize((x) => x, 0, Infinity)).toThrow(ArgumentError);
    expect(() => boundedMinimize((x) => x, 0, 1, { xatol: -1 })).toThrow(/xatol/);
  });
});

describe('no leaks', () => {
  it('evbmf (host and gram routes, tensor and host input), vbmf, estimateRank, tuckerRanks', () => {
    const y = fx(Y.inputs.Y);
    for (const svd of ['host', 'gram'] as const) {
      const r = expectNoLeak(() => evbmf(y, { svd }));
      expect(r.u.isDisposed && r.v.isDisposed).toBe(true);
      expectNoLeak(() => evbmf(Y.inputs.Y, { svd, minRank: 7 }));
      expectNoLeak(() => vbmf(y, 0.3, { svd }));
    }
    const w = fx(fixtureCase(file, 'est_rank_conv_32x16x3x3').inputs.weight);
    expectNoLeak(() => estimateRank(w, { roundTo: 8 }));
    expectNoLeak(() => estimateRank(w, { svd: 'gram' }));
    expectNoLeak(() => tuckerRanks(w));
    const r = evbmf(y);
    expectNoLeak(() => spectrumSvg(r));
    r.dispose();
    // The input tensors are untouched.
    expect(y.isDisposed || w.isDisposed).toBe(false);
    tf.dispose([y, w]);
  });

  it('returns new tensors: disposing the result does not touch the input', () => {
    const y = fx(Y.inputs.Y);
    const r = evbmf(y);
    r.dispose();
    expect(y.isDisposed).toBe(false);
    expect(y.shape).toEqual([20, 50]);
    y.dispose();
  });
});

describe('evbmf edge cases', () => {
  it('a zero matrix gives rank 0 with a reason, and minRank floors it', () => {
    const z = { data: new Float64Array(6 * 9), shape: [6, 9] };
    const r = evbmf(z);
    expect(r.rank).toBe(0);
    expect(r.reason).toMatch(/zero matrix/);
    expect(r.u.shape).toEqual([6, 0]);
    r.dispose();
    const f = evbmf(z, { minRank: 2 });
    expect([f.rank, f.evbRank]).toEqual([2, 0]);
    expect(Array.from(f.d)).toEqual([0, 0]);
    expect(f.u.shape).toEqual([6, 2]);
    expect(f.reason).toMatch(/floored to minRank = 2/);
    f.dispose();
  });

  it('pure noise: rank 0 with a reason; minRank floors to the leading components', () => {
    const c = fixtureCase(file, 'evbmf_pure_noise_30x90');
    const r = evbmf(c.inputs.Y);
    expect(r.rank).toBe(c.expected.scipy_default.rank);
    expect(r.reason).toMatch(/indistinguishable from noise/);
    r.dispose();
    const f = evbmf(c.inputs.Y, { minRank: 3 });
    expect([f.rank, f.evbRank, f.d.length]).toEqual([3, 0, 3]);
    expect(f.u.shape).toEqual([30, 3]);
    f.dispose();
  });

  it('a 1 x n and an n x 1 matrix do not crash', () => {
    for (const y of [[[1, 2, 3, 4]], [[1], [2], [3], [4]]]) {
      const r = evbmf(y);
      expect(r.rank).toBe(0);
      expect(r.singularValues.length).toBe(1);
      r.dispose();
    }
  });

  it('the Gram route agrees with the host route on a larger matrix', () => {
    const y = lowRankPlusNoise(96, 300, [400, 300, 250, 200, 150, 120, 100, 90], 1, 5);
    const a = evbmf(y, { svd: 'host', xatol: 1e-12 });
    const b = evbmf(y, { svd: 'gram', xatol: 1e-12 });
    expect(b.rank).toBe(a.rank);
    expect(a.rank).toBe(8);
    expectClose([b.sigma2], [a.sigma2], { rtol: 1e-3, atol: 0 }, 'sigma2');
    expectClose(b.d, a.d, { rtol: 1e-4, atol: 0 }, 'd');
    // Same singular vectors (TensorLy signs on both routes).
    const diffU = tf.tidy(() => tf.max(tf.abs(tf.sub(a.u, b.u))).dataSync()[0]);
    const diffV = tf.tidy(() => tf.max(tf.abs(tf.sub(a.v, b.v))).dataSync()[0]);
    expect(diffU).toBeLessThan(1e-3);
    expect(diffV).toBeLessThan(1e-3);
    a.dispose();
    b.dispose();
  });
});

describe('boundedMinimize (scipy fminbound port)', () => {
  it('returns after one evaluation at the golden-section point when the bracket is narrower than xatol', () => {
    const r = boundedMinimize((x) => (x - 1e-7) ** 2, 0, 4e-6);
    expect(r.nfev).toBe(1);
    expect(r.x).toBe(0 + 0.5 * (3 - Math.sqrt(5)) * 4e-6);
  });

  it('converges to the minimum of a smooth function to within xatol', () => {
    const r = boundedMinimize((x) => Math.cos(x), 2, 5, { xatol: 1e-10 });
    expect(Math.abs(r.x - Math.PI)).toBeLessThan(1e-8);
    expect(r.status).toBe(0);
    const edge = boundedMinimize((x) => x, 1, 2);
    expect(edge.x - 1).toBeLessThan(1e-4);
  });

  it('stops at maxiter with status 1', () => {
    const r = boundedMinimize((x) => Math.cos(x), 2, 5, { xatol: 1e-15, maxiter: 3 });
    expect([r.nfev, r.status]).toEqual([3, 1]);
  });
});

describe('estimateRank / tuckerRanks', () => {
  const c = fixtureCase(file, 'est_rank_conv_64x32x3x3');
  const e = c.expected.scipy_default;

  it('defaults: modes [0, 1], no rounding (jacobgil), per-mode ranks', () => {
    const r = estimateRank(c.inputs.weight);
    expect(r.ranks).toEqual([e.r0, e.r1]);
    expect(r.rank).toBe(Math.max(e.r0, e.r1));
    expect(r.perMode.map((p) => p.shape)).toEqual([[64, 288], [32, 576]]);
    expect(r.maxRank).toBe(64);
  });

  it('rounding clamps to what the weight can hold, unless clamp is false', () => {
    // Only mode 1 (rank r1 <= 32 = in channels): rounding to 40 would exceed 32.
    const r = estimateRank(c.inputs.weight, { modes: [1], roundTo: 40 });
    expect(r.ranks).toEqual([e.r1]);
    expect(r.roundedRank).toBe(40);
    expect(r.rank).toBe(32);
    expect(r.reason).toMatch(/clamped to 32/);
    const u = estimateRank(c.inputs.weight, { modes: [1], roundTo: 40, clamp: false });
    expect(u.rank).toBe(40);
  });

  it('negative modes count from the end; a linear weight works', () => {
    const r = estimateRank(c.inputs.weight, { modes: [-3, -4] });
    expect(r.ranks).toEqual([e.r1, e.r0]);
    const lin = lowRankPlusNoise(40, 24, [60, 50, 40], 0.5, 3);
    const l = estimateRank(lin);
    expect(l.ranks).toEqual([3, 3]);
    expect(l.perMode[0].transposed).toBe(true); // (out=40, in=24): mode 0 unfolding is tall
  });

  it('a noise weight gives 0 with a reason, floored by minRank', () => {
    const noise = fixtureCase(file, 'evbmf_pure_noise_30x90').inputs.Y;
    const r = estimateRank(noise, { roundTo: 8 });
    expect(r.rank).toBe(0);
    expect(r.reason).toMatch(/indistinguishable from noise/);
    expect(estimateRank(noise, { minRank: 4 }).rank).toBe(4);
  });

  it('tuckerRanks gives the per-mode EVBMF ranks (floored at 1)', () => {
    const t = fx(c.inputs.weight);
    expect(tuckerRanks(t, { modes: [0, 1] })).toEqual([e.r0, e.r1]);
    const all = tuckerRanks(c.inputs.weight);
    expect(all.length).toBe(4);
    expect(all.slice(0, 2)).toEqual([e.r0, e.r1]);
    expect(all.every((r, i) => r >= 1 && r <= c.inputs.weight.shape[i])).toBe(true);
    const noise = fixtureCase(file, 'evbmf_pure_noise_30x90').inputs.Y;
    expect(tuckerRanks(noise)).toEqual([1, 1]);
    expect(tuckerRanks(noise, { minRank: 0 })).toEqual([0, 0]);
    t.dispose();
  });
});

describe('spectrumSvg', () => {
  it('draws every singular value and the threshold', () => {
    const r = evbmf(Y.inputs.Y);
    const svg = spectrumSvg(r, { title: 'Y <20x50>' });
    r.dispose();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect((svg.match(/<circle /g) ?? []).length).toBe(20);
    expect((svg.match(/class="kept"/g) ?? []).length).toBe(Y.expected.scipy_default.rank);
    expect(svg).toMatch(/class="threshold"/);
    expect(svg).toContain('Y &lt;20x50&gt;');
    // Higher singular values are drawn higher (smaller y).
    const ys = [...svg.matchAll(/<circle [^>]*cy="([0-9.]+)"/g)].map((m) => Number(m[1]));
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThanOrEqual(ys[i - 1]);
  });

  it('works on an estimateRank per-mode entry and on zero singular values', () => {
    const c = fixtureCase(file, 'est_rank_conv_32x16x3x3');
    const er = estimateRank(c.inputs.weight);
    const svg = spectrumSvg(er.perMode[1]);
    expect((svg.match(/class="kept"/g) ?? []).length).toBe(c.expected.scipy_default.r1);
    const z = spectrumSvg({ singularValues: [0, 0], threshold: 0 });
    expect((z.match(/<circle /g) ?? []).length).toBe(2);
  });
});

describe('the Gram route eigen-solver', () => {
  it('matches hostEigh (values and leading vectors) on symmetric matrices of odd and even order', async () => {
    const { symmetricEigen } = await import('@tenfold/core');
    const { hostEigh } = await import('@tenfold/core');
    for (const n of [1, 2, 3, 4, 7, 40, 65]) {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const v = Math.sin(i * 7.3 + j * 1.1) + (i === j ? i % 5 : 0);
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
      const ref = hostEigh({ rows: n, cols: n, data: a.slice() });
      const mine = symmetricEigen(a.slice(), n);
      const refDesc = Array.from(ref.values).reverse();
      expectClose(mine.values, refDesc, { rtol: 0, atol: 1e-12 * Math.abs(refDesc[0]) + 1e-14 }, `values n=${n}`);
      const k = Math.min(3, n);
      const vec = mine.topVectors(k);
      for (let c = 0; c < k; c++) {
        // A x = lambda x, |x| = 1.
        let res = 0;
        let nrm = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j] * vec[j * k + c];
          res = Math.max(res, Math.abs(s - mine.values[c] * vec[i * k + c]));
          nrm += vec[i * k + c] ** 2;
        }
        expect(res, `residual n=${n} c=${c}`).toBeLessThan(1e-10 * Math.max(1, Math.abs(mine.values[0])));
        expect(Math.abs(nrm - 1)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('input forms', () => {
  it('an ndarray (including a strided, transposed view) gives the float64 host result', async () => {
    const ndarray = (await import('ndarray')).default;
    const y = Y.inputs.Y;
    const ref = evbmf(y);
    const nd = ndarray(Float64Array.from(y.data), y.shape);
    const a = evbmf(nd);
    expect(a.rank).toBe(ref.rank);
    expect(a.sigma2).toBe(ref.sigma2);
    // The transposed view (50 x 20, strides swapped): EVBMF transposes back, same answer.
    const b = evbmf(nd.transpose(1, 0));
    expect(b.transposed).toBe(true);
    expect(b.rank).toBe(ref.rank);
    expectClose([b.sigma2], [ref.sigma2], { rtol: 1e-9, atol: 0 }, 'sigma2');
    tf.dispose([ref, a, b].flatMap((r) => [r.u, r.v]));
  });

  it('vbmf transposes y with more rows than columns, like evbmf', () => {
    const c = fixtureCase(file, 'vbmf_20x50_cacb0.3');
    const [r, k] = c.inputs.Y.shape;
    const t = { data: new Float64Array(r * k), shape: [k, r] };
    for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) t.data[j * r + i] = c.inputs.Y.data[i * k + j];
    const a = vbmf(t, c.inputs.cacb);
    expect(a.transposed).toBe(true);
    expect(a.rank).toBe(c.expected.scipy_default.rank);
    expectClose([a.sigma2], [c.expected.scipy_default.sigma2], c.tolerance!, 'sigma2');
    expect(a.u.shape).toEqual([50, a.rank]);
    a.dispose();
  });
});

describe('public spectral helpers (checked entry points)', () => {
  it('give evbmf / vbmf their numbers bit for bit on the spectrum evbmf computed', () => {
    const r = evbmf(Y.inputs.Y, { svd: 'host' });
    try {
      const inp = { L: r.L, M: r.M, s: Float64Array.from(r.singularValues).subarray(0, r.H), residual: 0 };
      expect(r.unresolved).toBe(0);
      const e = evbmfSpectrum(inp);
      expect(e.sigma2).toBe(r.sigma2);
      expect(e.rank).toBe(r.evbRank);
      expect(e.threshold).toBe(r.threshold);
      expect(Array.from(e.d)).toEqual(Array.from(r.d));
      expect(e.bracket).toEqual(r.bracket);
      const br = evbBracket(inp);
      expect([br.lower, br.upper]).toEqual(r.bracket);
      const { xBar } = evbConstants(r.L, r.M);
      expect(evbObjective(r.sigma2, r.L, r.M, inp.s, 0, xBar)).toBe(e.objective);
    } finally {
      r.dispose();
    }
    const v = vbmf(Y.inputs.Y, 1, { svd: 'host' });
    try {
      const inp = { L: v.L, M: v.M, s: Float64Array.from(v.singularValues).subarray(0, v.H), residual: 0 };
      const w = vbmfSpectrum(inp, 1);
      expect(w.sigma2).toBe(v.sigma2);
      expect(w.rank).toBe(v.rank);
      expect(Array.from(w.d)).toEqual(Array.from(v.d));
    } finally {
      v.dispose();
    }
  });
});
