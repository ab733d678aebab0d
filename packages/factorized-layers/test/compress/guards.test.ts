/**
 * compressModel's rank choice and guards: the budget, EVBMF ranks 0 / 1 never silent,
 * minRank / maxOutputError with keepDenseOnViolation, ALS against SVD, and a trained conv
 * layer (face-api conv64_1/conv1, test-utils/weights) where the weight error obeys
 * Eckart–Young.
 */
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadNpy, svd } from '@tenfold/core';
import { compressModel, kernelToTfjs } from '@tenfold/factorized-layers';
import { relError, repoRoot } from '../../../../test-utils/index.js';

function seeded(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, scale, 'float32', seed);
}

/** Dense net whose first kernel is rank 3 (plus 1e-4 noise); the rest random. */
function denseNet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [40], units: 32, activation: 'relu', name: 'd1' }));
  m.add(tf.layers.dense({ units: 24, name: 'd2' }));
  m.add(tf.layers.dense({ units: 8, name: 'd3' }));
  const k1 = tf.tidy(() => tf.add(tf.matMul(seeded([40, 3], 1, 0.3), seeded([3, 32], 2, 0.3)), seeded([40, 32], 3, 1e-4)));
  const w = [k1, seeded([32], 4, 0.1), seeded([32, 24], 5, 0.2), seeded([24], 6, 0.1), seeded([24, 8], 7, 0.2), seeded([8], 8, 0.1)];
  m.setWeights(w);
  tf.dispose(w);
  return m;
}

afterEach(() => vi.restoreAllMocks());

describe('compressModel: budget', () => {
  it('spends a parameter budget greedily and stays within it', () => {
    const m = denseNet();
    for (const fraction of [0.2, 0.4]) {
      const { model, report } = compressModel(m, { budget: { params: fraction } });
      try {
        const cand = report.filter((r) => r.factorization === 'lowrank');
        const dense = cand.reduce((a, r) => a + r.inFeatures * r.outFeatures, 0);
        const spent = cand.reduce((a, r) => a + (r.rank as number) * (r.inFeatures + r.outFeatures), 0);
        expect(spent).toBeLessThanOrEqual(fraction * dense);
        // The rank-3 layer needs no more than 3 ranks: its 4th singular value carries ~1e-8 of the energy.
        expect(report[0].rank).toBe(3);
        for (const r of report) expect(r.reason).toMatch(/budget params/);
      } finally {
        model.dispose();
      }
    }
    m.dispose();
  });

  it('a FLOP budget counts positions; rank and budget exclude each other', () => {
    const m = denseNet();
    const { model, summary } = compressModel(m, { budget: { flops: 0.5 }, requireSpeedup: true });
    expect(summary.flopsAfter).toBeLessThanOrEqual(0.5 * summary.flopsBefore + 1e-9);
    model.dispose();
    expect(() => compressModel(m, { budget: { params: 0.5 }, rank: 3 })).toThrow(/exclude each other/);
    m.dispose();
  });
});

