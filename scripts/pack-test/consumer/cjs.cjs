// CommonJS consumer of the packed tarballs.
const { ready, tf, parafac, randomCp, cpToTensor, norm, ShapeError, TenfoldError } = require('@tenfold/core');
const { estimateRank } = require('@tenfold/rank');
const { FactorizedLinear } = require('@tenfold/factorized-layers');

const syncBackend = tf.getBackend();
ready().then((info) => {
  const x = randomCp([6, 7, 8], 2, { full: true, seed: 1 });
  const cp = parafac(x, 2, { nIterMax: 200, tol: 1e-12, init: 'svd' });
  const relError = norm(tf.sub(cpToTensor(cp), x)) / norm(x);
  const est = estimateRank(tf.randomNormal([16, 12], 0, 1, 'float32', 3));
  let typed = false;
  try {
    parafac(tf.ones([3]), 2);
  } catch (e) {
    typed = e instanceof TenfoldError && e.name.endsWith('Error');
  }
  process.stdout.write(JSON.stringify({
    syncBackend, backend: info.name, relError, estRank: est.rank, typed,
    layer: typeof FactorizedLinear, shapeError: typeof ShapeError,
  }));
});
