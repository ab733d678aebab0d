/**
 * compressModel on a 10-layer conv net (8 Conv2D + 2 Dense, 32x32x3 input, batch 16): wall
 * time of the compression (SVD, data-aware ALS, a {params: 0.3} budget, CP and Tucker-2 convs),
 * its parameter / FLOP reduction and prediction error (the classifier head stays dense), next to the model's own forward pass
 * on the same batch (same run), so each time also reads as "forward passes".
 */
import { tf } from '@tenfold/core';
import { compressModel, type CompressModelOptions } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';

function convNet10(): tf.Sequential {
  const m = tf.sequential();
  const conv = (filters: number, strides = 1, first = false) =>
    m.add(tf.layers.conv2d({ ...(first ? { inputShape: [32, 32, 3] } : {}), filters, kernelSize: 3, strides, padding: 'same', activation: 'relu' }));
  conv(32, 1, true);
  conv(32);
  conv(64, 2);
  conv(64);
  conv(128, 2);
  conv(128);
  conv(128);
  conv(256, 2);
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, name: 'head' }));
  // Trained-like spectra: each kernel is a decaying-spectrum product plus noise.
  let seed = 1;
  for (const layer of m.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const next = ws.map((w) =>
      tf.tidy(() => {
        if (w.rank === 1) return tf.randomNormal(w.shape, 0, 0.05, 'float32', seed++);
        const out = w.shape[w.rank - 1];
        const fanIn = w.size / out;
        const k = Math.min(fanIn, out);
        const decay = tf.exp(tf.mul(tf.range(0, k), -4 / k));
        const a = tf.mul(tf.randomNormal([fanIn, k], 0, 1 / Math.sqrt(fanIn), 'float32', seed++), decay);
        const b = tf.randomNormal([k, out], 0, 1 / Math.sqrt(k), 'float32', seed++);
        return tf.reshape(tf.add(tf.matMul(a, b), tf.randomNormal([fanIn, out], 0, 0.01 / Math.sqrt(fanIn), 'float32', seed++)), w.shape);
      }),
    );
    layer.setWeights(next);
    tf.dispose(next);
  }
  return m;
}

export default async function compressSuite(b: Bench): Promise<void> {
  const model = convNet10();
  const x = tf.randomNormal([16, 32, 32, 3], 0, 1, 'float32', 99);
  const ref = model.predict(x) as tf.Tensor;
  const fwd = await b.timeTensor(() => model.predict(x) as tf.Tensor, { repeats: 3 });
  b.emit({ workload: 'baseline_forward_convnet10_batch16', seconds: fwd, params: model.countParams() });

  const runs: [string, CompressModelOptions][] = [
    ['svd_rank0.25', { rank: 0.25 }],
    ['als_rank0.25', { rank: 0.25, calibration: { inputs: x } }],
    ['svd_budget_params0.3', { budget: { params: 0.3 } }],
    ['svd_budget_flops0.5', { budget: { flops: 0.5 } }],
    ['cp_rank0.5', { factorization: 'cp', rank: 0.5 }],
    ['tucker2_rank0.5', { factorization: 'tucker2', rank: 0.5 }],
  ];
  for (const [name, opts] of runs) {
    let row: Record<string, number> = {};
    const secs = await b.time(() => {
      // The 10-way classifier stays dense (rank 0.25 of 10 would be 2), as is usual.
      const res = compressModel(model, { ...opts, layers: { head: false }, quiet: true });
      const p = res.model.predict(x) as tf.Tensor;
      const rel = tf.tidy(() => tf.norm(tf.sub(p, ref)).dataSync()[0] / tf.norm(ref).dataSync()[0]);
      const s = res.summary;
      row = {
        layersReplaced: s.replaced,
        paramsRatio: Number((s.paramsAfter / s.paramsBefore).toFixed(3)),
        flopsRatio: Number((s.flopsAfter / s.flopsBefore).toFixed(3)),
        predictionRelError: Number(rel.toPrecision(3)),
      };
      const errs = res.report.map((r) => r.outputError).filter((e): e is number => e !== null);
      if (errs.length) row.meanLayerOutputError = Number((errs.reduce((a, e) => a + e, 0) / errs.length).toPrecision(3));
      p.dispose();
      res.model.dispose();
    }, { repeats: 1, warmup: 0 });
    b.emit({ workload: `compressModel_convnet10_${name}`, seconds: secs, ...row, ratioToForward: Number((secs / fwd).toFixed(1)) });
  }
  tf.dispose([x, ref]);
  model.dispose();
}