describe('compressModel: guards', () => {
  it('EVBMF rank 0 / 1 is a warning and a console.warn unless quiet; rank 0 stays dense', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [30], units: 30, name: 'noise' }));
    m.add(tf.layers.dense({ units: 30, name: 'rank1' }));
    const w = [seeded([30, 30], 11, 0.01), tf.zeros([30]), tf.tidy(() => tf.add(tf.matMul(seeded([30, 1], 12), seeded([1, 30], 13)), seeded([30, 30], 14, 1e-3))), tf.zeros([30])];
    m.setWeights(w);
    tf.dispose(w);
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { model, report, summary } = compressModel(m, { rank: 'evbmf' });
    expect(report[0].rank).toBe(0);
    expect(report[0].replaced).toBe(false);
    expect(report[0].warnings.join()).toMatch(/EVBMF rank 0/);
    expect(report[1].rank).toBe(1);
    expect(report[1].replaced).toBe(true);
    expect(report[1].warnings.join()).toMatch(/EVBMF rank 1/);
    expect(summary.warnings.length).toBe(2);
    expect(spy).toHaveBeenCalledTimes(2);
    model.dispose();
    spy.mockClear();
    const quiet = compressModel(m, { rank: 'evbmf', quiet: true });
    expect(spy).not.toHaveBeenCalled();
    expect(quiet.report[1].warnings.length).toBe(1);
    quiet.model.dispose();
    m.dispose();
  });

  it('minRank and maxOutputError flag layers, and keepDenseOnViolation keeps them dense', () => {
    const m = denseNet();
    const x = seeded([64, 40], 21);
    const flagged = compressModel(m, { rank: 2, minRank: 4, calibration: { inputs: x }, maxOutputError: 0.05 });
    const kept = compressModel(m, { rank: 2, minRank: 4, keepDenseOnViolation: true });
    const bounded = compressModel(m, { rank: 2, calibration: { inputs: x }, maxOutputError: 0.05, keepDenseOnViolation: true });
    try {
      expect(flagged.report.every((r) => r.replaced && r.warnings.some((w) => /below minRank 4/.test(w)))).toBe(true);
      expect(kept.report.every((r) => !r.replaced && /below minRank/.test(r.reason))).toBe(true);
      // d1 is rank 3 so rank 2 loses a real direction: its error exceeds 5%.
      const over = flagged.report.filter((r) => r.outputError! > 0.05).map((r) => r.layer);
      expect(over.length).toBeGreaterThan(0);
      for (const r of flagged.report) expect(r.warnings.some((w) => /maxOutputError/.test(w))).toBe(over.includes(r.layer));
      for (const r of bounded.report) expect(r.replaced).toBe(!over.includes(r.layer) || r.outputError! <= 0.05);
      expect(bounded.report.filter((r) => !r.replaced).every((r) => /kept dense/.test(r.reason))).toBe(true);
    } finally {
      flagged.model.dispose();
      kept.model.dispose();
      bounded.model.dispose();
      m.dispose();
      x.dispose();
    }
  });

  it('ALS transfer fits the calibration batch better than SVD', () => {
    const m = denseNet();
    const x = seeded([256, 40], 31);
    const ref = m.predict(x) as tf.Tensor;
    const a = compressModel(m, { rank: 6, calibration: { inputs: x } });
    const s = compressModel(m, { rank: 6 });
    const ya = a.model.predict(x) as tf.Tensor;
    const ys = s.model.predict(x) as tf.Tensor;
    // d3 (24 -> 8): rank 6 > 5, the largest rank that saves operations, so it stays dense.
    expect(a.report.map((r) => r.transfer)).toEqual(['als', 'als', null]);
    expect(a.report[2].reason).toMatch(/6 > 5/);
    expect(a.report.slice(0, 2).every((r) => r.nmse! > 0)).toBe(true);
    expect(s.report.map((r) => r.transfer)).toEqual(['svd', 'svd', null]);
    expect(relError(ya, ref)).toBeLessThan(relError(ys, ref));
    tf.dispose([x, ref, ya, ys]);
    a.model.dispose();
    s.model.dispose();
    m.dispose();
  });
});

describe('compressModel on a trained conv layer (face-api conv64_1/conv1)', () => {
  it('the SVD weight error is the Eckart–Young tail; EVBMF and CP / Tucker-2 replace it', async () => {
    const torch = await loadNpy(path.join(repoRoot, 'test-utils', 'weights', 'face_recognition_conv64_1_conv1.npy')); // (64, 64, 3, 3)
    const kernel = kernelToTfjs(torch);
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [10, 10, 64], filters: 64, kernelSize: 3, padding: 'same', useBias: false, name: 'conv1' }));
    m.setWeights([kernel]);
    const rank = 16;
    const { model, report } = compressModel(m, { rank, quiet: true });
    const s = tf.tidy(() => Array.from(svd(tf.reshape(kernel, [576, 64])).s.dataSync()));
    const tail = Math.sqrt(s.slice(rank).reduce((a, v) => a + v * v, 0) / s.reduce((a, v) => a + v * v, 0));
    expect(report[0].weightError!).toBeCloseTo(tail, 4);
    expect(report[0].paramsAfter).toBe(576 * rank + rank * 64 + 64);
    model.dispose();
    const ev = compressModel(m, { rank: 'evbmf', requireSpeedup: false, quiet: true });
    expect(ev.report[0].rank).toBeGreaterThan(1);
    expect(ev.report[0].warnings).toEqual([]);
    ev.model.dispose();
    const x = tf.randomNormal([2, 10, 10, 64], 0, 1, 'float32', 3);
    const ref = m.predict(x) as tf.Tensor;
    const full = compressModel(m, { layers: { conv1: { factorization: 'tucker2', rank: 'full' } } });
    const y = full.model.predict(x) as tf.Tensor;
    expect(full.report[0].weightError!).toBeLessThan(1e-5);
    expect(relError(y, ref)).toBeLessThan(1e-4);
    const cp = compressModel(m, { layers: { conv1: { factorization: 'cp', rank: 32 } } });
    expect(cp.report[0].weightError!).toBeGreaterThan(0);
    expect(cp.report[0].weightError!).toBeLessThan(1);
    expect(cp.report[0].paramsAfter).toBe(64 * 32 + 3 * 32 + 3 * 32 + 32 * 64 + 64);
    // 10 x 10 sites at every stage (stride 1, 'same'): pointwise, vertical, horizontal, pointwise.
    expect(cp.report[0].flopsAfter).toBe(2 * 100 * (64 * 32 + 3 * 32 + 3 * 32 + 32 * 64));
    expect(full.report[0].flopsAfter).toBe(2 * 100 * (64 * 64 + 9 * 64 * 64 + 64 * 64));
    tf.dispose([torch, kernel, x, ref, y]);
    full.model.dispose();
    cp.model.dispose();
    m.dispose();
  });
});

