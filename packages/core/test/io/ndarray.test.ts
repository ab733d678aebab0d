import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { tf, toNdarray, toTensor } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';

describe('toNdarray', () => {
  it('copies a tensor into a C-order Float32Array ndarray', () => {
    const x = tf.tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    const nd = expectNoLeak(() => toNdarray(x));
    expect(nd.data).toBeInstanceOf(Float32Array);
    expect(nd.shape).toEqual([2, 3, 4]);
    expect(nd.stride).toEqual([12, 4, 1]);
    expect(nd.offset).toBe(0);
    expect(nd.get(1, 2, 3)).toBe(23);
    expect(nd.get(0, 1, 2)).toBe(6);
    // It owns its data: writing to it leaves the tensor alone.
    nd.set(0, 0, 0, 99);
    expect(x.dataSync()[0]).toBe(0);
    x.dispose();
  });

  it('round-trips through toTensor, also for strided views, scalars and int32', () => {
    const base = ndarray(new Float64Array(Array.from({ length: 12 }, (_, i) => i)), [3, 4]);
    const view = base.transpose(1, 0).hi(3, 2); // shape (3, 2), strided
    expectNoLeak(() => {
      const t = toTensor(view);
      const back = toNdarray(t);
      expect(back.shape).toEqual([3, 2]);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(back.get(i, j)).toBe(view.get(i, j));
      t.dispose();
    });
    const five = tf.scalar(5);
    const s = expectNoLeak(() => toNdarray(five));
    five.dispose();
    expect(s.shape).toEqual([]);
    expect(s.data[0]).toBe(5);
    const i32 = tf.tensor([1, 2, 3], [3], 'int32');
    const ni = expectNoLeak(() => toNdarray(i32));
    expect(ni.data).toBeInstanceOf(Float32Array);
    expect(Array.from(ni.data)).toEqual([1, 2, 3]);
    i32.dispose();
  });

  it('accepts nested arrays and rejects non-tensors with a TenfoldError', () => {
    const nd = expectNoLeak(() => toNdarray([[1, 2], [3, 4]]));
    expect(nd.get(1, 0)).toBe(3);
    expect(() => toNdarray('x' as never)).toThrow(/tensor/);
  });
});
