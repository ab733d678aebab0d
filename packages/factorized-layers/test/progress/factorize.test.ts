/**
 * Progress records and cancellation of the ALS sweeps of factorizeMatrix / factorizeConv2d
 * (docs/guide-progress.md): one record per sweep, total nIters, no error field.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { factorizeConv2d, factorizeMatrix } from '@tenfold/factorized-layers';
import { progressChecks } from '../../../../test-utils/progress.js';

const X = tf.randomNormal([40, 12], 0, 1, 'float32', 21);
const WA = tf.randomNormal([12, 10], 0, 0.3, 'float32', 22);
const Y = tf.matMul(X, WA);
const ACT = tf.randomNormal([2, 4, 6, 6], 0, 1, 'float32', 23);
const K = tf.randomNormal([8, 4, 3, 3], 0, 0.2, 'float32', 24);

describe('progress: factorizeMatrix', () => {
  progressChecks({
    name: 'factorizeMatrix',
    task: 'factorizeMatrix',
    total: 4,
    run: (e) => factorizeMatrix(X, Y, WA, { rank: 3, nIters: 4, ...e }),
  });
  it('a skip rule reports only step 0', () => {
    const steps: number[] = [];
    const sol = factorizeMatrix(X, Y, WA, { rank: 10, nIters: 4, onProgress: (r) => steps.push(r.step) });
    expect(sol.rank).toBe(-1);
    sol.dispose();
    expect(steps).toEqual([0]);
  });
});

describe('progress: factorizeConv2d', () => {
  progressChecks({
    name: 'factorizeConv2d',
    task: 'factorizeConv2d',
    total: 3,
    run: (e) => factorizeConv2d(ACT, K, { rank: 3, nIters: 3, padding: 1, ...e }),
  });
});
