import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  AbortedError,
  ArgumentError,
  ModeError,
  NonFiniteError,
  RankError,
  ShapeError,
  createRng,
  randomTr,
  randomTt,
  tensorRing,
  tensorRingAls,
  tensorRingAlsSampled,
  tensorTrain,
} from '@tenfold/core';
import { disposeAll, expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions2');
const svdCases = file.cases.filter((c) => c.name.startsWith('tensor_ring_') && !c.name.startsWith('tensor_ring_als'));
const alsCases = file.cases.filter((c) => c.name.startsWith('tensor_ring_als'));
const QUIRK = 'tensor_ring_4x5x6_rank1231_mode2_rotation_quirk';

function expectTrMatches(tr: { rank: number[]; cores: tf.Tensor[]; toTensor(): tf.Tensor }, t: tf.Tensor, c: any): void {
  expect(tr.rank).toEqual(c.expected.resolved_rank);
  // svd_flip'ed SVDs make the cores unique (single-step algebra): compare them directly.
  c.expected.factors.forEach((f: { shape: number[]; data: number[] }, i: number) => {
    expectClose(tr.cores[i], f, f32Tolerance(f.data, c.tolerance, 1e-3, 1e-4), `cores[${i}]`);
  });
  const rec = tr.toTensor();
  expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance, 1e-3, 1e-4), 'reconstruction');
  const err = relError(rec, t);
  expect(Math.abs(err - c.expected.final_relative_error)).toBeLessThan(1e-5 + 1e-4 * c.expected.final_relative_error);
  rec.dispose();
}

describe('tensorRing (TR-SVD): fixtures (TensorLy 0.9 tensor_ring)', () => {
  it('covers every tensor_ring_* TR-SVD case', () => {
    expect(svdCases.length).toBe(9);
  });
  for (const c of svdCases) {
    if (c.name === QUIRK) continue;
    it(c.name, () => {
      const t = fx(c.inputs.tensor);
      const call = () => tensorRing(t, c.inputs.rank, { mode: c.inputs.mode, svd: c.inputs.svd });
      if (c.expected_error) {
        expect(c.expected_error.type).toBe('ValueError');
        const before = tf.memory().numTensors;
        expect(call).toThrow(RankError);
        expect(call).toThrow(/is larger than the first unfolding/);
        expect(tf.memory().numTensors).toBe(before);
      } else {
        const tr = call();
        expectTrMatches(tr, t, c);
        tr.dispose();
      }
      t.dispose();
    });
  }

  it(`${QUIRK}: Tenfold rotates the ring (all requested ranks); the anchor's cores are its rank (1,1,3,1)`, () => {
    const c = fixtureCase(file, QUIRK);
    const t = fx(c.inputs.tensor);
    // Fixed: every bond gets its requested rank, and the larger bond can only help.
    const fixed = tensorRing(t, c.inputs.rank, { mode: 2 });
    expect(fixed.rank).toEqual([1, 2, 3, 1]);
    const rec = fixed.toTensor();
    expect(relError(rec, t)).toBeLessThanOrEqual(c.expected.final_relative_error + 1e-5);
    // TensorLy's rotation realised rank (1,1,3,1): asking for it reproduces the anchor exactly.
    const anchor = tensorRing(t, c.expected.resolved_rank, { mode: 2 });
    expectTrMatches(anchor, t, c);
    disposeAll([t, rec, fixed, anchor]);
  });
});

