/**
 * Properties of FactorizedConv on the running backend (wasm; cpu with TENFOLD_BACKEND=cpu):
 * for every factorization, order (1-3), geometry (stride, dilation, asymmetric / 'same'
 * padding), groups and joint layers, 'factorized' == 'reconstructed' == a float64 naive N-D
 * convolution of the reconstructed kernel; 'auto' picks the cheaper FLOPs and equals both;
 * gradients reach every factor; nothing leaks on success or throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NotSupportedError, ShapeError, tf } from '@tenfold/core';
import { FactorizedConv } from '../../src/index.js';
import { expectClose, expectNoLeak } from '../../../../test-utils/index.js';

/** Float64 N-D convolution, torch semantics: x (N, C, *s), w (O, C/g, *k), explicit padding. */
function naiveConvNd(x: tf.Tensor, w: tf.Tensor, stride: number[], pad: [number, number][], dil: number[], groups: number, bias: Float32Array | null): { data: Float64Array; shape: number[] } {
  const xs = x.shape;
  const ws = w.shape;
  const xd = x.dataSync();
  const wd = w.dataSync();
  const d = xs.length - 2;
  const sp = xs.slice(2);
  const k = ws.slice(2);
  const out = sp.map((s, m) => Math.floor((s + pad[m][0] + pad[m][1] - dil[m] * (k[m] - 1) - 1) / stride[m]) + 1);
  const [n, c] = xs;
  const [o, cpg] = ws;
  const opg = o / groups;
  const prod = (a: number[]) => a.reduce((p, q) => p * q, 1);
  const res = new Float64Array(n * o * prod(out));
  const idx = (dims: number[], at: number[]) => at.reduce((acc, v, i) => acc * dims[i] + v, 0);
  const unravel = (f: number, dims: number[]) => {
    const r = new Array<number>(dims.length);
    for (let i = dims.length - 1; i >= 0; i--) {
      r[i] = f % dims[i];
      f = Math.floor(f / dims[i]);
    }
    return r;
  };
  for (let b = 0; b < n; b++) for (let oc = 0; oc < o; oc++) {
    const g = Math.floor(oc / opg);
    for (let fo = 0; fo < prod(out); fo++) {
      const op = unravel(fo, out);
      let s = bias ? bias[oc] : 0;
      for (let ci = 0; ci < cpg; ci++) for (let fk = 0; fk < prod(k); fk++) {
        const kp = unravel(fk, k);
        const pos = op.map((v, m) => v * stride[m] + kp[m] * dil[m] - pad[m][0]);
        if (pos.some((p, m) => p < 0 || p >= sp[m])) continue;
        s += xd[idx([n, c, ...sp], [b, g * cpg + ci, ...pos])] * wd[idx([o, cpg, ...k], [oc, ci, ...kp])];
      }
      res[idx([n, o, ...out], [b, oc, ...op])] = s;
    }
  }
  return { data: res, shape: [n, o, ...out] };
}

const arb = fc
  .record({
    order: fc.integer({ min: 1, max: 3 }),
    kind: fc.constantFrom('cp', 'tucker', 'tt', 'dense'),
    cin: fc.integer({ min: 1, max: 3 }),
    cout: fc.integer({ min: 1, max: 3 }),
    groups: fc.constantFrom(1, 1, 2),
    nLayers: fc.constantFrom(1, 2),
    k: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    stride: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
    dil: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
    pad: fc.oneof(fc.constant('same' as const), fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: 3, maxLength: 3 })),
    extra: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
    rank: fc.constantFrom('same', 0.5, 2),
    seed: fc.integer({ min: 0, max: 10_000 }),
  })
  .map((r) => ({ ...r, cin: r.cin * r.groups, cout: r.cout * r.groups }));

