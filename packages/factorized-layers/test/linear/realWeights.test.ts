/**
 * BlockTT on a trained dense layer (face-api's 68-point landmark head, 136x256; see
 * test-utils/weights): the 'reconstructed' forward (W^T built by 4-D middle-axis swaps)
 * equals the 'factorized' contraction and x W_rec^T with W_rec from the TT-matrix itself.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { loadNpy } from '@tenfold/core/node';
import { FactorizedLinear } from '../../src/index.js';
import { expectNoLeak, relError, repoRoot } from '../../../../test-utils/index.js';

describe('BlockTT reconstructed forward on real weights', () => {
  it('matches the factorized forward and the dense product with the reconstructed matrix', async () => {
    const w = await loadNpy(path.join(repoRoot, 'test-utils', 'weights', 'face_landmark_68_fc.npy')); // (out 136, in 256)
    const x = tf.randomNormal([5, 256], 0, 1, 'float32', 7);
    for (const rank of [0.05, 0.5]) {
      const layer = FactorizedLinear.fromLinear(
        { weight: w, bias: null },
        { factorization: 'blocktt', rank, inTensorizedFeatures: [4, 8, 8], outTensorizedFeatures: [2, 4, 17], implementation: 'reconstructed' },
      );
      expectNoLeak(() => layer.apply(x));
      const yr = layer.apply(x);
      layer.implementation = 'factorized';
      const yf = layer.apply(x);
      const wm = layer.weight.toMatrix();
      const yd = tf.matMul(x, wm, false, true);
      expect(relError(yr, yf)).toBeLessThan(1e-5);
      expect(relError(yr, yd)).toBeLessThan(1e-5);
      tf.dispose([yr, yf, wm, yd]);
      layer.dispose();
    }
    tf.dispose([w, x]);
  });
});
