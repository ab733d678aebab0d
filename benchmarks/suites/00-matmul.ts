import { tf } from '@tenfold/core';
import type { Bench } from '../harness.js';

/** Matmul throughput of the active backend: the ceiling every other figure is read against. */
export default async function matmul(b: Bench): Promise<void> {
  for (const n of [256, 512, 1024]) {
    const x = tf.randomNormal([n, n]);
    const y = tf.randomNormal([n, n]);
    const seconds = await b.time(() => {
      const z = tf.matMul(x, y);
      z.dataSync();
      z.dispose();
    }, { repeats: 5 });
    b.emit({ workload: `matmul_${n}x${n}x${n}`, seconds, gflops: Number(((2 * n ** 3) / seconds / 1e9).toFixed(2)) });
    tf.dispose([x, y]);
  }
}
