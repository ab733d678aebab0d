/**
 * PARAFAC2 (issue 13): rank 5, SVD init, 50 iterations (TensorLy's call
 * `parafac2(slices, 5, init='svd', n_iter_max=50)`: default tol 1e-8, line search and 5 inner
 * CP sweeps; TensorLy cannot run tol=0 with its line search, see docs/fidelity) on 30 slices `X_k = P_k B diag(a_k) C^T` (P_k orthonormal
 * n_k x 5, n_k drawn in 40..80; B 5 x 5, A 30 x 5, C 50 x 5 U[0,1), from randomParafac2)
 * plus 1% Gaussian noise (||N|| = 0.01 ||X|| over all slices), seeded. TensorLy 0.9
 * (NumPy, 2 cores): 0.39 s, relative error 0.193. Prints the median seconds and the
 * relative error ||X - X_hat|| / ||X|| of the result.
 */
import { createRng, normalTensor, parafac2, randomParafac2, tf, type Parafac2Tensor } from '@tenfold/core';
import type { Bench } from '../harness.js';

const TENSORLY_SECONDS = 0.39;
const TENSORLY_REL_ERROR = 0.193;

/** The 30 noisy slices (exported so a TensorLy run can be fed the same data). */
export function noisySlices(seed: number): tf.Tensor2D[] {
  const rng = createRng(seed);
  const rows = Array.from({ length: 30 }, () => 40 + rng.int(41));
  const truth = randomParafac2(rows.map((J) => [J, 50]), 5, { seed: seed + 1 });
  const clean = truth.toSlices();
  truth.dispose();
  const noise = rows.map((J) => normalTensor([J, 50], rng) as tf.Tensor2D);
  const sq = (ts: tf.Tensor[]) => ts.reduce((s, t) => s + tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]), 0);
  const scale = (0.01 * Math.sqrt(sq(clean))) / Math.sqrt(sq(noise));
  const out = clean.map((c, i) => tf.tidy(() => tf.add(c, tf.mul(noise[i], scale)) as tf.Tensor2D));
  tf.dispose([...clean, ...noise]);
  return out;
}

function relError(xs: tf.Tensor2D[], d: Parafac2Tensor): number {
  const rec = d.toSlices();
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    const a = x.dataSync();
    const b = rec[i].dataSync();
    for (let k = 0; k < a.length; k++) {
      num += (a[k] - b[k]) ** 2;
      den += a[k] * a[k];
    }
  });
  tf.dispose(rec);
  return Math.sqrt(num / den);
}

export default async function parafac2Suite(b: Bench): Promise<void> {
  const xs = noisySlices(61);
  let last: Parafac2Tensor | null = null;
  const seconds = await b.time(
    () => {
      last?.dispose();
      // parafac2 reads the slices once and uploads its result: the time is complete.
      last = parafac2(xs, 5, { init: 'svd', nIterMax: 50 });
    },
    { repeats: 7, warmup: b.quick ? 0 : 3 },
  );
  const done = last as Parafac2Tensor | null;
  const err = done ? relError(xs, done) : NaN;
  done?.dispose();
  b.emit({
    workload: 'parafac2_30_slices_(40..80)x50_rank5_50it_svd',
    seconds,
    rel_error: Number(err.toPrecision(4)),
    tensorly_seconds: TENSORLY_SECONDS,
    tensorly_rel_error: TENSORLY_REL_ERROR,
    speedup_vs_tensorly: Number((TENSORLY_SECONDS / seconds).toFixed(2)),
  });
  tf.dispose(xs);
}
