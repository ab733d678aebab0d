import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, RankError, ShapeError, randomTt, tensorTrain, tensorTrainMatrix } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');
const ttCases = file.cases.filter((c) => c.name.startsWith('tensor_train'));

describe('tensorTrain / tensorTrainMatrix: fixtures (TensorLy 0.9 TT-SVD)', () => {
  it('covers every tensor_train case', () => {
    expect(ttCases.length).toBe(6);
  });
  for (const c of ttCases) {
    it(c.name, () => {
      const t = fx(c.inputs.tensor);
      const isMatrix = c.name.startsWith('tensor_train_matrix');
      const tt = isMatrix ? tensorTrainMatrix(t, c.inputs.rank) : tensorTrain(t, c.inputs.rank);
      if (c.expected.resolved_rank) expect(tt.rank).toEqual(c.expected.resolved_rank);
      // svd_flip'ed cores are unique (single-step algebra): compare them directly.
      c.expected.factors.forEach((f: { shape: number[]; data: number[] }, i: number) => {
        expectClose(tt.cores[i], f, f32Tolerance(f.data, c.tolerance, 1e-3, 1e-4), `cores[${i}]`);
      });
      const rec = tt.toTensor();
      expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance), 'reconstruction');
      const err = relError(rec, t);
      if (c.expected.max_relative_error !== undefined) {
        // TensorLy asserts < 1e-9 in float64; in float32 the bar is float32 precision.
        expect(err).toBeLessThan(1e-6);
      } else {
        expect(Math.abs(err - c.expected.final_relative_error)).toBeLessThan(1e-5 + 1e-4 * c.expected.final_relative_error);
      }
      tf.dispose([t, rec]);
      tt.dispose();
    });
  }
});

describe('tensorTrain: behaviour', () => {
  it('a single-mode TT-matrix is one (1, in, out, 1) core', () => {
    const m = tf.tidy(() => tf.reshape(tf.range(0, 12), [3, 4]));
    const ttm = tensorTrainMatrix(m, 2);
    expect(ttm.cores.map((c) => c.shape)).toEqual([[1, 3, 4, 1]]);
    const rec = ttm.toTensor();
    expectClose(rec, m.dataSync(), { rtol: 0, atol: 0 }, 'exact');
    tf.dispose([m, rec]);
    ttm.dispose();
  });

  it('gram and randomized SVDs give the same TT on a low-rank tensor', () => {
    const t = randomTt([9, 8, 10, 7], [1, 3, 4, 2, 1], { full: true, seed: 3 });
    const ref = tensorTrain(t, [1, 3, 4, 2, 1]);
    for (const svd of ['gram', 'randomized', 'symeig_svd'] as const) {
      const tt = tensorTrain(t, [1, 3, 4, 2, 1], { svd, seed: 1 });
      const [a, b] = [tt.toTensor(), ref.toTensor()];
      expect(relError(a, b), svd).toBeLessThan(1e-4);
      tf.dispose([a, b]);
      tt.dispose();
    }
    ref.dispose();
    t.dispose();
  });

  it('throws typed errors', () => {
    expect(() => tensorTrain(tf.tensor([[1, NaN]]), 1)).toThrow(NonFiniteError);
    expect(() => tensorTrain(tf.ones([3, 4, 5]), [1, 2, 1])).toThrow(RankError);
    expect(() => tensorTrain(tf.ones([3, 4, 5]), [2, 2, 2, 1])).toThrow(RankError);
    expect(() => tensorTrain(tf.ones([3, 4, 5]), 0)).toThrow(RankError);
    expect(() => tensorTrain(tf.ones([3, 4, 5]), 2, { svd: 'qr' as never })).toThrow(ArgumentError);
    expect(() => tensorTrain(tf.ones([3, 4, 5]), 2, { tol: 1 } as never)).toThrow(ArgumentError);
    expect(() => tensorTrainMatrix(tf.ones([2, 3, 4]), 2)).toThrow(ShapeError);
  });

  it('does not leak', () => {
    const t = randomTt([5, 6, 4], 2, { full: true, seed: 1 });
    expectNoLeak(() => tensorTrain(t, 2));
    expectNoLeak(() => tensorTrain(t, 'same', { svd: 'gram' }));
    expectNoLeak(() => tensorTrain(t.arraySync() as number[][][], [1, 2, 3, 1]));
    const m = tf.ones([2, 3, 4, 2]);
    expectNoLeak(() => tensorTrainMatrix(m, 2));
    m.dispose();
    expectNoLeak(() => tensorTrainMatrix([[1, 2], [3, 4]], 1));
    t.dispose();
  });
});

describe('tensorTrain: properties', () => {
  it('TT-SVD at full rank is exact to float32 precision', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1000 }), (shape, seed) => {
        const t = tf.randomNormal(shape, 0, 1, 'float32', seed);
        const tt = tensorTrain(t, 10000);
        const rec = tt.toTensor();
        const e = relError(rec, t);
        tf.dispose([t, rec]);
        tt.dispose();
        return e < 2e-6;
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  it('recovers a random TT tensor at its rank (relative error < 1e-3)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 3, max: 7 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (shape, r, seed) => {
        const t = randomTt(shape, r, { full: true, seed });
        const tt = tensorTrain(t, r);
        const rec = tt.toTensor();
        const e = relError(rec, t);
        tf.dispose([t, rec]);
        tt.dispose();
        return e < 1e-3;
      }),
      { numRuns: 20, seed: 6 },
    );
  });
});
