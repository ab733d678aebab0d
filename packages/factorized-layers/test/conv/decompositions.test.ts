import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NotSupportedError, RankError, ShapeError } from '@tenfold/core';
import { applyConvSequence, cpConv2d, disposeConvSpecs, tucker2Conv2d, type ConvSpec } from '@tenfold/factorized-layers';
import { expectNoLeak, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';
import { naiveConv } from './naiveConv.js';

const GEOM = { stride: [2, 1] as [number, number], padding: [[1, 0], [2, 1]] as [[number, number], [number, number]], dilation: [1, 2] as [number, number] };

function reference(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor | null): Float64Array {
  return naiveConv(x.dataSync(), x.shape, w.dataSync(), w.shape, GEOM.stride, GEOM.padding, GEOM.dilation, 1, bias ? bias.dataSync() : null).data;
}

function run(x: tf.Tensor, specs: ConvSpec[]): Float32Array {
  const y = applyConvSequence(x, specs);
  const d = y.dataSync() as Float32Array;
  y.dispose();
  return d;
}

/** An exact CP-rank-R conv weight (T, S, kh, kw) = Σ_r a_r ∘ b_r ∘ v_r ∘ h_r. */
function cpWeight(shape: [number, number, number, number], r: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const f = shape.map((d, i) => tf.randomNormal([d, r], 0, 1, 'float32', seed + i));
    // Broadcast outer product per component, summed over r (tfjs-wasm has no einsum kernel).
    const col = (m: tf.Tensor, j: number, axis: number) => {
      const sh = [1, 1, 1, 1];
      sh[axis] = m.shape[0] as number;
      return tf.reshape(tf.slice(m, [0, j], [-1, 1]), sh);
    };
    let acc = tf.zeros(shape) as tf.Tensor;
    for (let j = 0; j < r; j++) acc = tf.add(acc, tf.mul(tf.mul(col(f[0], j, 0), col(f[1], j, 1)), tf.mul(col(f[2], j, 2), col(f[3], j, 3))));
    return acc as tf.Tensor4D;
  });
}

describe('tucker2Conv2d (Kim et al.; jacobgil)', () => {
  const x = tf.randomNormal([2, 6, 9, 8], 0, 1, 'float32', 21);
  const w = tf.randomNormal([8, 6, 3, 2], 0, 1, 'float32', 22);
  const b = tf.randomNormal([8], 0, 1, 'float32', 23);

  it('at full rank [T, S] the 3 convs reproduce the conv (stride, dilation, asymmetric padding, bias)', () => {
    const specs = expectNoLeak(() => {
      const s = tucker2Conv2d(w, [8, 6], { bias: b, ...GEOM });
      const y = run(x, s);
      expect(relError(y, reference(x, w, b))).toBeLessThan(1e-4);
      return s;
    });
    expect(specs.map((s) => s.weight.shape)).toEqual([[6, 6, 1, 1], [8, 6, 3, 2], [8, 8, 1, 1]]);
  });

  it('the error falls as the ranks grow; a bias-free conv works', () => {
    const errs = [[2, 2], [4, 3], [6, 5], [8, 6]].map(([ro, ri]) => {
      const s = tucker2Conv2d(w, [ro, ri], GEOM);
      expect(s[2].bias).toBeNull();
      const e = relError(run(x, s), reference(x, w, null));
      tf.dispose(s.map((q) => q.weight));
      return e;
    });
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]);
    expect(errs[3]).toBeLessThan(1e-4);
  });

  it("'evbmf' ranks follow jacobgil's estimate_ranks (fixtures est_rank_conv_*)", () => {
    const file = loadFixtures('rank');
    for (const name of ['est_rank_conv_64x32x3x3', 'est_rank_conv_32x16x3x3']) {
      const c = fixtureCase(file, name);
      const wt = fx(c.inputs.weight);
      const specs = tucker2Conv2d(wt, 'evbmf', { padding: 1 });
      const exp = c.expected.scipy_default;
      expect(specs[1].weight.shape.slice(0, 2)).toEqual([exp.r0, exp.r1]);
      // Tucker-2 signal + 10 % noise: the EVBMF ranks keep the signal.
      const xx = tf.randomNormal([1, wt.shape[1] as number, 6, 6], 0, 1, 'float32', 5);
      const ref = naiveConv(xx.dataSync(), xx.shape, wt.dataSync(), wt.shape, [1, 1], [[1, 1], [1, 1]], [1, 1], 1).data;
      expect(relError(run(xx, specs), ref)).toBeLessThan(0.2);
      tf.dispose([wt, xx, ...specs.map((s) => s.weight)]);
    }
  });

  it('typed errors', () => {
    expect(() => tucker2Conv2d(tf.zeros([4, 3, 3]), [2, 2])).toThrow(ShapeError);
    expect(() => tucker2Conv2d(w, [9, 2])).toThrow(RankError);
    expect(() => tucker2Conv2d(w, [0, 2])).toThrow(RankError);
    expect(() => tucker2Conv2d(w, [2, 2], { groups: 3 })).toThrow(ArgumentError); // 8 outputs
    expect(() => tucker2Conv2d(w, [5, 2], { groups: 2 })).toThrow(RankError); // 4 outputs per group
    expect(() => tucker2Conv2d(w, [2, 2], { bias: tf.zeros([3]) })).toThrow(ShapeError);
    expect(() => tucker2Conv2d(w, [2, 2], { padding: 'circular' as 'same' })).toThrow(NotSupportedError);
  });
});

