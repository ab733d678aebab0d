/**
 * FactorizedLinear API: construction, apply, views, flops/auto, errors, leaks, training.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ModeError, ShapeError, tf } from '@tenfold/core';
import { FactorizedLinear, TensorizedTensor } from '../../src/index.js';
import { expectClose, expectNoLeak, f32Tolerance, relError } from '../../../../test-utils/index.js';

const KINDS = ['cp', 'tucker', 'blocktt', 'dense'] as const;

/** Run fn and check it leaves exactly its one returned tensor behind. */
function onlyResult(fn: () => tf.Tensor): tf.Tensor {
  const before = tf.memory().numTensors;
  const y = fn();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before + 1);
  return y;
}

function denseRef(layer: FactorizedLinear, x: tf.Tensor, i = 0): tf.Tensor {
  return tf.tidy(() => {
    const w = layer.weight.toMatrix();
    const wi = layer.nLayers > 1 ? tf.gather(w, i) : w;
    const b = layer.bias ? (layer.nLayers > 1 ? tf.gather(layer.bias, i) : layer.bias) : tf.scalar(0);
    return tf.add(tf.matMul(x.reshape([-1, layer.inFeatures]), wi, false, true), b).reshape([...x.shape.slice(0, -1), layer.outFeatures]);
  });
}

