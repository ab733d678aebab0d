import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError } from '@tenfold/core';
import { compressModel, CpConv2D, Tucker2Conv2D, type CompressResult } from '@tenfold/factorized-layers';
import { expectNoLeak, relError, saveAndLoadInMemory } from '../../../../test-utils/index.js';
import { seedWeights } from './seedWeights.js';

function sequentialNet(): tf.Sequential {
  const m = tf.sequential({ name: 'seqnet' });
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 6], filters: 12, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'valid', name: 'c2' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 20, activation: 'tanh', name: 'd1' }));
  m.add(tf.layers.dense({ units: 5, name: 'd2' }));
  seedWeights(m, 1);
  return m;
}

/** Two inputs, a residual branch (add), a concat, two outputs, a shared Dense. */
function functionalNet(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 4], name: 'img' });
  const z = tf.input({ shape: [6], name: 'aux' });
  const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(x) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'c2' }).apply(c1) as tf.SymbolicTensor;
  const res = tf.layers.add({ name: 'res' }).apply([c1, c2]) as tf.SymbolicTensor;
  const pool = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(res) as tf.SymbolicTensor;
  const shared = tf.layers.dense({ units: 6, activation: 'relu', name: 'shared' });
  const a = shared.apply(z) as tf.SymbolicTensor;
  const b = shared.apply(a) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([pool, b]) as tf.SymbolicTensor;
  const out1 = tf.layers.dense({ units: 10, name: 'head1' }).apply(cat) as tf.SymbolicTensor;
  const out2 = tf.layers.dense({ units: 3, activation: 'softmax', name: 'head2' }).apply(cat) as tf.SymbolicTensor;
  const m = tf.model({ inputs: [x, z], outputs: [out1, out2], name: 'fnet' });
  seedWeights(m, 11);
  return m;
}

const predictAll = (m: tf.LayersModel, xs: tf.Tensor | tf.Tensor[]) => {
  const p = m.predict(xs);
  return Array.isArray(p) ? p : [p];
};

function snapshot(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}