describe('tensorRingAls: fixtures (TensorLy 0.9 tensor_ring_als, from init_cores)', () => {
  it('covers every tensor_ring_als_* case', () => {
    expect(alsCases.length).toBe(5);
  });
  for (const c of alsCases) {
    it(c.name, () => {
      const t = fx(c.inputs.tensor);
      const i = c.inputs;
      if (c.expected_error) {
        expect(c.expected_error.type).toBe('ValueError');
        expect(() => tensorRingAls(t, i.rank, { lsSolve: i.ls_solve })).toThrow(ArgumentError);
        expect(() => tensorRingAls(t, i.rank, { lsSolve: i.ls_solve })).toThrow(/lsSolve must be one of 'lstsq', 'normal_eq'/);
        t.dispose();
        return;
      }
      const init = (i.init_cores as any[]).map(fx);
      const errors: number[] = [];
      const callback = ({ error }: { error: number }) => {
        errors.push(error);
      };
      const sampled = c.name.startsWith('tensor_ring_als_sampled');
      const tr = sampled
        ? tensorRingAlsSampled(t, i.rank, i.n_samples, { nIterMax: i.n_iter_max, tol: i.tol, uniformSampling: i.uniform_sampling, randomizedError: i.randomized_error, seed: i.random_state, init, callback })
        : tensorRingAls(t, i.rank, { lsSolve: i.ls_solve, nIterMax: i.n_iter_max, tol: i.tol, seed: i.random_state, init, callback });
      const rec = tr.toTensor();
      const err = relError(rec, t);
      // The reconstruction is unique even where the cores are not (gauge freedom).
      expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance, 1e-3, 1e-4), 'reconstruction');
      // float32 floor: a relative error cannot go much below ~1e-6 (TensorLy reaches 1e-10 in float64).
      const FLOOR = 2e-6;
      if (sampled) {
        // RNG-dependent (note): reconstruction and final error against the acceptance bound, at float32's floor.
        expect(c.acceptance.final_relative_error_max).toBeLessThan(FLOOR);
        expect(err).toBeLessThan(FLOOR);
        expect(errors[0]).toBeCloseTo(c.expected.errors.data[0], 5); // the start is the same init_cores
      } else {
        const exp: number[] = c.expected.errors.data;
        // The callback sees the same trajectory: errors[0] from init_cores, then one per sweep.
        for (let k = 0; k < Math.min(errors.length, exp.length); k++) {
          expect(Math.abs(errors[k] - exp[k]), `errors[${k}]: ${errors[k]} vs ${exp[k]}`).toBeLessThanOrEqual(1e-3 * exp[k] + FLOOR);
        }
        expect(Math.abs(err - c.expected.final_relative_error)).toBeLessThanOrEqual(1e-4 * c.expected.final_relative_error + FLOOR);
        if (c.expected.final_relative_error > 1e-3) {
          // Still descending at n_iter_max: the same number of sweeps, and the same cores (same init, same sweep order).
          expect(errors.length - 1).toBe(c.expected.n_iterations);
          c.expected.factors.forEach((f: { shape: number[]; data: number[] }, k: number) => {
            expectClose(tr.cores[k], f, f32Tolerance(f.data, c.tolerance, 1e-3, 1e-4), `cores[${k}]`);
          });
        } else {
          // Converged to the exact tensor: tol = 1e-10 is below float32's floor, so the decrease
          // falls under it at the floor, no later than TensorLy's sweep count.
          expect(errors.length - 1).toBeLessThanOrEqual(c.expected.n_iterations);
          expect(err).toBeLessThan(FLOOR);
        }
      }
      disposeAll([t, init, rec, tr]);
    });
  }
});

/** Random ring ranks in [1, 3] for an order-`n` tensor, closed (rank[n] == rank[0]). */
function ringRanks(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const r = Array.from({ length: n }, () => 1 + rng.int(3));
  return [...r, r[0]];
}

