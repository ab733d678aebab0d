import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '@tenfold/core';
import { kernelFromTfjs, kernelToTfjs, resolveConvWeight, toChannelsFirst, toChannelsLast } from '../../src/conv/layout.js';
import { expectNoLeak } from '../../../../test-utils/index.js';

describe('conv layout conversions', () => {
  it('kernel round trips and matches element-wise indexing for orders 1-3', () => {
    for (const order of [1, 2, 3]) {
      const shape = [5, 3, ...Array(order).fill(2)];
      const w = tf.randomNormal(shape, 0, 1, 'float32', order);
      const k = kernelToTfjs(w);
      expect(k.shape).toEqual([...Array(order).fill(2), 3, 5]);
      const wv = w.arraySync() as any;
      const kv = k.arraySync() as any;
      // element (o=4, i=1, k=(1,0,1)) in both layouts
      const idx = [1, 0, 1].slice(0, order);
      const fromW = idx.reduce((a: any, j) => a[j], wv[4][1]);
      const fromK = idx.reduce((a: any, j) => a[j], kv)[1][4];
      expect(fromK).toBe(fromW);
      const back = kernelFromTfjs(k);
      expect(Array.from(back.dataSync())).toEqual(Array.from(w.dataSync()));
      tf.dispose([w, k, back]);
    }
  });

  it('channels-first/last are inverse', () => {
    const x = tf.randomNormal([2, 4, 5, 3], 0, 1, 'float32', 7);
    const y = toChannelsLast(toChannelsFirst(x));
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(toChannelsFirst(x).shape).toEqual([2, 3, 4, 5]);
  });

  it('resolveConvWeight reads a tfjs Conv2D layer and gives the same conv as tfjs', () => {
    const layer = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: true, biasInitializer: 'randomNormal' });
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 3);
    const y = layer.apply(x) as tf.Tensor;
    const { weight, bias } = resolveConvWeight(layer as never, 2);
    expect(weight.shape).toEqual([4, 2, 3, 3]);
    const again = tf.add(tf.conv2d(x as tf.Tensor4D, kernelToTfjs(weight) as tf.Tensor4D, 1, 'valid'), bias!);
    expect(Math.max(...Array.from(tf.sub(again, y).abs().dataSync()))).toBeLessThan(1e-5);
  });

  it('typed errors, no leaks', () => {
    expect(() => resolveConvWeight(tf.zeros([3, 3, 2]), 2)).toThrow(ShapeError);
    expect(() => resolveConvWeight(tf.zeros([3, 3, 2, 2]), 2, 'nchw' as never)).toThrow(ArgumentError);
    expect(() => resolveConvWeight(tf.layers.dense({ units: 2 }) as never, 2)).toThrow(ArgumentError);
    const w = tf.zeros([3, 3, 2, 4]);
    expectNoLeak(() => resolveConvWeight(w, 2, 'tfjs').weight);
    expectNoLeak(() => { try { resolveConvWeight([[1]], 2); } catch { /* typed */ } });
  });
});
