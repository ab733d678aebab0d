/**
 * The full differential suite: every case of packages/core/test/differential/cases.ts and
 * packages/factorized-layers/test/differential/cases.ts on every installed tfjs backend
 * (cpu, wasm, tensorflow when tfjs-node is installed) in one process, each compared with
 * cpu within float32 tolerance. Prints cases per area, the largest error, and failures;
 * exits 1 on any failure. Run: `pnpm differential`.
 */
import { ready, tf } from '@tenfold/core';
import { coreCases } from '../packages/core/test/differential/cases.js';
import { layerCases } from '../packages/factorized-layers/test/differential/cases.js';
import { backends, ensureWasm, judge, type Verdict } from '../packages/core/test/differential/harness.js';

await ready();
await ensureWasm();
const names = await backends();
const cases = [...coreCases(), ...layerCases()];
const t0 = performance.now();
const verdicts: Verdict[] = [];
for (const c of cases) verdicts.push(await judge(c, names));
const seconds = (performance.now() - t0) / 1000;

console.log(`differential: ${cases.length} cases on ${names.join(', ')} (reference: cpu) in ${seconds.toFixed(1)} s`);
console.log('area            cases  failed  max |diff|  max score');
for (const area of [...new Set(verdicts.map((v) => v.area))]) {
  const vs = verdicts.filter((v) => v.area === area);
  const worst = Math.max(...vs.map((v) => Math.max(0, ...Object.values(v.scores).filter(Number.isFinite))));
  const maxAbs = Math.max(...vs.map((v) => v.maxAbs));
  console.log(`${area.padEnd(15)} ${String(vs.length).padStart(5)}  ${String(vs.filter((v) => !v.ok).length).padStart(6)}  ${maxAbs.toExponential(2).padStart(10)}  ${worst.toFixed(3).padStart(9)}`);
}
const failed = verdicts.filter((v) => !v.ok);
for (const v of failed) console.log(`FAIL [${v.area}] ${v.name}: scores ${JSON.stringify(v.scores)} errors ${JSON.stringify(v.errors)}`);
console.log(`${verdicts.length - failed.length} passed, ${failed.length} failed`);
await tf.setBackend('cpu');
process.exitCode = failed.length ? 1 : 0;
