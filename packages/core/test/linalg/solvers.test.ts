/**
 * eigh, qr, lstsq and solve on the backend API, against mathjs (float64) and identities.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as math from 'mathjs';
import { tf, eigh, qr, lstsq, solve, ArgumentError, NonFiniteError, ShapeError, TenfoldError, type HostMatrix } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';
import { f32, fromTf, frob, gaussian, matmul, onBackend, orthError, toTf, withSpectrum } from './helpers.js';

const toNested = (m: HostMatrix): number[][] => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
const fromNested = (a: number[][]): HostMatrix => ({ rows: a.length, cols: a[0].length, data: Float64Array.from(a.flat()) });

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
}
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((acc, x) => Math.max(acc, Math.abs(x)), 0);

/** The minimum-norm least-squares solution in float64, mathjs pinv(A) B (A of full rank). */
function pinvSolve(a: HostMatrix, b: HostMatrix): HostMatrix {
  return fromNested(math.multiply(math.pinv(toNested(a)), toNested(b)) as number[][]);
}

/**
 * The same for A = F G with F (m x r) of full column rank and G (r x n) of full row rank,
 * in float64: pinv(A) = G^T (G G^T)^-1 (F^T F)^-1 F^T (mathjs' pinv is unstable on
 * exactly rank-deficient matrices).
 */
function pinvSolveFactored(f: HostMatrix, g: HostMatrix, b: HostMatrix): HostMatrix {
  const F = toNested(f);
  const G = toNested(g);
  const Ft = math.transpose(F);
  const Gt = math.transpose(G);
  const pinvF = math.multiply(math.inv(math.multiply(Ft, F)), Ft);
  const pinvG = math.multiply(Gt, math.inv(math.multiply(G, Gt)));
  return fromNested(math.multiply(math.multiply(pinvG, pinvF), toNested(b)) as number[][]);
}

