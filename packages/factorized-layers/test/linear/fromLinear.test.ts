/**
 * FactorizedLinear.fromLinear / fromLinearList against the tltorch fixtures (resolved shapes
 * and ranks exact, errors within the acceptance bounds), plus full-rank identities.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { tuckerRanks } from '@tenfold/rank';
import { FactorizedLinear } from '../../src/index.js';
import { expectClose, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const layers = loadFixtures('layers');
const fromLinearCases = layers.cases.filter((c) => c.name.startsWith('from_linear_') && !c.name.startsWith('from_linear_list'));

function denseForward(w: tf.Tensor, b: tf.Tensor | null, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.matMul(x, w, false, true);
    return b ? tf.add(y, b) : y;
  });
}

describe('fromLinear (tltorch from_linear fixtures)', () => {
  it('covers CP (random init), Tucker and BlockTT', () => expect(fromLinearCases.length).toBe(6));
  for (const c of fromLinearCases) {
    it(c.name, () => {
      const w = fx(c.inputs.linear_weight);
      const b = fx(c.inputs.linear_bias);
      const x = fx(c.inputs.x);
      const before = tf.memory().numTensors;
      const layer = FactorizedLinear.fromLinear(
        { weight: w, bias: b },
        {
          rank: c.inputs.rank,
          factorization: c.inputs.factorization,
          autoTensorize: c.inputs.auto_tensorize,
          nTensorizedModes: c.inputs.n_tensorized_modes,
          inTensorizedFeatures: c.inputs.in_tensorized_features ?? undefined,
          outTensorizedFeatures: c.inputs.out_tensorized_features ?? undefined,
          decomposition: { ...c.inputs.decomposition_kwargs, ...(c.inputs.decomposition_kwargs.init === 'random' ? { seed: 0 } : {}) },
        },
      );
      // only the layer's variables remain
      expect(tf.memory().numTensors).toBe(before + layer.trainableVariables.length);
      expect(layer.inTensorizedFeatures).toEqual(c.expected.in_tensorized_features);
      expect(layer.outTensorizedFeatures).toEqual(c.expected.out_tensorized_features);
      expect(layer.rank).toEqual(c.expected.resolved_rank);
      expect(layer.implementation).toBe(c.expected.implementation);
      const y = layer.apply(x);
      const yd = denseForward(w, b, x);
      const wm = layer.weight.toMatrix();
      const outErr = relError(y, yd);
      const wErr = relError(wm, w);
      if (c.acceptance) {
        expect(outErr, `output error ${outErr}`).toBeLessThan(c.acceptance.relative_output_error_max);
        expect(wErr, `weight error ${wErr}`).toBeLessThan(c.acceptance.relative_weight_error_max);
      } else {
        // deterministic anchor (HOOI / TT-SVD): same error up to float32 round-off
        const slack = 2e-5;
        expect(Math.abs(outErr - c.expected.relative_output_error), `output error ${outErr}`).toBeLessThan(slack + 1e-3 * c.expected.relative_output_error);
        expect(Math.abs(wErr - c.expected.relative_weight_error), `weight error ${wErr}`).toBeLessThan(slack + 1e-3 * c.expected.relative_weight_error);
      }
      // the factorized forward gives the same outputs as the reconstructed one
      layer.implementation = 'factorized';
      const yf = layer.apply(x);
      const ref = y.dataSync();
      expectClose(yf, ref, { rtol: 1e-4, atol: 1e-5 * Math.max(...Array.from(ref, Math.abs)) }, 'factorized vs reconstructed');
      tf.dispose([w, b, x, y, yd, wm, yf]);
      layer.dispose();
    });
  }

  it('property: at full rank fromLinear reproduces the dense layer (Tucker, BlockTT, dense)', () => {
    const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(fc.constantFrom('tucker', 'blocktt', 'dense'), dims, dims, fc.integer({ min: 0, max: 1000 }), (kind, outT, inT0, seed) => {
        const inT = kind === 'blocktt' ? outT.map((_, k) => inT0[k % inT0.length]) : inT0;
        const outF = outT.reduce((a, v) => a * v, 1);
        const inF = inT.reduce((a, v) => a * v, 1);
        const w = tf.randomNormal([outF, inF], 0, 1, 'float32', seed);
        const b = tf.randomNormal([outF], 0, 1, 'float32', seed + 1);
        const x = tf.randomNormal([3, inF], 0, 1, 'float32', seed + 2);
        const rank = kind === 'tucker' ? [...outT, ...inT] : kind === 'blocktt' ? [1, ...outT.slice(1).map((_, k) => Math.min(prod(outT.slice(0, k + 1)) * prod(inT.slice(0, k + 1)), prod(outT.slice(k + 1)) * prod(inT.slice(k + 1)))), 1] : 'same';
        const layer = FactorizedLinear.fromLinear({ weight: w, bias: b }, { factorization: kind, rank, inTensorizedFeatures: inT, outTensorizedFeatures: outT, implementation: 'factorized' });
        const y = layer.apply(x);
        const yd = denseForward(w, b, x);
        const err = relError(y, yd);
        tf.dispose([w, b, x, y, yd]);
        layer.dispose();
        expect(err, `${kind} out ${outT} in ${inT}: ${err}`).toBeLessThan(1e-4);
      }),
      { numRuns: 25, seed: 777 },
    );
  });

  it("rank 'evbmf' (Tucker) takes tuckerRanks of the tensorized weight", () => {
    const w = tf.tidy(() => tf.add(tf.matMul(tf.randomNormal([16, 3], 0, 1, 'float32', 1), tf.randomNormal([3, 16], 0, 1, 'float32', 2)), tf.randomNormal([16, 16], 0, 0.01, 'float32', 3)));
    const layer = FactorizedLinear.fromLinear({ weight: w }, { factorization: 'tucker', rank: 'evbmf', inTensorizedFeatures: [4, 4], outTensorizedFeatures: [4, 4] });
    const t = w.reshape([4, 4, 4, 4]);
    expect(layer.rank).toEqual(tuckerRanks(t));
    expect(layer.bias).not.toBeNull();
    expect(layer.hasBias[0]).toBe(false);
    tf.dispose([w, t]);
    layer.dispose();
  });

  it('typed errors', () => {
    const w = tf.zeros([16, 9]);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { autoTensorize: true, inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4] })).toThrow(ArgumentError);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { inTensorizedFeatures: [3, 2], outTensorizedFeatures: [4, 4] })).toThrow(ShapeError);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 2] })).toThrow(/outTensorizedFeatures/);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { autoTensorize: false, inTensorizedFeatures: [9] })).toThrow(ArgumentError);
    expect(() => FactorizedLinear.fromLinear({ weight: tf.zeros([2, 2, 2]) } as never)).toThrow(ShapeError);
    expect(() => FactorizedLinear.fromLinear({ weight: w, bias: [1, 2] })).toThrow(/bias/);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { factorization: 'cp', rank: 'evbmf' })).toThrow(/evbmf/);
    expect(() => FactorizedLinear.fromLinear({ weight: w }, { factorization: 'tt' })).toThrow(ArgumentError);
    const nan = tf.fill([16, 9], NaN);
    expect(() => FactorizedLinear.fromLinear({ weight: nan }, { factorization: 'tucker' })).toThrow(/finite/);
    tf.dispose([w, nan]);
  });
});

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

describe('fromLinearList (joint decomposition)', () => {
  it('from_linear_list_CP_joint2_rank38: resolved rank and per-layer outputs close to the dense layers (tltorch: decimal=2)', () => {
    const c = fixtureCase(layers, 'from_linear_list_CP_joint2_rank38');
    const ws = c.inputs.linear_weights.map(fx);
    const bs = c.inputs.linear_biases.map(fx);
    const x = fx(c.inputs.x);
    const layer = FactorizedLinear.fromLinearList(
      ws.map((w: tf.Tensor, i: number) => ({ weight: w, bias: bs[i] })),
      { inTensorizedFeatures: c.inputs.in_tensorized_features, outTensorizedFeatures: c.inputs.out_tensorized_features, rank: c.inputs.rank, decomposition: { ...c.inputs.decomposition_kwargs, seed: 0 } },
    );
    expect(layer.rank).toBe(c.expected.resolved_rank);
    expect(layer.nLayers).toBe(2);
    expect(layer.implementation).toBe('reconstructed');
    for (const i of [0, 1]) {
      const y = layer.getLinear(i).apply(x);
      const e = c.expected.per_layer[`layer${i}`];
      expectClose(y, e.dense_output, { rtol: 0, atol: 1.5e-2 }, `layer ${i}`);
      expect(relError(y, e.dense_output.data)).toBeLessThan(Math.max(0.05, 3 * e.relative_error_vs_dense));
      y.dispose();
    }
    tf.dispose([...ws, ...bs, x]);
    layer.dispose();
  });

  it('joint Tucker and BlockTT at full rank reproduce every layer (tltorch: joint Tucker raises)', () => {
    const ws = [0, 1, 2].map((s) => tf.randomNormal([6, 4], 0, 1, 'float32', 10 + s));
    const bs = [tf.randomNormal([6], 0, 1, 'float32', 20), null, tf.randomNormal([6], 0, 1, 'float32', 21)];
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 30);
    for (const [factorization, rank] of [
      ['tucker', [3, 3, 2, 2, 2]],
      ['blocktt', [1, 36, 1]],
    ] as const) {
      for (const implementation of ['factorized', 'reconstructed'] as const) {
        const before = tf.memory().numTensors;
        const layer = FactorizedLinear.fromLinearList(
          ws.map((w, i) => ({ weight: w, bias: bs[i] })),
          { inTensorizedFeatures: [2, 2], outTensorizedFeatures: [3, 2], rank: rank as never, factorization, implementation },
        );
        expect(tf.memory().numTensors, 'fromLinearList leaks').toBe(before + layer.trainableVariables.length);
        expect(layer.hasBias).toEqual([true, false, true]);
        for (const i of [0, 1, 2]) {
          const y = layer.apply(x, i);
          const yd = denseForward(ws[i], bs[i], x);
          expect(relError(y, yd), `${factorization} ${implementation} layer ${i}`).toBeLessThan(1e-4);
          tf.dispose([y, yd]);
        }
        layer.dispose();
      }
    }
    tf.dispose([...ws, ...bs.filter((b): b is tf.Tensor => b !== null), x]);
  });

  it('typed errors', () => {
    const w = tf.zeros([6, 4]);
    expect(() => FactorizedLinear.fromLinearList([], { inTensorizedFeatures: [2, 2], outTensorizedFeatures: [3, 2] })).toThrow(ArgumentError);
    expect(() => FactorizedLinear.fromLinearList([{ weight: w }], { inTensorizedFeatures: [2, 3], outTensorizedFeatures: [3, 2] })).toThrow(ShapeError);
    expect(() => FactorizedLinear.fromLinearList([{ weight: w, bias: [1] }], { inTensorizedFeatures: [2, 2], outTensorizedFeatures: [3, 2] })).toThrow(/bias/);
    w.dispose();
  });
});
