/**
 * FactorizedConv on a 3x3 conv 256 -> 256 over 14x14 at batch 32 (a ResNet stage-3 conv),
 * channels-last (`applyChannelsLast`, the layout `tf.conv2d` runs natively): forward time and
 * FLOPs of the dense `tf.conv2d` (the same-run baseline) vs CP rank 0.1 and Tucker rank 0.25
 * with 'factorized', 'reconstructed' and 'auto'. Parameters are drawn at random (the time does
 * not depend on their values). Goal: 'factorized' faster than dense wherever its FLOPs are
 * below half of dense's, and 'auto' never picking the slower of the two implementations.
 */
import { tf } from '@tenfold/core';
import { FactorizedConv } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';

const C = 256;
const HW = 14;
const BATCH = 32;
const K = 3;

export default async function factorizedConv(b: Bench): Promise<void> {
  const x = tf.randomNormal([BATCH, HW, HW, C], 0, 1, 'float32', 1);
  const kernel = tf.randomNormal([K, K, C, C], 0, 0.02, 'float32', 2); // tfjs (kh, kw, in, out)
  const denseFlops = 2 * BATCH * HW * HW * C * C * K * K;
  const denseSeconds = await b.timeTensor(() => tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'), { repeats: 5 });
  b.emit({ workload: 'conv3x3_256_14x14_b32_dense', seconds: denseSeconds, flops: denseFlops, gflops: round(denseFlops / denseSeconds / 1e9) });

  for (const [factorization, rank] of [['cp', 0.1], ['tucker', 0.25]] as const) {
    const layer = new FactorizedConv({ inChannels: C, outChannels: C, kernelSize: [K, K], padding: 'same', factorization, rank, std: 0.02, seed: 3 });
    const f = layer.flops([BATCH, C, HW, HW]);
    const tag = `conv3x3_256_14x14_b32_${factorization}_rank${rank}`;
    const seconds: Record<string, number> = {};
    for (const impl of ['factorized', 'reconstructed', 'auto'] as const) {
      layer.implementation = impl;
      seconds[impl] = await b.timeTensor(() => layer.applyChannelsLast(x), { repeats: 5 });
      const flops = impl === 'auto' ? f[f.cheaper] : f[impl];
      b.emit({
        workload: `${tag}_${impl}`,
        seconds: seconds[impl],
        flops,
        flopsVsDense: round(flops / denseFlops),
        speedupVsDense: round(denseSeconds / seconds[impl]),
        rank: layer.rank,
        params: layer.paramCount,
        ...(impl === 'auto' ? summary(f, seconds, denseFlops, denseSeconds) : {}),
      });
    }
    layer.dispose();
  }
  tf.dispose([x, kernel]);
}

/** The goals, checked on the same-run timings (emitted with the 'auto' record). */
function summary(f: { factorized: number; cheaper: string }, seconds: Record<string, number>, denseFlops: number, denseSeconds: number): Record<string, unknown> {
  const faster = seconds.factorized <= seconds.reconstructed ? 'factorized' : 'reconstructed';
  return {
    autoPicked: f.cheaper,
    measuredFaster: faster,
    autoPickedTheFaster: f.cheaper === faster,
    factorizedFlopsBelowHalfDense: f.factorized < denseFlops / 2,
    factorizedFasterThanDense: seconds.factorized < denseSeconds,
  };
}

function round(v: number): number {
  return Number(v.toFixed(3));
}
