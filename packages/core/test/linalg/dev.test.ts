import { it } from 'vitest';
import { tf, svd } from '@tenfold/core';
it('dev', () => {
  const a = tf.tidy(() => tf.randomNormal([2000, 500], 0, 1, 'float32', 7)) as tf.Tensor2D;
  a.dataSync();
  for (let rep = 0; rep < 2; rep++) {
    const c0 = process.cpuUsage(); const r = svd(a, { rank: 20 }); r.u.dataSync(); const c = process.cpuUsage(c0);
    console.log('total', ((c.user + c.system) / 1000).toFixed(0));
    tf.dispose([r.u, r.s, r.vt]);
  }
}, 600000);
