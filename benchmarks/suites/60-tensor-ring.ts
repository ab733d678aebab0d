/**
 * Tensor-ring workloads of issue 13, with TensorLy 0.9's times (NumPy, float32, 2 cores) for
 * the table. Input: a random tensor ring (U[0,1) cores, `randomTr`) of the workload's rank
 * plus 1% Gaussian noise (||noise|| = 0.01 ||T||), seeded. Prints one JSON line per workload:
 * median seconds of the repeats (BENCH_QUICK=1: one repeat) and the relative error
 * ||T - T_hat|| / ||T|| of the result.
 *
 * `BENCH_FILTER=<substring>` runs only the matching workloads (e.g. `tr_als`).
 */
import { randomTr, tensorRing, tensorRingAls, tf } from '@tenfold/core';
import { type Bench, type Factorized, withOnePercentNoise } from '../harness.js';

interface Workload {
  workload: string;
  shape: number[];
  rank: number;
  tensorlySeconds: number;
  tensorlyRelError: number;
  /** Sub-second workloads get more warm-up calls (JIT of the host eigensolver) and repeats. */
  timing?: { repeats: number; warmup: number };
  run: (t: tf.Tensor) => Factorized;
}

function noisyTr(shape: number[], rank: number, seed: number): tf.Tensor {
  return withOnePercentNoise(randomTr(shape, rank, { full: true, seed }) as tf.Tensor, seed + 1);
}

const workloads: Workload[] = [
  {
    workload: 'tr_svd_100^3_rank10',
    shape: [100, 100, 100],
    rank: 10,
    tensorlySeconds: 0.53,
    tensorlyRelError: 0.0099,
    timing: { repeats: 5, warmup: 3 },
    run: (t) => tensorRing(t, [10, 10, 10, 10]),
  },
  {
    workload: 'tr_als_100^3_rank5_20it_random',
    shape: [100, 100, 100],
    rank: 5,
    tensorlySeconds: 11.3,
    tensorlyRelError: 0.0145,
    run: (t) => tensorRingAls(t, [5, 5, 5, 5], { nIterMax: 20, tol: 0, seed: 0 }),
  },
  {
    // Same input and start, but run until the sweep error reaches TensorLy's 20-sweep error:
    // the time Tenfold needs for equal error (20 sweeps from this start leave ~0.018).
    workload: 'tr_als_100^3_rank5_until_err0.0145_random',
    shape: [100, 100, 100],
    rank: 5,
    tensorlySeconds: 11.3,
    tensorlyRelError: 0.0145,
    run: (t) => tensorRingAls(t, [5, 5, 5, 5], { nIterMax: 500, tol: 0, seed: 0, callback: ({ error }) => error <= 0.0145 }),
  },
];

export default async function tensorRingSuite(b: Bench): Promise<void> {
  const filter = process.env.BENCH_FILTER;
  for (const w of workloads) {
    if (filter && !w.workload.includes(filter)) continue;
    const t = noisyTr(w.shape, w.rank, 1234);
    let last: Factorized | null = null;
    const seconds = await b.time(
      () => {
        last?.dispose();
        // The decompositions sync (they download their small host problems), so the time is complete.
        last = w.run(t);
      },
      { repeats: w.timing?.repeats ?? 3, warmup: b.quick ? 0 : (w.timing?.warmup ?? 1) },
    );
    const done = last as Factorized | null;
    const relError = done ? tf.tidy(() => tf.norm(tf.sub(t, done.toTensor())).dataSync()[0] / tf.norm(t).dataSync()[0]) : NaN;
    done?.dispose();
    b.emit({
      workload: w.workload,
      seconds,
      rel_error: Number(relError.toPrecision(4)),
      tensorly_seconds: w.tensorlySeconds,
      tensorly_rel_error: w.tensorlyRelError,
      speedup_vs_tensorly: Number((w.tensorlySeconds / seconds).toFixed(2)),
    });
    t.dispose();
  }
}
