import { describe, expect, it } from 'vitest';
import { tf, tidyObject } from '@tenfold/core';

describe('tidyObject', () => {
  it('keeps the tensors of a returned object (nested, next to plain values and nulls), frees the rest', () => {
    const before = tf.memory().numTensors;
    const out = tidyObject(() => {
      const a = tf.tensor1d([1, 2, 3]);
      const tmp = tf.mul(a, 2);
      return { sum: tf.add(tmp, 1), none: null as tf.Tensor | null, pair: [tf.sub(a, 1), 7] as [tf.Tensor, number], k: [3, 3] };
    });
    // a and tmp are freed; sum and pair[0] survive with their values.
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(out.sum.dataSync())).toEqual([3, 5, 7]);
    expect(Array.from(out.pair[0].dataSync())).toEqual([0, 1, 2]);
    expect(out.pair[1]).toBe(7);
    expect(out.none).toBeNull();
    expect(out.k).toEqual([3, 3]);
    out.sum.dispose();
    out.pair[0].dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees everything when the function throws', () => {
    const before = tf.memory().numTensors;
    expect(() => tidyObject(() => {
      tf.ones([4]);
      throw new Error('boom');
    })).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });
});
