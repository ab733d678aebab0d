import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '@tenfold/core';
import { WASM_FIXED_KERNELS } from '../../src/backend/index.js';
import { collapseBroadcast, collapsePadding } from '../../src/backend/wasmKernelFixes/index.js';
import { ensureWasm, mismatch, runOn, seeded } from '../differential/harness.js';

// Each case is a kernel input tfjs-backend-wasm 4.22 answered with garbage (or a trap)
// before the fixes in src/backend/wasmKernelFixes/; the fixed wasm must agree with cpu
// (an independent implementation) or with the stated identity. The heap is filled with
// 12345 before every run, so an unwritten output cannot pass by being zero.
const initial = tf.getBackend();
beforeAll(ensureWasm);
afterAll(() => tf.setBackend(initial));

async function agree(fn: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await runOn('cpu', fn);
  const wasm = await runOn('wasm', fn);
  expect(wasm.error, String(wasm.error)).toBeUndefined();
  expect(cpu.error, String(cpu.error)).toBeUndefined();
  expect(mismatch(wasm, cpu)).toBeLessThanOrEqual(1);
}

async function onWasm(fn: () => tf.Tensor): Promise<{ shape: number[]; data: number[] }> {
  const r = await runOn('wasm', fn);
  if (r.error) throw r.error;
  return { shape: r.outputs![0].shape, data: Array.from(r.outputs![0].data) };
}

describe('wasm elementwise kernels at rank >= 7', () => {
  const pairs: [number[], number[]][] = [
    [[1, 1, 1, 1, 1, 1, 1], []],
    [[2, 1, 3, 1, 2, 1, 2], [2, 1, 3, 1, 2, 1, 2]],
    [[2, 1, 3, 1, 2, 1, 2], [1, 3, 1, 2, 1, 1]],
    [[2, 2, 2, 2, 2, 2, 2, 2], [2]],
    [[2, 3, 2, 3, 2, 3, 2], [2, 1, 2, 1, 2, 1, 2]],
    [[3, 1, 2, 1, 2, 1, 2, 1], [1, 2, 1, 2, 1, 2, 1, 2]], // 8 alternating groups: the loop
  ];
  for (const op of ['add', 'sub', 'mul', 'div', 'squaredDifference'] as const) {
    it(`${op} agrees with cpu (same shape, scalar, broadcast, alternating broadcast)`, async () => {
      for (const [sa, sb] of pairs) await agree(() => tf[op](seeded(sa, 1), seeded(sb, 2, 3)));
    });
  }

  it('a scalar multiply of a 7-D tensor is right (the issue reproduction)', async () => {
    expect((await onWasm(() => tf.mul(tf.ones([1, 1, 1, 1, 1, 1, 1]), 2))).data).toEqual([2]);
  });

  it('int32 operands keep their dtype', async () => {
    await agree(() => tf.add(tf.cast(tf.mul(seeded([2, 1, 2, 3, 2, 1, 2], 4), 10), 'int32'), tf.scalar(3, 'int32')));
  });

  it('random broadcasts of rank 1..8 agree with cpu (property)', async () => {
    const shapes = fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer({ min: 0, max: 4 }), async (axes, op) => {
        const sa = axes.map(([d, ba]) => (ba ? 1 : d));
        const sb = axes.map(([d, , bb]) => (bb ? 1 : d));
        const name = (['add', 'sub', 'mul', 'div', 'squaredDifference'] as const)[op];
        await agree(() => tf[name](seeded(sa, 5), seeded(sb, 6, 3)));
      }),
      { numRuns: 25, seed: 10 },
    );
  });

  it('collapseBroadcast merges same-pattern axes and keeps sizes', () => {
    const c = collapseBroadcast([2, 1, 3, 1, 2, 1, 2], [1, 3, 1, 2, 1, 1], [2, 1, 3, 1, 2, 1, 2]);
    expect(c.out.reduce((p, d) => p * d, 1)).toBe(24);
    expect(c.out.length).toBeLessThanOrEqual(6);
    expect(collapseBroadcast([4, 5, 6, 7, 1, 1, 1], [], [4, 5, 6, 7, 1, 1, 1])).toEqual({ a: [840], b: [1], out: [840] });
  });

  it('prelu with alpha broadcasting other than per-channel agrees with cpu', async () => {
    await agree(() => tf.prelu(seeded([2, 3, 4], 7), seeded([3, 1], 8)));
    await agree(() => tf.prelu(seeded([3], 7), seeded([2, 3], 8)));
    await agree(() => tf.prelu(seeded([2, 3], 7), seeded([3], 8)));
    await agree(() => tf.prelu(seeded([2, 1, 3, 1, 2, 1, 2], 7), seeded([1, 3, 1, 2, 1, 1], 8)));
  });
});

