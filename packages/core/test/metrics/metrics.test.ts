import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import * as math from 'mathjs';
import { ArgumentError, ShapeError } from '../../src/errors/index.js';
import { congruenceCoefficient, linearSumAssignment, mse, rmse } from '../../src/metrics/index.js';
import { createRng, normalTensor } from '../../src/random/index.js';
import { expectNoLeak } from '../../../../test-utils/index.js';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/** Brute-force minimum assignment cost over all injective maps rows -> cols (small sizes). */
function bruteMin(cost: number[], rows: number, cols: number): number {
  let best = Infinity;
  const rec = (i: number, used: boolean[], acc: number) => {
    if (i === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, used, acc + cost[i * cols + j]);
      used[j] = false;
    }
  };
  rec(0, new Array(cols).fill(false), 0);
  return best;
}

describe('mse / rmse', () => {
  it('match a float64 mathjs reference', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (xs, seed) => {
        const rng = createRng(seed);
        const ys = xs.map((x) => Math.fround(x + rng.normal()));
        const x32 = xs.map(Math.fround);
        const want = math.mean(x32.map((x, i) => (x - ys[i]) ** 2)) as number;
        const got = mse(x32, ys);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * want + 1e-6);
        expect(Math.abs(rmse(x32, ys) - Math.sqrt(want))).toBeLessThanOrEqual(1e-5 * Math.sqrt(want) + 1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('identity: mse(x, x) = 0, and tensors of any order work', () => {
    const t = normalTensor([2, 3, 4], createRng(1));
    expect(expectNoLeak(() => mse(t, t))).toBe(0);
    const z = tf.zerosLike(t);
    const sq = tf.tidy(() => tf.sqrt(tf.mean(tf.square(t))).dataSync()[0]);
    expect(Math.abs(expectNoLeak(() => rmse(t, z)) - sq)).toBeLessThan(1e-6);
    tf.dispose([t, z]);
  });

  it('reject different shapes and empty inputs', () => {
    expect(() => mse([1, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => mse([[1, 2]], [1, 2])).toThrow(/yTrue and yPred/);
    expect(() => rmse({ data: [], shape: [0] }, { data: [], shape: [0] })).toThrow(ShapeError);
  });
});

describe('linearSumAssignment (Hungarian)', () => {
  it('is optimal: equals brute force on random square and rectangular problems', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 10_000 }), (n, extra, seed) => {
        const rng = createRng(seed);
        const m = n + extra;
        // Integer costs make ties common, which exercises the degenerate paths.
        const cost = Array.from({ length: n * m }, () => rng.int(10) - 3);
        const col = linearSumAssignment(cost, n, m);
        expect(new Set(col).size).toBe(n);
        col.forEach((j) => expect(j >= 0 && j < m).toBe(true));
        const total = col.reduce((a, j, i) => a + cost[i * m + j], 0);
        expect(total).toBe(bruteMin(cost, n, m));
      }),
      { numRuns: 200 },
    );
  });

  it('handles larger problems (R = 40) no worse than any of 2000 random permutations', () => {
    const rng = createRng(4);
    const n = 40;
    const cost = Array.from({ length: n * n }, () => rng.random());
    const col = linearSumAssignment(cost, n, n);
    const total = col.reduce((a, j, i) => a + cost[i * n + j], 0);
    for (let k = 0; k < 2000; k++) {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [p[i], p[j]] = [p[j], p[i]];
      }
      expect(total).toBeLessThanOrEqual(p.reduce((a, j, i) => a + cost[i * n + j], 0) + 1e-12);
    }
  });

  it('validates its input', () => {
    expect(() => linearSumAssignment([1, 2, 3], 2, 2)).toThrow(ShapeError);
    expect(() => linearSumAssignment([1, 2], 2, 1)).toThrow(ShapeError);
    expect(() => linearSumAssignment([1, NaN], 1, 2)).toThrow(ArgumentError);
  });
});