describe('tensorRing: properties', () => {
  it('with boundary ranks 1, TR-SVD is TT-SVD (same cores as tensorTrain)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = createRng(seed);
        const shape = Array.from({ length: n }, () => 3 + rng.int(4));
        const ranks = [1, ...Array.from({ length: n - 1 }, () => 1 + rng.int(3)), 1];
        const t = randomTt(shape, ranks, { full: true, seed });
        const tr = tensorRing(t, ranks);
        const tt = tensorTrain(t, ranks);
        expect(tr.rank).toEqual(tt.rank);
        tr.cores.forEach((c, k) => expectClose(c, tt.cores[k].dataSync(), { rtol: 1e-4, atol: 1e-5 }, `core ${k}`));
        const rec = tr.toTensor();
        expect(relError(rec, t)).toBeLessThan(1e-4); // an exact TT is recovered
        disposeAll([t, tr, tt, rec]);
      }),
      { numRuns: 8, seed: 5 },
    );
  });

  it('recovers a random TR of ranks r when the middle bonds may grow to r_0^2 r_k (TR-SVD is exact there, rel. err < 1e-4)', () => {
    // TR-SVD at exactly rank r is not exact on a general TR tensor (the anchor's own
    // tensor_ring_4x5x6_rank2232 case leaves 0.21): the first SVD mixes the two boundary
    // bonds, so bond k of the remainder needs rank up to r_0^2 r_k. TR-SVD caps each
    // bond at the size of its unfolding.
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const r = ringRanks(n, seed);
        const rng = createRng(seed + 1);
        const shape = Array.from({ length: n }, (_, k) => r[k] * r[k + 1] + 1 + rng.int(4));
        const t = randomTr(shape, r, { full: true, seed });
        const wide = r.map((v, k) => (k <= 1 || k === n ? v : r[0] * r[0] * v));
        const tr = tensorRing(t, wide);
        const rec = tr.toTensor();
        expect(relError(rec, t)).toBeLessThan(1e-4);
        disposeAll([t, tr, rec]);
      }),
      { numRuns: 8, seed: 6 },
    );
  });

  it('mode rotation: starting from any mode gives cores in the input order, exact on boundary-rank-1 bonds', () => {
    const t = randomTr([5, 6, 7], [2, 1, 2, 2], { full: true, seed: 2 });
    for (const mode of [0, 1, 2, -1]) {
      const tr = tensorRing(t, [2, 1, 2, 2], { mode });
      expect(tr.shape).toEqual([5, 6, 7]);
      expect(tr.rank).toEqual([2, 1, 2, 2]);
      const rec = tr.toTensor();
      // Starting at mode 1 puts the rank-1 bond at the ring's ends: TT-SVD, exact.
      if (mode === 1) expect(relError(rec, t)).toBeLessThan(1e-4);
      disposeAll([tr, rec]);
    }
    t.dispose();
  });

  it("'gram' and 'randomized' SVDs agree with 'truncated'", () => {
    const t = randomTr([12, 10, 11], [1, 3, 3, 1], { full: true, seed: 7 });
    const ref = tensorRing(t, [1, 3, 3, 1]);
    const a = ref.toTensor();
    for (const svd of ['gram', 'randomized', 'symeig_svd'] as const) {
      const tr = tensorRing(t, [1, 3, 3, 1], { svd, seed: 1 });
      const b = tr.toTensor();
      expect(relError(b, a), svd).toBeLessThan(1e-4);
      disposeAll([tr, b]);
    }
    disposeAll([t, ref, a]);
  });

  it('leaves no tensor behind (success and failure)', () => {
    const t = randomTr([5, 6, 7], 2, { full: true, seed: 3 });
    expectNoLeak(() => tensorRing(t, 2, { mode: 1 }));
    expectNoLeak(() => tensorRing([[1, 2], [3, 4]], [1, 2, 1]));
    const before = tf.memory().numTensors;
    expect(() => tensorRing(t, 3)).toThrow(RankError);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('typed errors before any work', () => {
    const t = randomTr([4, 5, 6], 2, { full: true, seed: 3 });
    expect(() => tensorRing(t, 2, { mode: 3 })).toThrow(ModeError);
    expect(() => tensorRing(t, [2, 2, 2])).toThrow(RankError);
    expect(() => tensorRing(t, [2, 2, 2, 1])).toThrow(RankError);
    expect(() => tensorRing(t, 0)).toThrow(RankError);
    expect(() => tensorRing(t, 2, { svd: 'qr' as any })).toThrow(ArgumentError);
    expect(() => tensorRing(t, 2, { rank: 2 } as any)).toThrow(/unknown option 'rank'/);
    expect(() => tensorRing([1, 2, 3], [1, 1])).toThrow(ShapeError);
    expect(() => tensorRing([[NaN, 1], [2, 3]], 1)).toThrow(NonFiniteError);
    t.dispose();
  });
});

