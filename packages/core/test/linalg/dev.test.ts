import { it } from 'vitest';
import { tf, svd } from '@tenfold/core';
import { engineStats } from '../../src/linalg/engine.js';
it('dev', () => {
  for (const [m, n] of [[2000, 500], [200000, 60]]) {
    const a = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', 7)) as tf.Tensor2D;
    a.dataSync();
    for (const [method, rank] of [['truncated', 20], ['truncated', 500], ['gram', 20], ['gram', 500], ['randomized', 20]] as const) {
      let best = 1e9;
      for (let rep = 0; rep < 2; rep++) {
        const c0 = process.cpuUsage(); const r = svd(a, { rank, method }); r.u.dataSync(); const c = process.cpuUsage(c0);
        best = Math.min(best, (c.user + c.system) / 1000);
        tf.dispose([r.u, r.s, r.vt]);
      }
      console.log(JSON.stringify({ m, n, method, rank, cpuMs: Math.round(best), stats: engineStats }));
    }
    a.dispose();
  }
}, 600000);