describe('congruenceCoefficient', () => {
  it('recovers a column permutation (with sign flips and scaling) with score 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 10_000 }), (R, seed) => {
        const rng = createRng(seed);
        const perm = permutations(R)[rng.int(permutations(R).length)];
        const a = normalTensor([7, R], rng);
        const signs = Array.from({ length: R }, () => (rng.random() < 0.5 ? -2 : 3));
        // b[:, j] = sign * a[:, perm^-1(j)], so column i of a matches column perm[i] of b.
        const inv = new Array<number>(R);
        perm.forEach((j, i) => (inv[j] = i));
        const b = tf.tidy(() => tf.mul(tf.gather(a, inv, 1), tf.tensor1d(signs)));
        const res = expectNoLeak(() => congruenceCoefficient(a, b));
        expect(res.permutation).toEqual(perm);
        expect(Math.abs(res.score - 1)).toBeLessThan(1e-5);
        // Without |.|, negative columns count negatively.
        const signed = congruenceCoefficient(a, b, { absoluteValue: false });
        const want = signs.reduce((s, g) => s + Math.sign(g), 0) / R;
        if (R === 1) expect(Math.abs(signed.score - want)).toBeLessThan(1e-5);
        tf.dispose([a, b]);
      }),
      { numRuns: 30 },
    );
  });

  it('lists of matrices multiply the congruences; the score is the optimum over all permutations', () => {
    const rng = createRng(12);
    const R = 4;
    const m1 = [normalTensor([5, R], rng), normalTensor([6, R], rng), normalTensor([3, R], rng)];
    const m2 = [normalTensor([5, R], rng), normalTensor([6, R], rng), normalTensor([3, R], rng)];
    const res = expectNoLeak(() => congruenceCoefficient(m1, m2));
    // Reference in float64 on the host: product of |cos| matrices, best permutation by enumeration.
    const cos = (x: tf.Tensor, y: tf.Tensor) => {
      const X = x.arraySync() as number[][];
      const Y = y.arraySync() as number[][];
      const col = (M: number[][], j: number) => M.map((r) => r[j]);
      const nrm = (v: number[]) => Math.sqrt(v.reduce((s, t) => s + t * t, 0));
      return Array.from({ length: R }, (_, i) =>
        Array.from({ length: R }, (_, j) => {
          const u = col(X, i);
          const v = col(Y, j);
          return Math.abs(u.reduce((s, t, k) => s + t * v[k], 0)) / (nrm(u) * nrm(v));
        }),
      );
    };
    const Cs = m1.map((x, k) => cos(x, m2[k]));
    const C = Cs[0].map((row, i) => row.map((_, j) => Cs.reduce((p, Ck) => p * Ck[i][j], 1)));
    let best = -Infinity;
    for (const p of permutations(R)) best = Math.max(best, p.reduce((s, j, i) => s + C[i][j], 0) / R);
    expect(Math.abs(res.score - best)).toBeLessThan(1e-5);
    expect(res.permutation.reduce((s, j, i) => s + C[i][j], 0) / R).toBeCloseTo(best, 5);
    // Nested-array matrices are accepted as single matrices.
    const nested = congruenceCoefficient(m1[0].arraySync() as number[][], m2[0].arraySync() as number[][]);
    const single = congruenceCoefficient(m1[0], m2[0]);
    expect(nested.permutation).toEqual(single.permutation);
    tf.dispose([...m1, ...m2]);
  });

  it('validates its input', () => {
    const a = tf.ones([3, 2]);
    const b3 = tf.ones([3, 3]);
    const before = tf.memory().numTensors;
    expect(() => congruenceCoefficient([a, a], [a])).toThrow(ShapeError);
    expect(() => congruenceCoefficient(a, b3)).toThrow(ShapeError);
    expect(() => congruenceCoefficient(a, [[1, 2], [3, 4]])).toThrow(/rows/);
    expect(() => congruenceCoefficient(a, [[1, 0], [2, 0], [3, 0]])).toThrow(ArgumentError);
    expect(() => congruenceCoefficient(a, a, { absoluteValue: 1 as any })).toThrow(ArgumentError);
    expect(() => congruenceCoefficient([1, 2, 3], [1, 2, 3])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b3]);
  });
});
