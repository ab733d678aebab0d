import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, RankError, ShapeError } from '../../src/errors/index.js';
import { TRTensor, TTTensor, trToTensor, trToUnfolded, trToVec, ttToTensor, validateTrRank } from '../../src/tensors/index.js';
import { unfold } from '../../src/base/index.js';
import { randomTr } from '../../src/random/index.js';
import { createRng, normalTensor } from '../../src/random/rng.js';
import { disposeAll, expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions2');
const cases = (prefix: string) => file.cases.filter((c) => c.name.startsWith(prefix));

/** X[i] = trace(prod_k G_k[:, i_k, :]) in float64 on the host: the definition, entry by entry. */
function traceReference(cores: tf.Tensor[]): Float64Array {
  const data = cores.map((c) => Float64Array.from(c.dataSync()));
  const shape = cores.map((c) => c.shape[1] as number);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  for (let flat = 0; flat < size; flat++) {
    const idx: number[] = [];
    let rem = flat;
    for (let k = shape.length - 1; k >= 0; k--) {
      idx[k] = rem % shape[k];
      rem = Math.floor(rem / shape[k]);
    }
    const r0 = cores[0].shape[0] as number;
    let m = new Float64Array(r0 * r0);
    for (let a = 0; a < r0; a++) m[a * r0 + a] = 1;
    let cols = r0;
    cores.forEach((c, k) => {
      const [, n, r1] = c.shape as number[];
      const next = new Float64Array(r0 * r1);
      for (let a = 0; a < r0; a++) for (let b = 0; b < cols; b++) for (let q = 0; q < r1; q++) next[a * r1 + q] += m[a * cols + b] * data[k][(b * n + idx[k]) * r1 + q];
      m = next;
      cols = r1;
    });
    let tr = 0;
    for (let a = 0; a < r0; a++) tr += m[a * r0 + a];
    out[flat] = tr;
  }
  return out;
}

describe('TR fixtures (decompositions2.json, TensorLy 0.9 tr_tensor.py)', () => {
  it('covers every tr_to_* / TRTensor_* / validate_tr_rank_* case', () => {
    expect(cases('tr_to_').length).toBe(4);
    expect(cases('TRTensor_').length).toBe(2);
    expect(cases('validate_tr_rank_').length).toBe(9);
  });

  for (const c of cases('tr_to_')) {
    it(c.name, () => {
      const cores = (c.inputs.factors as any[]).map(fx);
      const out = expectNoLeak(() => {
        if (c.name.startsWith('tr_to_tensor')) return trToTensor(cores);
        if (c.name.startsWith('tr_to_unfolded')) return trToUnfolded(cores, c.inputs.mode);
        return trToVec(cores);
      });
      const again = c.name.startsWith('tr_to_tensor') ? trToTensor(cores) : c.name.startsWith('tr_to_unfolded') ? trToUnfolded(cores, c.inputs.mode) : trToVec(cores);
      expectClose(again, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
      disposeAll([out, again, cores]);
    });
  }

  it('TRTensor_consecutive_rank_mismatch: ShapeError, nothing leaked', () => {
    const c = fixtureCase(file, 'TRTensor_consecutive_rank_mismatch');
    expect(c.expected_error.type).toBe('ValueError');
    const cores = (c.inputs.factors as any[]).map(fx);
    const before = tf.memory().numTensors;
    expect(() => new TRTensor(cores)).toThrow(ShapeError);
    expect(() => trToTensor(cores)).toThrow(/consecutive TR ranks/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(cores);
  });

  it('TRTensor_single_core: ArgumentError', () => {
    const c = fixtureCase(file, 'TRTensor_single_core');
    const cores = (c.inputs.factors as any[]).map(fx);
    expect(() => new TRTensor(cores)).toThrow(ArgumentError);
    expect(() => trToTensor(cores)).toThrow(ArgumentError);
    tf.dispose(cores);
  });

  for (const c of cases('validate_tr_rank_')) {
    it(c.name, () => {
      const i = c.inputs;
      const call = () => validateTrRank(i.shape, i.rank, { rounding: i.rounding ?? 'round' });
      if (c.expected_error) {
        expect(c.expected_error.type).toBe('ValueError');
        expect(call).toThrow(i.rounding === 'nearest' ? ArgumentError : RankError);
      } else {
        expect(call()).toEqual(c.expected);
      }
    });
  }
});

describe('TRTensor', () => {
  it('matches the trace definition on random cores (property, float64 reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (order, seed) => {
        const rng = createRng(seed);
        const shape = Array.from({ length: order }, () => 2 + rng.int(3));
        const ranks = Array.from({ length: order }, () => 1 + rng.int(3));
        const cores = shape.map((d, k) => normalTensor([ranks[k], d, ranks[(k + 1) % order]], rng));
        const full = trToTensor(cores);
        expect(full.shape).toEqual(shape);
        expectClose(full, traceReference(cores), { rtol: 1e-4, atol: 1e-5 }, 'trace');
        const vec = trToVec(cores);
        expectClose(vec, full.dataSync(), { rtol: 0, atol: 0 }, 'vec');
        for (let m = 0; m < order; m++) {
          const u = trToUnfolded(cores, m);
          const ref = unfold(full, m);
          expectClose(u, ref.dataSync(), { rtol: 0, atol: 0 }, `unfolded ${m}`);
          tf.dispose([u, ref]);
        }
        tf.dispose([full, vec, ...cores]);
      }),
      { numRuns: 15, seed: 13 },
    );
  });

  it('with boundary ranks 1 it is the TT tensor of the same cores', () => {
    const tr = randomTr([3, 4, 5, 2], [1, 2, 3, 2, 1], { seed: 4 });
    const tt = new TTTensor(tr.cores.map((c) => tf.clone(c)));
    const [a, b] = [tr.toTensor(), ttToTensor(tt)];
    expect(relError(a, b)).toBeLessThan(1e-6);
    disposeAll([a, b, tr, tt]);
  });

  it('owns its cores, reports shape and rank, clones, and disposes once', () => {
    const before = tf.memory().numTensors;
    const tr = randomTr([3, 4, 5], [2, 3, 4, 2], { seed: 1 });
    expect(tr.shape).toEqual([3, 4, 5]);
    expect(tr.rank).toEqual([2, 3, 4, 2]);
    expect(tr.factors).toBe(tr.cores);
    const c = tr.clone();
    const [x, y] = [tr.toTensor(), c.toTensor()];
    expectClose(x, y.dataSync(), { rtol: 0, atol: 0 }, 'clone');
    const u = tr.toUnfolded(1);
    expect(u.shape).toEqual([4, 15]);
    const v = tr.toVec();
    expect(v.shape).toEqual([60]);
    disposeAll([x, y, u, v, c]);
    tr.dispose();
    tr.dispose();
    expect(tr.isDisposed).toBe(true);
    expect(() => tr.toTensor()).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('typed errors: not 3-D, mode out of range, one-mode randomTr, zero rank', () => {
    const bad = [tf.zeros([2, 3]), tf.zeros([2, 3, 2])];
    expect(() => trToTensor(bad)).toThrow(ShapeError);
    tf.dispose(bad);
    const tr = randomTr([3, 4], 2, { seed: 0 });
    expect(() => trToUnfolded(tr, 2)).toThrow(ModeError);
    tr.dispose();
    expect(() => randomTr([5], 2)).toThrow(ArgumentError);
    expect(() => randomTr([3, 4, 5], 0.001)).toThrow(RankError);
    expect(() => randomTr([3, 4, 5], [2, 3, 4, 1])).toThrow(RankError);
  });

  it('randomTr: seeded, U[0,1) cores, full returns the dense tensor', () => {
    const a = randomTr([4, 5, 6], 3, { seed: 9 });
    const b = randomTr([4, 5, 6], 3, { full: true, seed: 9 });
    const ref = a.toTensor();
    expectClose(b, ref.dataSync(), { rtol: 0, atol: 0 }, 'full');
    for (const c of a.cores) {
      const d = c.dataSync();
      expect(Math.min(...d)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...d)).toBeLessThan(1);
    }
    expect(a.rank).toEqual([3, 3, 3, 3]);
    disposeAll([a, b, ref]);
  });
});