describe('wasm pad at rank >= 7', () => {
  it('agrees with cpu for a few or many padded axes, and for none', async () => {
    const x = (s: number[]) => seeded(s, 9);
    await agree(() => tf.pad(x([2, 1, 2, 1, 2, 1, 2]), [[0, 1], [1, 1], [0, 1], [1, 1], [0, 1], [1, 1], [0, 1]], 0.5));
    await agree(() => tf.pad(x([2, 2, 2, 2, 2, 2, 2, 2]), [[1, 0], [0, 1], [1, 1], [0, 0], [0, 2], [1, 0], [0, 0], [1, 0]], -1));
    await agree(() => tf.pad(x([2, 3, 2, 3, 2, 3, 2]), [[1, 0], [0, 1], [1, 1], [2, 0], [0, 2], [1, 2], [1, 0]], -1));
    await agree(() => tf.pad(x([2, 3, 2, 3, 2, 3, 2]), [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], -1));
  });

  it('collapsePadding folds unpadded axes into the one before', () => {
    expect(collapsePadding([2, 3, 4], [[1, 0], [0, 0], [0, 0]])).toEqual({ shape: [24], paddings: [[12, 0]] });
  });
});

describe('wasm reductions over an empty axis', () => {
  it('sum, prod, mean, all, any give the identity (or NaN for mean), with keepDims', async () => {
    expect(await onWasm(() => tf.sum(tf.zeros([3, 0]), 1))).toEqual({ shape: [3], data: [0, 0, 0] });
    expect(await onWasm(() => tf.sum(tf.zeros([3, 0, 2]), 1, true))).toEqual({ shape: [3, 1, 2], data: [0, 0, 0, 0, 0, 0] });
    expect(await onWasm(() => tf.prod(tf.zeros([2, 0, 2]), 1))).toEqual({ shape: [2, 2], data: [1, 1, 1, 1] });
    expect((await onWasm(() => tf.mean(tf.zeros([2, 0]), 1))).data.every(Number.isNaN)).toBe(true);
    expect(await onWasm(() => tf.all(tf.zeros([2, 0], 'bool'), 1))).toEqual({ shape: [2], data: [1, 1] });
    expect(await onWasm(() => tf.any(tf.zeros([2, 0], 'bool'), 1))).toEqual({ shape: [2], data: [0, 0] });
    expect(await onWasm(() => tf.sum(tf.zeros([0])))).toEqual({ shape: [], data: [0] });
  });

  it('max and min of an empty axis raise BackendError', async () => {
    expect((await runOn('wasm', () => tf.max(tf.zeros([3, 0]), 1))).error).toBeInstanceOf(BackendError);
    expect((await runOn('wasm', () => tf.min(tf.zeros([0, 2])))).error).toBeInstanceOf(BackendError);
  });

  it('norms of empty slices agree with cpu', async () => {
    await agree(() => tf.norm(tf.zeros([3, 0]), 'euclidean', 1));
  });
});

describe('wasm matmul, transpose, gather, conv with a dimension of size 0', () => {
  it('matmul over an empty inner dimension is the zero matrix, with any flags and batches', async () => {
    expect(await onWasm(() => tf.matMul(tf.ones([3, 0]), tf.ones([0, 5])))).toEqual({ shape: [3, 5], data: new Array(15).fill(0) });
    await agree(() => tf.matMul(tf.ones([0, 3]), tf.ones([0, 5]), true, false));
    await agree(() => tf.matMul(tf.ones([2, 3, 0]), tf.ones([2, 5, 0]), false, true));
    await agree(() => tf.matMul(tf.ones([1, 3, 0]), tf.ones([2, 0, 5])));
  });

  it('fused matmul over an empty inner dimension is activation(bias)', async () => {
    await agree(() => tf.fused.matMul({ a: tf.ones([3, 0]), b: tf.ones([0, 5]), bias: seeded([5], 3), activation: 'relu' }));
    await agree(() => tf.fused.matMul({ a: tf.ones([3, 0]), b: tf.ones([0, 2]), bias: seeded([2], 3), activation: 'prelu', preluActivationWeights: seeded([2], 4) }));
  });

  it('transpose of an empty tensor is empty with the permuted shape, for every permutation', async () => {
    const perms = (n: number): number[][] => (n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    for (const shape of [[0, 4, 5], [4, 0, 5], [0, 2, 3, 4], [3, 0, 2, 2]]) {
      for (const p of perms(shape.length)) {
        expect(await onWasm(() => tf.transpose(tf.zeros(shape), p))).toEqual({ shape: p.map((i) => shape[i]), data: [] });
      }
    }
  });

  it('gather from an empty tensor has the right shape', async () => {
    await agree(() => tf.gather(tf.zeros([0, 3]), tf.tensor1d([1, 0], 'int32'), 1));
  });

  it('conv2d with 0 input channels is zeros (fused: activation(bias))', async () => {
    await agree(() => tf.conv2d(tf.ones([1, 3, 3, 0]) as tf.Tensor4D, tf.ones([2, 2, 0, 2]) as tf.Tensor4D, 1, 'valid'));
    await agree(() => tf.fused.conv2d({ x: tf.ones([1, 3, 3, 0]) as tf.Tensor4D, filter: tf.ones([2, 2, 0, 2]) as tf.Tensor4D, strides: 1, pad: 'valid', bias: seeded([2], 5), activation: 'relu' }));
  });

  it('lists what it fixes', () => {
    for (const k of ['Add', 'Sub', 'Multiply', 'RealDiv', 'SquaredDifference', 'PadV2', 'Prelu', 'Sum', 'Max', 'Transpose', 'BatchMatMul']) expect(WASM_FIXED_KERNELS).toContain(k);
  });
});
