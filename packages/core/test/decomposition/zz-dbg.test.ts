import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parafac, randomCp } from '@tenfold/core';
it('dbg', () => {
  Error.stackTraceLimit = 40;
  const t = randomCp([6, 7, 5], 3, { full: true, seed: 11 });
  const { cp } = parafac(t, 3, { nIterMax: 100, tol: 0, returnErrors: true });
  cp.dispose();
  console.log('first ok');
  for (let i = 0; i < 3; i++) { const c = parafac(t, 3, { svd: 'gram', nIterMax: 3 }); c.dispose(); console.log('gram ok', i); }
});
