/**
 * The cost of progress reporting (issue 14): CP-ALS (50 sweeps, tol 0, the issue-3 inputs:
 * a random CP tensor plus 1% noise) with a no-op `onProgress` against the same call without
 * it, in the same run. The two variants alternate (A B B A ...) so that drifts of a shared
 * machine hit both alike; `overheadPct` compares the medians, `pairedOverheadPct` is the
 * median over pairs of (with - without) / without. Since a difference below 1%
 * is within the noise of a loaded machine, `reporterBoundPct` also gives a deterministic
 * bound: the measured cost of one `StepProgress.step` call with a no-op callback, times the
 * 51 records of a run, over the run's time. Both engines: the host float64 engine (20^3,
 * rank 3) and the backend engine (100^3, rank 10).
 */
import { StepProgress, parafac, randomCp, tf } from '@tenfold/core';
import { type Bench, withOnePercentNoise } from '../harness.js';

const CASES = [
  { workload: 'cp_als_20^3_rank3_50it_host', n: 20, rank: 3 },
  { workload: 'cp_als_100^3_rank10_50it_device', n: 100, rank: 10 },
] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Seconds of one `step()` (record built, no-op callback, signal check), over many calls. */
function stepSeconds(): number {
  const p = new StepProgress('parafac', () => {}, new AbortController().signal, 50);
  const calls = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) p.step(i, 0.1);
  return (performance.now() - t0) / 1000 / calls;
}

export default async function progressSuite(b: Bench): Promise<void> {
  const perStep = stepSeconds();
  for (const c of CASES) {
    const t = withOnePercentNoise(randomCp([c.n, c.n, c.n], c.rank, { full: true, seed: 3 }) as tf.Tensor, 4);
    const run = (withProgress: boolean): number => {
      let records = 0;
      const t0 = performance.now();
      const cp = parafac(t, c.rank, { nIterMax: 50, tol: 0, init: 'svd', ...(withProgress ? { onProgress: () => void records++ } : {}) });
      cp.weights?.dataSync();
      const s = (performance.now() - t0) / 1000;
      cp.dispose();
      if (withProgress && records !== 51) throw new Error(`expected 51 records, got ${records}`);
      return s;
    };
    run(false);
    run(true);
    const pairs = b.quick ? 2 : c.n <= 20 ? 40 : 6;
    const plain: number[] = [];
    const withCb: number[] = [];
    for (let i = 0; i < pairs; i++) {
      // A B / B A alternation.
      if (i % 2 === 0) {
        plain.push(run(false));
        withCb.push(run(true));
      } else {
        withCb.push(run(true));
        plain.push(run(false));
      }
    }
    const base = median(plain);
    const seconds = median(withCb);
    b.emit({
      workload: `${c.workload}_noop_onProgress`,
      seconds,
      baselineSeconds: Number(base.toPrecision(4)),
      overheadPct: Number((((seconds - base) / base) * 100).toPrecision(3)),
      pairedOverheadPct: Number((median(plain.map((p, i) => (withCb[i] - p) / p)) * 100).toPrecision(3)),
      reporterBoundPct: Number(((51 * perStep) / base * 100).toPrecision(3)),
      stepMicroseconds: Number((perStep * 1e6).toPrecision(3)),
      pairs,
    });
    t.dispose();
  }
}
