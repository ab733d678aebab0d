/**
 * parafac on rank-deficient input: the singular R x R normal equations fall back to the
 * pseudo-inverse solve, and the decomposition reconstructs the input (an identity, not a
 * hard-coded number: ones([3, 4, 5]) is exactly rank 1).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cpToTensor, parafac, nonNegativeParafac, randomisedParafac } from '../../src/index.js';
import { hostLstsq, solveOrPinv, hostSolve } from '../../src/linalg/host.js';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

describe('rank-deficient CP', () => {
  for (const engine of ['auto', 'host', 'device'] as const) {
    it(`parafac(ones([3, 4, 5]), 2, engine '${engine}') reconstructs the input`, () => {
      const x = tf.ones([3, 4, 5]);
      const cp = expectNoLeak(() => parafac(x, 2, { engine }));
      const cp2 = parafac(x, 2, { engine });
      const rec = cpToTensor(cp2);
      expect(relError(rec, x)).toBeLessThan(1e-5);
      tf.dispose([x, rec]);
      cp2.dispose();
      expect(cp.isDisposed).toBe(true);
    });
  }
  it('nonNegativeParafac and randomisedParafac decompose ones([3, 4, 5]) at rank 2', () => {
    const x = tf.ones([3, 4, 5]);
    for (const cp of [nonNegativeParafac(x, 2), randomisedParafac(x, 2, 8, { seed: 1 })]) {
      const rec = cpToTensor(cp);
      expect(relError(rec, x)).toBeLessThan(1e-3);
      rec.dispose();
      cp.dispose();
    }
    x.dispose();
  });
  it('solveOrPinv: LU on a regular matrix, the minimum-norm lstsq solution on a singular one', () => {
    const a = { rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 3) };
    const b = { rows: 2, cols: 1, data: Float64Array.of(1, 2) };
    expect(Array.from(solveOrPinv(a, b).data)).toEqual(Array.from(hostSolve(a, b).data));
    const s = { rows: 2, cols: 2, data: Float64Array.of(1, 1, 1, 1) };
    const got = solveOrPinv(s, b).data;
    const want = hostLstsq(s, b).data;
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });
});
