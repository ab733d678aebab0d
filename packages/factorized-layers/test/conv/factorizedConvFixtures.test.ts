/**
 * tltorch fixtures of layers2.json for FactorizedConv: every `factorized_conv*` case. The
 * recorded factorized parameters are fed to a FactorizedConv and both implementations are
 * compared with tltorch's outputs (and 'mobilenet', the same map); from_conv decompositions
 * are compared by their relative errors; rank cases, joint layers, the stride quirk, the
 * dense bug and the error cases.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ModeError, tf } from '@tenfold/core';
import { FactorizedConv, FactorizedTensor, type FactorizedParams } from '../../src/index.js';
import { expectClose, f32Tolerance, fixtureCase, fx, loadFixtures, relError, type FixtureCase } from '../../../../test-utils/index.js';

const layers2 = loadFixtures('layers2');
const convCases = layers2.cases.filter((c) => c.name.startsWith('factorized_conv'));

function paramsOf(kind: string, p: Record<string, any>): FactorizedParams {
  if (kind === 'cp') return { kind, weights: fx(p.weights), factors: p.factors.map(fx) };
  if (kind === 'tucker') return { kind, core: fx(p.core), factors: p.factors.map(fx) };
  return { kind: 'tt', factors: p.factors.map(fx) };
}

/** A FactorizedConv holding a case's recorded parameters, geometry and bias. */
function convFromCase(c: FixtureCase, implementation: 'factorized' | 'reconstructed'): FactorizedConv {
  const i = c.inputs;
  const weight = FactorizedTensor.fromParams(paramsOf(i.factorization, i.params));
  const layer = new FactorizedConv({
    inChannels: i.in_channels, outChannels: i.out_channels, kernelSize: i.kernel_size, order: i.order,
    stride: i.stride, padding: i.padding, dilation: i.dilation, bias: true, factorization: weight, implementation,
  });
  const b = fx(i.bias);
  layer.setLayer(0, { stride: i.stride, padding: i.padding, dilation: i.dilation, bias: b });
  b.dispose();
  return layer;
}

const forwardCases = convCases.filter((c) => /^factorized_conv[12]d_(cp|tucker|tt)_rank/.test(c.name));

