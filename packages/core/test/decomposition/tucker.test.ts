import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  ArgumentError,
  ModeError,
  NonFiniteError,
  RankError,
  ShapeError,
  TuckerTensor,
  partialTucker,
  randomTucker,
  tucker,
  validateTuckerRank,
} from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';
import { expectErrorsClose } from './helpers.js';

const file = loadFixtures('decompositions');

function expectFactorsEtc(c: any, core: tf.Tensor, factors: tf.Tensor[], rec: tf.Tensor, errors: number[]): void {
  expectErrorsClose(errors, c.expected.rec_errors.data, 'rec_errors');
  expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance, 1e-3), 'reconstruction');
  // svd_flip'ed HOSVD/HOOI factors are unique: compare them and the core directly.
  c.expected.factors.forEach((f: any, i: number) => expectClose(factors[i], f, f32Tolerance(f.data, c.tolerance, 1e-3, 1e-4), `factors[${i}]`));
  expectClose(core, c.expected.core, f32Tolerance(c.expected.core.data, c.tolerance, 1e-3, 1e-4), 'core');
}

describe('tucker: fixtures (TensorLy 0.9 HOOI)', () => {
  for (const name of ['tucker_hooi_10x12x9_rank343_iter1', 'tucker_hooi_10x12x9_rank343_iter10']) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const t = fx(c.inputs.tensor);
      const { tucker: tk, errors } = tucker(t, c.inputs.rank, { nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, init: c.inputs.init, returnErrors: true });
      const rec = tk.toTensor();
      expectFactorsEtc(c, tk.core, tk.factors, rec, errors);
      tf.dispose([t, rec]);
      tk.dispose();
    });
  }
  it('partial_tucker_10x12x9_modes01_rank34_iter10', () => {
    const c = fixtureCase(file, 'partial_tucker_10x12x9_modes01_rank34_iter10');
    const t = fx(c.inputs.tensor);
    const res = partialTucker(t, c.inputs.rank, { modes: c.inputs.modes, nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, init: c.inputs.init });
    expect(res.modes).toEqual([0, 1]);
    expect(res.core.shape).toEqual([3, 4, 9]);
    const rec = tf.tidy(() => {
      const tk = { core: res.core, factors: [...res.factors, tf.eye(9) as tf.Tensor2D] };
      return new TuckerTensor(tf.clone(tk.core), tk.factors.map((f) => tf.clone(f))).toTensor();
    });
    expectFactorsEtc(c, res.core, res.factors, rec, res.errors);
    tf.dispose([t, rec]);
    res.dispose();
  });
});

