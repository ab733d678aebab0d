/**
 * compressModel on Conv1D / Conv3D / Embedding (and Conv2D 'tucker' / 'tt'): whole-kernel
 * FactorizedConvND and FactorizedEmbeddingLayer replacements. Checks against identities
 * (lossless full ranks reproduce the model) and against the kernel's own decomposition
 * (FactorizedConv.fromConv / FactorizedEmbedding.fromEmbedding run directly).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError, ArgumentError, RankError } from '@tenfold/core';
import {
  applyFactorization,
  compressModel,
  FactorizedConv,
  FactorizedConv1D,
  FactorizedConv2D,
  FactorizedConv3D,
  FactorizedEmbedding,
  FactorizedEmbeddingLayer,
  type CompressModelOptions,
} from '@tenfold/factorized-layers';
import { expectNoLeak, relError, saveAndLoadInMemory } from '../../../../test-utils/index.js';
import { seedWeights } from './seedWeights.js';

/** Sequential Embedding -> Conv1D -> Flatten -> Dense. */
function seqNet(): tf.Sequential {
  const m = tf.sequential({ name: 'emb_conv1d' });
  m.add(tf.layers.embedding({ inputDim: 24, outputDim: 6, inputLength: 10, name: 'emb' }));
  m.add(tf.layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1d' }));
  m.add(tf.layers.conv1d({ filters: 6, kernelSize: 3, strides: 2, name: 'c1d2' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 4, name: 'd' }));
  seedWeights(m, 3);
  return m;
}

/** Functional: Conv3D branch plus a skip through pooling, concatenated, then Dense. */
function conv3dNet(): tf.LayersModel {
  const x = tf.input({ shape: [4, 4, 4, 2], name: 'vol' });
  const c = tf.layers.conv3d({ filters: 5, kernelSize: 2, padding: 'same', activation: 'relu', name: 'c3d' }).apply(x) as tf.SymbolicTensor;
  const g1 = tf.layers.flatten({ name: 'f1' }).apply(c) as tf.SymbolicTensor;
  const g2 = tf.layers.flatten({ name: 'f2' }).apply(x) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'cat' }).apply([g1, g2]) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3, name: 'd' }).apply(cat) as tf.SymbolicTensor;
  const m = tf.model({ inputs: x, outputs: y, name: 'vol_net' });
  seedWeights(m, 11);
  return m;
}

function ids(n: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: n * 10 }, (_, i) => (i * 7 + seed * 5) % 24), [n, 10], 'int32');
}

function snapshot(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync() as Float32Array);
}


const lossless: CompressModelOptions = {
  rank: 'full',
  requireSpeedup: false,
  layers: { emb: { factorization: 'tucker' }, c1d: { factorization: 'tt' }, c1d2: { factorization: 'tucker' } },
};

