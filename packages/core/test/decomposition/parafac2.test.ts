import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  AbortedError,
  ArgumentError,
  ModeError,
  NonFiniteError,
  Parafac2Tensor,
  RankError,
  ShapeError,
  parafac2,
  randomParafac2,
  type Parafac2Options,
} from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, type FixtureCase } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions2');
const PARAFAC2_CASES = file.cases.filter((c) => c.name.startsWith('parafac2_') && !c.name.startsWith('parafac2_to_'));

/** ||X - X_hat|| / ||X|| over all slices, in float64 on the host. */
function relErrorSlices(xs: tf.Tensor[], ys: tf.Tensor[]): number {
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    const a = x.dataSync();
    const b = ys[i].dataSync();
    for (let k = 0; k < a.length; k++) {
      num += (a[k] - b[k]) ** 2;
      den += a[k] * a[k];
    }
  });
  return Math.sqrt(num / den);
}

function optionsOf(c: FixtureCase): Parafac2Options {
  const i = c.inputs;
  const o: Parafac2Options = { nIterMax: i.n_iter_max, tol: i.tol, nIterParafac: i.n_iter_parafac, linesearch: i.linesearch };
  if (i.normalize_factors !== undefined) o.normalizeFactors = i.normalize_factors;
  if (i.nn_modes !== undefined) o.nnModes = i.nn_modes;
  if (i.init_decomposition) {
    const d = i.init_decomposition;
    o.init = new Parafac2Tensor(fx(d.weights), d.factors.map(fx), d.projections.map(fx));
  } else {
    o.init = i.init;
  }
  return o;
}

/** Errors of the identity in float32-rounded data: about 1e-8 absolute on errors ~1e-2. */
const ERR_ATOL = 2e-7;

