import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { tucker, randomTucker } from '@tenfold/core';
import { relError } from '../../../../test-utils/index.js';
it('dbg', () => {
  const truth = randomTucker([8, 7, 6], [2, 2, 2], { seed: 6, orthogonal: true });
  const full = truth.toTensor();
  const mask = tf.tensor(new Float32Array(8 * 7 * 6).map((_, i) => (((i * 2654435761) >>> 0) % 100 < 10 ? 0 : 1)), [8, 7, 6]);
  const corrupted = tf.tidy(() => tf.mul(full, mask));
  const a = tucker(corrupted, [2, 2, 2], { mask, init: truth, nIterMax: 50, tol: 0, returnErrors: true });
  const ra = a.tucker.toTensor();
  console.log('from truth', a.errors.slice(0, 3), a.errors.at(-1), relError(ra, full));
  for (const p of [2, 5, 10, 20]) {
    const m2 = tf.tensor(new Float32Array(8 * 7 * 6).map((_, i) => (((i * 2654435761) >>> 0) % 100 < p ? 0 : 1)), [8, 7, 6]);
    const c2 = tf.mul(full, m2);
    const b = tucker(c2, [2, 2, 2], { mask: m2, nIterMax: 300, tol: 0, returnErrors: true });
    const rb = b.tucker.toTensor();
    console.log('missing%', p, b.errors.at(-1), relError(rb, full));
  }
});
