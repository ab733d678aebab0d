/**
 * Factorize a small tfjs conv net, Composer-style, and decompose one conv with CP / Tucker-2.
 *
 *   npx tsx examples/factorize-model.ts        (after `pnpm build`)
 *
 * 1. Build a conv net whose kernels have low-rank structure plus noise (as trained kernels
 *    roughly do).
 * 2. `applyFactorization` without data (SVD split) and with a batch of inputs (data-aware
 *    ALS): print the per-layer report and how close the predictions stay.
 * 3. Decompose one conv weight with `tucker2Conv2d` / `cpConv2d` at EVBMF-estimated ranks and
 *    compare the conv sequences with the original conv.
 */
import { tf } from '@tenfold/core';
import { applyConvSequence, applyFactorization, cpConv2d, disposeConvSpecs, kernelFromTfjs, kernelToTfjs, toChannelsFirst, tucker2Conv2d, type LayerFactorizationReport } from '@tenfold/factorized-layers';

/**
 * A kernel with low-rank structure plus 2 % noise, in tfjs layout: a Dense kernel (in, out) of
 * rank r; a Conv2D kernel (kh, kw, in, out) with Tucker-2 ranks (r, r / 2) on (out, in).
 */
function structuredKernel(shape: number[], r: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const out = shape[shape.length - 1];
    const fanIn = shape.reduce((a, b) => a * b, 1) / out;
    let w: tf.Tensor;
    if (shape.length === 2) {
      w = tf.matMul(tf.randomNormal([fanIn, r], 0, 1, 'float32', seed), tf.randomNormal([r, out], 0, 1, 'float32', seed + 1));
    } else {
      const [kh, kw, cin] = shape;
      const rIn = r / 2;
      const core = tf.randomNormal([r, rIn * kh * kw], 0, 1, 'float32', seed); // (rOut, rIn kh kw)
      const a = tf.randomNormal([out, r], 0, 1, 'float32', seed + 1);
      const b = tf.randomNormal([cin, rIn], 0, 1, 'float32', seed + 2);
      const t = tf.transpose(tf.reshape(tf.matMul(a, core), [out, rIn, kh * kw]), [0, 2, 1]); // (out, kk, rIn)
      const torch = tf.transpose(tf.reshape(tf.matMul(tf.reshape(t, [-1, rIn]), tf.transpose(b)), [out, kh, kw, cin]), [0, 3, 1, 2]);
      w = kernelToTfjs(torch); // (out, in, kh, kw) -> tfjs (kh, kw, in, out)
    }
    const scaled = tf.mul(w, 1 / tf.norm(w).dataSync()[0]);
    return tf.add(scaled, tf.randomNormal(shape, 0, 0.02 / Math.sqrt(w.size), 'float32', seed + 3));
  });
}

function buildModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [16, 16, 32], filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv2' }));
  m.add(tf.layers.flatten({ name: 'flatten' }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu', name: 'fc1' }));
  m.add(tf.layers.dense({ units: 10, name: 'fc2' }));
  let seed = 1;
  for (const layer of m.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const next = [structuredKernel(ws[0].shape, 24, (seed += 3)), ...ws.slice(1).map((b) => tf.randomNormal(b.shape, 0, 0.1, 'float32', (seed += 3)))];
    layer.setWeights(next);
    tf.dispose(next);
  }
  return m;
}

function printReport(title: string, report: LayerFactorizationReport[]): void {
  console.log(`\n${title}`);
  console.table(
    report.map((r) => ({
      layer: r.layer,
      replaced: r.replaced,
      rank: r.rank ?? '-',
      nmse: r.nmse === null ? '-' : r.nmse.toExponential(2),
      weightError: r.weightError === null ? '-' : r.weightError.toExponential(2),
      params: `${r.paramsBefore} -> ${r.paramsAfter}`,
      flops: `${r.flopsBefore} -> ${r.flopsAfter}`,
      reason: r.reason,
    })),
  );
}

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);
}

const model = buildModel();
const data = tf.randomNormal([64, 16, 16, 32], 0, 1, 'float32', 100);
const test = tf.randomNormal([32, 16, 16, 32], 0, 1, 'float32', 200);
const ref = model.predict(test) as tf.Tensor;
// Thresholds lowered for this small net (Composer's functional defaults are 512 / 0.25).
const opts = { minChannels: 32, latentChannels: 32, minFeatures: 64, latentFeatures: 32 };

for (const [title, extra] of [['SVD split', {}], ['data-aware ALS', { data }]] as const) {
  const { model: small, report } = applyFactorization(model, { ...opts, ...extra });
  printReport(title, report);
  const pred = small.predict(test) as tf.Tensor;
  const before = report.reduce((a, r) => a + r.flopsBefore, 0);
  const after = report.reduce((a, r) => a + r.flopsAfter, 0);
  console.log(`${title}: FLOPs x${(after / before).toFixed(3)}, params ${model.countParams()} -> ${small.countParams()}, prediction rel. error on held-out inputs ${relErr(pred, ref).toExponential(2)}`);
  pred.dispose();
  small.dispose();
}

// One conv layer decomposed at EVBMF ranks: the helpers read the tfjs layer (kernel, bias,
// geometry) through conv/layout.ts; the specs are PyTorch-layout and run on NCHW inputs.
const conv1 = model.getLayer('conv1');
const w = kernelFromTfjs(conv1.getWeights()[0]); // (out, in, kh, kw), for the reference conv only
const x = toChannelsFirst(test.slice([0, 0, 0, 0], [4, -1, -1, -1])); // NCHW
const full = applyConvSequence(x, [{ weight: w as tf.Tensor4D, bias: conv1.getWeights()[1] as tf.Tensor1D, stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }]);
const tucker = tucker2Conv2d(conv1, 'evbmf');
const cp = cpConv2d(conv1, 'evbmf');
for (const [name, specs] of [['Tucker-2', tucker], ['CP', cp]] as const) {
  const y = applyConvSequence(x, specs);
  const params = specs.reduce((a, s) => a + s.weight.size, 0);
  console.log(`${name}: ranks ${specs.map((s) => s.weight.shape[0]).join(' / ')}, params ${w.size} -> ${params}, output rel. error ${relErr(y, full).toExponential(2)}`);
  y.dispose();
}
tf.dispose([w, x, full, data, test, ref]);
disposeConvSpecs(tucker);
disposeConvSpecs(cp);
model.dispose();
