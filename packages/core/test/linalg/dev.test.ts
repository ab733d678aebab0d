import { it } from 'vitest';
import { tf } from '@tenfold/core';
it('dev', () => {
  const m = 200000, n = 60;
  const a = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', 7)) as tf.Tensor2D;
  a.dataSync();
  const T = (label: string, f: () => tf.Tensor) => { const t0 = performance.now(); const r = f(); r.dataSync(); console.log(label, (performance.now() - t0).toFixed(1), 'ms'); r.dispose(); };
  for (let rep = 0; rep < 3; rep++) {
  T('gram AtA', () => tf.matMul(a, a, true, false));
  T('gram via explicit transpose', () => tf.tidy(() => tf.matMul(tf.transpose(a), a)));
  T('gram via AAt of transpose', () => tf.tidy(() => { const t = tf.transpose(a); return tf.matMul(t, t, false, true); }));
  T('gram batched 3d', () => tf.tidy(() => { const b = tf.reshape(a, [25, 8000, n]); return tf.sum(tf.matMul(b, b, true, false), 0); }));
  }
}, 600000);