describe('factorized_conv{1,2}d fixtures: recorded parameters', () => {
  it('covers 1-D and 2-D, CP / Tucker / TT, stride, padding, dilation', () => {
    expect(forwardCases.length).toBe(24);
  });
  for (const c of forwardCases) {
    it(c.name, () => {
      const x = fx(c.inputs.x);
      const before = tf.memory().numTensors;
      for (const impl of ['factorized', 'reconstructed'] as const) {
        const layer = convFromCase(c, impl);
        const y = layer.apply(x);
        expectClose(y, c.expected[`output_${impl}`], f32Tolerance(c.expected[`output_${impl}`].data), `${c.name} ${impl}`);
        if (impl === 'factorized' && c.expected.output_mobilenet) {
          // tltorch's 'mobilenet' CP path computes the same map (one N-D depthwise conv).
          expectClose(y, c.expected.output_mobilenet, f32Tolerance(c.expected.output_mobilenet.data), `${c.name} mobilenet`);
        }
        // The reconstructed kernel, (out, in, *k) for every factorization.
        const k = layer.weight.toTensor();
        const kernel = c.inputs.factorization === 'tt' ? tf.transpose(k, [k.rank - 1, ...Array.from({ length: k.rank - 1 }, (_, j) => j)]) : k;
        expectClose(kernel, c.expected.reconstructed_kernel, f32Tolerance(c.expected.reconstructed_kernel.data), `${c.name} kernel`);
        expect(layer.weight.shape).toEqual(c.expected.factorization_shape);
        tf.dispose([y, k, kernel]);
        layer.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      // Rank resolution of a fresh layer with the case's rank (TT's recorded rank is the one
      // refreshed from the TT-SVD cores, checked by the fromConv test below).
      const i = c.inputs;
      if (i.factorization === 'tt') {
        x.dispose();
        return;
      }
      const fresh = new FactorizedConv({ inChannels: i.in_channels, outChannels: i.out_channels, kernelSize: i.kernel_size, order: i.order, factorization: i.factorization, rank: i.rank });
      expect(fresh.rank).toEqual(c.expected.resolved_rank);
      fresh.dispose();
      x.dispose();
    });
  }
});

describe('factorized_conv{1,2}d fixtures: fromConv decomposition errors', () => {
  for (const c of forwardCases) {
    it(c.name, () => {
      const i = c.inputs;
      const w = fx(i.conv_weight);
      const b = fx(i.conv_bias);
      const x = fx(i.x);
      const layer = FactorizedConv.fromConv({ weight: w, bias: b, stride: i.stride, padding: i.padding, dilation: i.dilation }, { rank: i.rank, factorization: i.factorization });
      const rec = layer.weight.toTensor();
      const kernel = i.factorization === 'tt' ? tf.transpose(rec, [rec.rank - 1, ...Array.from({ length: rec.rank - 1 }, (_, j) => j)]) : rec;
      const err = relError(kernel, w);
      if (c.acceptance) {
        // CP above the smallest mode size: RNG-dependent init, bounded by the case's acceptance.
        expect(err).toBeLessThanOrEqual(c.acceptance.relative_weight_error_max);
      } else {
        expect(Math.abs(err - c.expected.relative_weight_error)).toBeLessThan(2e-3 + 1e-3 * c.expected.relative_weight_error);
      }
      expect(layer.rank).toEqual(c.expected.resolved_rank);
      tf.dispose([w, b, x, rec, kernel]);
      layer.dispose();
    });
  }
});

describe('factorized_conv rank cases', () => {
  const rankCases = convCases.filter((c) => c.name.startsWith('factorized_conv_rank_'));
  it('has 8 cases', () => expect(rankCases.length).toBe(8));
  for (const c of rankCases) {
    it(c.name, () => {
      const i = c.inputs;
      const layer = new FactorizedConv({
        inChannels: i.in_channels, outChannels: i.out_channels, kernelSize: i.kernel_size, order: i.order,
        factorization: i.factorization, rank: i.rank, fixedRankModes: i.fixed_rank_modes, nLayers: i.n_layers,
      });
      expect(layer.rank).toEqual(c.expected.rank);
      expect(layer.weight.shape).toEqual(c.expected.factorization_shape);
      layer.dispose();
    });
  }
});

describe('factorized_conv2d joint (fromConvList) fixtures', () => {
  for (const kind of ['cp', 'tucker', 'tt']) {
    const c = fixtureCase(layers2, `factorized_conv2d_joint2_${kind}_from_conv_list`);
    it(c.name, () => {
      const i = c.inputs;
      const x = fx(i.x);
      const bias = fx(i.bias);
      for (const impl of ['factorized', 'reconstructed'] as const) {
        const weight = FactorizedTensor.fromParams(paramsOf(kind, i.params));
        const layer = new FactorizedConv({ inChannels: 4, outChannels: 6, kernelSize: 3, order: 2, nLayers: 2, bias: true, factorization: weight, implementation: impl });
        expect(layer.rank).toEqual(c.expected.resolved_rank);
        for (let l = 0; l < 2; l++) {
          const bl = tf.tidy(() => tf.reshape(tf.slice(bias, [l, 0], [1, -1]), [-1]));
          layer.setLayer(l, { stride: i.strides[l], padding: i.paddings[l], bias: bl });
          bl.dispose();
          const y = layer.getConv(l).apply(x);
          const want = c.expected.per_layer[`layer${l}`][`output_${impl}`];
          expectClose(y, want, f32Tolerance(want.data), `${c.name} layer ${l} ${impl}`);
          y.dispose();
        }
        layer.dispose();
      }
      // fromConvList on the dense convs: per-layer geometry and bias copied; Tucker/TT are deterministic.
      const ws = i.conv_weights.map(fx);
      const bs = i.conv_biases.map(fx);
      const joint = FactorizedConv.fromConvList(ws.map((w: tf.Tensor, l: number) => ({ weight: w, bias: bs[l], stride: i.strides[l], padding: i.paddings[l] })), { factorization: kind, rank: i.rank });
      expect(joint.rank).toEqual(c.expected.resolved_rank);
      for (let l = 0; l < 2; l++) {
        const y = joint.apply(x, l);
        const exp = c.expected.per_layer[`layer${l}`];
        const err = relError(y, exp.dense_output.data);
        if (kind === 'cp') expect(err).toBeLessThan(Math.max(2 * exp.relative_error_vs_dense, 0.5));
        else expect(Math.abs(err - exp.relative_error_vs_dense)).toBeLessThan(5e-3);
        y.dispose();
      }
      joint.dispose();
      tf.dispose([x, bias, ...ws, ...bs]);
    });
  }
});

describe('factorized_conv special cases', () => {
  it('factorized_conv2d_tucker_from_conv_stride_2x1_quirk: the (2, 1) stride is kept (tltorch makes it (2, 2))', () => {
    const c = fixtureCase(layers2, 'factorized_conv2d_tucker_from_conv_stride_2x1_quirk');
    const i = c.inputs;
    const x = fx(i.x);
    for (const [stride, want] of [[i.stride, c.expected.dense_output_shape], [c.expected.tltorch_stride, c.expected.output_shape_tltorch]]) {
      const layer = new FactorizedConv({ inChannels: 4, outChannels: 6, kernelSize: 3, order: 2, stride, padding: i.padding, bias: true, factorization: FactorizedTensor.fromParams(paramsOf('tucker', i.params)), implementation: 'reconstructed' });
      const b = fx(i.conv_bias);
      layer.setLayer(0, { stride, padding: i.padding, bias: b });
      b.dispose();
      const y = layer.apply(x);
      expect(y.shape).toEqual(want);
      if (stride === c.expected.tltorch_stride) expectClose(y, c.expected.output_tltorch, f32Tolerance(c.expected.output_tltorch.data), 'tltorch stride');
      y.dispose();
      layer.dispose();
    }
    // fromConv keeps the per-dim stride of the conv.
    const w = fx(i.conv_weight);
    const fromConv = FactorizedConv.fromConv({ weight: w, stride: i.stride, padding: i.padding }, { factorization: 'tucker' });
    expect(fromConv.layerGeometry().stride).toEqual([2, 1]);
    const y = fromConv.apply(x);
    expect(y.shape).toEqual(c.expected.dense_output_shape);
    tf.dispose([x, w, y]);
    fromConv.dispose();
  });

  it('factorized_conv2d_dense_reconstructed', () => {
    const c = fixtureCase(layers2, 'factorized_conv2d_dense_reconstructed');
    const i = c.inputs;
    const [w, b, x] = [fx(i.conv_weight), fx(i.conv_bias), fx(i.x)];
    const layer = FactorizedConv.fromConv({ weight: w, bias: b, stride: i.stride, padding: i.padding }, { factorization: 'dense', implementation: 'reconstructed' });
    const y = layer.apply(x);
    expectClose(y, c.expected.output, f32Tolerance(c.expected.output.data), c.name);
    tf.dispose([w, b, x, y]);
    layer.dispose();
  });

  it('factorized_conv2d_dense_factorized_bug: tltorch raises; Tenfold runs the plain conv', () => {
    const c = fixtureCase(layers2, 'factorized_conv2d_dense_factorized_bug');
    expect(c.expected_error.type).toBe('ValueError');
    const w = fx(c.inputs.conv_weight);
    const x = tf.randomNormal([1, 4, 6, 6], 0, 1, 'float32', 3);
    const f = FactorizedConv.fromConv(w, { factorization: 'dense', implementation: 'factorized' });
    const r = FactorizedConv.fromConv(w, { factorization: 'dense', implementation: 'reconstructed' });
    const [yf, yr] = [f.apply(x), r.apply(x)];
    expectClose(yf, Array.from(yr.dataSync()), { rtol: 1e-6, atol: 1e-6 }, 'dense factorized == plain conv');
    tf.dispose([w, x, yf, yr]);
    f.dispose();
    r.dispose();
  });

  it('factorized_conv_int_kernel_without_order: ArgumentError', () => {
    const c = fixtureCase(layers2, 'factorized_conv_int_kernel_without_order');
    expect(c.expected_error.type).toBe('ValueError');
    expect(() => new FactorizedConv({ inChannels: c.inputs.in_channels, outChannels: c.inputs.out_channels, kernelSize: c.inputs.kernel_size, order: c.inputs.order })).toThrow(ArgumentError);
  });

  it('factorized_conv_single_layer_index1: ModeError', () => {
    const c = fixtureCase(layers2, 'factorized_conv_single_layer_index1');
    expect(c.expected_error.type).toBe('ValueError');
    const i = c.inputs;
    const layer = new FactorizedConv({ inChannels: i.in_channels, outChannels: i.out_channels, kernelSize: i.kernel_size, order: i.order });
    const x = tf.ones([1, 4, 5, 5]);
    const before = tf.memory().numTensors;
    expect(() => layer.apply(x, i.indices)).toThrow(ModeError);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });

  it('loads every factorized_conv* case', () => {
    const used = new Set([
      ...forwardCases.map((c) => c.name),
      ...convCases.filter((c) => c.name.startsWith('factorized_conv_rank_')).map((c) => c.name),
      'factorized_conv2d_joint2_cp_from_conv_list', 'factorized_conv2d_joint2_tucker_from_conv_list', 'factorized_conv2d_joint2_tt_from_conv_list',
      'factorized_conv2d_tucker_from_conv_stride_2x1_quirk', 'factorized_conv2d_dense_reconstructed', 'factorized_conv2d_dense_factorized_bug',
      'factorized_conv_int_kernel_without_order', 'factorized_conv_single_layer_index1',
    ]);
    expect(convCases.filter((c) => !used.has(c.name)).map((c) => c.name)).toEqual([]);
  });
});
