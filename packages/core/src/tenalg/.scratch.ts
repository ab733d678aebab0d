import { tf, initBackend } from '../index.js';
await initBackend('wasm');
function time(name: string, flops: number, f: () => tf.Tensor) {
  f().dispose();
  const t0 = performance.now(); let n = 0;
  while (performance.now() - t0 < 500) { const r = f(); r.dataSync(); r.dispose(); n++; }
  const s = (performance.now() - t0) / 1000 / n;
  console.log(name, (s * 1000).toFixed(2), 'ms', (flops / s / 1e9).toFixed(2), 'GFLOP/s');
}
const n = 512;
const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
time('nn', 2 * n ** 3, () => tf.matMul(a, b));
time('nt', 2 * n ** 3, () => tf.matMul(a, b, false, true));
time('tn', 2 * n ** 3, () => tf.matMul(a, b, true, false));
time('transpose copy + nn', 2 * n ** 3, () => tf.tidy(() => tf.matMul(a, tf.transpose(b))));
time('clone b + nn', 2 * n ** 3, () => tf.tidy(() => tf.matMul(a, tf.clone(b))));
const big = tf.randomNormal([64, 64, 64]);
time('transpose 262k', 0, () => tf.transpose(big, [0, 2, 1]));
time('clone 262k', 0, () => tf.clone(big));
const x3 = tf.randomNormal([64, 64, 64]); const m = tf.randomNormal([1, 32, 64]);
time('batched bcast 64x(32x64x64)', 2 * 64 * 32 * 64 * 64, () => tf.matMul(m, x3));
const c = tf.clone(a); console.log('clone new dataId', c.dataId !== a.dataId);
