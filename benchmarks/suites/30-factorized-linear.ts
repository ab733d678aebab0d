/**
 * FactorizedLinear on a 1024x1024 layer at batch 256 (tltorch's tensorization
 * (4,16,16)x(4,16,16)): forward time and FLOPs of dense vs 'factorized' vs 'reconstructed'
 * for CP, Tucker and BlockTT at ranks 0.1 and 0.01, the time of fromLinear for each, and a
 * same-run dense matmul as the throughput baseline (achieved GFLOP/s are printed next to it).
 *
 * fromLinear settings (CP must take seconds, not minutes): CP runs parafac at the resolved
 * rank from a random init with 1 ALS sweep (tltorch: init 'svd', up to 100 sweeps, 557 s
 * here); Tucker runs HOOI with 2 sweeps; BlockTT is the TT-SVD (no iterations).
 */
import { tf } from '@tenfold/core';
import { FactorizedLinear } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';

const IN = 1024;
const OUT = 1024;
const BATCH = 256;
const TENSORIZED = [4, 16, 16];

const DECOMPOSITION: Record<string, Record<string, unknown>> = {
  cp: { init: 'random', nIterMax: 1, tol: 0, seed: 0 },
  tucker: { nIterMax: 2 },
  blocktt: {},
};

export default async function factorizedLinear(b: Bench): Promise<void> {
  const x = tf.randomNormal([BATCH, IN], 0, 1, 'float32', 1);
  const w = tf.randomNormal([OUT, IN], 0, 1 / Math.sqrt(IN), 'float32', 2); // (out, in)
  const wt = tf.transpose(w); // a tfjs Dense kernel (in, out)
  const bias = tf.zeros([OUT]);
  const denseFlops = 2 * BATCH * IN * OUT;

  const denseSeconds = await b.timeTensor(() => tf.tidy(() => tf.add(tf.matMul(x, wt), bias)), { repeats: 5 });
  const denseGflops = denseFlops / denseSeconds / 1e9;
  b.emit({ workload: 'linear_1024x1024_b256_dense', seconds: denseSeconds, flops: denseFlops, gflops: round(denseGflops) });

  for (const factorization of ['cp', 'tucker', 'blocktt']) {
    for (const rank of [0.1, 0.01]) {
      const t0 = performance.now();
      const layer = FactorizedLinear.fromLinear(
        { weight: w, bias },
        { factorization, rank, inTensorizedFeatures: TENSORIZED, outTensorizedFeatures: TENSORIZED, decomposition: DECOMPOSITION[factorization] },
      );
      const fromLinearSeconds = (performance.now() - t0) / 1000;
      const tag = `linear_1024x1024_b256_${factorization}_rank${rank}`;
      b.emit({ workload: `${tag}_fromLinear`, seconds: fromLinearSeconds, rank: layer.rank, params: layer.paramCount, decomposition: DECOMPOSITION[factorization] });
      const f = layer.flops(BATCH);
      for (const impl of ['factorized', 'reconstructed'] as const) {
        layer.implementation = impl;
        const seconds = await b.timeTensor(() => layer.apply(x), { repeats: 3 });
        const flops = impl === 'factorized' ? f.factorized : f.reconstructed;
        const gflops = flops / seconds / 1e9;
        b.emit({
          workload: `${tag}_${impl}`,
          seconds,
          flops,
          flopsVsDense: round(flops / denseFlops),
          speedupVsDense: round(denseSeconds / seconds),
          gflops: round(gflops),
          throughputVsMatmul: round(gflops / denseGflops),
          cheaperByFlopModel: f.cheaper,
          moved: layer.plan(BATCH, impl).moved,
        });
      }
      layer.dispose();
    }
  }
  tf.dispose([x, w, wt, bias]);
}

function round(v: number): number {
  return Number(v.toFixed(3));
}
