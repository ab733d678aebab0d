/**
 * Low-rank factorization (Composer-style): factorizeMatrix at N=4096, D=M=1024, rank 256,
 * 3 ALS sweeps, and applyFactorization on a small conv net (SVD and data-aware). A same-run
 * 4096x1024x1024 matmul is the baseline, so each figure also reads as a ratio.
 */
import { tf } from '@tenfold/core';
import { applyFactorization, factorizeMatrix } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';

function convNet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [16, 16, 64], filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 256, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10 }));
  return m;
}

export default async function lowrank(b: Bench): Promise<void> {
  const [n, d, mOut, rank] = [4096, 1024, 1024, 256];
  const x = tf.randomNormal([n, d], 0, 1, 'float32', 1);
  const w = tf.randomNormal([d, mOut], 0, 1 / Math.sqrt(d), 'float32', 2);
  const y = tf.tidy(() => tf.add(tf.matMul(x, w), tf.randomNormal([n, mOut], 0, 0.01, 'float32', 3)));

  const base = await b.time(() => {
    const z = tf.matMul(x, w);
    z.dataSync();
    z.dispose();
  }, { repeats: 3 });
  b.emit({ workload: `baseline_matmul_${n}x${d}x${mOut}`, seconds: base, gflops: Number(((2 * n * d * mOut) / base / 1e9).toFixed(2)) });

  let nmse = NaN;
  const fm = await b.time(() => {
    const sol = factorizeMatrix(x, y, w, { rank, nIters: 3 });
    nmse = sol.nmse;
    sol.dispose();
  }, { repeats: 1, warmup: 0 });
  b.emit({ workload: `factorizeMatrix_N${n}_D${d}_M${mOut}_rank${rank}_iters3`, seconds: fm, nmse: Number(nmse.toPrecision(4)), ratioToMatmul: Number((fm / base).toFixed(1)) });
  tf.dispose([x, w, y]);

  const model = convNet();
  const data = tf.randomNormal([16, 16, 16, 64], 0, 1, 'float32', 4);
  const ref = model.predict(data) as tf.Tensor;
  const opts = { minChannels: 64, latentChannels: 0.25, minFeatures: 64, latentFeatures: 0.25 };
  for (const mode of ['svd', 'data'] as const) {
    let rel = NaN;
    let layers = 0;
    let flopRatio = NaN;
    let worstNmse: number | null = null;
    const secs = await b.time(() => {
      const res = applyFactorization(model, mode === 'data' ? { ...opts, data } : opts);
      const p = res.model.predict(data) as tf.Tensor;
      rel = tf.tidy(() => tf.norm(tf.sub(p, ref)).dataSync()[0] / tf.norm(ref).dataSync()[0]);
      const done = res.report.filter((r) => r.replaced);
      layers = done.length;
      flopRatio = res.report.reduce((a, r) => a + r.flopsAfter, 0) / res.report.reduce((a, r) => a + r.flopsBefore, 0);
      worstNmse = done.reduce<number | null>((a, r) => (r.nmse === null ? a : Math.max(a ?? 0, r.nmse)), null);
      p.dispose();
      res.model.dispose();
    }, { repeats: 1, warmup: 0 });
    b.emit({
      workload: `applyFactorization_convnet_${mode}`,
      seconds: secs,
      layersReplaced: layers,
      flopsRatio: Number(flopRatio.toFixed(3)),
      predictionRelError: Number(rel.toPrecision(3)),
      nmse: worstNmse === null ? null : Number((worstNmse as number).toPrecision(3)),
      ratioToMatmul: Number((secs / base).toFixed(1)),
    });
  }
  tf.dispose([data, ref]);
  model.dispose();
}