describe('eigh', () => {
  it('matches mathjs eigs (float64) on random symmetric matrices (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const x = gaussian(n, n, seed);
        const sym = f32(fromNested(toNested(x).map((row, i) => row.map((v, j) => (v + x.data[j * n + i]) / 2))));
        const t = toTf(sym);
        const r = eigh(t);
        const values = Float64Array.from(r.values.dataSync());
        const vectors = fromTf(r.vectors);
        tf.dispose([t, r.values, r.vectors]);
        const ref = math.eigs(toNested(sym)).values as unknown as number[];
        const sorted = [...ref].sort((p, q) => p - q);
        const scale = Math.max(1, maxAbs(sorted));
        expect(maxAbsDiff(values, sorted)).toBeLessThan(1e-5 * scale);
        for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
        // A V = V diag(values), V orthonormal.
        const av = matmul(sym, vectors);
        let res = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) res = Math.max(res, Math.abs(av.data[i * n + j] - vectors.data[i * n + j] * values[j]));
        expect(res).toBeLessThan(1e-5 * scale);
        expect(orthError(vectors)).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('signs each eigenvector so that its largest-|.| entry is positive', () => {
    const r = eigh([[2, 1], [1, 2]]);
    const v = Array.from(r.vectors.dataSync());
    expect(Array.from(r.values.dataSync())).toEqual([1, 3]);
    // Eigenvectors (1, -1)/sqrt2 and (1, 1)/sqrt2; the tie goes to the first entry.
    expect(v[0]).toBeGreaterThan(0);
    expect(v[1]).toBeGreaterThan(0);
    tf.dispose([r.values, r.vectors]);
  });

  it('rejects non-square, asymmetric, non-finite input, and leaks nothing', () => {
    expect(() => eigh([[1, 2, 3], [4, 5, 6]])).toThrow(ShapeError);
    expect(() => eigh([[1, 2, 3], [4, 5, 6]])).toThrow(/symmetric must be square/);
    expect(() => eigh([[1, 2], [3, 4]])).toThrow(ArgumentError);
    expect(() => eigh([[1, 2], [3, 4]])).toThrow(/symmetric must be a symmetric matrix/);
    expect(() => eigh([[1, NaN], [NaN, 1]])).toThrow(NonFiniteError);
    expect(() => eigh([1, 2])).toThrow(/2-D/);
    const x = gaussian(12, 12, 2);
    const s = toTf(f32(matmul(x, x, false, true)));
    expectNoLeak(() => eigh(s));
    const before = tf.memory().numTensors;
    expect(() => eigh([[1, 2], [3, 4]])).toThrow(TenfoldError);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});

describe('qr', () => {
  function checkQr(a: HostMatrix, useBackend: boolean) {
    const t = toTf(a);
    const r = useBackend ? onBackend(() => qr(t)) : qr(t);
    const q = fromTf(r.q);
    const rr = fromTf(r.r);
    tf.dispose([t, r.q, r.r]);
    const p = Math.min(a.rows, a.cols);
    expect([q.rows, q.cols]).toEqual([a.rows, p]);
    expect([rr.rows, rr.cols]).toEqual([p, a.cols]);
    expect(orthError(q)).toBeLessThan(1e-5);
    for (let i = 0; i < p; i++) {
      expect(rr.data[i * a.cols + i]).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < Math.min(i, a.cols); j++) expect(rr.data[i * a.cols + j]).toBe(0);
    }
    const qrp = matmul(q, rr);
    expect(frob(Float64Array.from(qrp.data, (x, i) => x - a.data[i])) / Math.max(frob(a), 1e-30)).toBeLessThan(1e-5);
  }

  it('q orthonormal, r upper triangular with diag >= 0, q r = a (property; host and Cholesky-QR2 paths)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (m, n, seed, useBackend) => {
        checkQr(f32(gaussian(m, n, seed)), useBackend);
      }),
      { numRuns: 40 },
    );
  });

  it('large tall matrices use Cholesky-QR2 (ill-conditioned and rank-deficient ones fall back to Householder); large wide ones a leading-block QR', () => {
    checkQr(f32(gaussian(3000, 40, 1)), false);
    const sigma = Array.from({ length: 30 }, (_, i) => 10 ** (-6 * i / 29));
    checkQr(f32(withSpectrum(3000, 30, sigma, 3)), false);
    checkQr(f32(withSpectrum(3000, 30, [1, 1, 1], 4)), false);
    checkQr(f32(withSpectrum(3000, 30, Array.from({ length: 28 }, (_, i) => 1 + i / 28), 5)), false);
    // Large wide: host QR of the leading block, the rest of R on the backend.
    checkQr(f32(gaussian(50, 3000, 5)), false);
    checkQr(f32(withSpectrum(40, 2000, [1, 1e-3], 6)), false);
  });

  it('agrees with the float64 Householder QR of the same data', () => {
    const a = f32(gaussian(25, 10, 9));
    const ref = math.qr(toNested(a));
    const t = toTf(a);
    const r = qr(t);
    const rr = fromTf(r.r);
    tf.dispose([t, r.q, r.r]);
    // mathjs R may have negative diagonal entries: compare |R| row by row up to sign.
    const refR = ref.R as number[][];
    for (let i = 0; i < 10; i++) {
      const sign = Math.sign(refR[i][i]);
      for (let j = 0; j < 10; j++) expect(Math.abs(rr.data[i * 10 + j] - sign * refR[i][j])).toBeLessThan(1e-5 * Math.abs(refR[0][0]));
    }
  });

  it('validates input and leaks nothing', () => {
    expect(() => qr([1, 2, 3])).toThrow(ShapeError);
    expect(() => qr([[1, Infinity]])).toThrow(NonFiniteError);
    expect(() => qr([[1, Infinity]])).toThrow(/matrix/);
    const a = toTf(gaussian(300, 20, 1));
    expectNoLeak(() => qr(a));
    expectNoLeak(() => onBackend(() => qr(a)));
    expectNoLeak(() => qr([[1, 2], [3, 4], [5, 6]]));
    a.dispose();
  });
});

