import { describe, expect, it } from 'vitest';
import { backendInfo, tf } from '@tenfold/core';

// tfjs-backend-wasm caches matmul operators by b's data id; Tenfold's kernel wrapper
// (backend/wasmKernelFixes/matMul.ts) makes a reshaped or transposed reuse of b safe and correct.
describe('matmul on the active backend', () => {
  it('a tensor used as b under two shapes gives the right products', () => {
    const b = tf.tensor2d(Array.from({ length: 24 }, (_, i) => i + 1), [4, 6]);
    const p1 = tf.matMul(tf.ones([3, 4]), b);
    expect(Array.from(p1.dataSync().slice(0, 6))).toEqual([40, 44, 48, 52, 56, 60]);
    const b2 = b.reshape([6, 4]);
    const p2 = tf.matMul(tf.ones([2, 6]), b2);
    expect(Array.from(p2.dataSync().slice(0, 4))).toEqual([66, 72, 78, 84]);
    const b3 = b.reshape([12, 2]);
    const p3 = tf.matMul(tf.ones([1, 12]), b3);
    expect(Array.from(p3.dataSync())).toEqual([144, 156]);
    tf.dispose([b, p1, b2, p2, b3, p3]);
  });

  it('transpose flags give the same numbers as explicit transposes', () => {
    const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([6, 7], 0, 1, 'float32', 2);
    const flags = tf.matMul(a, b, false, true);
    const explicit = tf.matMul(a, tf.transpose(b));
    const both = tf.matMul(tf.transpose(a), tf.transpose(b), true, false);
    const d1 = tf.max(tf.abs(tf.sub(flags, explicit))).dataSync()[0];
    const d2 = tf.max(tf.abs(tf.sub(both, explicit))).dataSync()[0];
    expect(d1).toBeLessThan(1e-5);
    expect(d2).toBeLessThan(1e-5);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(backendInfo().name);
    tf.disposeVariables();
    tf.dispose([a, b, flags, explicit, both]);
  });

  it('batched and fused matmuls with transposes agree with the reference', () => {
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 3);
    const b = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 4);
    const got = tf.matMul(a, b, false, true);
    const want = tf.stack([0, 1, 2].map((i) => tf.matMul(a.slice([i, 0, 0], [1, 4, 5]).squeeze([0]), b.slice([i, 0, 0], [1, 6, 5]).squeeze([0]).transpose())));
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-5);
    const bias = tf.randomNormal([6], 0, 1, 'float32', 5);
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 6);
    const w = tf.randomNormal([6, 5], 0, 1, 'float32', 7);
    const fused = tf.fused.matMul({ a: x, b: w, transposeB: true, bias, activation: 'relu' });
    const ref = tf.relu(tf.add(tf.matMul(x, tf.transpose(w)), bias));
    expect(tf.max(tf.abs(tf.sub(fused, ref))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    const a = tf.ones([3, 4]);
    const b = tf.ones([5, 4]);
    const c = tf.matMul(a, b, false, true);
    tf.dispose([a, b, c]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
