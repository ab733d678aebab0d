import { it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { symmetricEigen } from '../src/symeig.js';
import { blockedSymmetricEigen } from '../src/blockedEig.js';
it('blocked', () => {
  for (const [n, b] of [[5, 2], [37, 8], [200, 16], [130, 32]]) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = Math.sin(i * 7.3 + j * 1.1) + (i === j ? (i % 5) : 0); a[i * n + j] = v; a[j * n + i] = v; }
    const ref = symmetricEigen(a.slice(), n);
    const g = tf.tensor2d(Float32Array.from(a), [n, n]);
    const before = tf.memory().numTensors;
    const mine = blockedSymmetricEigen(g, b);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
    let ev = 0; for (let i = 0; i < n; i++) ev = Math.max(ev, Math.abs(mine.values[i] - ref.values[i]));
    const k = 3; const v1 = mine.topVectors(k); const v0 = ref.topVectors(k);
    let vec = 0; for (let c = 0; c < k; c++) { let dot = 0; for (let i = 0; i < n; i++) dot += v1[i * k + c] * v0[i * k + c]; vec = Math.max(vec, 1 - Math.abs(dot)); }
    console.log(n, b, ev / Math.abs(ref.values[0]), vec);
    expect(ev / Math.abs(ref.values[0])).toBeLessThan(1e-5);
  }
});
