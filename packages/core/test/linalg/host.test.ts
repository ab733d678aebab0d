/**
 * The float64 host kernels against mathjs (float64) and identities, at float64 tolerances.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as math from 'mathjs';
import {
  hostCholesky,
  hostEigh,
  hostLstsq,
  hostQr,
  hostSingularValues,
  hostSolve,
  hostSvd,
  hostSvdFlip,
  hostFromArray,
  ArgumentError,
  NonFiniteError,
  RankError,
  ShapeError,
  type HostMatrix,
} from '@tenfold/core';
import { frob, gaussian, matmul, orthError, reconError } from './helpers.js';

const toNested = (m: HostMatrix): number[][] => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
};
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((acc, x) => Math.max(acc, Math.abs(x)), 0);

describe('hostSvd / hostSingularValues', () => {
  it('reconstructs to float64 precision with orthonormal factors, s = sqrt(eig(A^T A)) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 1e6 }), (m, n, seed) => {
        const a = gaussian(m, n, seed);
        const r = hostSvd(a);
        const p = Math.min(m, n);
        expect([r.u.rows, r.u.cols, r.vt.rows, r.vt.cols, r.s.length]).toEqual([m, p, p, n, p]);
        expect(reconError(a, r.u, r.s, r.vt)).toBeLessThan(1e-12 * Math.max(1, frob(a)));
        expect(orthError(r.u)).toBeLessThan(1e-12);
        expect(orthError(r.vt, true)).toBeLessThan(1e-12);
        const gram = m >= n ? matmul(a, a, true, false) : matmul(a, a, false, true);
        const eig = (math.eigs(toNested(gram)).values as unknown as number[]).map((x) => Math.sqrt(Math.max(x, 0))).sort((x, y) => y - x);
        expect(maxAbsDiff(r.s, eig)).toBeLessThan(1e-7 * eig[0]);
        expect(maxAbsDiff(hostSingularValues(a), r.s)).toBeLessThan(1e-12 * r.s[0]);
      }),
      { numRuns: 40 },
    );
  });

  it('is accurate on graded matrices where the Gram route would fail (singular values 1 .. 1e-12)', () => {
    // A = diag(10^-k) times an orthogonal matrix: exact singular values known.
    const n = 13;
    const q = hostQr(gaussian(n, n, 5)).q;
    const s = Array.from({ length: n }, (_, i) => 10 ** -i);
    const a = { rows: n, cols: n, data: Float64Array.from(q.data, (x, idx) => x * s[Math.floor(idx / n)]) };
    const r = hostSingularValues(a);
    for (let i = 0; i < n; i++) expect(Math.abs(r[i] - s[i]) / s[i]).toBeLessThan(1e-10);
  });

  it('rank-deficient and zero matrices still get orthonormal U and V', () => {
    const a = matmul(gaussian(12, 2, 1), gaussian(2, 9, 2));
    const r = hostSvd(a);
    expect(orthError(r.u)).toBeLessThan(1e-12);
    expect(orthError(r.vt, true)).toBeLessThan(1e-12);
    expect(reconError(a, r.u, r.s, r.vt)).toBeLessThan(1e-12 * frob(a));
    const z = hostSvd({ rows: 4, cols: 3, data: new Float64Array(12) });
    expect(Array.from(z.s)).toEqual([0, 0, 0]);
    expect(orthError(z.u)).toBeLessThan(1e-15);
  });

  it('truncates to rank and applies TensorLy signs', () => {
    const a = gaussian(8, 6, 3);
    const full = hostSvd(a);
    const r = hostSvd(a, { rank: 3 });
    expect([r.u.cols, r.vt.rows, r.s.length]).toEqual([3, 3, 3]);
    expect(maxAbsDiff(r.s, full.s.slice(0, 3))).toBe(0);
    for (let j = 0; j < 3; j++) {
      let best = 0;
      for (let i = 1; i < 8; i++) if (Math.abs(r.u.data[i * 3 + j]) > Math.abs(r.u.data[best * 3 + j])) best = i;
      expect(r.u.data[best * 3 + j]).toBeGreaterThan(0);
    }
    expect(hostSvd(a, { rank: 100 }).s.length).toBe(6);
  });

  it('validates input', () => {
    expect(() => hostSvd({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => hostSvd({ rows: 1, cols: 2, data: Float64Array.from([1, NaN]) })).toThrow(NonFiniteError);
    expect(() => hostSvd([[1]] as never)).toThrow(/m must be a HostMatrix/);
    expect(() => hostSvd(gaussian(2, 2, 1), { rank: 0 })).toThrow(RankError);
  });
});

describe('hostSvdFlip', () => {
  it('flips U columns and V rows together; ties to the first index', () => {
    const u = hostFromArray([[1, -2], [-1, 1]]);
    const vt = hostFromArray([[1, 1], [2, 2]]);
    hostSvdFlip(u, vt);
    expect(Array.from(u.data)).toEqual([1, 2, -1, -1]);
    expect(Array.from(vt.data)).toEqual([1, 1, -2, -2]);
    expect(() => hostSvdFlip(u, hostFromArray([[1, 2]]))).toThrow(/u has 2 columns but vt has 1 rows/);
  });

  it('hostFromArray validates its rows', () => {
    expect(() => hostFromArray([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => hostFromArray([[1, 'x' as unknown as number]])).toThrow(/rows\[0\]\[1\] must be a number/);
    expect(() => hostFromArray(5 as unknown as number[][])).toThrow(ArgumentError);
  });
});

describe('hostEigh', () => {
  it('matches mathjs eigs to float64 precision (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const x = gaussian(n, n, seed);
        const a = matmul(x, x, false, true);
        const r = hostEigh(a);
        const ref = (math.eigs(toNested(a)).values as unknown as number[]).slice().sort((p, q) => p - q);
        expect(maxAbsDiff(r.values, ref)).toBeLessThan(1e-10 * Math.max(1, maxAbs(ref)));
        const av = matmul(a, r.vectors);
        let res = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) res = Math.max(res, Math.abs(av.data[i * n + j] - r.vectors.data[i * n + j] * r.values[j]));
        expect(res).toBeLessThan(1e-11 * Math.max(1, maxAbs(ref)));
        expect(orthError(r.vectors)).toBeLessThan(1e-12);
      }),
      { numRuns: 40 },
    );
  });

  it('handles diagonal, repeated and zero spectra', () => {
    const r = hostEigh(hostFromArray([[3, 0, 0], [0, 1, 0], [0, 0, 3]]));
    expect(Array.from(r.values)).toEqual([1, 3, 3]);
    expect(orthError(r.vectors)).toBeLessThan(1e-15);
    expect(Array.from(hostEigh({ rows: 2, cols: 2, data: new Float64Array(4) }).values)).toEqual([0, 0]);
  });

  it('validates input', () => {
    expect(() => hostEigh(gaussian(2, 3, 1))).toThrow(/a must be square/);
    expect(() => hostEigh({ rows: 1, cols: 1, data: Float64Array.from([Infinity]) })).toThrow(NonFiniteError);
  });
});

describe('hostQr', () => {
  it('Q orthonormal, R upper triangular with diag >= 0, QR = A (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 1e6 }), (m, n, seed) => {
        const a = gaussian(m, n, seed);
        const { q, r } = hostQr(a);
        const p = Math.min(m, n);
        expect([q.rows, q.cols, r.rows, r.cols]).toEqual([m, p, p, n]);
        expect(orthError(q)).toBeLessThan(1e-13);
        for (let i = 0; i < p; i++) {
          expect(r.data[i * n + i]).toBeGreaterThanOrEqual(0);
          for (let j = 0; j < Math.min(i, n); j++) expect(r.data[i * n + j]).toBe(0);
        }
        const qr = matmul(q, r);
        expect(maxAbsDiff(qr.data, a.data)).toBeLessThan(1e-13 * Math.max(1, maxAbs(a.data)));
      }),
      { numRuns: 40 },
    );
  });
});

describe('hostCholesky', () => {
  it('L L^T = A with L lower triangular (property); throws on non-positive-definite input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const x = gaussian(n + 3, n, seed);
        const a = matmul(x, x, true, false);
        const l = hostCholesky(a);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l.data[i * n + j]).toBe(0);
        expect(maxAbsDiff(matmul(l, l, false, true).data, a.data)).toBeLessThan(1e-12 * maxAbs(a.data));
      }),
      { numRuns: 30 },
    );
    expect(() => hostCholesky(hostFromArray([[1, 2], [2, 1]]))).toThrow(ArgumentError);
    expect(() => hostCholesky(hostFromArray([[1, 2], [2, 1]]))).toThrow(/positive definite/);
    expect(() => hostCholesky(gaussian(2, 3, 1))).toThrow(ShapeError);
  });
});

describe('hostSolve / hostLstsq', () => {
  it('hostSolve matches mathjs lusolve (property) and rejects singular systems', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const a = gaussian(n, n, seed);
        const b = gaussian(n, 1, seed + 1);
        const x = hostSolve(a, b.data);
        const ref = (math.lusolve(toNested(a), Array.from(b.data)) as number[][]).map((r) => r[0]);
        expect(maxAbsDiff(x, ref)).toBeLessThan(1e-9 * Math.max(1, maxAbs(ref)));
      }),
      { numRuns: 30 },
    );
    expect(() => hostSolve(hostFromArray([[1, 2], [2, 4]]), Float64Array.from([1, 2]))).toThrow(/singular/);
    expect(() => hostSolve(hostFromArray([[1, 2], [3, 4]]), Float64Array.from([1]))).toThrow(/b must have 2 entries/);
    expect(() => hostSolve(hostFromArray([[1, 2], [3, 4]]), gaussian(3, 1, 1))).toThrow(ShapeError);
  });

  it('hostLstsq gives the minimum-norm solution (mathjs pinv, float64) for over/under-determined and rank-deficient A (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), (m, n, deficient, seed) => {
        const r = Math.max(1, Math.min(m, n) - 1);
        const f = gaussian(m, r, seed);
        const g = gaussian(r, n, seed + 1);
        const a = deficient ? matmul(f, g) : gaussian(m, n, seed);
        const b = gaussian(m, 2, seed + 2);
        const x = hostLstsq(a, b);
        let ref: number[][];
        if (deficient) {
          const F = toNested(f);
          const G = toNested(g);
          const pinvF = math.multiply(math.inv(math.multiply(math.transpose(F), F)), math.transpose(F));
          const pinvG = math.multiply(math.transpose(G), math.inv(math.multiply(G, math.transpose(G))));
          ref = math.multiply(math.multiply(pinvG, pinvF), toNested(b)) as number[][];
        } else {
          ref = math.multiply(math.pinv(toNested(a)), toNested(b)) as number[][];
        }
        expect(maxAbsDiff(x.data, ref.flat())).toBeLessThan(1e-7 * Math.max(1, maxAbs(ref.flat())));
      }),
      { numRuns: 40 },
    );
    expect(() => hostLstsq(gaussian(3, 2, 1), gaussian(2, 1, 1))).toThrow(/b must have 3 rows/);
    expect(() => hostLstsq(gaussian(3, 2, 1), gaussian(3, 1, 1), { rcond: -1 })).toThrow(/rcond/);
  });
});

describe('hostEigh on tiny entries (Householder beta^2 overflow)', () => {
  // A Gram matrix of entries ~1e-80 (e.g. of a weight scaled to ~1e-40): beta = 2 / |u|^2 is
  // ~1e160 and beta^2 overflowed to Infinity, giving NaN vectors (seen in compressModel's ALS).
  it('gives the eigenpairs of the scaled-up matrix, scaled down, for scales 1e-40 .. 1e-75 (entries down to 1e-150)', () => {
    for (const scale of [1e-40, 1e-60, 1e-75]) {
      for (const [n, r] of [[3, 3], [8, 1], [13, 6]] as const) {
        const b = Array.from({ length: n * r }, (_, i) => Math.sin(1.7 * i + n));
        const g = new Float64Array(n * n);
        const gs = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < r; k++) s += b[i * r + k] * b[j * r + k];
          g[i * n + j] = s;
          gs[i * n + j] = s * scale * scale;
        }
        const ref = hostEigh({ rows: n, cols: n, data: g });
        const tiny = hostEigh({ rows: n, cols: n, data: gs });
        expect(Array.from(tiny.vectors.data).every(Number.isFinite)).toBe(true);
        const lmax = Math.max(...Array.from(ref.values).map(Math.abs));
        for (let i = 0; i < n; i++) expect(Math.abs(tiny.values[i] / (scale * scale) - ref.values[i])).toBeLessThan(1e-12 * lmax);
        // A V = V diag(lambda) for the tiny matrix, relative to its own scale.
        for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += gs[i * n + k] * tiny.vectors.data[k * n + c];
          expect(Math.abs(av - tiny.values[c] * tiny.vectors.data[i * n + c]) / (scale * scale)).toBeLessThan(1e-11 * lmax);
        }
      }
    }
  });
});