describe('tensorRingAls / tensorRingAlsSampled: behaviour', () => {
  it('ALS recovers a random TR of ranks r from a random start (rel. err < 1e-3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const r = ringRanks(3, seed).map((v) => Math.min(v, 2));
        r[3] = r[0];
        const t = randomTr([6, 7, 8], r, { full: true, seed });
        for (const lsSolve of ['lstsq', 'normal_eq'] as const) {
          const tr = tensorRingAls(t, r, { seed: seed + 1, tol: 0, nIterMax: 300, lsSolve });
          const rec = tr.toTensor();
          expect(relError(rec, t), lsSolve).toBeLessThan(1e-3);
          disposeAll([tr, rec]);
        }
        t.dispose();
      }),
      { numRuns: 4, seed: 8 },
    );
  });

  it('sampled ALS (leverage and uniform sampling) recovers an exact TR; a seed reproduces a run', () => {
    const t = randomTr([8, 9, 10], [2, 1, 2, 2], { full: true, seed: 11 });
    for (const uniformSampling of [false, true]) {
      const a = tensorRingAlsSampled(t, [2, 1, 2, 2], 60, { seed: 4, nIterMax: 30, tol: 1e-10, uniformSampling });
      const b = tensorRingAlsSampled(t, [2, 1, 2, 2], [60, 60, 60], { seed: 4, nIterMax: 30, tol: 1e-10, uniformSampling });
      const [ra, rb] = [a.toTensor(), b.toTensor()];
      expect(relError(ra, t)).toBeLessThan(1e-4);
      expectClose(ra, rb.dataSync(), { rtol: 0, atol: 0 }, 'same seed');
      disposeAll([a, b, ra, rb]);
    }
    const errs: number[] = [];
    const r = tensorRingAlsSampled(t, [2, 1, 2, 2], 60, { seed: 4, nIterMax: 3, tol: 0, randomizedError: true, callback: ({ error }) => void errs.push(error) });
    expect(errs.length).toBe(4);
    expect(errs[3]).toBeLessThan(errs[0]);
    disposeAll([r, t]);
  });

  it('seed and randomState are the same option; a seed reproduces ALS', () => {
    const t = randomTr([5, 6, 7], 2, { full: true, seed: 12 });
    const a = tensorRingAls(t, 2, { seed: 3, nIterMax: 5 });
    const b = tensorRingAls(t, 2, { randomState: 3, nIterMax: 5 });
    a.cores.forEach((c, k) => expectClose(c, b.cores[k].dataSync(), { rtol: 0, atol: 0 }, `core ${k}`));
    expect(() => tensorRingAls(t, 2, { seed: 3, randomState: 3 })).toThrow(ArgumentError);
    disposeAll([a, b, t]);
  });

  it("the callback sees iteration 0..k and stops the loop by returning true; tol stops from the second sweep", () => {
    const t = randomTr([5, 6, 7], 2, { full: true, seed: 13 });
    const seen: number[] = [];
    const tr = tensorRingAls(t, 2, { seed: 1, tol: 0, nIterMax: 50, callback: ({ iteration }) => (seen.push(iteration), iteration === 3) });
    expect(seen).toEqual([0, 1, 2, 3]);
    const errs: number[] = [];
    const tr2 = tensorRingAls(t, 2, { seed: 1, tol: 0.5, nIterMax: 50, callback: ({ error }) => void errs.push(error) });
    expect(errs.length).toBe(3); // start, sweep 1, sweep 2 (decrease < 0.5 is checked from sweep 2)
    disposeAll([t, tr, tr2]);
  });

  it('abort: a fired signal throws AbortedError and leaves nothing behind', () => {
    const t = randomTr([5, 6, 7], 2, { full: true, seed: 14 });
    const before = tf.memory().numTensors;
    const pre = new AbortController();
    pre.abort();
    expect(() => tensorRingAls(t, 2, { signal: pre.signal })).toThrow(AbortedError);
    const mid = new AbortController();
    expect(() => tensorRingAls(t, 2, { signal: mid.signal, tol: 0, callback: ({ iteration }) => void (iteration === 2 && mid.abort()) })).toThrow(AbortedError);
    const mid2 = new AbortController();
    expect(() => tensorRingAlsSampled(t, 2, 30, { signal: mid2.signal, tol: 0, callback: ({ iteration }) => void (iteration === 1 && mid2.abort()) })).toThrow(AbortedError);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('ALS started from TR-SVD (init: TRTensor) lowers its error, never raises it', () => {
    const t = randomTr([8, 9, 10], [2, 3, 2, 2], { full: true, seed: 21 });
    const svd = tensorRing(t, [2, 3, 2, 2]);
    const errs: number[] = [];
    const als = tensorRingAls(t, svd.rank, { init: svd, nIterMax: 30, tol: 0, callback: ({ error }) => void errs.push(error) });
    const [a, b] = [svd.toTensor(), als.toTensor()];
    expect(errs[0]).toBeCloseTo(relError(a, t), 4); // the callback's start is TR-SVD's error
    expect(relError(b, t)).toBeLessThan(relError(a, t));
    for (let k = 1; k < errs.length; k++) expect(errs[k]).toBeLessThanOrEqual(errs[k - 1] + 1e-6); // ALS is monotone
    disposeAll([t, svd, als, a, b]);
  });

  it('leaves no tensor behind; init cores are copied, not taken', () => {
    const t = randomTr([5, 6, 7], 2, { full: true, seed: 15 });
    const init = randomTr([5, 6, 7], 2, { seed: 16 });
    expectNoLeak(() => tensorRingAls(t, 2, { nIterMax: 3, init }));
    expectNoLeak(() => tensorRingAls(t, 2, { nIterMax: 3, init: init.cores, lsSolve: 'normal_eq', callback: () => {} }));
    expectNoLeak(() => tensorRingAlsSampled(t, 2, 20, { nIterMax: 3, init }));
    expect(init.isDisposed).toBe(false);
    disposeAll([t, init]);
  });

  it("'normal_eq' on a singular design: ArgumentError naming the core; 'lstsq' takes the minimum-norm solution", () => {
    const t = randomTr([4, 5, 6], 2, { full: true, seed: 3 });
    // Zero cores 1 and 2: the design matrix of core 0 is zero, its Gram singular.
    const init = [tf.ones([2, 4, 2]), tf.zeros([2, 5, 2]), tf.zeros([2, 6, 2])];
    const before = tf.memory().numTensors;
    expect(() => tensorRingAls(t, 2, { init, lsSolve: 'normal_eq', nIterMax: 2 })).toThrow(/normal equations of core 0 are singular/);
    expect(tf.memory().numTensors).toBe(before);
    const tr = tensorRingAls(t, 2, { init, lsSolve: 'lstsq', nIterMax: 1, tol: 0 });
    expectClose(tr.cores[0], new Array(16).fill(0), { rtol: 0, atol: 0 }, 'min-norm solution of a zero design');
    disposeAll([t, init, tr]);
  });

  it('typed errors before any work', () => {
    const t = randomTr([4, 5, 6], 2, { full: true, seed: 3 });
    const wrong = randomTr([4, 5, 6], 3, { seed: 1 });
    const before = tf.memory().numTensors;
    expect(() => tensorRingAls(t, 2, { nIter: 3 } as any)).toThrow(/unknown option 'nIter'/);
    expect(() => tensorRingAls(t, 2, { nIterMax: -1 })).toThrow(ArgumentError);
    expect(() => tensorRingAls(t, 2, { tol: NaN })).toThrow(ArgumentError);
    expect(() => tensorRingAls(t, [2, 2, 3], {})).toThrow(RankError);
    expect(() => tensorRingAls(t, 2, { init: wrong })).toThrow(ShapeError);
    expect(() => tensorRingAls(t, 2, { init: 'svd' as any })).toThrow(ArgumentError);
    expect(() => tensorRingAls(t, 2, { signal: {} as any })).toThrow(ArgumentError);
    expect(() => tensorRingAls([[1, NaN], [1, 2]], 1)).toThrow(NonFiniteError);
    expect(() => tensorRingAlsSampled(t, 2, 0)).toThrow(ArgumentError);
    expect(() => tensorRingAlsSampled(t, 2, [3, 3])).toThrow(ArgumentError);
    expect(() => tensorRingAlsSampled(t, 2, 5, { lsSolve: 'lstsq' } as any)).toThrow(/unknown option 'lsSolve'/);
    expect(() => tensorRingAlsSampled(t, 2, 5, { uniformSampling: 1 as any })).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    disposeAll([t, wrong]);
  });
});
