/**
 * The eight decomposition workloads of issue 3, with TensorLy 0.9's times (NumPy 2.4,
 * float32, 2 cores) for the table. Input: a random CP tensor of the workload's rank plus
 * 1% Gaussian noise (||noise|| = 0.01 ||T||), seeded. Prints one JSON line per workload:
 * median seconds of the repeats (BENCH_QUICK=1: one repeat) and the relative error
 * ||T - T_hat|| / ||T|| of the result.
 *
 * `BENCH_FILTER=<substring>` runs only the matching workloads (e.g. `cp_als_20`).
 */
import { parafac, randomCp, tensorTrain, tensorTrainMatrix, tf, tucker } from '@tenfold/core';
import { type Bench, type Factorized, withOnePercentNoise } from '../harness.js';

/** What every decomposition returns: a factorized tensor. */
interface Workload {
  workload: string;
  shape: number[];
  rank: number;
  tensorlySeconds: number;
  run: (t: tf.Tensor) => Factorized;
}

function noisyCp(shape: number[], rank: number, seed: number): tf.Tensor {
  return withOnePercentNoise(randomCp(shape, rank, { full: true, seed }) as tf.Tensor, seed + 1);
}

const workloads: Workload[] = [
  ...([
    [20, 3, 0.0072],
    [100, 10, 0.29],
    [200, 20, 3.59],
  ] as const).map(([n, r, tl]) => ({
    workload: `cp_als_${n}^3_rank${r}_50it_svd`,
    shape: [n, n, n],
    rank: r,
    tensorlySeconds: tl,
    run: (t: tf.Tensor) => {
      const cp = parafac(t, r, { nIterMax: 50, tol: 0, init: 'svd' });
      return cp;
    },
  })),
  ...([
    [100, 10, 0.28],
    [200, 20, 2.95],
  ] as const).map(([n, r, tl]) => ({
    workload: `tucker_hooi_${n}^3_rank${r}_10it`,
    shape: [n, n, n],
    rank: r,
    tensorlySeconds: tl,
    run: (t: tf.Tensor) => {
      const tk = tucker(t, [r, r, r], { nIterMax: 10, tol: 0 });
      return tk;
    },
  })),
  ...([
    [100, 10, 0.073],
    [200, 20, 1.59],
  ] as const).map(([n, r, tl]) => ({
    workload: `tt_svd_${n}^3_rank${r}`,
    shape: [n, n, n],
    rank: r,
    tensorlySeconds: tl,
    run: (t: tf.Tensor) => {
      const tt = tensorTrain(t, r);
      return tt;
    },
  })),
  {
    workload: 'tt_matrix_1024x1024_(8,8,16)x(8,8,16)_rank16',
    shape: [8, 8, 16, 8, 8, 16],
    rank: 16,
    tensorlySeconds: 0.2,
    run: (t: tf.Tensor) => {
      const ttm = tensorTrainMatrix(t, 16);
      return ttm;
    },
  },
];

export default async function decompositions(b: Bench): Promise<void> {
  const filter = process.env.BENCH_FILTER;
  for (const w of workloads) {
    if (filter && !w.workload.includes(filter)) continue;
    const t = noisyCp(w.shape, w.rank, 1234);
    let last: Factorized | null = null;
    const seconds = await b.time(
      () => {
        last?.dispose();
        // The decompositions sync (they download their small host problems), so the time is complete.
        last = w.run(t);
      },
      // Millisecond workloads get more warm-up calls (JIT of the host engine) and repeats.
      t.size <= 1e5 ? { repeats: 21, warmup: b.quick ? 0 : 10 } : { repeats: 3, warmup: b.quick ? 0 : 1 },
    );
    const done = last as Factorized | null;
    const relError = done ? tf.tidy(() => tf.norm(tf.sub(t, done.toTensor())).dataSync()[0] / tf.norm(t).dataSync()[0]) : NaN;
    done?.dispose();
    b.emit({ workload: w.workload, seconds, rel_error: Number(relError.toPrecision(4)), tensorly_seconds: w.tensorlySeconds, speedup_vs_tensorly: Number((w.tensorlySeconds / seconds).toFixed(2)) });
    t.dispose();
  }
}
