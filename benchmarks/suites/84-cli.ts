/**
 * The `tenfold` CLI (issue 14 part 3).
 *
 * 1. `tenfold rank` on a 50-layer conv model (tfjs Layers model saved to a temp dir: 50
 *    Conv2D 64 -> 64, 3x3, low-rank + noise kernels) against the same work from a script:
 *    read the weights, convert each kernel to (out, in, kh, kw), `estimateRank` each, in this
 *    process. Same run. The CLI's figures: end to end (node start, worker, backend init, file
 *    read, EVBMF, output) and the compute it reports itself; `tenfold info` on the same model
 *    gives the fixed start-up cost.
 * 2. Progress-bar cost: CP-ALS (parafac, 128x128x9, rank 32, 100 sweeps, tol 0, returnErrors)
 *    without onProgress against the same call whose onProgress drives a cli-progress bar (onto a
 *    discarding stream, the bar forced on), alternating runs, medians; wall and process CPU.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { parafac, tf } from '@tenfold/core';
import { estimateRank } from '@tenfold/rank';
import { kernelFromTfjs } from '@tenfold/factorized-layers';
import { fileHandler, loadWeightsManifest } from '@tenfold/core/node';
import type { Bench } from '../harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(root, 'packages', 'cli', 'dist', 'bin.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function runBin(args: string[]): { wall: number; out: string } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TENFOLD_QUIET: '1' }, maxBuffer: 1 << 26 });
  return { wall: (performance.now() - t0) / 1000, out };
}

async function fiftyLayerModel(dir: string, layers: number): Promise<void> {
  const model = tf.sequential();
  for (let i = 0; i < layers; i++) model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', name: `conv${i}`, ...(i === 0 ? { inputShape: [8, 8, 64] } : {}) }));
  model.layers.forEach((l, i) => {
    const [, bias] = l.getWeights();
    // Rank-12 signal + noise in (out, in*9) form, stored as the tfjs kernel (3, 3, 64, 64).
    const k = tf.tidy(() => {
      const a = tf.randomNormal([64, 12], 0, 1, 'float32', 10 + i);
      const c = tf.randomNormal([12, 576], 0, 1, 'float32', 100 + i);
      const w = tf.add(tf.mul(tf.matMul(a, c), 0.02), tf.randomNormal([64, 576], 0, 0.01, 'float32', 1000 + i));
      return tf.transpose(tf.reshape(w, [64, 64, 3, 3]), [2, 3, 1, 0]);
    });
    l.setWeights([k, bias]);
    k.dispose();
  });
  await model.save(fileHandler(dir));
  model.dispose();
}

export default async function cliSuite(b: Bench): Promise<void> {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build first`);
  const filter = process.env.BENCH_FILTER;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-bench-cli-'));
  try {
    if (!filter || 'cli_rank_50_conv_layers'.includes(filter)) {
      const nLayers = 50;
      const dir = path.join(tmp, 'model');
      fs.mkdirSync(dir);
      await fiftyLayerModel(dir, nLayers);
      const repeats = b.quick ? 1 : 3;
      const script: number[] = [];
      const cli: number[] = [];
      const cliCompute: number[] = [];
      const info: number[] = [];
      let scriptRanks: number[] = [];
      let cliRanks: number[] = [];
      for (let r = 0; r < repeats; r++) {
        // The script: the same reading, layout change and estimateRank per layer, in process.
        const t0 = performance.now();
        const weights = await loadWeightsManifest(path.join(dir, 'model.json'));
        const ranks: number[] = [];
        for (const tensor of Object.values(weights)) {
          if (tensor.rank === 4) {
            const w = kernelFromTfjs(tensor);
            ranks.push(estimateRank(w).rank);
            w.dispose();
          }
          tensor.dispose();
        }
        script.push((performance.now() - t0) / 1000);
        scriptRanks = ranks;
        const run = runBin(['rank', dir, '--json']);
        const res = JSON.parse(run.out) as { seconds: number; layers: { rank: number }[] };
        cli.push(run.wall);
        cliCompute.push(res.seconds);
        cliRanks = res.layers.map((l) => l.rank);
        info.push(runBin(['info', dir, '--json']).wall);
      }
      const same = scriptRanks.length === nLayers && scriptRanks.every((x, i) => x === cliRanks[i]);
      b.emit({
        workload: 'cli_rank_50_conv_layers',
        seconds: median(cli),
        cliComputeSeconds: Number(median(cliCompute).toPrecision(4)),
        scriptSeconds: Number(median(script).toPrecision(4)),
        infoSeconds: Number(median(info).toPrecision(4)),
        ratioEndToEnd: Number((median(cli) / median(script)).toFixed(3)),
        ratioCompute: Number((median(cliCompute) / median(script)).toFixed(3)),
        sameRanks: same,
        layers: nLayers,
      });
    }
    if (!filter || 'cli_progress_bar_cost'.includes(filter)) {
      const t = tf.tidy(() => tf.randomNormal([128, 128, 9], 0, 1, 'float32', 5));
      const sink = new Writable({ write: (_c, _e, cb) => cb() });
      const run = (withBar: boolean): { wall: number; cpu: number; err: number } => {
        const bar = withBar ? new cliProgress.SingleBar({ format: '{task} [{bar}] {value}/{total} | error {err} | ETA {eta_formatted}', stream: sink as unknown as NodeJS.WritableStream, noTTYOutput: true, notTTYSchedule: 0, fps: 10 }, cliProgress.Presets.shades_classic) : null;
        bar?.start(100, 0, { task: 'parafac', err: '-' });
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = parafac(t, 32, { nIterMax: 100, tol: 0, seed: 0, returnErrors: true, ...(bar ? { onProgress: ({ step, error }: { step: number; error?: number }) => bar.update(step, { err: error !== undefined ? error.toExponential(3) : '-' }) } : {}) });
        const wall = (performance.now() - t0) / 1000;
        const c = process.cpuUsage(c0);
        bar?.stop();
        const err = r.errors.at(-1)!;
        r.cp.dispose();
        return { wall, cpu: (c.user + c.system) / 1e6, err };
      };
      run(false);
      run(true);
      const plain: { wall: number; cpu: number; err: number }[] = [];
      const bar: { wall: number; cpu: number; err: number }[] = [];
      for (let i = 0; i < (b.quick ? 3 : 7); i++) {
        // Alternate the order so neither side always runs second.
        if (i % 2 === 0) {
          plain.push(run(false));
          bar.push(run(true));
        } else {
          bar.push(run(true));
          plain.push(run(false));
        }
      }
      t.dispose();
      // The bar's own cost, isolated: the 101 callback calls one parafac run makes (iteration
      // 0..100), on a live bar, timed over many rounds. A/B wall times on a shared machine
      // carry more noise than this difference.
      const liveBar = new cliProgress.SingleBar({ format: '{task} [{bar}] {value}/{total} | error {err} | ETA {eta_formatted}', stream: sink as unknown as NodeJS.WritableStream, noTTYOutput: true, notTTYSchedule: 0, fps: 10 }, cliProgress.Presets.shades_classic);
      liveBar.start(100, 0, { task: 'parafac', err: '-' });
      const rounds = 200;
      const c0 = performance.now();
      for (let k = 0; k < rounds; k++) for (let i = 0; i <= 100; i++) liveBar.update(i, { err: (0.5 / (i + 1)).toExponential(3) });
      const callbackSeconds = (performance.now() - c0) / 1000 / rounds;
      liveBar.stop();
      const pw = median(plain.map((x) => x.wall));
      const bw = median(bar.map((x) => x.wall));
      const pc = median(plain.map((x) => x.cpu));
      const bc = median(bar.map((x) => x.cpu));
      b.emit({
        workload: 'cli_progress_bar_cost',
        seconds: bw,
        baselineSeconds: Number(pw.toPrecision(4)),
        overheadWall: Number((bw / pw - 1).toFixed(4)),
        cpuSeconds: Number(bc.toPrecision(4)),
        baselineCpuSeconds: Number(pc.toPrecision(4)),
        overheadCpu: Number((bc / pc - 1).toFixed(4)),
        sameError: plain[0].err === bar[0].err,
        callbackSecondsPerRun: Number(callbackSeconds.toPrecision(3)),
        overheadIsolated: Number((callbackSeconds / median(plain.map((x) => x.wall))).toPrecision(3)),
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