describe("compressModel: transfer 'curvature' (K-FAC weighted, kfac engineer's functions)", () => {
  it('equals curvatureWeightedLowRank on the K-FAC factors of the original model; full rank reproduces it', async () => {
    const { kfacFactors, curvatureWeightedLowRank } = await import('@tenfold/factorized-layers');
    const m = denseNet();
    const x = seeded([32, 40], 41);
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 8), 'int32');
    const calibration = { inputs: x, targets: y, loss: 'crossEntropy' as const };
    const res = compressModel(m, { transfer: 'curvature', calibration, layers: { d1: { rank: 3 }, d2: false, d3: false } });
    expect(res.report[0].transfer).toBe('curvature');
    const f = kfacFactors(m, 'd1', x, y, { loss: 'crossEntropy' });
    const sol = curvatureWeightedLowRank(m.getLayer('d1').getWeights()[0], f.inputFactor, f.outputFactor, 3);
    const direct = tf.matMul(sol.wa, sol.wb!);
    const got = tf.matMul(res.model.getLayer('d1_a').getWeights()[0] as tf.Tensor2D, res.model.getLayer('d1_b').getWeights()[0] as tf.Tensor2D);
    expect(relError(got, direct)).toBeLessThan(1e-5);
    tf.dispose([f.inputFactor, f.outputFactor, direct, got]);
    sol.dispose();
    res.model.dispose();
    const full = compressModel(m, { transfer: 'curvature', calibration, rank: 'full', requireSpeedup: false });
    const ref = m.predict(x) as tf.Tensor;
    const p = full.model.predict(x) as tf.Tensor;
    expect(full.report.every((r) => r.transfer === 'curvature')).toBe(true);
    expect(relError(p, ref)).toBeLessThan(1e-4);
    tf.dispose([p, ref, x, y]);
    full.model.dispose();
    m.dispose();
  });

  it('a Conv2D layer: torch-layout curvature solution back in tfjs layout', async () => {
    const { kfacFactors, curvatureWeightedLowRank, kernelFromTfjs } = await import('@tenfold/factorized-layers');
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [6, 6, 4], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'cv' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 5, name: 'head' }));
    const x = seeded([16, 6, 6, 4], 51);
    const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 5), 'int32');
    const res = compressModel(m, { transfer: 'curvature', calibration: { inputs: x, targets: y, loss: 'crossEntropy' }, layers: { cv: { rank: 3 }, head: false } });
    const f = kfacFactors(m, 'cv', x, y, { loss: 'crossEntropy' });
    const torch = kernelFromTfjs(m.getLayer('cv').getWeights()[0]);
    const sol = curvatureWeightedLowRank(torch, f.inputFactor, f.outputFactor, 3);
    // Effective torch kernel of the pair: (out, r) x (r, C kh kw).
    const direct = tf.matMul(tf.reshape(sol.wb!, [8, 3]), tf.reshape(sol.wa, [3, -1]));
    const ka = kernelFromTfjs(res.model.getLayer('cv_a').getWeights()[0]);
    const kb = kernelFromTfjs(res.model.getLayer('cv_b').getWeights()[0]);
    const got = tf.matMul(tf.reshape(kb, [8, 3]), tf.reshape(ka, [3, -1]));
    expect(res.report[0].transfer).toBe('curvature');
    expect(relError(got, direct)).toBeLessThan(1e-5);
    tf.dispose([x, y, f.inputFactor, f.outputFactor, torch, direct, ka, kb, got]);
    sol.dispose();
    res.model.dispose();
    m.dispose();
  });
});