describe('lstsq', () => {
  /** A random system: full rank, rank-deficient (A = B C), over- or under-determined. */
  const systemArb = fc.record({
    m: fc.integer({ min: 1, max: 30 }),
    n: fc.integer({ min: 1, max: 30 }),
    deficient: fc.boolean(),
    k: fc.integer({ min: 1, max: 3 }),
    vector: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e6 }),
    useBackend: fc.boolean(),
  });

  it('gives the minimum-norm least-squares solution of mathjs pinv (float64) (property)', () => {
    fc.assert(
      fc.property(systemArb, ({ m, n, deficient, k, vector, seed, useBackend }) => {
        const r = Math.max(1, Math.min(m, n) - 2);
        const isDeficient = deficient && Math.min(m, n) > 2;
        const f = gaussian(m, r, seed);
        const g = gaussian(r, n, seed + 1);
        // Factors rounded to float32 first, so that the float32 A is (nearly) their product.
        const a = isDeficient ? matmul(f32(f), f32(g)) : gaussian(m, n, seed);
        const cols = vector ? 1 : k;
        const b = gaussian(m, cols, seed + 2);
        const a32 = f32(a);
        const b32 = f32(b);
        const ref = isDeficient ? pinvSolveFactored(f32(f), f32(g), b32) : pinvSolve(a32, b32);
        const at = toTf(a32);
        const bt = vector ? tf.tensor1d(Float32Array.from(b32.data)) : toTf(b32);
        const x = useBackend ? onBackend(() => lstsq(at, bt)) : lstsq(at, bt);
        expect(x.shape).toEqual(vector ? [n] : [n, cols]);
        const got = x.dataSync();
        tf.dispose([at, bt, x]);
        const scale = maxAbs(ref.data);
        expect(maxAbsDiff(got, ref.data)).toBeLessThan(2e-3 * scale + 1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('solves larger over- and under-determined systems on the backend path', () => {
    for (const [m, n] of [[200, 60], [60, 200]]) {
      const a = f32(gaussian(m, n, m));
      const b = f32(gaussian(m, 2, n));
      const ref = pinvSolve(a, b);
      const at = toTf(a);
      const bt = toTf(b);
      const x = onBackend(() => lstsq(at, bt));
      const got = x.dataSync();
      tf.dispose([at, bt, x]);
      expect(maxAbsDiff(got, ref.data)).toBeLessThan(1e-4 * maxAbs(ref.data));
    }
  });

  it('rcond truncates small singular values', () => {
    const a = [[1, 0], [0, 1e-3]];
    const x1 = lstsq(a, [1, 1]);
    const x2 = lstsq(a, [1, 1], { rcond: 1e-2 });
    expect(Array.from(x1.dataSync())[1]).toBeCloseTo(1000, 1);
    expect(Array.from(x2.dataSync())).toEqual([1, 0]);
    tf.dispose([x1, x2]);
  });

  it('validates input and leaks nothing', () => {
    expect(() => lstsq([[1, 2], [3, 4]], [1, 2, 3])).toThrow(ShapeError);
    expect(() => lstsq([[1, 2], [3, 4]], [1, 2, 3])).toThrow(/b must have 2 rows/);
    expect(() => lstsq([1, 2], [1, 2])).toThrow(/a must be 2-D/);
    expect(() => lstsq([[1, 2]], [[[1]]])).toThrow(/b must be 1 or 2-D/);
    expect(() => lstsq([[1, 2]], [NaN])).toThrow(NonFiniteError);
    expect(() => lstsq([[1, 2]], [1], { rcond: -1 })).toThrow(/rcond/);
    expect(() => lstsq([[1, 2]], [1], { rcnd: 1 } as never)).toThrow(ArgumentError);
    const a = toTf(gaussian(200, 30, 1));
    const b = toTf(gaussian(200, 2, 2));
    expectNoLeak(() => lstsq(a, b));
    expectNoLeak(() => onBackend(() => lstsq(a, b)));
    const wide = tf.transpose(a);
    const bw = tf.ones([30]);
    expectNoLeak(() => onBackend(() => lstsq(wide, bw)));
    const before = tf.memory().numTensors;
    expect(() => lstsq(a, [1, 2])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, wide, bw]);
  });
});

describe('solve', () => {
  it('matches mathjs lusolve (float64) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), (n, k, vector, seed) => {
        const a = f32(gaussian(n, n, seed));
        const b = f32(gaussian(n, vector ? 1 : k, seed + 1));
        // lusolve takes one right-hand side at a time.
        const refCols = Array.from({ length: b.cols }, (_, c) => (math.lusolve(toNested(a), Array.from({ length: n }, (_, i) => b.data[i * b.cols + c])) as number[][]).map((row) => row[0]));
        const ref = { data: Float64Array.from({ length: n * b.cols }, (_, i) => refCols[i % b.cols][Math.floor(i / b.cols)]) };
        const at = toTf(a);
        const bt = vector ? tf.tensor1d(Float32Array.from(b.data)) : toTf(b);
        const x = solve(at, bt);
        expect(x.shape).toEqual(vector ? [n] : [n, k]);
        const got = x.dataSync();
        tf.dispose([at, bt, x]);
        // Both solve the same float32-rounded system in float64; ours is rounded to float32 at the end.
        expect(maxAbsDiff(got, ref.data)).toBeLessThan(1e-5 * maxAbs(ref.data));
      }),
      { numRuns: 40 },
    );
  });

  it('throws an ArgumentError on a singular matrix', () => {
    expect(() => solve([[1, 2], [2, 4]], [1, 2])).toThrow(ArgumentError);
    expect(() => solve([[1, 2], [2, 4]], [1, 2])).toThrow(/singular/);
    expect(() => solve([[0, 0], [0, 0]], [1, 2])).toThrow(/singular/);
  });

  it('validates input and leaks nothing', () => {
    expect(() => solve([[1, 2, 3], [4, 5, 6]], [1, 2])).toThrow(/a must be square/);
    expect(() => solve([[1, 0], [0, 1]], [1, 2, 3])).toThrow(/b must have 2 rows/);
    expect(() => solve([[1, 0], [0, NaN]], [1, 2])).toThrow(NonFiniteError);
    const a = tf.tensor2d([[2, 1], [1, 3]]);
    const b = tf.tensor1d([1, 2]);
    expectNoLeak(() => solve(a, b));
    const before = tf.memory().numTensors;
    expect(() => solve([[1, 2], [2, 4]], b)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
