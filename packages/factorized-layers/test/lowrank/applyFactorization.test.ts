import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NotSupportedError, ShapeError } from '@tenfold/core';
import { applyFactorization, cleanLatentSize, maxRankWithSpeedup } from '@tenfold/factorized-layers';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

/** A small conv net; with `lowRank` each kernel is a rank-`lowRank` matrix plus 1e-4 noise. */
function makeModel(seed: number, lowRank: number | null): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 16], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', name: 'c2' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 48, activation: 'relu', name: 'd1' }));
  m.add(tf.layers.dense({ units: 10, name: 'd2' }));
  let s = seed;
  for (const layer of m.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const next = ws.map((w) =>
      tf.tidy(() => {
        if (w.rank === 1) return tf.randomNormal(w.shape, 0, 0.1, 'float32', s++);
        const out = w.shape[w.rank - 1];
        const fanIn = w.size / out;
        if (lowRank === null) return tf.randomNormal(w.shape, 0, 1 / Math.sqrt(fanIn), 'float32', s++);
        const a = tf.randomNormal([fanIn, lowRank], 0, 1 / Math.sqrt(fanIn), 'float32', s++);
        const b = tf.randomNormal([lowRank, out], 0, 1 / Math.sqrt(lowRank), 'float32', s++);
        return tf.add(tf.reshape(tf.matMul(a, b), w.shape), tf.randomNormal(w.shape, 0, 1e-4, 'float32', s++));
      }),
    );
    layer.setWeights(next);
    tf.dispose(next);
  }
  return m;
}

const OPTS = { minChannels: 16, latentChannels: 24, minFeatures: 16, latentFeatures: 24 };