describe('compressModel: Embedding / Conv1D / Conv3D', () => {
  it('full ranks (Tucker / TT / block-TT) reproduce a Sequential Embedding -> Conv1D -> Dense model; original untouched', () => {
    const m = seqNet();
    const before = snapshot(m);
    const x = ids(3, 1);
    const ref = m.predict(x) as tf.Tensor;
    for (const opts of [lossless, { ...lossless, layers: { ...lossless.layers, emb: { factorization: 'blocktt' as const }, c1d2: { factorization: 'tt' as const } } }]) {
      const { model, report, summary } = compressModel(m, opts);
      try {
        expect(model).toBeInstanceOf(tf.Sequential);
        expect(model.layers[0]).toBeInstanceOf(FactorizedEmbeddingLayer);
        expect(model.layers[1]).toBeInstanceOf(FactorizedConv1D);
        expect(model.layers[2]).toBeInstanceOf(FactorizedConv1D);
        expect(report.map((r) => r.replaced)).toEqual([true, true, true, true]);
        for (const r of report) {
          expect(r.transfer).toBe(r.className === 'Dense' ? 'svd' : 'decomposition');
          expect(r.weightError!).toBeLessThan(1e-5);
          // The report's parameter count is the new layer's own (Dense: the pair d_a, d_b).
          if (r.className !== 'Dense') expect(r.paramsAfter).toBe(model.getLayer(r.layer).countParams());
        }
        expect(summary.paramsAfter).toBe(model.countParams());
        const got = model.predict(x) as tf.Tensor;
        expect(relError(got, ref)).toBeLessThan(1e-4);
        tf.dispose(got);
      } finally {
        model.dispose();
      }
    }
    snapshot(m).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(before[i])));
    const again = m.predict(x) as tf.Tensor;
    expect(relError(again, ref)).toBe(0);
    tf.dispose([x, ref, again]);
    m.dispose();
  });

  it("CP 'same' (not lossless): the layer equals the kernel's own decomposition; FLOPs from FactorizedConv.flops", () => {
    const m = seqNet();
    const x = ids(2, 4);
    const { model, report } = compressModel(m, { rank: 'same', requireSpeedup: false, layers: { emb: false, c1d2: false, d: false } });
    // compressModel seeds parafac's SVD-init padding columns with 0.
    const fc = FactorizedConv.fromConv(m.getLayer('c1d') as never, { factorization: 'cp', rank: 'same', implementation: 'auto', decomposition: { seed: 0 } });
    const ref = seqNet(); // same seeded weights
    try {
      const e = report.find((r) => r.layer === 'c1d')!;
      expect(e.replaced).toBe(true);
      expect(e.factorization).toBe('cp');
      expect(e.rank).toBe(fc.rank);
      // Same decomposition: same weight error and the same model once that kernel is put back.
      const kernel = tf.tidy(() => tf.transpose(fc.weight.toTensor(), [2, 1, 0]));
      const orig = m.getLayer('c1d').getWeights()[0];
      const err = tf.tidy(() => tf.norm(tf.sub(orig, kernel)).dataSync()[0] / tf.norm(orig).dataSync()[0]);
      expect(e.weightError!).toBeCloseTo(err, 5);
      expect(e.weightError!).toBeGreaterThan(1e-4);
      const flops = fc.flops([1, 6, 10]);
      expect(e.flopsBefore).toBe(flops.dense);
      expect(e.flopsBefore).toBe(2 * 10 * 3 * 6 * 8);
      expect(e.flopsAfter).toBe(Math.min(flops.factorized, flops.reconstructed));
      expect(e.paramsAfter).toBe(fc.paramCount);
      // Reference: the original model with that kernel.
      ref.getLayer('c1d').setWeights([kernel, m.getLayer('c1d').getWeights()[1]]);
      const a = model.predict(x) as tf.Tensor;
      const b = ref.predict(x) as tf.Tensor;
      expect(relError(a, b)).toBeLessThan(1e-4);
      tf.dispose([kernel, a, b]);
    } finally {
      fc.dispose();
      ref.dispose();
      model.dispose();
      m.dispose();
      x.dispose();
    }
  });

  it("Embedding block-TT at a given rank equals FactorizedEmbedding.fromEmbedding of the table", () => {
    const m = seqNet();
    const x = ids(2, 2);
    const { model, report } = compressModel(m, { rank: 2, requireSpeedup: false, layers: { c1d: false, c1d2: false, d: false } });
    const emb = FactorizedEmbedding.fromEmbedding(m.getLayer('emb').getWeights()[0], { factorization: 'blocktt', rank: 2 });
    try {
      const e = report[0];
      expect(e.factorization).toBe('blocktt');
      expect(e.rank).toEqual(emb.rank);
      expect(e.paramsAfter).toBe(emb.paramCount);
      expect(e.paramsBefore).toBe(24 * 6);
      const table = emb.toTable();
      const got = model.layers[0].apply(x) as tf.Tensor;
      const want = tf.gather(table, x);
      expect(relError(got, want)).toBeLessThan(1e-5);
      tf.dispose([table, got, want]);
    } finally {
      emb.dispose();
      model.dispose();
      m.dispose();
      x.dispose();
    }
  });

  it('functional Conv3D: Tucker full rank reproduces the model; default (global lowrank) gives CP; Conv2D tucker / tt -> FactorizedConv2D', () => {
    const m = conv3dNet();
    const x = tf.randomNormal([2, 4, 4, 4, 2], 0, 1, 'float32', 5);
    const ref = m.predict(x) as tf.Tensor;
    const full = compressModel(m, { rank: 'full', requireSpeedup: false, layers: { c3d: { factorization: 'tucker' } } });
    expect(full.model.getLayer('c3d')).toBeInstanceOf(FactorizedConv3D);
    const got = full.model.predict(x) as tf.Tensor;
    expect(relError(got, ref)).toBeLessThan(1e-4);
    const cp = compressModel(m, { rank: 2, requireSpeedup: false });
    const e = cp.report.find((r) => r.layer === 'c3d')!;
    expect([e.factorization, e.rank, e.kernelSize, e.positions]).toEqual(['cp', 2, [2, 2, 2], 64]);
    expect(e.flopsBefore).toBe(2 * 64 * 8 * 2 * 5);
    expect(e.flopsAfter).toBeLessThan(e.flopsBefore);
    tf.dispose([got, ref, x]);
    full.model.dispose();
    cp.model.dispose();
    m.dispose();

    const c2 = tf.sequential();
    c2.add(tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, name: 'k2' }));
    seedWeights(c2, 2);
    const x2 = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
    const r2 = c2.predict(x2) as tf.Tensor;
    for (const fact of ['tucker', 'tt'] as const) {
      const { model } = compressModel(c2, { factorization: fact, rank: 'full', requireSpeedup: false });
      expect(model.layers[0]).toBeInstanceOf(FactorizedConv2D);
      const g2 = model.predict(x2) as tf.Tensor;
      expect(relError(g2, r2)).toBeLessThan(1e-4);
      tf.dispose(g2);
      model.dispose();
    }
    tf.dispose([x2, r2]);
    c2.dispose();
  });

  it('save / load (withSaveHandler / fromMemory) of compressed models gives identical predictions', async () => {
    const m = seqNet();
    const x = ids(2, 3);
    const { model } = compressModel(m, { rank: 0.5, requireSpeedup: false });
    expect(model.layers[0]).toBeInstanceOf(FactorizedEmbeddingLayer);
    expect(model.layers[1]).toBeInstanceOf(FactorizedConv1D);
    const loaded = await saveAndLoadInMemory(model);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.layers[0]).toBeInstanceOf(FactorizedEmbeddingLayer);
    tf.dispose([a, b, x]);
    loaded.dispose();
    model.dispose();
    m.dispose();

    const v = conv3dNet();
    const xv = tf.randomNormal([2, 4, 4, 4, 2], 0, 1, 'float32', 9);
    const c = compressModel(v, { rank: 3, requireSpeedup: false, layers: { c3d: { factorization: 'tt' } } });
    const lv = await saveAndLoadInMemory(c.model);
    expect(lv.getLayer('c3d')).toBeInstanceOf(FactorizedConv3D);
    const av = c.model.predict(xv) as tf.Tensor;
    const bv = lv.predict(xv) as tf.Tensor;
    expect(Array.from(bv.dataSync())).toEqual(Array.from(av.dataSync()));
    tf.dispose([av, bv, xv]);
    lv.dispose();
    c.model.dispose();
    v.dispose();
  });

  it('guards: no speed-up keeps dense, minRank with keepDenseOnViolation, budget leaves these layers their rank', () => {
    const m = seqNet();
    const dense = compressModel(m, { rank: 'full', layers: { emb: { factorization: 'tucker' }, c1d: { factorization: 'tucker' } } });
    const byName = Object.fromEntries(dense.report.map((r) => [r.layer, r]));
    expect(byName.emb.replaced).toBe(false);
    expect(byName.emb.reason).toMatch(/parameters >= 144 of the table: kept dense/);
    expect(byName.c1d.replaced).toBe(false);
    expect(byName.c1d.reason).toMatch(/FLOPs >= \d+ of the dense conv: kept dense/);
    expect(dense.model.layers[1].getClassName()).toBe('Conv1D');
    dense.model.dispose();
    const floor = compressModel(m, { rank: 1, minRank: 2, keepDenseOnViolation: true, requireSpeedup: false, layers: { d: false } });
    expect(floor.report.slice(0, 3).map((r) => [r.replaced, r.warnings.length > 0])).toEqual([[false, true], [false, true], [false, true]]);
    floor.model.dispose();
    const budget = compressModel(m, { budget: { params: 0.5 }, requireSpeedup: false, layers: { c1d: { rank: 2 } } });
    expect(budget.report[1].rank).toBe(2);
    expect(budget.report[0].factorization).toBe('blocktt');
    expect(budget.report[0].replaced).toBe(true);
    budget.model.dispose();
    m.dispose();
  });

  it('no leaks, on success, with calibration, on bad per-layer options and on abort', () => {
    const m = seqNet();
    const x = ids(4, 5);
    expectNoLeak(() => compressModel(m, { rank: 2, requireSpeedup: false }));
    expectNoLeak(() => compressModel(m, { rank: 'evbmf', requireSpeedup: false, quiet: true }));
    const cal = expectNoLeak(() => compressModel(m, { rank: 'full', requireSpeedup: false, layers: lossless.layers, calibration: { inputs: x } }));
    expect(cal.report.slice(0, 3).every((r) => r.outputError! < 1e-4)).toBe(true);
    expectNoLeak(() => compressModel(m, { rank: 2, keepDenseOnViolation: true, minRank: 3 }));
    const before = tf.memory().numTensors;
    expect(() => compressModel(m, { layers: { emb: { factorization: 'tt' } } })).toThrow(ArgumentError);
    expect(() => compressModel(m, { layers: { c1d: { factorization: 'blocktt' } } })).toThrow(ArgumentError);
    expect(() => compressModel(m, { layers: { c1d: { factorization: 'cp', rank: 'full' } } })).toThrow(RankError);
    expect(() => compressModel(m, { layers: { d: { rank: 'same' } } })).toThrow(RankError);
    const ctrl = new AbortController();
    let calls = 0;
    expect(() => compressModel(m, { rank: 2, requireSpeedup: false, signal: ctrl.signal, onProgress: () => { if (++calls === 3) ctrl.abort(); } })).toThrow(AbortedError);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it('applyFactorization (Composer: Dense / Conv2D only) still copies Embedding and Conv1D unchanged', () => {
    const m = seqNet();
    const x = ids(2, 6);
    const { model, report } = applyFactorization(m, { minFeatures: 1, latentFeatures: 2 });
    expect(model.layers.slice(0, 3).map((l) => l.getClassName())).toEqual(['Embedding', 'Conv1D', 'Conv1D']);
    expect(report.map((r) => r.layer)).toEqual(['d']);
    // Only the Dense changed: the layers before it give the same activations.
    const sub = (mm: tf.LayersModel) => tf.tidy(() => mm.layers.slice(0, 3).reduce<tf.Tensor>((h, l) => l.apply(h) as tf.Tensor, x));
    const a = sub(m);
    const b = sub(model);
    expect(relError(b, a)).toBe(0);
    tf.dispose([a, b, x]);
    model.dispose();
    m.dispose();
  });
});
