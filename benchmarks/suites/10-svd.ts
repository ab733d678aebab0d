/**
 * `svd` of a random 2000 x 500 float32 matrix (standard normal, seeded) at rank 20 and at
 * full rank 500, for each method. One JSON line per workload: median seconds, method, rank,
 * and the error:
 * - full rank: rel_error = ||M - U diag(s) Vt|| / ||M|| (float32 rounding level expected);
 * - rank 20: rel_error as above and error_ratio = that error / the optimal (Eckart-Young)
 *   rank-20 error sqrt(sum_{i>20} s_i^2), with s the exact singular values (1 = optimal).
 * A baseline line times one 2000 x 500 x 500 matmul in the same run, so every figure reads as
 * a ratio (`matmuls`: seconds / baseline seconds). `gflops_equiv` (full rank) is LAPACK's
 * flop count for a thin SVD with vectors (R-SVD, 6 m n^2 + 20 n^3; Golub & Van Loan
 * Fig. 8.6.1) divided by the seconds.
 */
import { createRng, normalTensor, svd, tf, type SvdMethod } from '@tenfold/core';
import type { Bench } from '../harness.js';

const M_ROWS = 2000;
const N_COLS = 500;

/** ||a - b||_F summed on the host in float64 (a float32 sum over 10^6 entries is off by ~1e-4). */
function frobDiff(a: Float32Array, b?: Float32Array): number {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += (a[i] - (b ? b[i] : 0)) ** 2;
  return Math.sqrt(acc);
}

function errorOf(m: Float32Array, r: { u: tf.Tensor2D; s: tf.Tensor1D; vt: tf.Tensor2D }): number {
  const rec = tf.tidy(() => tf.matMul(tf.mul(r.u, r.s), r.vt));
  const data = rec.dataSync() as Float32Array;
  rec.dispose();
  return frobDiff(m, data);
}

export default async function svdSuite(b: Bench): Promise<void> {
  const m = normalTensor([M_ROWS, N_COLS], createRng(2000)) as tf.Tensor2D;
  const mData = m.dataSync() as Float32Array;
  const norm = frobDiff(mData);

  const w = normalTensor([N_COLS, N_COLS], createRng(7)) as tf.Tensor2D;
  const baseline = await b.time(() => {
    const z = tf.matMul(m, w);
    z.dataSync();
    z.dispose();
  }, { repeats: 5 });
  b.emit({ workload: `baseline_matmul_${M_ROWS}x${N_COLS}x${N_COLS}`, seconds: baseline, gflops: Number(((2 * M_ROWS * N_COLS * N_COLS) / baseline / 1e9).toFixed(2)) });
  w.dispose();

  // Exact singular values, for the Eckart-Young optimum at rank 20.
  const exact = svd(m, { method: 'truncated' });
  const s = Float64Array.from(exact.s.dataSync());
  tf.dispose([exact.u, exact.s, exact.vt]);

  for (const rank of [20, N_COLS]) {
    const optimal = Math.sqrt(s.slice(rank).reduce((acc, x) => acc + x * x, 0));
    for (const method of ['truncated', 'gram', 'randomized'] as SvdMethod[]) {
      const seconds = await b.time(() => {
        const r = svd(m, { rank, method });
        r.u.dataSync();
        tf.dispose([r.u, r.s, r.vt]);
      }, { repeats: 3 });
      const r = svd(m, { rank, method });
      const err = errorOf(mData, r);
      tf.dispose([r.u, r.s, r.vt]);
      const rec: Parameters<Bench['emit']>[0] = {
        workload: `svd_${M_ROWS}x${N_COLS}_rank${rank}_${method}`,
        seconds,
        method,
        rank,
        rel_error: Number((err / norm).toExponential(3)),
        matmuls: Number((seconds / baseline).toFixed(1)),
      };
      if (rank < N_COLS) rec.error_ratio = Number((err / optimal).toFixed(5));
      else rec.gflops_equiv = Number(((6 * M_ROWS * N_COLS ** 2 + 20 * N_COLS ** 3) / seconds / 1e9).toFixed(2));
      b.emit(rec);
    }
  }
  m.dispose();
}
