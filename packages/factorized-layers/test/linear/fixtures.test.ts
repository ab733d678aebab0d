/**
 * tltorch fixtures of layers.json: forward outputs of FactorizedLinear / factorized_linear
 * with the recorded parameters, joint layers, and the documented upstream bugs.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { FactorizedLinear, TensorizedTensor, type FactorParams } from '../../src/index.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, type FixtureCase } from '../../../../test-utils/index.js';

const layers = loadFixtures('layers');

function kindOf(name: string): 'cp' | 'tucker' | 'blocktt' {
  return name.toLowerCase() as 'cp' | 'tucker' | 'blocktt';
}

/** The recorded parameters of a case as FactorParams (new tensors). */
export function fixtureParams(c: FixtureCase, params = c.inputs.params): FactorParams {
  const kind = kindOf(c.inputs.factorization ?? 'CP');
  if (kind === 'cp') return { kind, weights: fx(params.weights), factors: params.factors.map(fx) };
  if (kind === 'tucker') return { kind, core: fx(params.core), factors: params.factors.map(fx) };
  return { kind, cores: params.factors.map(fx) };
}

/** A FactorizedLinear holding a case's recorded parameters and bias. */
function layerFromCase(c: FixtureCase, implementation: 'factorized' | 'reconstructed'): FactorizedLinear {
  const ts = c.inputs.tensorized_shape as (number | number[])[];
  const nLayers = typeof ts[0] === 'number' ? (ts[0] as number) : 1;
  const [outT, inT] = ts.slice(-2) as number[][];
  const weight = new TensorizedTensor(ts, kindOf(c.inputs.factorization), fixtureParams(c));
  const layer = new FactorizedLinear({ inTensorizedFeatures: inT, outTensorizedFeatures: outT, factorization: weight, implementation, nLayers });
  const b = fx(c.inputs.bias);
  layer.bias!.assign(b);
  b.dispose();
  return layer;
}

const single = layers.cases.filter((c) => c.name.startsWith('factorized_linear_'));

describe('factorized_linear fixtures (recorded parameters)', () => {
  it('covers CP, Tucker and BlockTT at two sizes', () => {
    expect(single.length).toBe(10);
  });
  for (const c of single) {
    it(c.name, () => {
      for (const impl of ['factorized', 'reconstructed'] as const) {
        const layer = layerFromCase(c, impl);
        expect(layer.rank).toEqual(c.expected.resolved_rank);
        const x = fx(c.inputs.x);
        const exp = c.expected[impl === 'factorized' ? 'output_factorized' : 'output_reconstructed'];
        expectNoLeak(() => {
          const y = layer.apply(x);
          expectClose(y, exp, f32Tolerance(exp.data, c.tolerance), `${c.name} ${impl}`);
          return y;
        });
        if (c.expected.weight_matrix) {
          const w = layer.weight.toMatrix();
          expectClose(w, c.expected.weight_matrix, f32Tolerance(c.expected.weight_matrix.data, c.tolerance), `${c.name} weight`);
          w.dispose();
        }
        x.dispose();
        layer.dispose();
      }
    });
  }
  it('the resolved rank of a fresh layer matches tltorch for every case', () => {
    for (const c of single) {
      const ts = c.inputs.tensorized_shape as number[][];
      const layer = new FactorizedLinear({ inTensorizedFeatures: ts[1], outTensorizedFeatures: ts[0], factorization: c.inputs.factorization, rank: c.inputs.rank, seed: 1 });
      expect(layer.rank, c.name).toEqual(c.expected.resolved_rank);
      layer.dispose();
    }
  });
});

