/**
 * Property tests (fast-check): EVBMF recovers the rank of low-rank-plus-noise matrices with a
 * clear gap, and its answer does not depend on transposing or scaling y (with a tight search
 * tolerance; scipy's default absolute xatol is scale-dependent by design, see the fixtures).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evbmf } from '@tenfold/rank';
import { expectClose } from '../../../test-utils/index.js';
import { lowRankPlusNoise, scaleHost, transposeHost } from './helpers.js';

/** A low-rank signal whose singular values sit well above the noise edge sigma (sqrt(L) + sqrt(M)). */
const clearGapCase = fc
  .record({
    L: fc.integer({ min: 8, max: 28 }),
    extra: fc.integer({ min: 0, max: 40 }),
    rankFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    strengths: fc.array(fc.double({ min: 3, max: 8, noNaN: true }), { minLength: 8, maxLength: 8 }),
    noise: fc.constantFrom(1, 0.1, 3),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
    tall: fc.boolean(),
  })
  .map(({ L, extra, rankFrac, strengths, noise, seed, tall }) => {
    const M = L + extra;
    const r = 1 + Math.floor(rankFrac * Math.max(1, Math.floor(L / 4)));
    const edge = noise * (Math.sqrt(L) + Math.sqrt(M));
    const signal = strengths.slice(0, r).map((k) => k * edge).sort((a, b) => b - a);
    const y = lowRankPlusNoise(L, M, signal, noise, seed);
    return { y: tall ? transposeHost(y) : y, r, L, M };
  });

describe('evbmf properties', () => {
  it('finds the true rank of low-rank + noise with a clear gap', () => {
    fc.assert(
      fc.property(clearGapCase, ({ y, r }) => {
        const res = evbmf(y);
        try {
          expect(res.rank).toBe(r);
          expect(res.transposed).toBe(y.shape[0] > y.shape[1]);
          expect(res.u.shape).toEqual([y.shape[0], r]);
          expect(res.v.shape).toEqual([y.shape[1], r]);
        } finally {
          res.dispose();
        }
      }),
      { numRuns: 40, seed: 20261123 },
    );
  });

  it('is invariant to transposing y', () => {
    fc.assert(
      fc.property(clearGapCase, fc.double({ min: 0.3, max: 1.5, noNaN: true }), ({ y }, damp) => {
        // Damp the signal so some cases sit near the threshold: invariance must hold there too.
        const a = evbmf(scaleHost(y, damp), { xatol: 1e-12 });
        const b = evbmf(transposeHost(scaleHost(y, damp)), { xatol: 1e-12 });
        try {
          expect(b.rank).toBe(a.rank);
          expectClose([b.sigma2], [a.sigma2], { rtol: 1e-7, atol: 0 }, 'sigma2');
          expectClose(b.d, a.d, { rtol: 1e-7, atol: 0 }, 'd');
          expectClose(b.singularValues, a.singularValues, { rtol: 1e-10, atol: 1e-12 * a.singularValues[0] }, 's');
        } finally {
          a.dispose();
          b.dispose();
        }
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it('is invariant to scaling y (sigma2 scales by c^2, d by c) with a tight xatol', () => {
    fc.assert(
      fc.property(clearGapCase, fc.double({ min: -3, max: 3, noNaN: true }), ({ y }, logc) => {
        const c = 10 ** logc;
        const a = evbmf(y, { xatol: 1e-12 });
        const b = evbmf(scaleHost(y, c), { xatol: 1e-12 * c * c });
        try {
          expect(b.rank).toBe(a.rank);
          expectClose([b.sigma2 / (c * c)], [a.sigma2], { rtol: 1e-6, atol: 0 }, 'sigma2 / c^2');
          expectClose(Array.from(b.d, (x) => x / c), a.d, { rtol: 1e-6, atol: 0 }, 'd / c');
        } finally {
          a.dispose();
          b.dispose();
        }
      }),
      { numRuns: 30, seed: 11 },
    );
  });

  it('with a fixed tight xatol (1e-12), the rank does not depend on the scale either', () => {
    fc.assert(
      fc.property(clearGapCase, fc.double({ min: -3, max: 2, noNaN: true }), ({ y }, logc) => {
        const c = 10 ** logc;
        const a = evbmf(y, { xatol: 1e-12 });
        const b = evbmf(scaleHost(y, c), { xatol: 1e-12 });
        try {
          expect(b.rank).toBe(a.rank);
          expectClose([b.sigma2 / (c * c)], [a.sigma2], { rtol: 1e-4, atol: 0 }, 'sigma2 / c^2');
        } finally {
          a.dispose();
          b.dispose();
        }
      }),
      { numRuns: 25, seed: 13 },
    );
  });
});
