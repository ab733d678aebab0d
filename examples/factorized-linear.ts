/**
 * Tensorized, factorized linear layers (tltorch's FactorizedLinear) on TensorFlow.js.
 *
 *   npx tsx examples/factorized-linear.ts
 *
 * 1. Convert a dense 256 -> 512 layer to Tucker and CP FactorizedLinear layers at 10% of the
 *    parameters and print their error, FLOPs and contraction plan.
 * 2. Fine-tune the CP layer to the dense layer's outputs with Adam.
 * 3. Put a FactorizedDense (tfjs-layers) into a tf.sequential model, save and reload it.
 */
import { ready, backendInfo, tf } from '@tenfold/core';
import { FactorizedDense, FactorizedLinear } from '@tenfold/factorized-layers';

await ready(); // the backend Tenfold picks (tensorflow, wasm or cpu), loaded

const IN = 256;
const OUT = 512;
console.log(`backend: ${backendInfo().name}`);

// A dense layer (PyTorch layout: weight (out, in)) with tensor structure: a random Tucker
// weight over the tensorization (4, 8, 16) x (4, 4, 16) plus 0.1% noise. (A random dense matrix
// has no such structure, and no factorization at 10% of the parameters fits it well.)
const source = new FactorizedLinear({ inTensorizedFeatures: [4, 4, 16], outTensorizedFeatures: [4, 8, 16], factorization: 'tucker', rank: [2, 4, 6, 2, 2, 6], seed: 1 });
const weight = tf.tidy(() => {
  const w = source.weight.toMatrix();
  return tf.add(w, tf.mul(tf.randomNormal(w.shape, 0, 1, 'float32', 3), tf.mul(0.001, tf.sqrt(tf.mean(tf.square(w))))));
});
source.dispose();
const bias = tf.randomNormal([OUT], 0, 0.1, 'float32', 4);
const x = tf.randomNormal([64, IN], 0, 1, 'float32', 5);
const yDense = tf.tidy(() => tf.add(tf.matMul(x, weight, false, true), bias));

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);
}

const layers: Record<string, FactorizedLinear> = {};
for (const factorization of ['tucker', 'cp']) {
  const t0 = performance.now();
  const layer = FactorizedLinear.fromLinear({ weight, bias }, { factorization, rank: 0.1, implementation: 'auto', decomposition: factorization === 'cp' ? { nIterMax: 3, init: 'random', seed: 0 } : {} });
  const seconds = (performance.now() - t0) / 1000;
  const y = layer.apply(x);
  const f = layer.flops(64);
  console.log(`\n${layer}`);
  console.log(`  fromLinear ${seconds.toFixed(2)} s, ${layer.paramCount} parameters (dense: ${IN * OUT + OUT}), output error ${relErr(y, yDense).toExponential(2)}`);
  console.log(`  FLOPs at batch 64: dense ${f.dense}, factorized ${f.factorized}, reconstructed ${f.reconstructed} -> 'auto' runs ${f.cheaper}`);
  const plan = layer.plan(64, 'factorized');
  console.log(`  factorized plan: ${plan.steps.map((s) => (s.op === 'matmul' ? `matmul->[${s.shape}]` : s.op)).join(', ')}`);
  y.dispose();
  layers[factorization] = layer;
}

// Fine-tune the CP layer: its parameters are tf.Variables.
const cp = layers.cp;
const opt = tf.train.adam(2e-4);
const y0 = cp.apply(x);
const before = relErr(y0, yDense);
y0.dispose();
for (let step = 0; step < 100; step++) {
  const loss = opt.minimize(() => tf.mean(tf.square(tf.sub(cp.apply(x), yDense))) as tf.Scalar, true, cp.trainableVariables);
  loss?.dispose();
}
const yAfter = cp.apply(x);
console.log(`\nCP fine-tuning (100 Adam steps): output error ${before.toExponential(2)} -> ${relErr(yAfter, yDense).toExponential(2)}`);
yAfter.dispose();
opt.dispose();

// tfjs-layers: FactorizedDense in a model, saved and loaded back through an IOHandler.
const model = tf.sequential({ layers: [new FactorizedDense({ units: 32, inputShape: [IN], factorization: 'blocktt', rank: 0.2, activation: 'relu', seed: 1 }), tf.layers.dense({ units: 1 })] });
let artifacts: tf.io.ModelArtifacts | undefined;
await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
const a = model.predict(x) as tf.Tensor;
const b = loaded.predict(x) as tf.Tensor;
console.log(`\nFactorizedDense save/load: max |difference| = ${tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])}`);

tf.dispose([weight, bias, x, yDense, a, b]);
Object.values(layers).forEach((l) => l.dispose());
model.dispose();
loaded.dispose();