describe('tucker: options', () => {
  it('resolves rank "same", fractions and ints like validateTuckerRank', () => {
    const t = randomTucker([6, 5, 4], [2, 2, 2], { full: true, seed: 1 });
    for (const rank of ['same', 0.5, 2] as const) {
      const tk = tucker(t, rank, { nIterMax: 2 });
      expect(tk.rank).toEqual(validateTuckerRank([6, 5, 4], rank).map((r, i) => Math.min(r, [6, 5, 4][i])));
      tk.dispose();
    }
    t.dispose();
  });

  it('random init, gram and randomized SVD inits reach the HOSVD error', () => {
    const t = tf.tidy(() => tf.add(randomTucker([8, 7, 6], [3, 3, 2], { full: true, seed: 2 }), tf.randomNormal([8, 7, 6], 0, 1e-3, 'float32', 1)));
    const ref = tucker(t, [3, 3, 2], { returnErrors: true });
    for (const opts of [{ init: 'random' as const, seed: 3, nIterMax: 200, tol: 1e-8 }, { svd: 'gram' as const }, { svd: 'randomized' as const, seed: 4 }]) {
      const { tucker: tk, errors } = tucker(t, [3, 3, 2], { ...opts, returnErrors: true });
      expect(errors.at(-1)!, JSON.stringify(opts)).toBeLessThan(ref.errors.at(-1)! * 1.01 + 1e-5);
      tk.dispose();
    }
    ref.tucker.dispose();
    t.dispose();
  });

  it('keeps fixed factors from the init and fits the others', () => {
    const t = randomTucker([6, 5, 4], [2, 2, 2], { full: true, seed: 5 });
    const init = tucker(t, [2, 2, 2], { nIterMax: 0 });
    const tk = tucker(t, [2, 2, 2], { init, fixedFactors: [1], nIterMax: 10 });
    expectClose(tk.factors[1], init.factors[1].dataSync(), { rtol: 0, atol: 0 }, 'fixed factor');
    const rec = tk.toTensor();
    expect(relError(rec, t)).toBeLessThan(1e-4);
    tf.dispose([t, rec]);
    init.dispose();
    tk.dispose();
  });

  it('masked HOOI recovers 10% missing entries of a rank-(2,2,2) tensor', () => {
    const truth = randomTucker([8, 7, 6], [2, 2, 2], { seed: 6, orthogonal: true });
    const full = truth.toTensor();
    const mask = tf.tensor(new Float32Array(8 * 7 * 6).map((_, i) => (((i * 2654435761) >>> 0) % 100 < 10 ? 0 : 1)), [8, 7, 6]);
    const corrupted = tf.tidy(() => tf.mul(full, mask));
    const tk = tucker(corrupted, [2, 2, 2], { mask, nIterMax: 300, tol: 0 });
    const rec = tk.toTensor();
    expect(relError(rec, full)).toBeLessThan(1e-4);
    tf.dispose([full, mask, corrupted, rec]);
    truth.dispose();
    tk.dispose();
  });

  // TensorLy's test_masked_tucker: an all-ones mask changes nothing; a masked outlier is ignored.
  it('masked HOOI: an all-ones mask equals the unmasked fit', () => {
    const t = randomTucker([3, 3, 3], [3, 3, 3], { full: true, seed: 1234 });
    const ones = tf.ones([3, 3, 3]);
    const a = tucker(t, [2, 2, 2], { mask: ones });
    const b = tucker(t, [2, 2, 2]);
    const [ra, rb] = [a.toTensor(), b.toTensor()];
    expect(tf.tidy(() => tf.norm(tf.sub(ra, rb)).dataSync()[0])).toBeLessThan(1e-3);
    tf.dispose([t, ones, ra, rb]);
    a.dispose();
    b.dispose();
  });

  it('masked HOOI ignores a masked outlier (rank (1,1,1), 5x5x5)', () => {
    const t = randomTucker([5, 5, 5], [1, 1, 1], { full: true, seed: 1234 });
    const maskData = new Float32Array(125).fill(1);
    maskData[0] = 0;
    const mask = tf.tensor(maskData, [5, 5, 5]);
    const corrupted = tf.tidy(() => tf.add(tf.mul(t, mask), tf.mul(tf.sub(1, mask), 1.0)));
    const viaSvd = tucker(corrupted, [1, 1, 1], { mask, init: 'svd' });
    const viaRandom = tucker(corrupted, [1, 1, 1], { mask, init: 'random', seed: 1234 });
    const rec = viaRandom.toTensor();
    expect(tf.tidy(() => tf.norm(tf.sub(rec, t)).dataSync()[0])).toBeLessThan(1e-3);
    tf.dispose([t, mask, corrupted, rec]);
    viaSvd.dispose();
    viaRandom.dispose();
  });

  it('calls the callback after each sweep and stops when it returns true', () => {
    const t = randomTucker([6, 5, 4], [2, 2, 2], { full: true, seed: 7 });
    const seen: number[] = [];
    const { tucker: tk, errors } = tucker(t, [2, 2, 2], { tol: 0, nIterMax: 10, returnErrors: true, callback: ({ iteration }) => (seen.push(iteration), iteration === 2) });
    expect(seen).toEqual([1, 2]);
    expect(errors.length).toBe(2);
    tk.dispose();
    t.dispose();
  });

  it('tests tol from the third sweep on', () => {
    const t = randomTucker([6, 5, 4], [2, 2, 2], { full: true, seed: 8 });
    const { tucker: tk, errors } = tucker(t, [2, 2, 2], { tol: 1, returnErrors: true });
    expect(errors.length).toBe(3);
    tk.dispose();
    t.dispose();
  });

  it('large tensors (> 1e6 entries, rotated copy for the last mode) recover a Tucker tensor', () => {
    const t = randomTucker([110, 100, 100], [3, 4, 2], { full: true, seed: 10 });
    const { tucker: tk, errors } = tucker(t, [3, 4, 2], { nIterMax: 3, tol: 0, returnErrors: true });
    const rec = tk.toTensor();
    expect(relError(rec, t)).toBeLessThan(1e-4);
    expect(errors.length).toBe(3);
    tf.dispose([t, rec]);
    tk.dispose();
  });

  it('clamps a rank larger than a mode to the mode size', () => {
    const t = randomTucker([6, 3, 4], [2, 2, 2], { full: true, seed: 9 });
    const tk = tucker(t, [2, 5, 2], { nIterMax: 3 });
    expect(tk.rank).toEqual([2, 3, 2]);
    tk.dispose();
    t.dispose();
  });
});

