// ESM consumer of the packed tarballs (the README example, checked).
import { ready, tf, parafac, randomCp, cpToTensor, norm } from '@tenfold/core';
import { estimateRank } from '@tenfold/rank';
import { FactorizedLinear } from '@tenfold/factorized-layers';

const syncBackend = tf.getBackend();
const info = await ready();
const x = randomCp([6, 7, 8], 2, { full: true, seed: 1 });
const cp = parafac(x, 2, { nIterMax: 200, tol: 1e-12, init: 'svd' });
const relError = norm(tf.sub(cpToTensor(cp), x)) / norm(x);
const est = estimateRank(tf.randomNormal([16, 12], 0, 1, 'float32', 3));
process.stdout.write(JSON.stringify({
  syncBackend, backend: info.name, relError, estRank: est.rank,
  layer: typeof FactorizedLinear, numBackends: tf.engine().backendNames().length,
}));