describe('parafac2: fixtures (decompositions2.json, TensorLy 0.9)', () => {
  it('covers every parafac2 decomposition case', () => {
    expect(PARAFAC2_CASES.map((c) => c.name).sort()).toEqual([
      'parafac2_4slices_rank2_random_init_seed5',
      'parafac2_4slices_rank2_svd_init',
      'parafac2_4slices_rank2_svd_init_iter5_no_linesearch',
      'parafac2_4slices_rank2_svd_init_nn_modes_0_2',
      'parafac2_4slices_rank2_svd_init_normalize',
      'parafac2_column_mismatch',
      'parafac2_nn_modes_all_linesearch_bug',
      'parafac2_rank_exceeds_columns',
    ]);
  });

  // The note: the algorithm is deterministic, so a port with the same updates compares
  // weights, factors and projections; the inputs reach us rounded to float32 (about 1e-8
  // relative), which moves the results by about 1e-7 relative, so rtol 1e-4 (HALS: 1e-3).
  const RUNS = [
    'parafac2_4slices_rank2_svd_init_iter5_no_linesearch',
    'parafac2_4slices_rank2_svd_init',
    'parafac2_4slices_rank2_svd_init_normalize',
    'parafac2_4slices_rank2_svd_init_nn_modes_0_2',
    'parafac2_4slices_rank2_random_init_seed5',
  ];
  for (const name of RUNS) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const e = c.expected;
      const slices = (c.inputs.tensor_slices as any[]).map(fx);
      const o = optionsOf(c);
      const { decomposition: d, errors } = parafac2(slices, c.inputs.rank, { ...o, returnErrors: true });
      const minRtol = name.includes('nn_modes') ? 1e-3 : 1e-4;
      const tol = (x: ArrayLike<number>) => f32Tolerance(x, c.tolerance, minRtol);
      // Same iteration count and the same error sequence (line-search replacements included).
      expect(errors.length).toBe(e.rec_errors.data.length);
      expect(errors.length).toBe(e.n_iterations);
      errors.forEach((err, k) => expect(Math.abs(err - e.rec_errors.data[k]), `rec_errors[${k}]`).toBeLessThan(ERR_ATOL));
      expect(Math.abs(errors.at(-1)! - e.final_relative_error)).toBeLessThan(ERR_ATOL);
      // Reconstructions (unique), then the factors (deterministic updates).
      const rec = d.toSlices();
      (e.reconstructed_slices as any[]).forEach((s, k) => expectClose(rec[k], s, tol(s.data), `slice ${k}`));
      expectClose(d.weights, e.weights, tol(e.weights.data), 'weights');
      (e.factors as any[]).forEach((f, k) => expectClose(d.factors[k], f, tol(f.data), `factors[${k}]`));
      (e.projections as any[]).forEach((p, k) => expectClose(d.projections[k], p, tol(p.data), `projections[${k}]`));
      // The reported error is the reconstruction's.
      expect(Math.abs(relErrorSlices(slices, rec) - errors.at(-1)!)).toBeLessThan(ERR_ATOL);
      if (o.nnModes) for (const k of [0, 2]) expect(Math.min(...d.factors[k].dataSync())).toBeGreaterThanOrEqual(0);
      tf.dispose([...slices, ...rec]);
      d.dispose();
      if (o.init instanceof Parafac2Tensor) o.init.dispose();
    });
  }

  it('parafac2_nn_modes_all_linesearch_bug: fixed, nnModes "all" constrains A, B and C', () => {
    const c = fixtureCase(file, 'parafac2_nn_modes_all_linesearch_bug');
    expect(c.expected_error.type).toBe('TypeError');
    const slices = (c.inputs.tensor_slices as any[]).map(fx);
    const run = (nnModes: 'all' | number[]) =>
      parafac2(slices, c.inputs.rank, { init: c.inputs.init, nIterMax: c.inputs.n_iter_max, nnModes, returnErrors: true });
    const { decomposition: d, errors } = expectNoLeak(() => run('all'));
    const again = run('all');
    // Past the first line search (0-based iteration 6), where TensorLy raises.
    expect(errors.length).toBeGreaterThan(7);
    for (const f of again.decomposition.factors) expect(Math.min(...f.dataSync())).toBeGreaterThanOrEqual(0);
    // 'all' is [0, 1, 2].
    const listed = run([0, 1, 2]);
    expect(listed.errors).toEqual(again.errors);
    const rec = again.decomposition.toSlices();
    expect(Math.abs(relErrorSlices(slices, rec) - again.errors.at(-1)!)).toBeLessThan(ERR_ATOL);
    // Constraining B as well cannot fit better than constraining A and C only (anchor's nn_modes [0, 2] error).
    const nn02 = fixtureCase(file, 'parafac2_4slices_rank2_svd_init_nn_modes_0_2').expected.final_relative_error;
    expect(again.errors.at(-1)!).toBeGreaterThanOrEqual(nn02 - 1e-6);
    expect(errors).toEqual(again.errors);
    tf.dispose([...slices, ...rec]);
    [d, again.decomposition, listed.decomposition].forEach((x) => x.dispose());
  });

  it('parafac2_rank_exceeds_columns: RankError', () => {
    const c = fixtureCase(file, 'parafac2_rank_exceeds_columns');
    expect(c.expected_error.type).toBe('AssertionError');
    const slices = (c.inputs.tensor_slices as any[]).map(fx);
    expectNoLeak(() => {
      expect(() => parafac2(slices, c.inputs.rank)).toThrow(RankError);
    });
    expect(() => parafac2(slices, c.inputs.rank)).toThrow(/rank \(6\) cannot be greater than the number of columns in each tensor slice \(5\)/);
    tf.dispose(slices);
  });

  it('parafac2_column_mismatch: ShapeError naming the slice', () => {
    const c = fixtureCase(file, 'parafac2_column_mismatch');
    expect(c.expected_error.type).toBe('AssertionError');
    const slices = (c.inputs.tensor_slices as any[]).map(fx);
    expectNoLeak(() => {
      expect(() => parafac2(slices, c.inputs.rank)).toThrow(ShapeError);
    });
    expect(() => parafac2(slices, c.inputs.rank)).toThrow(/tensorSlices\[1\]/);
    // Nested arrays are converted (and released) by parafac2 itself.
    const nested = slices.map((s) => s.arraySync() as number[][]);
    expectNoLeak(() => {
      expect(() => parafac2(nested, c.inputs.rank)).toThrow(ShapeError);
    });
    tf.dispose(slices);
  });
});