describe('tucker: input validation', () => {
  const t = () => tf.ones([3, 4, 5]);
  const cases: [string, () => unknown, new (...a: any[]) => Error][] = [
    ['NaN input', () => tucker(tf.tensor([[1, NaN], [2, 3]]), 1), NonFiniteError],
    ['1-D input', () => tucker([1, 2, 3], 1), ShapeError],
    ['rank 0', () => tucker(t(), 0), RankError],
    ['rank list length', () => tucker(t(), [2, 2]), RankError],
    ['rank list entry', () => tucker(t(), [2, 0, 2]), RankError],
    ['unknown option', () => tucker(t(), 2, { modes: [0] } as never), ArgumentError],
    ['bad nIterMax', () => tucker(t(), 2, { nIterMax: 2.5 }), ArgumentError],
    ['bad init', () => tucker(t(), 2, { init: 'hosvd' as never }), ArgumentError],
    ['fixedFactors without init', () => tucker(t(), 2, { fixedFactors: [0] }), ArgumentError],
    ['fixedFactors out of range', () => tucker(t(), 2, { fixedFactors: [7] }), ModeError],
    ['init core shape', () => tucker(t(), 2, { init: { core: tf.ones([2, 2]), factors: [tf.ones([3, 2]), tf.ones([4, 2]), tf.ones([5, 2])] } }), ShapeError],
    ['mask shape', () => tucker(t(), 2, { mask: tf.ones([3, 4]) }), ShapeError],
    ['partial modes repeated', () => partialTucker(t(), 2, { modes: [0, 0] }), ModeError],
    ['partial modes empty', () => partialTucker(t(), 2, { modes: [] }), ArgumentError],
    ['partial rank list length', () => partialTucker(t(), [2, 2, 2], { modes: [0, 1] }), RankError],
  ];
  for (const [label, fn, type] of cases) {
    it(`throws ${type.name} for ${label}`, () => {
      expect(fn).toThrow(type);
    });
  }
});

describe('tucker: no leaks', () => {
  const t = randomTucker([5, 6, 4], [2, 2, 2], { full: true, seed: 2 });
  const mask = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([5, 6, 4], 0, 1, 'float32', 3), 0.2), 'float32'));
  for (const [label, opts] of [
    ['svd', {}],
    ['random', { init: 'random', seed: 1 }],
    ['mask', { mask, nIterMax: 5 }],
    ['returnErrors', { returnErrors: true, nIterMax: 3 }],
  ] as [string, object][]) {
    it(`tucker ${label}`, () => {
      expectNoLeak(() => tucker(t, [2, 2, 2], opts as never));
    });
  }
  it('tucker fixedFactors and partialTucker', () => {
    const init = tucker(t, [2, 2, 2], { nIterMax: 0 });
    expectNoLeak(() => tucker(t, [2, 2, 2], { init, fixedFactors: [0, 2], nIterMax: 3 }));
    expectNoLeak(() => partialTucker(t, [2, 3], { modes: [2, 0], nIterMax: 3 }));
    expectNoLeak(() => partialTucker(t.arraySync() as number[][][], 2, { modes: [1], mask, nIterMax: 3 }));
    init.dispose();
  });
});

describe('tucker: properties', () => {
  it('recovers a random Tucker tensor of rank r at rank r (relative error < 1e-3)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 3, max: 8 }), { minLength: 3, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, seed) => {
          const rank = shape.map((d) => Math.max(1, Math.min(d - 1, 1 + (seed % 3))));
          const t = randomTucker(shape, rank, { full: true, seed });
          const tk = tucker(t, rank, { nIterMax: 5 });
          const rec = tk.toTensor();
          const e = relError(rec, t);
          tf.dispose([t, rec]);
          tk.dispose();
          return e < 1e-3;
        },
      ),
      { numRuns: 15, seed: 3 },
    );
  });
});