describe('FactorizedLinear', () => {
  it('apply matches x W^T + b for every factorization and implementation, with leading batch dims', () => {
    for (const kind of KINDS) {
      for (const impl of ['factorized', 'reconstructed', 'auto'] as const) {
        const layer = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: kind, implementation: impl, seed: 7 });
        const x = tf.randomNormal([2, 3, 9], 0, 1, 'float32', 1);
        const y = onlyResult(() => tf.tidy(() => layer.apply(x)));
        const ref = denseRef(layer, x);
        expect(y.shape).toEqual([2, 3, 16]);
        const rd = ref.dataSync();
        expectClose(y, rd, f32Tolerance(rd), `${kind} ${impl}`);
        tf.dispose([x, ref, y]);
        layer.dispose();
      }
    }
  });

  it('joint layers: apply(x, i) and getLinear(i) use layer i (views share the parameters)', () => {
    for (const kind of KINDS) {
      const layer = new FactorizedLinear({ inTensorizedFeatures: [2, 3], outTensorizedFeatures: [3, 2], factorization: kind, nLayers: 3, seed: 8 });
      const x = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
      for (const i of [0, 1, 2]) {
        const sub = layer.getLinear(i);
        const y = onlyResult(() => sub.apply(x));
        const ref = denseRef(layer, x, i);
        const rd = ref.dataSync();
        expectClose(y, rd, f32Tolerance(rd), `${kind} layer ${i}`);
        tf.dispose([y, ref]);
      }
      // a change to the shared parameters is seen by the view
      const view = layer.getLinear(1);
      const before = view.apply(x);
      layer.weight.normal(1, 99);
      const after = view.apply(x);
      expect(relError(before, after)).toBeGreaterThan(1e-3);
      expect(view.toString()).toContain('SubFactorizedLinear 1');
      tf.dispose([before, after, x]);
      layer.dispose();
    }
  });

  it('rank, paramCount and toString', () => {
    const l = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: 'CP', rank: 'same', seed: 1 });
    expect(l.rank).toBe(10);
    expect(l.paramCount).toBe(10 + 10 * (4 + 4 + 3 + 3) + 16);
    expect(l.toString()).toContain('FactorizedLinear(in_features=9, out_features=16');
    expect(l.toString()).toContain('factorization=cp, rank=10');
    expect(l.toString()).toContain('single layer');
    l.dispose();
    const j = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: 'blocktt', nLayers: 2, bias: false, seed: 1 });
    expect(j.rank).toEqual([1, 4, 1]);
    expect(j.paramCount).toBe(1 * 2 * 4 * 3 * 4 + 4 * 2 * 4 * 3 * 1);
    expect(j.toString()).toContain('bias=False');
    expect(j.toString()).toContain('2 layers jointly parametrized');
    j.dispose();
  });

  it("flops: 'auto' resolves to the implementation with fewer FLOPs", () => {
    const l = new FactorizedLinear({ inTensorizedFeatures: [4, 16, 16], outTensorizedFeatures: [4, 16, 16], factorization: 'cp', rank: 0.1, implementation: 'auto', seed: 1 });
    const f = l.flops(256);
    expect(f.dense).toBe(2 * 256 * 1024 * 1024);
    expect(l.resolveImplementation(256)).toBe(f.factorized <= f.reconstructed ? 'factorized' : 'reconstructed');
    // with a single row, contracting the factors beats rebuilding W
    expect(l.flops(1).cheaper).toBe('factorized');
    expect(l.resolveImplementation(1)).toBe('factorized');
    expect(() => l.flops(0)).toThrow(ArgumentError);
    l.dispose();
  });

  it('typed errors: bad shapes, unknown factorization, index out of range, wrong last dim', () => {
    expect(() => new FactorizedLinear({ inTensorizedFeatures: [], outTensorizedFeatures: [2] })).toThrow(ShapeError);
    expect(() => new FactorizedLinear({ inTensorizedFeatures: [2], outTensorizedFeatures: [2], factorization: 'ttm' })).toThrow(ArgumentError);
    expect(() => new FactorizedLinear({ inTensorizedFeatures: [2], outTensorizedFeatures: [2], implementation: 'einsum' as never })).toThrow(/implementation/);
    expect(() => new FactorizedLinear({ inTensorizedFeatures: [2], outTensorizedFeatures: [2], nLayers: 0 })).toThrow(/nLayers/);
    const t = TensorizedTensor.new([[2], [3]], { seed: 1 });
    expect(() => new FactorizedLinear({ inTensorizedFeatures: [2], outTensorizedFeatures: [3], factorization: t })).toThrow(ShapeError);
    t.dispose();
    const before = tf.memory().numTensors;
    const l = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], nLayers: 2, seed: 1 });
    const x = tf.zeros([2, 8]);
    expect(() => l.apply(x)).toThrow(ShapeError);
    expect(() => l.apply(x)).toThrow(/last dimension 9/);
    const x9 = tf.zeros([2, 9]);
    expect(() => l.apply(x9, 2)).toThrow(ModeError);
    expect(() => l.apply(x9, 0.5)).toThrow(ModeError);
    expect(() => l.getLinear(5)).toThrow(ModeError);
    tf.dispose([x, x9]);
    l.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const s = new FactorizedLinear({ inTensorizedFeatures: [3], outTensorizedFeatures: [4], seed: 1 });
    expect(() => s.apply([[1, 2, 3]], 1)).toThrow(ModeError);
    expect(() => s.getLinear(0)).toThrow(ArgumentError);
    s.dispose();
    expect(() => s.apply([[1, 2, 3]])).toThrow(/disposed/);
  });

  it('accepts TensorLike input and an empty batch', () => {
    const l = new FactorizedLinear({ inTensorizedFeatures: [3], outTensorizedFeatures: [2], seed: 1 });
    const y = expectNoLeak(() => l.apply([[1, 2, 3]]));
    expect(y.shape).toEqual([1, 2]);
    const z = tf.zeros([0, 3]);
    const e = expectNoLeak(() => l.apply(z));
    expect(e.shape).toEqual([0, 2]);
    z.dispose();
    l.dispose();
  });

  it('dispose frees every variable', () => {
    const before = tf.memory().numTensors;
    for (const kind of KINDS) {
      const l = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: kind, nLayers: 2, seed: 1 });
      const x = tf.ones([1, 9]);
      const y = l.apply(x, 1);
      tf.dispose([x, y]);
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training', () => {
  it('gradients of the factorized and reconstructed implementations agree', () => {
    for (const kind of KINDS) {
      const layer = new FactorizedLinear({ inTensorizedFeatures: [2, 3], outTensorizedFeatures: [3, 2], factorization: kind, nLayers: 2, seed: 5 });
      const x = tf.randomNormal([5, 6], 0, 1, 'float32', 3);
      const grads = (impl: 'factorized' | 'reconstructed') => {
        layer.implementation = impl;
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, 1))) as tf.Scalar, layer.trainableVariables);
        value.dispose();
        return layer.trainableVariables.map((v) => grads[v.name]);
      };
      const before = tf.memory().numTensors;
      const gf = grads('factorized');
      const gr = grads('reconstructed');
      expect(tf.memory().numTensors).toBe(before + gf.length + gr.length);
      gf.forEach((g, k) => {
        expect(g, `${kind} grad ${k}`).toBeDefined();
        expect(relError(g, gr[k]), `${kind} grad ${k}`).toBeLessThan(1e-4);
      });
      tf.dispose([...gf, ...gr, x]);
      layer.dispose();
    }
  });

  it('fits a random target linear map with Adam to a small loss', () => {
    for (const kind of ['cp', 'tucker', 'blocktt'] as const) {
      // The target is itself a factorized weight of the same rank, so the loss can reach ~0.
      const target = new FactorizedLinear({ inTensorizedFeatures: [3, 4], outTensorizedFeatures: [4, 2], factorization: kind, rank: kind === 'cp' ? 6 : 'same', seed: 100 });
      const layer = new FactorizedLinear({ inTensorizedFeatures: [3, 4], outTensorizedFeatures: [4, 2], factorization: kind, rank: kind === 'cp' ? 6 : 'same', seed: 200 });
      const x = tf.randomNormal([128, 12], 0, 1, 'float32', 4);
      const y = target.apply(x);
      const yVar = tf.tidy(() => tf.mean(tf.square(y)).dataSync()[0]);
      const opt = tf.train.adam(0.03);
      let loss = Infinity;
      for (let step = 0; step < 300; step++) {
        const l = opt.minimize(() => tf.mean(tf.square(tf.sub(layer.apply(x), y))) as tf.Scalar, true, layer.trainableVariables) as tf.Scalar;
        if (step % 50 === 49 || step === 299) loss = l.dataSync()[0];
        l.dispose();
      }
      opt.dispose();
      expect(loss / yVar, `${kind}: relative loss ${loss / yVar}`).toBeLessThan(2e-2);
      tf.dispose([x, y]);
      target.dispose();
      layer.dispose();
    }
  });
});
