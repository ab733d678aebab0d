import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError } from '../../src/errors/index.js';
import { createRng, normalTensor, randomCp, randomTensor, randomTt, randomTtMatrix, randomTucker, toRng, uniformTensor } from '../../src/random/index.js';
import { CPTensor, TTMatrix, TTTensor, TuckerTensor, validateCpRank, validateTtMatrixRank, validateTtRank, validateTuckerRank } from '../../src/tensors/index.js';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

describe('createRng', () => {
  it('same seed, same stream; different seeds differ', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 20 }, () => a.random());
    const xb = Array.from({ length: 20 }, () => b.random());
    const xc = Array.from({ length: 20 }, () => c.random());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    // Negative and large safe-integer seeds work and are distinct from their low bits.
    expect(createRng(-1).random()).not.toBe(createRng(2 ** 32 - 1 + 2 ** 32).random());
    expect(createRng(2 ** 40).random()).not.toBe(createRng(0).random());
  });

  it('random() is U[0,1): range and first two moments', () => {
    const g = createRng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = g.random();
      s += x;
      s2 += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Mean 1/2 and variance 1/12, within ~5 standard errors.
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(2e-3);
  });

  it('normal() is N(0,1): mean, variance, and P(|z| < 1) ~ 0.6827', () => {
    const g = createRng(2);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const z = g.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) < 1) inside++;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(inside / n - 0.6826894921370859)).toBeLessThan(0.005);
  });

  it('int(n) is uniform on [0, n) and validates n', () => {
    const g = createRng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[g.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => g.int(0)).toThrow(ArgumentError);
    expect(() => g.int(2.5)).toThrow(ArgumentError);
  });

  it('split() gives an independent, reproducible stream', () => {
    const a = createRng(9).split();
    const b = createRng(9).split();
    expect(a.random()).toBe(b.random());
    expect(createRng(9).split().random()).not.toBe(createRng(9).random());
  });

  it('rejects bad seeds', () => {
    expect(() => createRng(1.5)).toThrow(ArgumentError);
    expect(() => createRng('7' as any)).toThrow(ArgumentError);
    expect(() => toRng({} as any)).toThrow(ArgumentError);
    expect(() => uniformTensor([2, -1], createRng(0))).toThrow(ShapeError);
  });

  it('unseeded generators differ', () => {
    expect(createRng().random()).not.toBe(createRng().random());
  });
});

describe('uniformTensor / normalTensor / randomTensor', () => {
  it('same seed -> same data; C-order draws from the stream', () => {
    const t1 = expectNoLeak(() => uniformTensor([3, 4], createRng(5)));
    expect(t1.isDisposed).toBe(true);
    const a = uniformTensor([3, 4], createRng(5));
    const b = randomTensor([3, 4], { seed: 5 });
    const g = createRng(5);
    const host = Array.from({ length: 12 }, () => Math.fround(g.random()));
    expect(Array.from(a.dataSync())).toEqual(host);
    expect(Array.from(b.dataSync())).toEqual(host);
    expect(a.shape).toEqual([3, 4]);
    const n1 = normalTensor([50], createRng(6));
    const n2 = normalTensor([50], createRng(6));
    expect(Array.from(n1.dataSync())).toEqual(Array.from(n2.dataSync()));
    tf.dispose([a, b, n1, n2]);
    expectNoLeak(() => normalTensor([2, 2], createRng(1)));
    expectNoLeak(() => randomTensor([2, 2], { seed: 1 }));
  });

  it('the same Rng object keeps advancing', () => {
    const g = createRng(8);
    const a = uniformTensor([5], g);
    const b = uniformTensor([5], g);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });
});

describe('randomCp', () => {
  it('resolves the rank with validateCpRank, normalises by default, and is reproducible', () => {
    const shape = [4, 5, 6];
    const cp = expectNoLeak(() => randomCp(shape, 'same', { seed: 1 })) as CPTensor;
    expect(cp.isDisposed).toBe(true);
    const a = randomCp(shape, 0.5, { seed: 1 });
    const b = randomCp(shape, 0.5, { seed: 1 });
    expect(a.rank).toBe(validateCpRank(shape, 0.5));
    expect(a.shape).toEqual(shape);
    for (let k = 0; k < 3; k++) expect(Array.from(a.factors[k].dataSync())).toEqual(Array.from(b.factors[k].dataSync()));
    // Unit-norm columns after normalisation; weights hold the norms.
    for (const f of a.factors) for (const v of tf.tidy(() => tf.norm(f, 'euclidean', 0).dataSync())) expect(v).toBeCloseTo(1, 5);
    a.dispose();
    b.dispose();
  });

  it('normaliseFactors: false keeps unit weights and U[0,1) factors; full returns the dense tensor', () => {
    const raw = randomCp([3, 4], 2, { seed: 3, normaliseFactors: false });
    expect(Array.from(raw.weights.dataSync())).toEqual([1, 1]);
    for (const f of raw.factors) for (const v of f.dataSync()) expect(v >= 0 && v < 1).toBe(true);
    const dense = expectNoLeak(() => randomCp([3, 4], 2, { seed: 3, full: true }));
    expect(dense.isDisposed).toBe(true);
    const full = randomCp([3, 4], 2, { seed: 3, full: true });
    const want = raw.toTensor();
    expect(relError(full, want)).toBeLessThan(1e-6);
    tf.dispose([full, want]);
    raw.dispose();
  });

  it('orthogonal factors have orthonormal columns; rank > min(shape) is rejected', () => {
    const cp = randomCp([5, 6, 4], 3, { seed: 2, orthogonal: true });
    for (const f of cp.factors) {
      const g = tf.tidy(() => tf.sub(tf.matMul(f, f, true, false), tf.eye(3)).dataSync());
      for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-5);
    }
    cp.dispose();
    expect(() => randomCp([5, 2], 3, { orthogonal: true })).toThrow(RankError);
    expect(() => randomCp([5, 5], 0.1)).toThrow(RankError); // resolves to 0
    expect(() => randomCp([5, 5], -2)).toThrow(RankError);
    expect(() => randomCp([5, 0], 2)).toThrow(ShapeError);
    expect(() => randomCp([5, 5], 2, { full: 'yes' as any })).toThrow(ArgumentError);
  });
});