describe('applyFactorization', () => {
  it('Composer speedup model: documented examples', () => {
    expect(maxRankWithSpeedup(512, 512)).toBe(255);
    expect(maxRankWithSpeedup(256, 256, [3, 3])).toBe(230);
    expect(cleanLatentSize(0.25, 512, 256)).toBe(64);
    expect(cleanLatentSize(0.001, 512, 256)).toBe(1);
    expect(cleanLatentSize(128, 512, 256)).toBe(128);
  });

  it('SVD transfer: close predictions at high rank, accurate report, original untouched', () => {
    const model = makeModel(1, 16);
    const x = tf.randomNormal([4, 8, 8, 16], 0, 1, 'float32', 99);
    const before = model.predict(x) as tf.Tensor;
    const weightsBefore = model.getWeights().map((w) => w.dataSync().slice());
    const { model: fm, report } = applyFactorization(model, OPTS);
    try {
      expect(report.map((r) => [r.layer, r.replaced])).toEqual([['c1', true], ['c2', true], ['d1', true], ['d2', false]]);
      expect(report[3].reason).toMatch(/minFeatures/);
      expect(fm.layers.map((l) => l.name)).toEqual(['c1_a', 'c1_b', 'c2_a', 'c2_b', 'flat', 'd1_a', 'd1_b', 'd2']);
      const after = fm.predict(x) as tf.Tensor;
      expect(after.shape).toEqual(before.shape);
      expect(relError(after, before)).toBeLessThan(1e-2);
      after.dispose();
      // The original model is untouched.
      model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(weightsBefore[i])));
      // Report: parameters and FLOPs match the layers that were built.
      const byName = new Map(fm.layers.map((l) => [l.name, l]));
      for (const r of report.filter((e) => e.replaced)) {
        const a = byName.get(`${r.layer}_a`)!;
        const b = byName.get(`${r.layer}_b`)!;
        expect(r.rank).toBe(24);
        expect(r.paramsAfter).toBe(a.countParams() + b.countParams());
        expect(r.paramsBefore).toBe(model.getLayer(r.layer).countParams());
        const outShape = b.outputShape as number[];
        const positions = outShape.length === 4 ? outShape[1] * outShape[2] : 1;
        const fanIn = r.inFeatures * r.kernelSize[0] * r.kernelSize[1];
        expect(r.flopsBefore).toBe(2 * positions * fanIn * r.outFeatures);
        expect(r.flopsAfter).toBe(2 * positions * (fanIn * 24 + 24 * r.outFeatures));
        expect(r.flopsAfter).toBeLessThan(r.flopsBefore);
        expect(r.weightError!).toBeLessThan(1e-2);
        expect(r.nmse).toBeNull();
      }
      const saved = report.reduce((acc, r) => acc + r.paramsBefore - r.paramsAfter, 0);
      expect(fm.countParams()).toBe(model.countParams() - saved);
    } finally {
      fm.dispose();
      model.dispose();
      tf.dispose([x, before]);
    }
  });

  it('respects the speedup rule and the flags', () => {
    const model = makeModel(2, null);
    // latent 30 > maxRank(16 -> 32, 3x3) = 26 for c1, <= 27 for c2? no: maxRank(32 -> 32, 3x3) = 28.
    const { model: fm, report } = applyFactorization(model, { ...OPTS, latentChannels: 27, factorizeLinears: false });
    try {
      expect(report.find((r) => r.layer === 'c1')!.replaced).toBe(false);
      expect(report.find((r) => r.layer === 'c1')!.reason).toMatch(/27 > 26/);
      expect(report.find((r) => r.layer === 'c2')!.replaced).toBe(true);
      expect(report.find((r) => r.layer === 'd1')!.reason).toMatch(/factorizeLinears/);
    } finally {
      fm.dispose();
      model.dispose();
    }
  });

  it('data-aware ALS beats the SVD split on the data it saw, and its reported nmse is exact', () => {
    const model = makeModel(3, null);
    const x = tf.randomNormal([64, 8, 8, 16], 0, 1, 'float32', 7);
    const opts = { ...OPTS, latentChannels: 12, latentFeatures: 12 };
    const svdRes = applyFactorization(model, opts);
    const alsRes = applyFactorization(model, { ...opts, data: x });
    /** nmse of c1's pre-activation output, factorized (c1_a then c1_b) vs original, on x. */
    const c1Nmse = (m: tf.LayersModel) =>
      tf.tidy(() => {
        const [w, b] = model.getLayer('c1').getWeights();
        const ref = tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b);
        const [ka] = m.getLayer('c1_a').getWeights();
        const [kb, nb] = m.getLayer('c1_b').getWeights();
        const y = tf.add(tf.conv2d(tf.conv2d(x as tf.Tensor4D, ka as tf.Tensor4D, 1, 'same'), kb as tf.Tensor4D, 1, 'valid'), nb);
        const num = tf.mean(tf.square(tf.sub(y, ref))).dataSync()[0];
        const n = ref.size;
        const variance = (tf.sum(tf.square(tf.sub(ref, tf.mean(ref)))).dataSync()[0]) / (n - 1);
        return num / variance;
      });
    try {
      const rep = new Map(alsRes.report.map((r) => [r.layer, r]));
      const als = c1Nmse(alsRes.model);
      const svdErr = c1Nmse(svdRes.model);
      expect(als).toBeLessThan(svdErr);
      expect(Math.abs(rep.get('c1')!.nmse! - als)).toBeLessThan(1e-3 * als);
      expect(rep.get('c2')!.nmse).toBeGreaterThan(0);
      expect(rep.get('c2')!.nmse!).toBeLessThan(1);
      // d1 has 64 rows for fan_in 288: underdetermined, so it is split by SVD and says so.
      expect(rep.get('d1')!.replaced).toBe(true);
      expect(rep.get('d1')!.nmse).toBeNull();
      expect(rep.get('d1')!.reason).toMatch(/64 rows < fan_in 288/);
    } finally {
      svdRes.model.dispose();
      alsRes.model.dispose();
      model.dispose();
      x.dispose();
    }
  });

  it('channelsFirst convs and Dense layers on 3-D inputs (sequence positions)', () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [16, 6, 6], filters: 24, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', name: 'cf' }));
    m.add(tf.layers.reshape({ targetShape: [24, 36], name: 'seq' }));
    m.add(tf.layers.dense({ units: 40, name: 'd' })); // applied per position: 24 positions of 36 features
    const x = tf.randomNormal([8, 16, 6, 6], 0, 1, 'float32', 77);
    const ref = m.predict(x) as tf.Tensor;
    const opts = { minChannels: 16, latentChannels: 20, minFeatures: 16, latentFeatures: 16 };
    for (const data of [null, x]) {
      const { model: fm, report } = applyFactorization(m, { ...opts, data });
      try {
        expect(report.map((r) => r.replaced)).toEqual([true, true]);
        const d = report[1];
        expect(d.flopsBefore).toBe(2 * 24 * 36 * 40);
        expect(d.flopsAfter).toBe(2 * 24 * (36 * 16 + 16 * 40));
        const cf = report[0];
        expect(cf.flopsBefore).toBe(2 * 36 * 144 * 24);
        const p = fm.predict(x) as tf.Tensor;
        expect(p.shape).toEqual(ref.shape);
        // Rank 20 of 24 outputs and 16 of 36 inputs on random weights: a partial, finite error.
        const e = relError(p, ref);
        expect(e).toBeGreaterThan(0);
        expect(e).toBeLessThan(1);
        if (data) expect(report.every((r) => r.nmse !== null && r.nmse > 0 && r.nmse < 1)).toBe(true);
        p.dispose();
      } finally {
        fm.dispose();
      }
    }
    m.dispose();
    tf.dispose([x, ref]);
  });

  it('leaves no tensors behind (SVD and data-aware)', () => {
    const model = makeModel(4, 8);
    const x = tf.randomNormal([2, 8, 8, 16], 0, 1, 'float32', 5);
    expectNoLeak(() => applyFactorization(model, OPTS));
    expectNoLeak(() => applyFactorization(model, { ...OPTS, data: x }));
    model.dispose();
    x.dispose();
  });

  it('typed errors', () => {
    const model = makeModel(5, null);
    const input = tf.input({ shape: [4] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    expect(() => applyFactorization(functional)).toThrow(NotSupportedError);
    expect(() => applyFactorization(model, { latentChannels: -1 })).toThrow(ArgumentError);
    expect(() => applyFactorization(model, { latentFeatures: 2.5 })).toThrow(ArgumentError);
    expect(() => applyFactorization(model, { minChannels: -3 })).toThrow(ArgumentError);
    const bad = tf.zeros([2, 8, 8, 3]);
    expectNoLeak(() => {
      expect(() => applyFactorization(model, { ...OPTS, data: bad })).toThrow(ShapeError);
    });
    tf.dispose(bad);
    model.dispose();
    functional.dispose();
  });
});
