import { it } from 'vitest';
import { tf, parafac } from '@tenfold/core';
import { FactorizedLinear } from '../../src/index.js';
it('dbg', () => {
  const steps: Record<string, () => void> = {
    source: () => { const s = new FactorizedLinear({ inTensorizedFeatures: [4, 4, 16], outTensorizedFeatures: [4, 8, 16], factorization: 'tucker', rank: [2, 4, 6, 2, 2, 6], seed: 1 }); const w = s.weight.toMatrix(); w.dispose(); s.dispose(); },
    tuckerFrom: () => { const w = tf.randomNormal([512, 256]); const l = FactorizedLinear.fromLinear({ weight: w }, { factorization: 'tucker', rank: 0.1 }); w.dispose(); l.dispose(); },
    tuckerApply: () => { const l = new FactorizedLinear({ inTensorizedFeatures: [4, 4, 16], outTensorizedFeatures: [4, 8, 16], factorization: 'tucker', rank: 0.1, seed: 1 }); const x = tf.randomNormal([64, 256]); const y = l.apply(x); const f = l.flops(64); l.plan(64, 'factorized'); tf.dispose([x, y]); l.dispose(); },
  };
  const which = (process.env.DBG ?? 'source,tuckerFrom,tuckerApply').split(',');
  for (const k of which) steps[k]();
  const t = tf.randomNormal([4, 8, 16, 4, 4, 16], 0, 1, 'float32', 1);
  try { const cp = parafac(t, 252, { nIterMax: 20, init: 'random', seed: 0, l2Reg: 1e-5 }); console.log('OK', which); cp.dispose(); } catch (e) { console.log('FAIL', which, (e as Error).message); }
}, 600000);
