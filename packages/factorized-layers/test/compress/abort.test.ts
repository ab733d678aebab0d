/**
 * Where an abort lands in compressModel (StepProgress: step 0 once the layers are planned,
 * step k after layer k, the signal checked after each report): a pre-aborted signal throws
 * before step 0 is reported; an abort from inside onProgress stops right after that step,
 * disposes everything built, leaves `tf.memory().numTensors` as it was and the original
 * model untouched (its weights and its predictions bit for bit).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError, type ProgressRecord } from '@tenfold/core';
import { compressModel, type CompressModelOptions } from '@tenfold/factorized-layers';
import { seedWeights } from './seedWeights.js';

function net(): tf.Sequential {
  const m = tf.sequential({ name: 'abortnet' });
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 12, activation: 'relu', name: 'd1' }));
  m.add(tf.layers.dense({ units: 4, name: 'd2' }));
  seedWeights(m, 3);
  return m;
}

const bytes = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** Run compressModel with an onProgress that aborts at `abortAt` (a step, or 'before'); return the steps seen. */
function abortAt(m: tf.LayersModel, abortAt: number | 'before', extra: CompressModelOptions = {}): number[] {
  const ctrl = new AbortController();
  if (abortAt === 'before') ctrl.abort();
  const steps: number[] = [];
  const onProgress = (r: ProgressRecord) => {
    steps.push(r.step);
    if (r.step === abortAt) ctrl.abort();
  };
  expect(() => compressModel(m, { rank: 2, requireSpeedup: false, ...extra, onProgress, signal: ctrl.signal })).toThrow(AbortedError);
  return steps;
}

describe('compressModel abort (StepProgress)', () => {
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 9);
  const calibration = { inputs: tf.randomNormal([8, 6, 6, 3], 0, 1, 'float32', 10) };

  it('a pre-aborted signal throws before step 0 is reported, with nothing allocated', () => {
    const m = net();
    const before = tf.memory().numTensors;
    expect(abortAt(m, 'before')).toEqual([]);
    expect(abortAt(m, 'before', { calibration })).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  for (const [name, extra] of [
    ['svd', {}],
    ['als (calibration)', { calibration }],
  ] as const) {
    it(`${name}: an abort from onProgress lands right after that step; no leak; the original is untouched`, () => {
      const m = net();
      const w0 = bytes(m.getWeights());
      const y0 = m.predict(x) as tf.Tensor;
      const ref = Array.from(y0.dataSync());
      y0.dispose();
      // Layers: c1, flat, d1, d2 (steps 1..4). Step 4 is the last: its abort still throws.
      for (const k of [0, 1, 2, 4]) {
        const before = tf.memory().numTensors;
        expect(abortAt(m, k, extra)).toEqual(Array.from({ length: k + 1 }, (_, i) => i));
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(bytes(m.getWeights())).toEqual(w0);
      const y1 = m.predict(x) as tf.Tensor;
      expect(Array.from(y1.dataSync())).toEqual(ref);
      y1.dispose();
      // A run without abort still completes afterwards and reports every step once.
      const steps: number[] = [];
      const { model } = compressModel(m, { rank: 2, requireSpeedup: false, ...extra, onProgress: (r) => steps.push(r.step) });
      expect(steps).toEqual([0, 1, 2, 3, 4]);
      model.dispose();
      m.dispose();
    });
  }
});