describe('parafac2: properties (fast-check)', () => {
  it('recovers a randomParafac2 tensor at its rank; projections are orthonormal; ragged slices', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.array(fc.integer({ min: 4, max: 9 }), { minLength: 3, maxLength: 6 }),
          K: fc.integer({ min: 4, max: 8 }),
          rank: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        ({ rows, K, rank, seed }) => {
          const truth = randomParafac2(rows.map((J) => [J, K]), rank, { seed });
          const slices = truth.toSlices();
          const best = [1, 2, 3].reduce<{ err: number; d: Parafac2Tensor | null }>((acc, s) => {
            const { decomposition, errors } = parafac2(slices, rank, { init: 'random', seed: seed + s, nIterMax: 500, tol: 1e-12, returnErrors: true });
            if (errors.at(-1)! < acc.err) {
              acc.d?.dispose();
              return { err: errors.at(-1)!, d: decomposition };
            }
            decomposition.dispose();
            return acc;
          }, { err: Infinity, d: null });
          const d = best.d as Parafac2Tensor;
          // The reported error is the reconstruction's, and it is small.
          const rec = d.toSlices();
          const err = relErrorSlices(slices, rec);
          expect(Math.abs(err - best.err)).toBeLessThan(1e-5);
          expect(err).toBeLessThan(1e-2);
          expect(d.sliceShapes.map((s) => s[0])).toEqual(rows);
          for (const P of d.projections) {
            const dev = tf.tidy(() => tf.sub(tf.matMul(P, P, true, false), tf.eye(rank)).abs().max().dataSync()[0]);
            expect(dev).toBeLessThan(1e-5);
          }
          tf.dispose([...slices, ...rec]);
          d.dispose();
          truth.dispose();
        },
      ),
      { numRuns: 8 },
    );
  });

  it('without line search the errors never increase (ALS is monotone)', () => {
    const truth = randomParafac2([[6, 5], [8, 5], [7, 5], [5, 5]], 2, { seed: 3 });
    const slices = truth.toSlices().map((s, i) => tf.tidy(() => tf.add(s, tf.mul(0.05, tf.randomNormal(s.shape, 0, 1, 'float32', i)))));
    const { decomposition, errors } = parafac2(slices, 2, { init: 'svd', linesearch: false, nIterMax: 60, returnErrors: true });
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThanOrEqual(errors[k - 1] + 1e-12);
    tf.dispose(slices);
    decomposition.dispose();
    truth.dispose();
  });

  it('a zero slice (rank-deficient Procrustes problem) keeps orthonormal projections, on both routes', () => {
    for (const K of [4, 12]) {
      // K = 4: slices of 9 rows take the Gram route; K = 12: the direct route.
      const truth = randomParafac2([[9, K], [9, K], [9, K]], 2, { seed: K });
      const xs = truth.toSlices();
      const zero = tf.zerosLike(xs[1]);
      const input = [xs[0], zero, xs[2]];
      const { decomposition: d, errors } = parafac2(input, 2, { init: 'svd', nIterMax: 30, returnErrors: true });
      expect(errors.every((e) => Number.isFinite(e))).toBe(true);
      for (const P of d.projections) {
        const dev = tf.tidy(() => tf.sub(tf.matMul(P, P, true, false), tf.eye(2)).abs().max().dataSync()[0]);
        expect(dev).toBeLessThan(1e-5);
      }
      const rec = d.toSlices();
      expect(Math.abs(relErrorSlices(input, rec) - errors.at(-1)!)).toBeLessThan(1e-5);
      tf.dispose([...xs, zero, ...rec]);
      d.dispose();
      truth.dispose();
    }
  });

  it('a 3-D tensor gives the same result as its list of slices', () => {
    const t = randomParafac2([[5, 4], [5, 4], [5, 4]], 2, { seed: 11, full: true });
    const list = tf.unstack(t);
    const a = parafac2(t, 2, { init: 'svd', nIterMax: 20 });
    const b = parafac2(list, 2, { init: 'svd', nIterMax: 20 });
    expectClose(a.toTensor(), b.toTensor().dataSync(), { rtol: 0, atol: 0 }, '3-D vs list');
    tf.dispose([t, ...list]);
    a.dispose();
    b.dispose();
  });
});

