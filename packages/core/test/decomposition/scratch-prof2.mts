import { tf, initBackend, randomCp } from '../../src/index.js';
import { MttkrpTree } from '../../src/decomposition/_mttkrp.js';
import { khatriRaoRows, mm, unfoldT } from '../../src/decomposition/_kernels.js';
await initBackend();
const n = 200, r = 20;
const t = randomCp([n, n, n], r, { full: true, seed: 1 });
const F = [0, 1, 2].map(() => tf.randomNormal([n, r]) as tf.Tensor2D);
function time(name: string, f: () => tf.Tensor | void, reps = 3) {
  const x = f(); if (x) { x.dataSync(); x.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) { const y = f(); if (y) { y.dataSync(); y.dispose(); } }
  console.log(name, ((performance.now() - t0) / reps).toFixed(1), 'ms');
}
const tree = new MttkrpTree([n, n, n]);
time('sweep', () => { tree.begin(t); for (let m = 0; m < 3; m++) { const x = tree.mttkrp(F, m); x.dataSync(); x.dispose(); } tree.end(); });
time('PL', () => tf.tidy(() => tf.matMul(tf.reshape(t, [n, -1]) as tf.Tensor2D, khatriRaoRows([F[1], F[2]]))));
time('kr', () => khatriRaoRows([F[1], F[2]]));
const P = tf.randomNormal([r, n, n]);
time('transpose P 021', () => tf.transpose(P, [0, 2, 1]));
time('transpose P 012', () => tf.transpose(P, [0, 1, 2]));
time('mul+sum axis2', () => tf.sum(tf.mul(P, tf.randomNormal([r, 1, n])), 2));
time('mul+sum axis1', () => tf.sum(tf.mul(P, tf.randomNormal([r, n, 1])), 1));
time('unfold1', () => unfoldT(t, 1));
time('unfold2', () => unfoldT(t, 2));
const y = tf.reshape(t, [n, -1]);
time('gram mm(y,y,f,t)', () => mm(y as tf.Tensor2D, y as tf.Tensor2D, false, true));
time('dataSync 8M', () => { t.dataSync(); });
time('isFinite all', () => tf.tidy(() => tf.all(tf.isFinite(t))));
