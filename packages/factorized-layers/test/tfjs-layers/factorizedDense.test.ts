import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { FactorizedDense } from '../../src/index.js';
import { expectClose, f32Tolerance, saveAndLoadInMemory } from '../../../../test-utils/index.js';


describe('FactorizedDense (tfjs-layers)', () => {
  it('works in tf.sequential: predict shape and output = x W^T + b from its own weights', () => {
    for (const factorization of ['cp', 'tucker', 'blocktt', 'dense']) {
      const layer = new FactorizedDense({ units: 16, inputShape: [9], inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization, seed: 3 });
      const model = tf.sequential({ layers: [layer] });
      const x = tf.randomNormal([5, 9], 0, 1, 'float32', 1);
      (model.predict(x) as tf.Tensor).dispose(); // builds the plan
      const before = tf.memory().numTensors;
      const y = model.predict(x) as tf.Tensor;
      expect(tf.memory().numTensors, 'predict leaks').toBe(before + 1);
      expect(y.shape).toEqual([5, 16]);
      // same output from either implementation
      const again = tf.tidy(() => {
        const other = new FactorizedDense({ units: 16, inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization, implementation: 'reconstructed', rank: layer.rank as never });
        other.build([null, 9]);
        other.setWeights(layer.getWeights());
        const out = other.apply(x) as tf.Tensor;
        other.weights.forEach((w) => w.dispose()); // used outside a model: free its variables directly
        return out;
      });
      const ad = again.dataSync();
      expectClose(y, ad, f32Tolerance(ad), factorization);
      tf.dispose([x, y, again]);
      model.dispose();
    }
  });

  it('trains with fit (the loss goes down)', async () => {
    const model = tf.sequential({
      layers: [
        new FactorizedDense({ units: 8, inputShape: [12], factorization: 'tucker', activation: 'tanh', seed: 1 }),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.randomNormal([64, 12], 0, 1, 'float32', 2);
    const y = tf.tidy(() => tf.sum(x.slice([0, 0], [64, 3]), 1, true));
    const h = await model.fit(x, y, { epochs: 60, batchSize: 32, verbose: 0, shuffle: false });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('save / load through an IOHandler gives identical outputs and the same config', async () => {
    for (const factorization of ['cp', 'blocktt']) {
      const model = tf.sequential({ layers: [new FactorizedDense({ units: 12, inputShape: [16], factorization, rank: 0.5, activation: 'tanh', seed: 4 })] });
      const loaded = await saveAndLoadInMemory(model);
      const x = tf.randomNormal([3, 16], 0, 1, 'float32', 5);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      const l = loaded.layers[0] as FactorizedDense;
      expect(l).toBeInstanceOf(FactorizedDense);
      expect(l.getConfig().rank).toEqual((model.layers[0] as FactorizedDense).getConfig().rank);
      expect(l.getConfig().activation).toBe('tanh');
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    }
  });

  it("fromDense converts the (in, out) kernel: with factorization 'dense' the outputs are the Dense layer's", () => {
    const dense = tf.layers.dense({ units: 6, inputShape: [8], activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) });
    const m1 = tf.sequential({ layers: [dense] });
    const fd = FactorizedDense.fromDense(dense, { factorization: 'dense', inTensorizedFeatures: [2, 4], outTensorizedFeatures: [2, 3] });
    const m2 = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [8] }), fd] });
    const x = tf.randomNormal([4, 8], 0, 1, 'float32', 3);
    const a = m1.predict(x) as tf.Tensor;
    const b = m2.predict(x) as tf.Tensor;
    const ad = a.dataSync();
    expectClose(b, ad, f32Tolerance(ad), 'fromDense dense');
    expect(fd.getConfig().activation).toBe('relu');
    tf.dispose([x, a, b]);
    m1.dispose();
    m2.dispose();
  });

  it('typed errors', () => {
    expect(() => new FactorizedDense({ units: 0 })).toThrow(ArgumentError);
    expect(() => new FactorizedDense({ units: 4, factorization: 'tt' })).toThrow(ArgumentError);
    expect(() => new FactorizedDense({ units: 4, outTensorizedFeatures: [3, 2] })).toThrow(ShapeError);
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 1 });
    expect(() => FactorizedDense.fromDense(conv)).toThrow(/Dense layer/);
    const unbuilt = tf.layers.dense({ units: 2 });
    expect(() => FactorizedDense.fromDense(unbuilt)).toThrow(/built/);
    const l = new FactorizedDense({ units: 4, inTensorizedFeatures: [2, 3] });
    expect(() => l.build([null, 5])).toThrow(ShapeError);
  });
});
