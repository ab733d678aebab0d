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