describe('compressModel', () => {
  it('full rank reproduces a Sequential model; the original is untouched', () => {
    const m = sequentialNet();
    const x = tf.randomNormal([3, 8, 8, 6], 0, 1, 'float32', 5);
    const before = snapshot(m);
    const ref = predictAll(m, x);
    const { model, report, summary } = compressModel(m, { rank: 'full', requireSpeedup: false });
    try {
      expect(model).toBeInstanceOf(tf.Sequential);
      expect(report.map((r) => [r.layer, r.replaced])).toEqual([['c1', true], ['c2', true], ['d1', true], ['d2', true]]);
      expect(model.layers.map((l) => l.name)).toEqual(['c1_a', 'c1_b', 'c2_a', 'c2_b', 'flat', 'd1_a', 'd1_b', 'd2_a', 'd2_b']);
      const got = predictAll(model, x);
      expect(relError(got[0], ref[0])).toBeLessThan(1e-4);
      for (const r of report) expect(r.weightError!).toBeLessThan(1e-5);
      expect(summary.paramsAfter).toBe(model.countParams());
      tf.dispose(got);
      // Original: same weights, same predictions.
      snapshot(m).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i])));
      const again = predictAll(m, x);
      expect(Array.from(again[0].dataSync())).toEqual(Array.from(ref[0].dataSync()));
      tf.dispose(again);
    } finally {
      model.dispose();
      m.dispose();
      tf.dispose([x, ...ref]);
    }
  });

  it('full rank reproduces a functional model with a residual branch, concat, shared layer, two inputs and outputs', () => {
    const m = functionalNet();
    const xs = [tf.randomNormal([4, 8, 8, 4], 0, 1, 'float32', 6), tf.randomNormal([4, 6], 0, 1, 'float32', 7)];
    const ref = predictAll(m, xs);
    const before = snapshot(m);
    for (const calibration of [null, { inputs: xs }]) {
      const { model, report } = compressModel(m, { rank: 'full', requireSpeedup: false, calibration });
      try {
        expect(model.inputs.length).toBe(2);
        expect(model.outputs.length).toBe(2);
        expect(report.map((r) => r.layer)).toEqual(['c1', 'c2', 'shared', 'head1', 'head2']);
        expect(report.every((r) => r.replaced)).toBe(true);
        const got = predictAll(model, xs);
        got.forEach((g, i) => expect(relError(g, ref[i])).toBeLessThan(1e-4));
        if (calibration) for (const r of report) expect(r.outputError!).toBeLessThan(1e-4);
        tf.dispose(got);
      } finally {
        model.dispose();
      }
    }
    snapshot(m).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i])));
    m.dispose();
    tf.dispose([...xs, ...ref]);
  });

  it('save / load of a compressed model (lowrank, CP and Tucker-2 layers) gives identical predictions', async () => {
    const m = sequentialNet();
    const x = tf.randomNormal([2, 8, 8, 6], 0, 1, 'float32', 8);
    const { model } = compressModel(m, { rank: 0.5, requireSpeedup: false, layers: { c1: { factorization: 'cp', rank: 4 }, c2: { factorization: 'tucker2', rank: 4 } } });
    expect(model.layers[0]).toBeInstanceOf(CpConv2D);
    expect(model.layers[1]).toBeInstanceOf(Tucker2Conv2D);
    const loaded = await saveAndLoadInMemory(model);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers[0]).toBeInstanceOf(CpConv2D);
    tf.dispose([a, b, x]);
    loaded.dispose();
    model.dispose();
    m.dispose();
  });

  it('replaces Embedding / Conv1D (whole-kernel), reports other weighted layers as unsupported-left-dense and copies them', () => {
    const x = tf.input({ shape: [12], dtype: 'int32' });
    const e = tf.layers.embedding({ inputDim: 20, outputDim: 8, name: 'emb' }).apply(x) as tf.SymbolicTensor;
    const c = tf.layers.conv1d({ filters: 8, kernelSize: 3, name: 'c1d' }).apply(e) as tf.SymbolicTensor;
    const n = tf.layers.batchNormalization({ name: 'bn' }).apply(c) as tf.SymbolicTensor;
    const f = tf.layers.flatten().apply(n) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 4, name: 'd' }).apply(f) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: d }); // tfjs' own (random) initial weights
    const ids = tf.tensor2d(Array.from({ length: 36 }, (_, i) => (i * 7) % 20), [3, 12], 'int32');
    const ref = m.predict(ids) as tf.Tensor;
    const { model, report } = compressModel(m, { rank: 'full', requireSpeedup: false });
    expect(report.map((r) => [r.layer, r.replaced, r.factorization])).toEqual([['emb', true, 'blocktt'], ['c1d', true, 'tucker'], ['bn', false, null], ['d', true, 'lowrank']]);
    expect(report[2].reason).toMatch(/unsupported-left-dense: BatchNormalization/);
    const got = model.predict(ids) as tf.Tensor;
    expect(relError(got, ref)).toBeLessThan(1e-4);
    tf.dispose([ids, ref, got]);
    model.dispose();
    m.dispose();
  });

  it('reports progress once per layer, stage = layer name', () => {
    const m = sequentialNet();
    const recs: { step: number; total?: number; stage?: string }[] = [];
    const { model } = compressModel(m, { rank: 2, onProgress: (r) => recs.push(r) });
    expect(recs.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recs.every((r) => r.total === 5)).toBe(true);
    expect(recs.slice(1).map((r) => r.stage)).toEqual(['c1', 'c2', 'flat', 'd1', 'd2']);
    model.dispose();
    m.dispose();
  });

  it('save / load of a compressed functional model (two inputs, two outputs, CP conv) gives identical predictions', async () => {
    const m = functionalNet();
    const xs = [tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 16), tf.randomNormal([2, 6], 0, 1, 'float32', 17)];
    const { model } = compressModel(m, { rank: 2, requireSpeedup: false, layers: { c2: { factorization: 'cp', rank: 3 } } });
    const loaded = await saveAndLoadInMemory(model);
    const a = predictAll(model, xs);
    const b = predictAll(loaded, xs);
    expect(b.length).toBe(2);
    a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
    tf.dispose([...a, ...b, ...xs]);
    loaded.dispose();
    model.dispose();
    m.dispose();
  });

  it('no leak on success, with calibration, and on a throw midway (abort)', () => {
    const m = functionalNet();
    const xs = [tf.randomNormal([4, 8, 8, 4], 0, 1, 'float32', 6), tf.randomNormal([4, 6], 0, 1, 'float32', 7)];
    expectNoLeak(() => compressModel(m, { rank: 2, requireSpeedup: false }));
    expectNoLeak(() => compressModel(m, { rank: 2, requireSpeedup: false, calibration: { inputs: xs } }));
    expectNoLeak(() => compressModel(m, { rank: 2, requireSpeedup: false, layers: { c1: { factorization: 'cp' }, c2: { factorization: 'tucker2' } } }));
    // Replacements built, measured and thrown away (kept dense), and EVBMF ranks.
    const kept = expectNoLeak(() => compressModel(m, { rank: 1, requireSpeedup: false, calibration: { inputs: xs }, maxOutputError: 1e-3, keepDenseOnViolation: true }));
    expect(kept.report.every((r) => !r.replaced && /kept dense/.test(r.reason))).toBe(true);
    expectNoLeak(() => compressModel(m, { rank: 'evbmf', requireSpeedup: false, quiet: true }));
    const ctrl = new AbortController();
    let calls = 0;
    const before = tf.memory().numTensors;
    expect(() =>
      compressModel(m, {
        rank: 2,
        requireSpeedup: false,
        calibration: { inputs: xs },
        onProgress: (r) => {
          if (++calls === 3) ctrl.abort();
          expect(r.task).toBe('compressModel');
        },
        signal: ctrl.signal,
      }),
    ).toThrow(AbortedError);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    tf.dispose(xs);
  });
});
