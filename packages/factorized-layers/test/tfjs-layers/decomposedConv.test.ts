/**
 * CpConv2D and Tucker2Conv2D: one tfjs layer each that computes exactly what the spec
 * sequence of cpConv2d / tucker2Conv2d computes (applyConvSequence, NCHW), from a Conv2D
 * layer, a tfjs kernel or a torch weight (conv/layout.ts), for 'same' / 'valid', stride and
 * dilation; the effective kernel equals the decomposition's; save / load round-trips.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NotSupportedError, RankError } from '@tenfold/core';
import {
  CpConv2D,
  Tucker2Conv2D,
  applyConvSequence,
  cpConv2d,
  disposeConvSpecs,
  factorizeConv2d,
  kernelFromTfjs,
  kernelToTfjs,
  toChannelsFirst,
  toChannelsLast,
  tucker2Conv2d,
} from '@tenfold/factorized-layers';
import { expectNoLeak, relError, saveAndLoadInMemory } from '../../../../test-utils/index.js';

const GEOMS = [
  { strides: 1, padding: 'same', dilationRate: 1 },
  { strides: [2, 1], padding: 'same', dilationRate: 1 },
  { strides: 1, padding: 'valid', dilationRate: [1, 2] },
] as const;

function conv(geom: (typeof GEOMS)[number], seed: number): tf.layers.Layer {
  const l = tf.layers.conv2d({ filters: 7, kernelSize: [3, 2], activation: 'relu', ...geom, strides: geom.strides as never, dilationRate: geom.dilationRate as never });
  l.apply(tf.input({ shape: [9, 8, 5] }));
  const w = [tf.randomNormal([3, 2, 5, 7], 0, 0.5, 'float32', seed), tf.randomNormal([7], 0, 0.5, 'float32', seed + 1)];
  l.setWeights(w);
  tf.dispose(w);
  return l;
}

describe('CpConv2D / Tucker2Conv2D', () => {
  const x = tf.randomNormal([2, 9, 8, 5], 0, 1, 'float32', 3);

  it('equal the decomposition run by applyConvSequence (stride, dilation, same / valid)', () => {
    GEOMS.forEach((g, i) => {
      const layer = conv(g, 10 + i);
      const xNchw = toChannelsFirst(x);
      for (const kind of ['cp', 'tucker2'] as const) {
        // The spec geometry must be TF's: 'same' with stride needs the input size.
        const geo = { inputSize: [9, 8] as [number, number] };
        const specs = kind === 'cp' ? cpConv2d(layer, 4, geo) : tucker2Conv2d(layer, [3, 4], geo);
        const ref = tf.tidy(() => toChannelsLast(tf.relu(applyConvSequence(xNchw, specs))));
        const dl = kind === 'cp' ? CpConv2D.fromConv(layer, { rank: 4 }) : Tucker2Conv2D.fromConv(layer, { ranks: [3, 4] });
        const y = dl.apply(x) as tf.Tensor;
        expect(y.shape).toEqual(ref.shape);
        expect(relError(y, ref)).toBeLessThan(1e-5);
        expectNoLeak(() => dl.apply(x));
        tf.dispose([y, ref, ...specs.map((s) => s.weight), ...specs.map((s) => s.bias).filter((b): b is tf.Tensor1D => !!b)]);
        dl.dispose();
      }
      xNchw.dispose();
      layer.dispose();
    });
  });

  it('Tucker-2 at full ranks reproduces the conv; the effective kernel is the original', () => {
    const layer = conv(GEOMS[1], 30);
    const ref = layer.apply(x) as tf.Tensor;
    const t = Tucker2Conv2D.fromConv(layer, { ranks: [7, 5] });
    const y = t.apply(x) as tf.Tensor;
    expect(relError(y, ref)).toBeLessThan(1e-5);
    const k = t.effectiveKernel();
    expect(relError(k, layer.getWeights()[0])).toBeLessThan(1e-5);
    tf.dispose([ref, y, k]);
    t.dispose();
    layer.dispose();
  });

  it('a layer, a tfjs kernel and a torch weight give the same decomposition (layout option)', () => {
    const layer = conv(GEOMS[0], 40);
    const [kernel, bias] = layer.getWeights();
    const torch = kernelFromTfjs(kernel);
    const a = cpConv2d(layer, 3);
    const b = cpConv2d(kernel, 3, { layout: 'tfjs', bias });
    const c = cpConv2d(torch, 3, { bias });
    for (const s of [b, c]) s.forEach((spec, i) => expect(relError(spec.weight, a[i].weight)).toBeLessThan(1e-6));
    const tl = Tucker2Conv2D.fromConv(torch, { ranks: [4, 4], layout: 'torch', bias, padding: 'same', activation: 'relu' });
    const tk = Tucker2Conv2D.fromConv(layer, { ranks: [4, 4] });
    const y1 = tl.apply(x) as tf.Tensor;
    const y2 = tk.apply(x) as tf.Tensor;
    expect(relError(y1, y2)).toBeLessThan(1e-6);
    // factorizeConv2d in tfjs layout: NHWC data, tfjs kernels in and out.
    const solT = factorizeConv2d(x, layer, { rank: 4, layout: 'tfjs', padding: 'same' });
    const solP = factorizeConv2d(toChannelsFirst(x), torch, { rank: 4, padding: 'same' });
    expect(relError(solT.wa, kernelToTfjs(solP.wa))).toBeLessThan(1e-4);
    expect(solT.wa.shape).toEqual([3, 2, 5, 4]);
    expect(solT.wb!.shape).toEqual([1, 1, 4, 7]);
    tf.dispose([torch, y1, y2]);
    solT.dispose();
    solP.dispose();
    [a, b, c].forEach(disposeConvSpecs);
    tl.dispose();
    tk.dispose();
    layer.dispose();
  });

  it('save / load round-trip gives identical predictions', async () => {
    const layer = conv(GEOMS[1], 50);
    const inp = tf.input({ shape: [9, 8, 5] });
    const cp = CpConv2D.fromConv(layer, { rank: 5, name: 'cp' });
    const tk = Tucker2Conv2D.fromConv(layer, { ranks: [3, 3], name: 'tk' });
    const m = tf.model({ inputs: inp, outputs: [cp.apply(inp) as tf.SymbolicTensor, tk.apply(inp) as tf.SymbolicTensor] });
    const loaded = await saveAndLoadInMemory(m);
    const p = m.predict(x) as tf.Tensor[];
    const q = loaded.predict(x) as tf.Tensor[];
    p.forEach((t, i) => expect(Array.from(q[i].dataSync())).toEqual(Array.from(t.dataSync())));
    expect(loaded.getLayer('cp').getConfig().rank).toBe(5);
    tf.dispose([...p, ...q]);
    loaded.dispose();
    m.dispose();
    layer.dispose();
  });

  it('typed errors', () => {
    const dense = tf.layers.dense({ units: 2 });
    expect(() => CpConv2D.fromConv(dense, { rank: 2 })).toThrow(ArgumentError);
    expect(() => new CpConv2D({ filters: 4, kernelSize: 3, rank: 0 })).toThrow(ArgumentError);
    expect(() => new Tucker2Conv2D({ filters: 4, kernelSize: 3, ranks: [2, 0] })).toThrow(RankError);
    expect(() => new CpConv2D({ filters: 4, kernelSize: 3, rank: 2, strides: 2, dilationRate: 2 })).toThrow(NotSupportedError);
    expect(() => new CpConv2D({ filters: 4, kernelSize: 3, rank: 2, padding: 'causal' as 'same' })).toThrow(NotSupportedError);
    expect(() => new CpConv2D({ filters: 4, kernelSize: 3, rank: 2, bogus: 1 } as never)).toThrow(ArgumentError);
  });
});
