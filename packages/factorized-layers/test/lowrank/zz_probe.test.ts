import { it } from 'vitest';
import { svd, tf } from '@tenfold/core';
import { factorizeMatrix } from '@tenfold/factorized-layers';
it('probe', () => {
  const w = tf.randomNormal([1024, 1024]);
  for (const method of ['truncated', 'randomized', 'gram'] as const) {
    const t0 = performance.now();
    try { const r = svd(w, { rank: 256, method }); r.u.dataSync(); console.log(method, ((performance.now() - t0) / 1000).toFixed(2), 's'); tf.dispose([r.u, r.s, r.vt]); } catch (e) { console.log(method, 'ERR', (e as Error).message); }
  }
  const x = tf.randomNormal([4096, 1024]);
  const y = tf.matMul(x, w);
  const t0 = performance.now();
  const s = factorizeMatrix(x, y, w, { rank: 256 });
  console.log('factorizeMatrix', ((performance.now() - t0) / 1000).toFixed(2), 's nmse', s.nmse);
}, 300000);
