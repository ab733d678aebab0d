import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError } from '@tenfold/core';
import { applyConvSequence, resolvePadding, type ConvSpec } from '@tenfold/factorized-layers';
import { expectClose, expectNoLeak, f32Tolerance } from '../../../../test-utils/index.js';
import { naiveConv } from './naiveConv.js';

function spec(weight: tf.Tensor4D, o: Partial<ConvSpec> = {}): ConvSpec {
  return { weight, bias: null, stride: [1, 1], padding: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1, ...o };
}

describe('applyConvSequence', () => {
  const cases: { name: string; xs: number[]; ws: number[]; s: Partial<ConvSpec> }[] = [
    { name: 'plain 3x3', xs: [2, 3, 7, 6], ws: [4, 3, 3, 3], s: {} },
    { name: 'stride 2, asymmetric padding, bias', xs: [2, 3, 7, 6], ws: [4, 3, 3, 2], s: { stride: [2, 2], padding: [[1, 0], [2, 1]] } },
    { name: 'stride and dilation both > 1', xs: [1, 2, 9, 9], ws: [3, 2, 2, 3], s: { stride: [2, 1], dilation: [1, 2], padding: [[1, 1], [0, 0]] } },
    { name: 'depthwise multiplier 2', xs: [2, 4, 6, 6], ws: [8, 1, 3, 3], s: { groups: 4, padding: [[1, 1], [1, 1]] } },
    { name: 'groups 2', xs: [1, 4, 5, 5], ws: [6, 2, 3, 1], s: { groups: 2, stride: [1, 2] } },
  ];
  for (const c of cases) {
    it(`matches a direct float64 convolution: ${c.name}`, () => {
      const x = tf.randomNormal(c.xs as [number, number, number, number], 0, 1, 'float32', 11) as tf.Tensor4D;
      const w = tf.randomNormal(c.ws as [number, number, number, number], 0, 1, 'float32', 12) as tf.Tensor4D;
      const b = tf.randomNormal([c.ws[0]], 0, 1, 'float32', 13) as tf.Tensor1D;
      const sp = spec(w, { ...c.s, bias: b });
      const ref = naiveConv(x.dataSync(), c.xs, w.dataSync(), c.ws, sp.stride, sp.padding, sp.dilation, sp.groups, b.dataSync());
      expectNoLeak(() => {
        const y = applyConvSequence(x, [sp]);
        expect(y.shape).toEqual(ref.shape);
        expectClose(y, ref.data, f32Tolerance(ref.data, undefined, 1e-4, 1e-5), c.name);
        return y;
      });
      tf.dispose([x, w, b]);
    });
  }

  it('property: a sequence equals the composition of single convs (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (k, s, d, p, seed) => {
          const x = tf.randomNormal([1, 2, 9, 8], 0, 1, 'float32', seed) as tf.Tensor4D;
          const w1 = tf.randomNormal([3, 2, k, k], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
          const w2 = tf.randomNormal([2, 3, 1, 1], 0, 1, 'float32', seed + 2) as tf.Tensor4D;
          const s1 = spec(w1, { stride: [s, s], dilation: [d, d], padding: [[p, 0], [0, p]] });
          const s2 = spec(w2);
          const r1 = naiveConv(x.dataSync(), x.shape, w1.dataSync(), w1.shape, s1.stride, s1.padding, s1.dilation, 1);
          const r2 = naiveConv(Float32Array.from(r1.data), r1.shape, w2.dataSync(), w2.shape, [1, 1], s2.padding, [1, 1], 1);
          const y = applyConvSequence(x, [s1, s2]);
          expect(y.shape).toEqual(r2.shape);
          expectClose(y, r2.data, f32Tolerance(r2.data, undefined, 1e-4, 1e-5), 'composition');
          tf.dispose([x, w1, w2, y]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('typed errors', () => {
    const x = tf.zeros([1, 3, 5, 5]);
    const w = tf.zeros([4, 3, 3, 3]) as tf.Tensor4D;
    expect(() => applyConvSequence(tf.zeros([3, 5, 5]), [spec(w)])).toThrow(ShapeError);
    expect(() => applyConvSequence(x, [])).toThrow(ArgumentError);
    expect(() => applyConvSequence(x, [spec(w), spec(w)])).toThrow(ShapeError); // second expects 3 channels, gets 4
    expect(() => applyConvSequence(x, [spec(w, { stride: [0, 1] })])).toThrow(ArgumentError);
    expect(() => applyConvSequence(x, [spec(w, { groups: 2 })])).toThrow(ShapeError);
    expect(() => applyConvSequence(x, [spec(w, { bias: tf.zeros([3]) as tf.Tensor1D })])).toThrow(ShapeError);
    expect(() => applyConvSequence(tf.zeros([1, 3, 2, 2]), [spec(w)])).toThrow(ShapeError);
    expect(() => resolvePadding('full' as 'same', [3, 3], [1, 1], [1, 1])).toThrow();
    expect(() => resolvePadding('same', [3, 3], [2, 2], [1, 1])).toThrow(ArgumentError); // needs the input size
    expect(resolvePadding('same', [4, 3], [1, 1], [1, 2])).toEqual([[1, 2], [2, 2]]);
    expect(resolvePadding('same', [3, 3], [2, 2], [1, 1], [8, 7])).toEqual([[0, 1], [1, 1]]);
  });
});
