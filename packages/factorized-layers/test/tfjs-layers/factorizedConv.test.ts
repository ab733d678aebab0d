/**
 * tfjs-layers FactorizedConv1D/2D/3D: outputs equal a plain tfjs conv with the reconstructed
 * kernel (every factorization, 'same'/'valid', strides, dilation), fromConv from tfjs Conv
 * layers, and model.save / tf.loadLayersModel round trips through an in-memory IOHandler.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { FactorizedConv1D, FactorizedConv2D, FactorizedConv3D, kernelToTfjs } from '../../src/index.js';
import { factorizedParamsFromList, parseTensorFactorization } from '../../src/factorized/params.js';
import { kernelFromParams } from '../../src/conv/factorizedConvForward.js';
import { expectClose, relError, saveAndLoadInMemory } from '../../../../test-utils/index.js';

/** The layer's kernel in tfjs layout (*k, in, out), rebuilt from its weights. */
function tfjsKernelOf(layer: tf.layers.Layer, kind: string, useBias: boolean): tf.Tensor {
  return tf.tidy(() => {
    const w = layer.getWeights();
    const params = factorizedParamsFromList(parseTensorFactorization(kind), useBias ? w.slice(0, -1) : w);
    return kernelToTfjs(kernelFromParams(params));
  });
}

function plainConv(order: number, x: tf.Tensor, k: tf.Tensor, strides: number[], padding: 'same' | 'valid', dilation: number[]): tf.Tensor {
  if (order === 1) return tf.conv1d(x as tf.Tensor3D, k as tf.Tensor3D, strides[0], padding, 'NWC', dilation[0]);
  if (order === 2) return tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, strides as [number, number], padding, 'NHWC', dilation as [number, number]);
  return tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, strides as [number, number, number], padding, 'NDHWC', dilation as [number, number, number]);
}

const Layers = { 1: FactorizedConv1D, 2: FactorizedConv2D, 3: FactorizedConv3D } as const;

