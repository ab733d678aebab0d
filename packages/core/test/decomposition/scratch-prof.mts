import { parafac, tucker, tensorTrain, randomCp, tf, initBackend } from '../../src/index.js';
await initBackend();
const n = Number(process.argv[2] ?? 200), r = Number(process.argv[3] ?? 20), it = Number(process.argv[4] ?? 5);
const t = randomCp([n, n, n], r, { full: true, seed: 1 });
const time = (f: () => void) => { const t0 = performance.now(); f(); return performance.now() - t0; };
for (const k of [0, 1]) {
  const init = time(() => parafac(t, r, { nIterMax: 0, tol: 0 }).dispose());
  const total = time(() => parafac(t, r, { nIterMax: it, tol: 0 }).dispose());
  console.log(`cp: init ${init.toFixed(0)} ms, per iter ${((total - init) / it).toFixed(1)} ms`);
}
for (const k of [0, 1]) {
  const init = time(() => tucker(t, [r, r, r], { nIterMax: 0, tol: 0 }).dispose());
  const total = time(() => tucker(t, [r, r, r], { nIterMax: it, tol: 0 }).dispose());
  console.log(`tucker: init ${init.toFixed(0)} ms, per iter ${((total - init) / it).toFixed(1)} ms`);
}
console.log('tt', time(() => tensorTrain(t, r).dispose()).toFixed(0));
