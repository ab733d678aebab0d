import { describe, expect, it } from 'vitest';
import { backendInfo, initBackend, tf, toTensor, BackendError, ArgumentError, ShapeError, TenfoldError } from '@tenfold/core';
import { expectNoLeak } from '../../../test-utils/index.js';

describe('backend', () => {
  it('runs on the backend TENFOLD_BACKEND asks for, else wasm here', () => {
    const info = backendInfo();
    const want = process.env.TENFOLD_BACKEND;
    if (want) expect(info.name).toBe(want);
    else expect(['tensorflow', 'wasm']).toContain(info.name);
    expect(info.tfjsVersion).toBe(tf.version_core);
    expect(typeof info.isGpu).toBe('boolean');
  });

  it('initBackend() again is a no-op returning the same backend', async () => {
    const a = backendInfo().name;
    const b = await initBackend();
    expect(b.name).toBe(a);
  });

  it('rejects an unknown backend name with a typed error', async () => {
    await expect(initBackend('gpu-please' as any)).rejects.toBeInstanceOf(ArgumentError);
  });

  it('forcing an unavailable native backend says how to install it', async () => {
    if (backendInfo().name === 'tensorflow') return; // native is installed here: nothing to check
    const err = await initBackend('tensorflow').catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(String(err.message)).toMatch(/tfjs-node/);
    expect(backendInfo().name).not.toBe('tensorflow');
  });
});

describe('toTensor', () => {
  it('accepts nested arrays, typed arrays with a shape, ndarray-like objects and tensors', () => {
    const nested = toTensor([[1, 2, 3], [4, 5, 6]]);
    expect(nested.shape).toEqual([2, 3]);
    const typed = toTensor({ data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    expect(Array.from(typed.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    // a transposed ndarray view: data [1..6] as 2x3, strides (1, 2) -> [[1,3,5],[2,4,6]]
    const nd = toTensor({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3], stride: [1, 2], offset: 0 });
    expect(Array.from(nd.dataSync())).toEqual([1, 3, 5, 2, 4, 6]);
    const t = tf.ones([2]);
    expect(toTensor(t)).toBe(t);
    tf.dispose([nested, typed, nd, t]);
  });

  it('rejects data that does not fit its shape, naming the argument', () => {
    expect(() => toTensor({ data: [1, 2, 3], shape: [2, 2] }, 'weight')).toThrow(ShapeError);
    expect(() => toTensor({ data: [1, 2, 3], shape: [2, 2] }, 'weight')).toThrow(/weight/);
    expect(() => toTensor('abc' as any, 'x')).toThrow(TenfoldError);
  });

  it('does not leak', () => {
    expectNoLeak(() => toTensor([[1, 2], [3, 4]]));
  });
});

describe('toTensor on ragged input', () => {
  it('rejects a ragged nested array with a ShapeError naming the argument and the place', () => {
    expect(() => toTensor([[1, 2], [3]], 'x')).toThrow(ShapeError);
    expect(() => toTensor([[1, 2], [3]], 'x')).toThrow(/x\[1\] has length 1/);
    expect(() => toTensor([[1, 2], [3, 'a' as any]], 'x')).toThrow(/x\[1\]\[1\] must be a number/);
  });
});
