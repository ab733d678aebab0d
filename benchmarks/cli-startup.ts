/**
 * Start-up of the `tenfold` bin, before/after in one run: `tsx benchmarks/cli-startup.ts
 * BEFORE_BIN [AFTER_BIN]` (AFTER_BIN defaults to this tree's packages/cli/dist/bin.js).
 * Builds the 50-layer conv model of suite 84-cli, then alternates the two bins on
 * `info DIR --json` and `rank DIR --json` (medians of 3), and the in-process script
 * (loadWeightsManifest, kernelFromTfjs, estimateRank per layer) as the common baseline.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, tf } from '@tenfold/core';
import { fileHandler, loadWeightsManifest } from '@tenfold/core/node';
import { estimateRank } from '@tenfold/rank';
import { kernelFromTfjs } from '@tenfold/factorized-layers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const before = process.argv[2];
const after = process.argv[3] ?? path.join(root, 'packages', 'cli', 'dist', 'bin.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(bin: string, args: string[]): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TENFOLD_QUIET: '1' }, maxBuffer: 1 << 26 });
  return (performance.now() - t0) / 1000;
}

await ready();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-startup-'));
const model = tf.sequential();
for (let i = 0; i < 50; i++) model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', name: `conv${i}`, ...(i === 0 ? { inputShape: [8, 8, 64] } : {}) }));
await model.save(fileHandler(dir));
model.dispose();
const res: Record<string, number[]> = { infoBefore: [], infoAfter: [], rankBefore: [], rankAfter: [], script: [], node: [] };
const reps = Number(process.env.REPS ?? 3);
for (let r = 0; r < reps; r++) {
  res.node.push(time('-e', ['0']));
  res.infoBefore.push(time(before, ['info', dir, '--json']));
  res.infoAfter.push(time(after, ['info', dir, '--json']));
  res.rankBefore.push(time(before, ['rank', dir, '--json']));
  res.rankAfter.push(time(after, ['rank', dir, '--json']));
  const t0 = performance.now();
  const w = await loadWeightsManifest(path.join(dir, 'model.json'));
  for (const t of Object.values(w)) {
    if (t.rank === 4) {
      const k = kernelFromTfjs(t);
      estimateRank(k);
      k.dispose();
    }
    t.dispose();
  }
  res.script.push((performance.now() - t0) / 1000);
}
const m = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Number(median(v).toFixed(3))]));
console.log(JSON.stringify({ ...m, infoRatio: Number((m.infoAfter / m.infoBefore).toFixed(3)), rankRatio: Number((m.rankAfter / m.rankBefore).toFixed(3)), rankOverScriptBefore: Number((m.rankBefore / m.script).toFixed(2)), rankOverScriptAfter: Number((m.rankAfter / m.script).toFixed(2)), load: os.loadavg()[0] }));
fs.rmSync(dir, { recursive: true, force: true });