describe('parafac2: options, bad input, ownership', () => {
  const slices = () => [tf.randomUniform([6, 5], 0, 1, 'float32', 1), tf.randomUniform([4, 5], 0, 1, 'float32', 2), tf.randomUniform([7, 5], 0, 1, 'float32', 3)];

  it('rejects bad input with typed errors naming the argument, before any work and without leaks', () => {
    const xs = slices();
    const withNaN = [xs[0], tf.tensor2d([[1, 2, 3, 4, NaN], [1, 2, 3, 4, 5]]), xs[2]];
    const vec = tf.ones([2]);
    const mat = tf.ones([3, 4]);
    expectNoLeak(() => {
      expect(() => parafac2(withNaN, 2)).toThrow(NonFiniteError);
      expect(() => parafac2(withNaN, 2)).toThrow(/tensorSlices\[1\]/);
      expect(() => parafac2(xs, 2, { nIter: 5 } as any)).toThrow(/unknown option 'nIter'/);
      expect(() => parafac2(xs, 2, { mask: xs[0] } as any)).toThrow(ArgumentError);
      expect(() => parafac2(xs, 0)).toThrow(RankError);
      expect(() => parafac2(xs, 2.5)).toThrow(RankError);
      expect(() => parafac2(xs, 5 as number)).toThrow(/rows in every slice.*tensorSlices\[1\] has 4/);
      expect(() => parafac2([], 2)).toThrow(ShapeError);
      expect(() => parafac2([xs[0], vec], 1)).toThrow(/tensorSlices\[1\] must be a non-empty matrix/);
      expect(() => parafac2(mat, 1)).toThrow(ShapeError);
      expect(() => parafac2(xs, 2, { nnModes: [3] })).toThrow(ModeError);
      expect(() => parafac2(xs, 2, { nnModes: 'some' as any })).toThrow(ModeError);
      expect(() => parafac2(xs, 2, { init: 'hosvd' as any })).toThrow(/init must be/);
      expect(() => parafac2(xs, 2, { nIterMax: -1 })).toThrow(/nIterMax/);
      expect(() => parafac2(xs, 2, { nIterParafac: 0 })).toThrow(/nIterParafac/);
      expect(() => parafac2(xs, 2, { tol: NaN })).toThrow(/tol/);
      expect(() => parafac2(xs, 2, { linesearch: 1 as any })).toThrow(/linesearch/);
      expect(() => parafac2(xs, 2, { callback: 3 as any })).toThrow(/callback/);
      expect(() => parafac2(xs, 2, { signal: {} as any })).toThrow(/signal/);
    });
    tf.dispose([withNaN[1], vec, mat]);
    // An init that does not fit the slices.
    const other = randomParafac2([[6, 5], [4, 5]], 2, { seed: 1 });
    const rank3 = randomParafac2([[6, 5], [4, 5], [7, 5]], 3, { seed: 1 });
    expectNoLeak(() => {
      expect(() => parafac2(xs, 2, { init: other })).toThrow(ShapeError);
      expect(() => parafac2(xs, 2, { init: rank3 })).toThrow(RankError);
    });
    other.dispose();
    expect(() => parafac2(xs, 2, { init: other })).toThrow(/disposed/);
    rank3.dispose();
    tf.dispose(xs);
  });

  it('nIterMax 0 returns the init; a Parafac2Tensor init is not consumed', () => {
    const xs = slices();
    const init = randomParafac2([[6, 5], [4, 5], [7, 5]], 2, { seed: 4 });
    const d = expectNoLeak(() => parafac2(xs, 2, { init, nIterMax: 0 }));
    const d2 = parafac2(xs, 2, { init, nIterMax: 0 });
    expectClose(d2.toTensor(), init.toTensor().dataSync(), f32Tolerance(init.toTensor().dataSync()), 'init returned');
    expect(init.isDisposed).toBe(false);
    expect(d.isDisposed).toBe(true);
    d2.dispose();
    init.dispose();
    tf.dispose(xs);
  });

  it('random init is seeded; the callback sees every error and can stop; the signal aborts cleanly', () => {
    const xs = slices();
    const a = parafac2(xs, 2, { seed: 9, nIterMax: 30, returnErrors: true });
    const b = parafac2(xs, 2, { seed: 9, nIterMax: 30, returnErrors: true });
    expect(a.errors).toEqual(b.errors);
    const seen: { iteration: number; error: number }[] = [];
    const c = parafac2(xs, 2, { seed: 9, nIterMax: 30, returnErrors: true, callback: (info) => { seen.push(info); } });
    // Once before the first iteration, then after each one (line-search iterations included).
    expect(seen.map((s) => s.iteration)).toEqual([...Array(seen.length).keys()]);
    expect(c.errors).toEqual(a.errors);
    // The reported error at each iteration is TensorLy's rec_errors[-1] (replaced after an accepted line search).
    expect(seen.at(-1)!.error).toBe(c.errors.at(-1));
    const stopped = parafac2(xs, 2, { seed: 9, nIterMax: 30, returnErrors: true, callback: (info) => info.iteration >= 3 });
    expect(stopped.errors.length).toBe(3);
    expect(stopped.errors).toEqual(a.errors.slice(0, 3));
    const ctl = new AbortController();
    expectNoLeak(() => {
      expect(() => parafac2(xs, 2, { seed: 9, signal: ctl.signal, callback: (info) => { if (info.iteration === 2) ctl.abort(); } })).toThrow(AbortedError);
    });
    [a, b, c, stopped].forEach((r) => r.decomposition.dispose());
    tf.dispose(xs);
  });

  it('tol 0 runs every iteration and still reports errors (TensorLy: none, and its line search fails)', () => {
    const xs = slices();
    const { decomposition, errors } = parafac2(xs, 2, { init: 'svd', tol: 0, nIterMax: 12, returnErrors: true });
    // 12 iterations, line searches on 6, 8, 10 replace instead of append.
    expect(errors.length).toBe(9);
    expect(errors.every((e) => Number.isFinite(e))).toBe(true);
    decomposition.dispose();
    tf.dispose(xs);
  });
});
