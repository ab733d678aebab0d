import { tucker, randomCp, tf, initBackend, createRng } from '../../src/index.js';
import * as K from '../../src/decomposition/_kernels.js';
import * as TC from '../../src/decomposition/_tuckercore.js';
await initBackend();
const n = 200, r = 20;
const t = randomCp([n, n, n], r, { full: true, seed: 1 });
const F = [0, 1, 2].map(() => tf.tidy(() => tf.linalg.qr(tf.randomNormal([n, r]))[0]) as tf.Tensor2D);
const time = (name: string, f: () => void, reps = 3) => { f(); const t0 = performance.now(); for (let i = 0; i < reps; i++) f(); console.log(name, ((performance.now() - t0) / reps).toFixed(1), 'ms'); };
for (const m of [0, 1, 2]) {
  const pending = new Map<number, tf.Tensor2D>(); [0, 1, 2].forEach((k) => { if (k !== m) pending.set(k, F[k]); });
  time(`contract mode ${m}`, () => { const y = TC.contractModes({ t, labels: [0, 1, 2] }, pending); y.t.dataSync(); y.t.dispose(); });
  const y = TC.contractModes({ t, labels: [0, 1, 2] }, pending);
  const unf = K.unfoldingOf(y, m);
  time(`unfolding ${m} ${unf.shape}`, () => { const u = K.unfoldingOf(y, m); u.dataSync(); u.dispose(); });
  time(`svd ${m}`, () => { K.truncatedSvd(unf, r, { method: 'truncated', rng: createRng(1) }); });
  const g = K.toHost(K.mm(unf, unf, false, true));
  time(`topEig ${m}`, () => { K.topEigenpairs(g, r, createRng(1)); });
}
