/**
 * tfjs-layers adapters FactorizedEmbedding / TRL / TCL: the recorded tltorch parameters
 * written into the layers give the fixtures' outputs, model.save / load (withSaveHandler /
 * fromMemory) gives identical outputs, fromEmbedding converts a tfjs Embedding, fit trains.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { FactorizedEmbeddingLayer, TCLLayer, TRLLayer } from '../../src/index.js';
import { expectClose, f32Tolerance, fixtureCase, fx, loadFixtures, saveAndLoadInMemory } from '../../../../test-utils/index.js';

const file = loadFixtures('layers2');


function paramList(kind: string, p: Record<string, any>): tf.Tensor[] {
  if (kind === 'cp') return [fx(p.weights), ...p.factors.map(fx)];
  if (kind === 'tucker') return [fx(p.core), ...p.factors.map(fx)];
  return p.factors.map(fx);
}

async function expectSameAfterRoundTrip(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  const loaded = await saveAndLoadInMemory(model);
  const a = model.predict(x) as tf.Tensor;
  const b = loaded.predict(x) as tf.Tensor;
  expectClose(b, a.dataSync(), { rtol: 0, atol: 0 }, 'round trip');
  tf.dispose([a, b]);
  loaded.dispose();
}

describe('FactorizedEmbeddingLayer', () => {
  for (const name of ['factorized_embedding_blocktt_rank4_modes2', 'factorized_embedding_cp_rank4_modes3', 'factorized_embedding_tucker_ranksame_modes3']) {
    it(`${name}: recorded parameters give the fixture lookups; save/load round trip is exact`, async () => {
      const c = fixtureCase(file, name);
      const { inputs: i, expected: e } = c;
      const [tv, td] = e.tensorized_shape;
      const layer = new FactorizedEmbeddingLayer({ inputDim: 24, outputDim: 8, tensorizedNumEmbeddings: tv, tensorizedEmbeddingDim: td, factorization: i.factorization, rank: e.resolved_rank, inputShape: [2] });
      const model = tf.sequential({ layers: [layer] });
      const ps = paramList(i.factorization, i.params);
      layer.setWeights(ps);
      const x = tf.tensor(i.indices_2d.data, i.indices_2d.shape, 'float32');
      const before = tf.memory().numTensors;
      const y = model.predict(x) as tf.Tensor;
      expect(tf.memory().numTensors).toBe(before + 1);
      expectClose(y, e.lookup_2d, f32Tolerance(e.lookup_2d.data), name);
      await expectSameAfterRoundTrip(model, x);
      tf.dispose([...ps, x, y]);
      model.dispose();
    });
  }

  it('fromEmbedding converts a tfjs Embedding (full rank: same lookups) and the model trains with fit', async () => {
    const emb = tf.layers.embedding({ inputDim: 12, outputDim: 6, inputLength: 3 });
    const base = tf.sequential({ layers: [emb] });
    const x = tf.tensor2d([[0, 5, 11], [3, 3, 7]], [2, 3], 'float32');
    const ref = base.predict(x) as tf.Tensor;
    const layer = FactorizedEmbeddingLayer.fromEmbedding(emb, { factorization: 'tucker', rank: [3, 4, 2, 3], tensorizedShape: [[3, 4], [2, 3]] });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), layer] });
    const y = model.predict(x) as tf.Tensor;
    expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync(), undefined, 1e-3, 1e-4), 'fromEmbedding');
    await expectSameAfterRoundTrip(model, x);
    // training through the lookup (gradients w.r.t. the factors)
    const head = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), new FactorizedEmbeddingLayer({ inputDim: 12, outputDim: 6, tensorizedNumEmbeddings: [3, 4], tensorizedEmbeddingDim: [2, 3], factorization: 'blocktt', rank: 3, seed: 1 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
    head.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const target = tf.tensor2d([[1], [-1]]);
    const h = await head.fit(x, target, { epochs: 15, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([ref, y, x, target]);
    [base, model, head].forEach((m) => m.dispose());
  });

  it('typed errors', () => {
    expect(() => new FactorizedEmbeddingLayer({ inputDim: 24, outputDim: 8, tensorizedNumEmbeddings: [4, 5], tensorizedEmbeddingDim: [2, 4] })).toThrow(ShapeError);
    expect(() => new FactorizedEmbeddingLayer({ inputDim: 0, outputDim: 8 })).toThrow(ArgumentError);
    expect(() => new FactorizedEmbeddingLayer({ inputDim: 24, outputDim: 8, bogus: 1 } as never)).toThrow(ArgumentError);
    expect(() => FactorizedEmbeddingLayer.fromEmbedding(tf.layers.dense({ units: 2 }))).toThrow(ArgumentError);
    const layer = new FactorizedEmbeddingLayer({ inputDim: 24, outputDim: 8, seed: 1, inputShape: [1] });
    const model = tf.sequential({ layers: [layer] });
    const bad = tf.tensor2d([[24]]);
    const before = tf.memory().numTensors;
    expect(() => model.predict(bad)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    bad.dispose();
    model.dispose();
  });
});

describe('TRLLayer', () => {
  for (const name of ['trl_cp_rank0.5_3x4x2_to_5', 'trl_tucker_rank0.5_3x4_to_2x3', 'trl_tt_rank0.5_3x4x2_to_5']) {
    it(`${name}: recorded parameters give the fixture output; save/load round trip is exact`, async () => {
      const c = fixtureCase(file, name);
      const { inputs: i, expected: e } = c;
      const layer = new TRLLayer({ units: i.output_shape, factorization: i.factorization, rank: i.rank, inputShape: i.input_shape });
      const model = tf.sequential({ layers: [layer] });
      expect(layer.rank).toEqual(e.resolved_rank);
      const ws = [...paramList(i.factorization, i.params), fx(i.bias)];
      layer.setWeights(ws);
      const x = fx(i.x);
      const y = model.predict(x) as tf.Tensor;
      expectClose(y, e.output, f32Tolerance(e.output.data), name);
      await expectSameAfterRoundTrip(model, x);
      tf.dispose([...ws, x, y]);
      model.dispose();
    });
  }
  it('typed errors', () => {
    expect(() => new TRLLayer({ units: 0 })).toThrow(ShapeError);
    expect(() => new TRLLayer({ units: 2, factorization: 'blocktt' })).toThrow(ArgumentError);
    expect(() => new TRLLayer({ units: 2, nope: 1 } as never)).toThrow(ArgumentError);
  });
});

describe('TCLLayer', () => {
  it('tcl_3x4x5_rank2x3x2: recorded factors give the fixture output; with a bias; round trip exact', async () => {
    const c = fixtureCase(file, 'tcl_3x4x5_rank2x3x2');
    const { inputs: i, expected: e } = c;
    for (const useBias of [false, true]) {
      const layer = new TCLLayer({ rank: i.rank, useBias, inputShape: i.input_shape, seed: 2 });
      const model = tf.sequential({ layers: [layer] });
      const fs = i.factors.map(fx);
      const b = tf.randomUniform(i.rank, -1, 1, 'float32', 3);
      layer.setWeights(useBias ? [...fs, b] : fs);
      const x = fx(i.x);
      const y = model.predict(x) as tf.Tensor;
      const ref = tf.tidy(() => (useBias ? tf.add(fx(e.output), b) : fx(e.output)));
      expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync()), `bias ${useBias}`);
      await expectSameAfterRoundTrip(model, x);
      tf.dispose([...fs, b, x, y, ref]);
      model.dispose();
    }
  });
  it('typed errors', () => {
    expect(() => new TCLLayer({ rank: [2, 0] })).toThrow(ShapeError);
    expect(() => tf.sequential({ layers: [new TCLLayer({ rank: [2, 3], inputShape: [3, 4, 5] })] })).toThrow(ShapeError);
  });
});
