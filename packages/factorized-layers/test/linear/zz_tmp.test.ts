import { it } from 'vitest';
import { tf } from '@tenfold/core';
import { FactorizedLinear } from '../../src/index.js';
it('dbg', () => {
  const layer = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: 'tucker', rank: 'same', nLayers: 2, seed: 3 });
  console.log('rank', layer.rank, layer.weight.params.kind === 'tucker' && layer.weight.params.core.shape);
  try { layer.weight.toMatrix(); } catch (e) { console.log('toMatrix', (e as Error).stack?.split('\n').slice(0,8).join('\n')); }
  try { layer.apply(tf.ones([1, 9]), 1); } catch (e) { console.log('apply', (e as Error).stack?.split('\n').slice(0,8).join('\n')); }
});