describe('randomTucker', () => {
  it('ranks from validateTuckerRank, reproducible, U[0,1) entries, full = toTensor', () => {
    const shape = [4, 5, 6];
    expectNoLeak(() => randomTucker(shape, 0.5, { seed: 4 }));
    const a = randomTucker(shape, 0.5, { seed: 4 });
    const b = randomTucker(shape, 0.5, { seed: 4 });
    expect(a.rank).toEqual(validateTuckerRank(shape, 0.5));
    expect(Array.from(a.core.dataSync())).toEqual(Array.from(b.core.dataSync()));
    for (const v of a.core.dataSync()) expect(v >= 0 && v < 1).toBe(true);
    const full = randomTucker(shape, 0.5, { seed: 4, full: true });
    const want = a.toTensor();
    expect(relError(full, want)).toBeLessThan(1e-6);
    tf.dispose([full, want]);
    a.dispose();
    b.dispose();
  });

  it('orthogonal caps ranks at the dimension and gives orthonormal columns; nonNegative takes |.|', () => {
    const t = randomTucker([3, 5], [4, 2], { seed: 7, orthogonal: true });
    expect(t.rank).toEqual([3, 2]);
    t.factors.forEach((f) => {
      const r = f.shape[1];
      const g = tf.tidy(() => tf.sub(tf.matMul(f, f, true, false), tf.eye(r)).dataSync());
      for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-5);
    });
    t.dispose();
    const nn = randomTucker([3, 5], [2, 2], { seed: 7, orthogonal: true, nonNegative: true }) as TuckerTensor;
    for (const f of nn.factors) for (const v of f.dataSync()) expect(v).toBeGreaterThanOrEqual(0);
    nn.dispose();
    expectNoLeak(() => randomTucker([3, 5], [2, 2], { seed: 7, orthogonal: true, nonNegative: true, full: true }));
  });
});

describe('randomTt / randomTtMatrix', () => {
  it('randomTt: ranks from validateTtRank, reproducible, full = toTensor', () => {
    const shape = [3, 4, 5];
    expectNoLeak(() => randomTt(shape, 'same', { seed: 1 }));
    const a = randomTt(shape, 'same', { seed: 1 }) as TTTensor;
    const b = randomTt(shape, 'same', { seed: 1 }) as TTTensor;
    expect(a.rank).toEqual(validateTtRank(shape, 'same'));
    a.cores.forEach((c, k) => expect(Array.from(c.dataSync())).toEqual(Array.from(b.cores[k].dataSync())));
    const full = randomTt(shape, 'same', { seed: 1, full: true });
    const want = a.toTensor();
    expect(relError(full, want)).toBe(0);
    tf.dispose([full, want]);
    a.dispose();
    b.dispose();
    expect(() => randomTt([3, 4], [2, 2, 1])).toThrow(RankError);
  });

  it('randomTtMatrix: every core has its own stream (no TensorLy int-seed reuse)', () => {
    const shape = [2, 2, 2, 2, 2, 2];
    expectNoLeak(() => randomTtMatrix(shape, 2, { seed: 3 }));
    const a = randomTtMatrix(shape, 2, { seed: 3 }) as TTMatrix;
    const b = randomTtMatrix(shape, 2, { seed: 3 }) as TTMatrix;
    expect(a.rank).toEqual(validateTtMatrixRank(shape, 2));
    expect(a.shape).toEqual(shape);
    a.cores.forEach((c, k) => expect(Array.from(c.dataSync())).toEqual(Array.from(b.cores[k].dataSync())));
    // The middle core (2,2,2,2) and first core (1,2,2,2) would start with the same numbers
    // if the seed were reused per core, as in TensorLy.
    const first = Array.from(a.cores[0].dataSync()).slice(0, 4);
    const middle = Array.from(a.cores[1].dataSync()).slice(0, 4);
    expect(first).not.toEqual(middle);
    const full = randomTtMatrix(shape, 2, { seed: 3, full: true });
    const want = a.toTensor();
    expect(relError(full, want)).toBe(0);
    tf.dispose([full, want]);
    a.dispose();
    b.dispose();
    expect(() => randomTtMatrix([2, 2, 2], 2)).toThrow(ShapeError);
  });

  it('property: every generator is reproducible for any seed and fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.double({ min: 0.2, max: 1.5, noNaN: true }), (seed, f) => {
        const shape = [3, 4, 2];
        const a = randomTucker(shape, f, { seed });
        const b = randomTucker(shape, f, { seed });
        expect(Array.from(a.core.dataSync())).toEqual(Array.from(b.core.dataSync()));
        a.dispose();
        b.dispose();
        const x = randomTt(shape, f, { seed, full: true });
        const y = randomTt(shape, f, { seed, full: true });
        expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
        tf.dispose([x, y]);
      }),
      { numRuns: 15 },
    );
  });
});