describe('FactorizedConv1D/2D/3D', () => {
  const combos: [1 | 2 | 3, string, 'same' | 'valid', number, number][] = [
    [1, 'cp', 'same', 2, 1], [1, 'tt', 'valid', 1, 2], [1, 'tucker', 'same', 1, 1],
    [2, 'cp', 'valid', 2, 1], [2, 'tucker', 'same', 1, 2], [2, 'tt', 'same', 2, 1], [2, 'dense', 'valid', 1, 1],
    [3, 'cp', 'same', 1, 1], [3, 'tucker', 'valid', 2, 1], [3, 'tt', 'same', 1, 1],
  ];
  for (const [order, kind, padding, s, d] of combos) {
    it(`${order}-D ${kind} padding ${padding} stride ${s} dilation ${d} == plain tfjs conv of the reconstructed kernel`, () => {
      const L = Layers[order];
      const spatial = Array(order).fill(order === 3 ? 5 : 7);
      const layer = new L({ filters: 4, kernelSize: 3, strides: s, padding, dilationRate: d, factorization: kind, rank: 0.5, seed: 3, inputShape: [...spatial, 3] });
      const model = tf.sequential({ layers: [layer] });
      const x = tf.randomNormal([2, ...spatial, 3], 0, 1, 'float32', 5);
      const before = tf.memory().numTensors;
      const y = model.predict(x) as tf.Tensor;
      expect(tf.memory().numTensors - before).toBe(1);
      expect(y.shape).toEqual(layer.computeOutputShape([2, ...spatial, 3]));
      const k = tfjsKernelOf(layer, kind, true);
      const ref = tf.tidy(() => tf.add(plainConv(order, x, k, Array(order).fill(s), padding, Array(order).fill(d)), layer.getWeights()[layer.getWeights().length - 1]));
      const scale = Math.max(...Array.from(ref.dataSync()).map(Math.abs));
      expectClose(y, Array.from(ref.dataSync()), { rtol: 1e-3, atol: 1e-5 * scale + 1e-6 }, `${order}-D ${kind}`);
      tf.dispose([x, y, k, ref]);
      model.dispose();
    });
  }

  it('save / loadLayersModel round trip (withSaveHandler + fromMemory): same config, weights and predictions', async () => {
    const model = tf.sequential({
      layers: [
        new FactorizedConv2D({ filters: 6, kernelSize: [3, 3], padding: 'same', factorization: 'tucker', rank: 0.5, fixedRankModes: 'spatial', activation: 'relu', seed: 1, inputShape: [8, 8, 4] }),
        new FactorizedConv2D({ filters: 5, kernelSize: 3, strides: 2, factorization: 'tt', rank: 0.5, seed: 2 }),
        new FactorizedConv2D({ filters: 3, kernelSize: 1, factorization: 'cp', rank: 2, useBias: false, seed: 3 }),
      ],
    });
    const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 9);
    const y0 = model.predict(x) as tf.Tensor;
    const loaded = await saveAndLoadInMemory(model);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['FactorizedConv2D', 'FactorizedConv2D', 'FactorizedConv2D']);
    expect(loaded.layers.map((l) => (l as FactorizedConv2D).rank)).toEqual(model.layers.map((l) => (l as FactorizedConv2D).rank));
    const y1 = loaded.predict(x) as tf.Tensor;
    expectClose(y1, Array.from(y0.dataSync()), { rtol: 1e-6, atol: 1e-6 }, 'round trip');
    tf.dispose([x, y0, y1]);
    model.dispose();
    loaded.dispose();
  });

  it('fromConv converts tfjs Conv1D / Conv2D / Conv3D layers (full-rank Tucker is exact; CP is close at rank "same")', () => {
    for (const order of [1, 2, 3] as const) {
      const spatial = Array(order).fill(6);
      const make = order === 1 ? tf.layers.conv1d : order === 2 ? tf.layers.conv2d : tf.layers.conv3d;
      const conv = make({ filters: 4, kernelSize: 3, strides: 1, padding: 'same', dilationRate: order === 3 ? 1 : 2, inputShape: [...spatial, 3] } as never);
      const src = tf.sequential({ layers: [conv] });
      const x = tf.randomNormal([2, ...spatial, 3], 0, 1, 'float32', order);
      const yDense = src.predict(x) as tf.Tensor;
      const L = Layers[order];
      const full = L.fromConv(conv, { factorization: 'tucker', rank: [4, 3, ...Array(order).fill(3)] });
      const y = full.apply(x) as tf.Tensor;
      expect(relError(y, yDense)).toBeLessThan(1e-4);
      tf.dispose([x, yDense, y]);
      src.dispose();
      full.dispose();
    }
  });

  it('trains with model.fit on the running backend (wasm included: differentiable conv route)', async () => {
    for (const factorization of ['cp', 'tucker', 'tt']) {
      const model = tf.sequential({
        layers: [
          new FactorizedConv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', factorization, rank: 0.5, implementation: 'factorized', activation: 'relu', seed: 1, inputShape: [8, 8, 3] }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
      const x = tf.randomNormal([16, 8, 8, 3], 0, 1, 'float32', 4);
      const y = tf.randomNormal([16, 1], 0, 1, 'float32', 5);
      const h = await model.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
      const loss = h.history.loss as number[];
      expect(loss[loss.length - 1], factorization).toBeLessThan(loss[0]);
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('rejects bad args with typed errors', () => {
    expect(() => new FactorizedConv2D({ filters: 0, kernelSize: 3 })).toThrow(/filters/);
    expect(() => new FactorizedConv2D({ filters: 2, kernelSize: [3, 3, 3] })).toThrow(/kernelSize/);
    expect(() => new FactorizedConv2D({ filters: 2, kernelSize: 3, padding: 'causal' as never })).toThrow(/padding/);
    expect(() => new FactorizedConv2D({ filters: 2, kernelSize: 3, filter: 3 } as never)).toThrow(/filter/);
  });
});
