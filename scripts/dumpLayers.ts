/**
 * Bit-identity check for the factorized-layers refactors (issue 11 part C): build every
 * layer kind on fixed seeds and write the SHA-256 of the raw float32 bytes of each output
 * (FactorizedLinear.fromLinear / fromLinearList forwards for cp, tucker (+ rank 'evbmf'),
 * blocktt and dense under both implementations; TensorizedTensor.new / toMatrix;
 * FactorizedConv.fromConv forwards for cp, tucker, tt under both implementations;
 * FactorizedEmbedding lookups; TRL / TCL forwards; compressModel predictions, reports and
 * progress records on small seeded models) as JSON to the path given. Uses the built
 * packages (run `pnpm build`). `tsx scripts/dumpLayers.ts out.json`; compare two runs with `diff`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { initBackend, tf } from '@tenfold/core';
import {
  FactorizedConv,
  FactorizedEmbedding,
  FactorizedLinear,
  TCL,
  TRL,
  TensorizedTensor,
  compressModel,
  type CompressModelOptions,
} from '@tenfold/factorized-layers';
import { seedWeights } from '../packages/factorized-layers/test/compress/seedWeights.js';

await initBackend();
const out: Record<string, string> = {};
const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 16);
function hash(name: string, x: unknown): void {
  if (x instanceof tf.Tensor) {
    const d = x.dataSync() as Float32Array;
    out[name] = sha(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  } else if (Array.isArray(x)) x.forEach((v, i) => hash(`${name}[${i}]`, v));
  else if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') out[name] = String(x);
}
const normal = (shape: number[], seed: number, std = 1) => tf.randomNormal(shape, 0, std, 'float32', seed);

// FactorizedLinear: 24 -> 18 with a low-rank-plus-noise weight.
const W = tf.tidy(() => tf.add(tf.matMul(normal([18, 4], 1), normal([4, 24], 2)), normal([18, 24], 3, 0.05)));
const bias = normal([18], 4);
const xs = normal([5, 24], 5);
const linearCases: Array<[string, Record<string, unknown>]> = [
  ['cp', { factorization: 'cp', rank: 6, decomposition: { seed: 8 } }],
  ['cpAuto', { factorization: 'cp', rank: 0.5, nTensorizedModes: 2, decomposition: { seed: 9 } }],
  ['tucker', { factorization: 'tucker', rank: 0.5, decomposition: { seed: 10 } }],
  ['tuckerEvbmf', { factorization: 'tucker', rank: 'evbmf', inTensorizedFeatures: [4, 6], outTensorizedFeatures: [3, 6], decomposition: { seed: 11 } }],
  ['blocktt', { factorization: 'blocktt', rank: 0.5 }],
  ['dense', { factorization: 'dense', inTensorizedFeatures: [4, 6], outTensorizedFeatures: [3, 6] }],
];
for (const [name, o] of linearCases) {
  for (const implementation of ['factorized', 'reconstructed'] as const) {
    const l = FactorizedLinear.fromLinear({ weight: W, bias }, { ...o, implementation } as never);
    const y = l.apply(xs);
    hash(`linear/${name}/${implementation}/y`, y);
    hash(`linear/${name}/${implementation}/params`, l.weight.variables);
    hash(`linear/${name}/${implementation}/rank`, JSON.stringify(l.rank));
    hash(`linear/${name}/${implementation}/flops`, JSON.stringify(l.flops(5)));
    hash(`linear/${name}/${implementation}/repr`, l.toString());
    tf.dispose(y);
    l.dispose();
  }
}
{
  const ws = [0, 1, 2].map((i) => ({ weight: tf.add(W, normal([18, 24], 10 + i, 0.1)), bias: i === 1 ? null : normal([18], 20 + i) }));
  for (const factorization of ['cp', 'tucker', 'blocktt']) {
    const l = FactorizedLinear.fromLinearList(ws, { inTensorizedFeatures: [4, 6], outTensorizedFeatures: [3, 6], rank: 0.5, factorization, implementation: 'factorized', ...(factorization === 'blocktt' ? {} : { decomposition: { seed: 12, ...(factorization === 'cp' ? { init: 'random' } : {}) } }) });
    for (let i = 0; i < 3; i++) {
      const y = l.getLinear(i).apply(xs);
      hash(`linearList/${factorization}/${i}`, y);
      y.dispose();
    }
    hash(`linearList/${factorization}/repr`, l.getLinear(1).toString());
    l.dispose();
  }
  for (const w of ws) tf.dispose([w.weight, w.bias ?? []]);
  const l = new FactorizedLinear({ inTensorizedFeatures: [4, 6], outTensorizedFeatures: [3, 6], factorization: 'tucker', rank: 0.5, nLayers: 2, seed: 7 });
  const y = l.apply(xs, 1);
  hash('linearNew/tucker/y', y);
  y.dispose();
  l.dispose();
}
for (const factorization of ['cp', 'tucker', 'blocktt', 'dense']) {
  const t = TensorizedTensor.new([2, [3, 3], [4, 2]], { factorization, rank: 'same', seed: 3 });
  const m = t.toMatrix();
  hash(`tensorized/${factorization}/new`, m);
  const i1 = t.index(1);
  hash(`tensorized/${factorization}/index1`, i1.toMatrix());
  const f = TensorizedTensor.fromMatrix(W, [[3, 6], [4, 6]], { factorization, rank: 0.5, decomposition: factorization === 'cp' || factorization === 'tucker' ? { seed: 13 } : {} });
  hash(`tensorized/${factorization}/fromMatrix`, f.toMatrix());
  tf.dispose([m]);
  i1.dispose();
  t.dispose();
  f.dispose();
}

// FactorizedConv: an (8, 6, 3, 3) kernel on a (2, 6, 9, 9) NCHW batch.
const K = tf.tidy(() => tf.reshape(tf.add(tf.matMul(normal([8, 3], 30), normal([3, 54], 31)), normal([8, 54], 32, 0.05)), [8, 6, 3, 3]));
const kb = normal([8], 33);
const xc = normal([2, 6, 9, 9], 34);
for (const factorization of ['cp', 'tucker', 'tt']) {
  for (const implementation of ['factorized', 'reconstructed'] as const) {
    const c = FactorizedConv.fromConv({ weight: K, bias: kb, stride: 1, padding: 1 }, { factorization, rank: 0.5, implementation, decomposition: factorization === 'tt' ? {} : { seed: 14 } });
    const y = c.apply(xc);
    hash(`conv/${factorization}/${implementation}/y`, y);
    hash(`conv/${factorization}/${implementation}/params`, c.trainableVariables);
    y.dispose();
    c.dispose();
  }
}

// FactorizedEmbedding: a (36, 16) table.
const table = tf.tidy(() => tf.add(tf.matMul(normal([36, 4], 40), normal([4, 16], 41)), normal([36, 16], 42, 0.05)));
const ids = tf.tensor2d([[0, 5, 35], [7, 7, 20]], [2, 3], 'int32');
for (const factorization of ['cp', 'tucker', 'blocktt']) {
  const e = FactorizedEmbedding.fromEmbedding(table, { factorization, rank: 6, decomposition: factorization === 'blocktt' ? {} : { seed: 15 } });
  const y = e.apply(ids);
  hash(`embedding/${factorization}/lookup`, y);
  y.dispose();
  e.dispose();
}

// TRL / TCL.
{
  const xr = normal([4, 3, 4, 5], 50);
  for (const factorization of ['cp', 'tucker', 'tt']) {
    const trl = new TRL({ inputShape: [3, 4, 5], outputShape: [6], factorization, rank: 0.5, seed: 51 } as never);
    const y = trl.apply(xr);
    hash(`trl/${factorization}`, y);
    y.dispose();
    trl.dispose();
  }
  const tcl = new TCL({ inputShape: [3, 4, 5], rank: [2, 3, 2], seed: 52 } as never);
  const y = tcl.apply(xr);
  hash('tcl', y);
  y.dispose();
  tcl.dispose();
  xr.dispose();
}

// compressModel on small seeded models (weights: the compress tests' seedWeights).
function convNet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 6], filters: 10, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
  m.add(tf.layers.conv2d({ filters: 14, kernelSize: [3, 2], strides: [2, 1], padding: 'valid', name: 'c2' }));
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dense({ units: 18, activation: 'tanh', name: 'd1' }));
  m.add(tf.layers.dense({ units: 6, name: 'd2' }));
  seedWeights(m, 21);
  return m;
}
function embedNet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.embedding({ inputDim: 36, outputDim: 16, inputLength: 4, name: 'emb' }));
  m.add(tf.layers.conv1d({ filters: 8, kernelSize: 2, name: 'c1d' }));
  m.add(tf.layers.flatten({}));
  m.add(tf.layers.dense({ units: 4, name: 'head' }));
  seedWeights(m, 60);
  return m;
}
const xm = normal([3, 8, 8, 6], 70);
const calib = normal([16, 8, 8, 6], 71);
const runs: Array<[string, () => tf.Sequential, tf.Tensor, CompressModelOptions]> = [
  ['svd', convNet, xm, { rank: 0.5, requireSpeedup: false }],
  ['full', convNet, xm, { rank: 'full', requireSpeedup: false }],
  ['cp', convNet, xm, { factorization: 'cp', rank: 4, layers: { d1: { factorization: 'lowrank' }, d2: false } } as never],
  ['tucker2', convNet, xm, { factorization: 'tucker2', rank: 0.5, requireSpeedup: false, layers: { d1: { factorization: 'lowrank' }, d2: false } } as never],
  ['tuckerTt', convNet, xm, { layers: { c1: { factorization: 'tucker', rank: 0.5 }, c2: { factorization: 'tt', rank: 0.5 }, d1: { rank: 'evbmf' }, d2: false }, requireSpeedup: false } as never],
  ['als', convNet, xm, { rank: 0.5, requireSpeedup: false, calibration: { inputs: calib } } as never],
  ['budget', convNet, xm, { budget: { params: 0.5 }, requireSpeedup: false } as never],
  ['embed', embedNet, tf.tensor2d([[0, 1, 2, 35], [9, 8, 7, 6]], [2, 4], 'int32'), { rank: 0.5, requireSpeedup: false } as never],
];
for (const [name, make, x, opts] of runs) {
  const m = make();
  const progress: string[] = [];
  const r = compressModel(m, { ...opts, onProgress: (p) => progress.push(JSON.stringify({ task: p.task, step: p.step, total: p.total, stage: p.stage, error: p.error })) });
  const y = r.model.predict(x) as tf.Tensor;
  hash(`compress/${name}/y`, y);
  hash(`compress/${name}/weights`, r.model.getWeights());
  hash(`compress/${name}/report`, sha(JSON.stringify(r.report)));
  hash(`compress/${name}/summary`, sha(JSON.stringify(r.summary)));
  hash(`compress/${name}/progress`, sha(progress.join('\n')));
  hash(`compress/${name}/nProgress`, progress.length);
  y.dispose();
  r.model.dispose();
  m.dispose();
}
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1) + '\n');
console.log(`${Object.keys(out).length} outputs hashed on ${tf.getBackend()}`);