describe('joint layers (nLayers = 2)', () => {
  for (const name of ['joint_CP_n_layers2_same', 'joint_BlockTT_n_layers2_same']) {
    const c = fixtureCase(layers, name);
    it(name, () => {
      for (const impl of ['factorized', 'reconstructed'] as const) {
        const layer = layerFromCase(c, impl);
        expect(layer.rank).toEqual(c.expected.resolved_rank);
        const x = fx(c.inputs.x);
        for (const i of [0, 1]) {
          const exp = c.expected.per_layer[`layer${i}`][`output_${impl}`];
          const before = tf.memory().numTensors;
          const y = layer.getLinear(i).apply(x);
          expect(tf.memory().numTensors).toBe(before + 1);
          expectClose(y, exp, f32Tolerance(exp.data, c.tolerance), `${name} layer ${i} ${impl}`);
          y.dispose();
        }
        x.dispose();
        layer.dispose();
      }
    });
  }

  it('from_linear_list_CP_joint2_rank38: per-layer outputs from params_after_init', () => {
    const c = fixtureCase(layers, 'from_linear_list_CP_joint2_rank38');
    const p = c.inputs.params_after_init;
    for (const impl of ['factorized', 'reconstructed'] as const) {
      const weight = new TensorizedTensor([2, c.inputs.out_tensorized_features, c.inputs.in_tensorized_features], 'cp', { kind: 'cp', weights: fx(p.weights), factors: p.factors.map(fx) });
      const layer = new FactorizedLinear({ inTensorizedFeatures: c.inputs.in_tensorized_features, outTensorizedFeatures: c.inputs.out_tensorized_features, factorization: weight, nLayers: 2, implementation: impl });
      const b = fx(c.inputs.bias_after_init);
      layer.bias!.assign(b);
      b.dispose();
      expect(layer.rank).toBe(c.expected.resolved_rank);
      const x = fx(c.inputs.x);
      for (const i of [0, 1]) {
        const e = c.expected.per_layer[`layer${i}`];
        const y = layer.apply(x, i);
        expectClose(y, e[`output_${impl}`], f32Tolerance(e[`output_${impl}`].data, c.tolerance), `layer ${i} ${impl}`);
        // tltorch's own check (decimal=2) against the dense layers.
        const dense = fx(e.dense_output);
        expectClose(y, e.dense_output, { rtol: 0, atol: 1.5e-2 }, `layer ${i} vs dense`);
        tf.dispose([y, dense]);
      }
      x.dispose();
      layer.dispose();
    }
  });

  it('joint_Tucker_n_layers2_forward_bug: tltorch raises TypeError; Tenfold indexes the core and matches the stacked matrix', () => {
    const c = fixtureCase(layers, 'joint_Tucker_n_layers2_forward_bug');
    expect(c.expected_error?.type).toBe('TypeError');
    const ts = c.inputs.tensorized_shape as [number, number[], number[]];
    const layer = new FactorizedLinear({ inTensorizedFeatures: ts[2], outTensorizedFeatures: ts[1], factorization: 'tucker', rank: c.inputs.rank, nLayers: ts[0], seed: 3 });
    const x = tf.tidy(() => tf.randomNormal([5, 9], 0, 1, 'float32', 11));
    const w = layer.weight.toMatrix(); // (2, 16, 9)
    for (const i of [0, 1]) {
      for (const impl of ['factorized', 'reconstructed'] as const) {
        layer.implementation = impl;
        const y = layer.apply(x, c.inputs.layer_index + i);
        const ref = tf.tidy(() => tf.add(tf.matMul(x, tf.gather(w, i), false, true), tf.gather(layer.bias!, i)));
        const refData = ref.dataSync();
        expectClose(y, refData, f32Tolerance(refData), `joint tucker layer ${i} ${impl}`);
        tf.dispose([y, ref]);
      }
    }
    tf.dispose([x, w]);
    layer.dispose();
  });

  it('cp_init_bug: tltorch cp_init raises AttributeError; Tenfold initialises CP to the target std', () => {
    const c = fixtureCase(layers, 'cp_init_bug');
    expect(c.expected_error?.type).toBe('AttributeError');
    const ts = c.inputs.tensorized_shape as number[][];
    const t = TensorizedTensor.new(ts, { factorization: 'cp', rank: c.inputs.rank, std: 0.5, seed: 4 });
    expect(t.rank).toBe(10); // validate_cp_rank((4,4,3,3), 'same')
    const m = t.toMatrix();
    expect(m.shape).toEqual([16, 9]);
    expect(Number.isFinite(m.dataSync()[0])).toBe(true);
    m.dispose();
    t.dispose();
  });
});