describe('cpConv2d (Lebedev et al.; jacobgil)', () => {
  const x = tf.randomNormal([2, 5, 9, 8], 0, 1, 'float32', 31);
  const b = tf.randomNormal([6], 0, 1, 'float32', 32);

  it('an exact CP-rank-4 weight is reproduced by the 4 convs (stride, dilation, asymmetric padding, bias)', () => {
    const w = cpWeight([6, 5, 3, 2], 4, 40);
    const specs = expectNoLeak(() => {
      const s = cpConv2d(w, 4, { bias: b, ...GEOM, parafacOptions: { nIterMax: 500, tol: 1e-10 } });
      expect(relError(run(x, s), reference(x, w, b))).toBeLessThan(1e-3);
      return s;
    });
    expect(specs.map((s) => [s.weight.shape, s.groups, s.stride, s.padding, s.dilation])).toEqual([
      [[4, 5, 1, 1], 1, [1, 1], [[0, 0], [0, 0]], [1, 1]],
      [[4, 1, 3, 1], 4, [2, 1], [[1, 0], [0, 0]], [1, 1]],
      [[4, 1, 1, 2], 4, [1, 1], [[0, 0], [2, 1]], [1, 2]],
      [[6, 4, 1, 1], 1, [1, 1], [[0, 0], [0, 0]], [1, 1]],
    ]);
    w.dispose();
  });

  it('disposeConvSpecs releases every tensor of a decomposition', () => {
    const w = tf.randomNormal([6, 5, 3, 3], 0, 1, 'float32', 42);
    const before = tf.memory().numTensors;
    disposeConvSpecs(cpConv2d(w, 3, { bias: b }));
    disposeConvSpecs(tucker2Conv2d(w, [3, 2], { bias: b }));
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('the error falls as the rank grows on a generic weight; bias-free works', () => {
    const w = tf.randomNormal([6, 5, 3, 3], 0, 1, 'float32', 41);
    const ref = naiveConv(x.dataSync(), x.shape, w.dataSync(), w.shape, [1, 1], [[1, 1], [1, 1]], [1, 1], 1).data;
    const errs = [1, 4, 16].map((r) => {
      const s = cpConv2d(w, r, { padding: 1 });
      expect(s[3].bias).toBeNull();
      const e = relError(run(x, s), ref);
      tf.dispose(s.map((q) => q.weight));
      return e;
    });
    expect(errs[1]).toBeLessThan(errs[0]);
    expect(errs[2]).toBeLessThan(errs[1]);
    w.dispose();
  });

  it("'evbmf' rank follows the blog's est_rank (fixtures est_rank_conv_*)", () => {
    const file = loadFixtures('rank');
    const c = fixtureCase(file, 'est_rank_conv_32x16x3x3');
    const wt = fx(c.inputs.weight);
    const specs = cpConv2d(wt, 'evbmf', { padding: 1 });
    expect(specs[0].weight.shape[0]).toBe(c.expected.scipy_default.rank);
    tf.dispose([wt, ...specs.map((s) => s.weight)]);
  });

  it('typed errors', () => {
    const w = tf.zeros([6, 5, 3, 3]);
    expect(() => cpConv2d(tf.zeros([6, 5, 3]), 2)).toThrow(ShapeError);
    expect(() => cpConv2d(w, 0)).toThrow(RankError);
    expect(() => cpConv2d(w, 2.5)).toThrow(RankError);
    expect(() => cpConv2d(w, 2, { groups: 4 })).toThrow(ArgumentError); // 6 outputs
    w.dispose();
  });
});

describe('grouped convs (per-group decomposition)', () => {
  // groups 2: input 6 channels, weight (8, 3, 3, 2), each group 4 outputs from 3 inputs.
  const x = tf.randomNormal([2, 6, 9, 8], 0, 1, 'float32', 61);
  const w = tf.randomNormal([8, 3, 3, 2], 0, 1, 'float32', 62);
  const b = tf.randomNormal([8], 0, 1, 'float32', 63);
  const ref = (bias: tf.Tensor | null) =>
    naiveConv(x.dataSync(), x.shape, w.dataSync(), w.shape, GEOM.stride, GEOM.padding, GEOM.dilation, 2, bias ? bias.dataSync() : null).data;

  it('Tucker-2 at full per-group ranks reproduces the grouped conv', () => {
    const specs = expectNoLeak(() => {
      const s = tucker2Conv2d(w, [4, 3], { bias: b, groups: 2, ...GEOM });
      expect(relError(run(x, s), ref(b))).toBeLessThan(1e-4);
      return s;
    });
    expect(specs.map((s) => [s.weight.shape, s.groups])).toEqual([[[6, 3, 1, 1], 2], [[8, 3, 3, 2], 2], [[8, 4, 1, 1], 2]]);
  });

  it('CP per group: each block is an exact CP-rank-2 weight, so rank 2 reproduces it', () => {
    const blocks = [cpWeight([4, 3, 3, 2], 2, 70), cpWeight([4, 3, 3, 2], 2, 80)];
    const wg = tf.concat(blocks, 0);
    const exact = naiveConv(x.dataSync(), x.shape, wg.dataSync(), wg.shape, GEOM.stride, GEOM.padding, GEOM.dilation, 2, null).data;
    const s = cpConv2d(wg, 2, { groups: 2, ...GEOM, parafacOptions: { nIterMax: 500, tol: 1e-10 } });
    expect(s.map((q) => [q.weight.shape, q.groups])).toEqual([[[4, 3, 1, 1], 2], [[4, 1, 3, 1], 4], [[4, 1, 1, 2], 4], [[8, 2, 1, 1], 2]]);
    expect(relError(run(x, s), exact)).toBeLessThan(1e-3);
    // The lower-rank split is worse: the groups are decomposed on their own.
    const s1 = cpConv2d(wg, 1, { groups: 2, ...GEOM });
    expect(relError(run(x, s1), exact)).toBeGreaterThan(1e-2);
    disposeConvSpecs(s);
    disposeConvSpecs(s1);
    tf.dispose([...blocks, wg]);
  });
});
