import { parafac, tucker, randomCp, tf, initBackend } from '../../src/index.js';
await initBackend();
const n = Number(process.argv[2] ?? 200), r = Number(process.argv[3] ?? 20), it = Number(process.argv[4] ?? 5);
const t = randomCp([n, n, n], r, { full: true, seed: 1 });
for (const k of [0, 1]) {
  let t0 = performance.now();
  let cp = parafac(t, r, { nIterMax: 0, tol: 0 }); cp.dispose();
  const init = performance.now() - t0;
  t0 = performance.now();
  cp = parafac(t, r, { nIterMax: it, tol: 0 }); cp.dispose();
  const total = performance.now() - t0;
  console.log(`cp n=${n} r=${r}: init ${init.toFixed(0)} ms, ${it} iters total ${total.toFixed(0)} ms, per iter ${((total - init) / it).toFixed(1)} ms`);
}
for (const k of [0, 1]) {
  let t0 = performance.now();
  let tk = tucker(t, [r, r, r], { nIterMax: 0, tol: 0 }); tk.dispose();
  const init = performance.now() - t0;
  t0 = performance.now();
  tk = tucker(t, [r, r, r], { nIterMax: it, tol: 0 }); tk.dispose();
  const total = performance.now() - t0;
  console.log(`tucker: init ${init.toFixed(0)} ms, per iter ${((total - init) / it).toFixed(1)} ms`);
}