describe('FactorizedConv properties', () => {
  it('factorized == reconstructed == naive N-D conv, every factorization / order / geometry; auto picks the cheaper', () => {
    fc.assert(
      fc.property(arb, (r) => {
        const o = r.order;
        const k = r.k.slice(0, o);
        const stride = r.stride.slice(0, o);
        const dilation = r.dil.slice(0, o);
        const padding = r.pad === 'same' ? 'same' : (r.pad.slice(0, o) as [number, number][]);
        const spatial = k.map((kk, m) => (kk - 1) * dilation[m] + 1 + r.extra[m]);
        const implFact = r.groups > 1 && r.kind !== 'dense' ? 'reconstructed' : 'factorized';
        const layer = new FactorizedConv({
          inChannels: r.cin, outChannels: r.cout, kernelSize: k, stride, padding, dilation, groups: r.groups,
          bias: true, nLayers: r.nLayers, factorization: r.kind, rank: r.rank, implementation: implFact, std: 1, seed: r.seed,
        });
        const x = tf.randomNormal([2, r.cin, ...spatial], 0, 1, 'float32', r.seed);
        const b = tf.randomNormal([r.cout], 0, 1, 'float32', r.seed + 1);
        const li = r.nLayers - 1;
        layer.setLayer(li, { stride, padding, dilation, bias: b });
        const before = tf.memory().numTensors;
        const yf = layer.apply(x, li);
        layer.implementation = 'reconstructed';
        const yr = layer.apply(x, li);
        layer.implementation = 'auto';
        const ya = layer.apply(x, li);
        expect(tf.memory().numTensors - before).toBe(3);
        const f = layer.flops([2, r.cin, ...spatial], li);
        expect(layer.resolveImplementation([2, r.cin, ...spatial], li)).toBe(r.groups > 1 && r.kind !== 'dense' ? 'reconstructed' : f.cheaper);
        // Reference: the reconstructed kernel of layer li, float64.
        const kfull = tf.tidy(() => {
          let t = layer.weight.toTensor();
          if (r.nLayers > 1) t = tf.squeeze(tf.slice(t, [li], [1]), [0]);
          return r.kind === 'tt' ? tf.transpose(t, [t.rank - 1, ...Array.from({ length: t.rank - 1 }, (_, j) => j)]) : t;
        });
        const g = layer.layerGeometry(li);
        const pad = padding === 'same' ? spatialSame(k, g.stride, g.dilation, spatial) : (padding as [number, number][]);
        const ref = naiveConvNd(x, kfull, stride, pad, dilation, r.groups, b.dataSync() as Float32Array);
        expect(yr.shape).toEqual(ref.shape);
        const scale = Math.max(1e-3, ...Array.from(ref.data).map(Math.abs));
        const tol = { rtol: 2e-3, atol: 2e-4 * scale };
        expectClose(yr, ref.data, tol, 'reconstructed vs naive');
        expectClose(yf, ref.data, tol, 'factorized vs naive');
        expectClose(ya, ref.data, tol, 'auto vs naive');
        tf.dispose([x, b, yf, yr, ya, kfull]);
        layer.dispose();
      }),
      { numRuns: 60 },
    );
  });

  it('gradients reach every factor and the bias, and equal those of the reconstructed path (1-D/2-D/3-D, strided, joint; wasm included)', () => {
    const cases = [
      { kind: 'cp', kernelSize: [2, 3, 2], x: [2, 3, 4, 5, 4] },
      { kind: 'tt', kernelSize: [3], x: [2, 3, 7] },
      { kind: 'tucker', kernelSize: [3, 3], x: [2, 3, 6, 6], nLayers: 2 },
      { kind: 'cp', kernelSize: [3, 3], x: [2, 3, 7, 6], stride: 2, padding: [[1, 0], [0, 2]] as [number, number][] },
      { kind: 'tucker', kernelSize: [2, 3, 3], x: [2, 3, 5, 7, 6], stride: [2, 1, 2], padding: 1 },
      { kind: 'tt', kernelSize: [3, 2, 3], x: [1, 3, 6, 5, 7], stride: 2 },
    ];
    for (const c of cases) {
      const layer = new FactorizedConv({ inChannels: 3, outChannels: 4, kernelSize: c.kernelSize, stride: c.stride, padding: c.padding, bias: true, factorization: c.kind, nLayers: c.nLayers, std: 1, seed: 1 });
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 2);
      const li = (c.nLayers ?? 1) - 1;
      const grads: Record<string, Float32Array[]> = {};
      for (const impl of ['factorized', 'reconstructed'] as const) {
        layer.implementation = impl;
        const before = tf.memory().numTensors;
        const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, li))) as tf.Scalar, layer.trainableVariables);
        expect(Object.keys(g).length).toBe(layer.trainableVariables.length);
        grads[impl] = layer.trainableVariables.map((v) => g[v.name].dataSync() as Float32Array);
        tf.dispose([value, ...Object.values(g)]);
        expect(tf.memory().numTensors).toBe(before);
      }
      grads.factorized.forEach((gf, k) => {
        const scale = Math.max(1e-6, ...Array.from(grads.reconstructed[k]).map(Math.abs));
        expectClose(gf, grads.reconstructed[k], { rtol: 2e-3, atol: 2e-4 * scale }, `${c.kind} ${c.kernelSize} grad ${k}`);
      });
      // The shared layer-mode factor of a joint layer gets a gradient only on its row li; every other variable must get some.
      grads.factorized.forEach((gf, k) => expect(gf.some((v) => v !== 0), `${c.kind} grad ${k} nonzero`).toBe(true));
      x.dispose();
      layer.dispose();
    }
  });

  it('throws typed errors without leaking', () => {
    const layer = new FactorizedConv({ inChannels: 3, outChannels: 4, kernelSize: [3, 3], factorization: 'tucker' });
    const bad = tf.ones([1, 2, 5, 5]);
    const small = tf.ones([1, 3, 2, 2]);
    expectNoLeak(() => {
      expect(() => layer.apply(bad)).toThrow(ShapeError);
      expect(() => layer.apply(small)).toThrow(ShapeError);
    });
    expect(() => new FactorizedConv({ inChannels: 4, outChannels: 4, kernelSize: 3, order: 2, groups: 2, factorization: 'cp', implementation: 'factorized' })).toThrow(NotSupportedError);
    tf.dispose([bad, small]);
    layer.dispose();
  });
});

/** TensorFlow's 'same' padding per dim. */
function spatialSame(k: number[], s: number[], d: number[], size: number[]): [number, number][] {
  return k.map((kk, m) => {
    const span = (kk - 1) * d[m] + 1;
    const total = Math.max((Math.ceil(size[m] / s[m]) - 1) * s[m] + span - size[m], 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
}
