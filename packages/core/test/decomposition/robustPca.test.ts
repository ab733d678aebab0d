import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError, ArgumentError, NonFiniteError, ShapeError, robustPca } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions2');
const CASES = [
  'robust_pca_matrix_12x10_rank2_sparse6',
  'robust_pca_matrix_12x10_defaults',
  'robust_pca_tensor_6x7x5_cp2_sparse10',
  'robust_pca_tensor_6x7x5_cp2_sparse10_mask',
];

describe('robustPca: fixtures (TensorLy 0.9 robust_pca)', () => {
  for (const name of CASES) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const i = c.inputs;
      const x = fx(i.X);
      const mask = i.mask ? fx(i.mask) : undefined;
      const before = tf.memory().numTensors;
      const res = robustPca(x, {
        mask, tol: i.tol, regE: i.reg_E, regJ: i.reg_J, muInit: i.mu_init, muMax: i.mu_max,
        learningRate: i.learning_rate, nIterMax: i.n_iter_max, returnErrors: true,
      });
      expect(tf.memory().numTensors - before).toBe(2);
      // float32: D and E against the anchor's at float32 tolerance relative to the data's scale.
      const scale = Math.max(...i.X.data.map(Math.abs));
      const tol = { rtol: 1e-4, atol: 1e-5 * scale };
      expectClose(res.lowRank, c.expected.low_rank, tol, `${name} low_rank`);
      expectClose(res.sparse, c.expected.sparse, tol, `${name} sparse`);
      console.log(name, 'iters', res.errors!.length, 'vs', c.expected.n_iterations, 'relD', relError(res.lowRank, fx(c.expected.low_rank)));
      tf.dispose([x, res.lowRank, res.sparse]);
      mask?.dispose();
    });
  }
});

describe('robustPca: recovery, engine routes, options, bad input', () => {
  /** A rank-r matrix + sparse spikes of +-`spike` on a `frac` fraction of entries. */
  function lowPlusSparse(m: number, n: number, r: number, frac: number, spike: number) {
    return tf.tidy(() => {
      const low = tf.div(tf.matMul(tf.randomNormal([m, r], 0, 1, 'float32', 11), tf.randomNormal([r, n], 0, 1, 'float32', 12)), Math.sqrt(r));
      const hit = tf.cast(tf.less(tf.randomUniform([m, n], 0, 1, 'float32', 13), frac), 'float32');
      const sign = tf.sign(tf.randomNormal([m, n], 0, 1, 'float32', 14));
      const sparse = tf.mul(tf.mul(hit, sign), spike);
      return { low, sparse, x: tf.add(low, sparse) };
    });
  }

  for (const [m, n, label] of [[40, 30, 'host SVT'], [130, 100, 'Gram-route SVT (min side 100 > 96)']] as const) {
    it(`recovers a low-rank + sparse matrix (${m}x${n}, ${label})`, () => {
      const { low, sparse, x } = lowPlusSparse(m, n, 2, 0.05, 5);
      // tol 1e-4 ~ a few eps32 ||X||: the float32 residuals stop there.
      const res = robustPca(x, { learningRate: 1.2, muMax: 1e13, nIterMax: 200, tol: 1e-4, regJ: 1, regE: 2 / Math.sqrt(Math.max(m, n)), returnErrors: true });
      console.log(label, 'iterations', res.errors!.length);
      expect(relError(res.lowRank, low)).toBeLessThan(1e-3);
      expect(relError(res.sparse, sparse)).toBeLessThan(1e-3);
      tf.dispose([low, sparse, x, res.lowRank, res.sparse]);
    }, 300_000);
  }

  it('callback stops, returnErrors records ||X - D - E||, signal aborts, no leaks', () => {
    const { low, sparse, x } = lowPlusSparse(12, 10, 2, 0.05, 5);
    const r = expectNoLeak(() => robustPca(x, { nIterMax: 20, returnErrors: true, callback: ({ iteration }) => iteration === 7 }));
    expect(r.errors!.length).toBe(7);
    r.errors!.forEach((e) => expect(e).toBeGreaterThanOrEqual(0));
    const ctl = new AbortController();
    const before = tf.memory().numTensors;
    expect(() => robustPca(x, { nIterMax: 20, signal: ctl.signal, callback: ({ iteration }) => { if (iteration === 3) ctl.abort(); } })).toThrow(AbortedError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([low, sparse, x]);
  });

  it('bad input: typed errors naming the argument, before any work, no leak', () => {
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    const badMask = tf.ones([5, 6]);
    const before = tf.memory().numTensors;
    expect(() => robustPca(x, { mask: badMask })).toThrow(ShapeError);
    expect(() => robustPca(x, { mask: badMask })).toThrow(/mask must have the tensor's shape/);
    expect(() => robustPca(x, { mask: [[2, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]] })).toThrow(ArgumentError);
    expect(() => robustPca([[1, NaN], [2, 3]])).toThrow(NonFiniteError);
    expect(() => robustPca([1, 2, 3])).toThrow(ShapeError);
    expect(() => robustPca(x, { regj: 1 } as any)).toThrow(/unknown option 'regj'/);
    expect(() => robustPca(x, { muInit: 0 })).toThrow(/muInit/);
    expect(() => robustPca(x, { learningRate: 0.5 })).toThrow(/learningRate/);
    expect(() => robustPca(x, { nIterMax: 0 })).toThrow(/nIterMax/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, badMask]);
  });
});
