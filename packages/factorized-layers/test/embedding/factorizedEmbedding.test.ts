/**
 * FactorizedEmbedding properties: lookup = rows of the reconstructed table (fast-check over
 * shapes, ranks, factorizations, joint layers), no leaks on success and on throw, typed
 * errors, gradients reach the factors (a few optimizer steps lower a loss).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, ModeError, NonFiniteError, ShapeError, tf } from '@tenfold/core';
import { FactorizedEmbedding, getTensorizedShape } from '../../src/index.js';
import { expectClose, f32Tolerance } from '../../../../test-utils/index.js';
import { lookupRows } from '../../src/embedding/lookup.js';

const KINDS = ['blocktt', 'cp', 'tucker', 'dense'] as const;

describe('FactorizedEmbedding', () => {
  it('lookup equals gathering rows of the reconstructed table (property, every factorization, joint layers)', () => {
    const digits = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(digits, digits, fc.constantFrom(...KINDS), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1000 }), (tv, td0, kind, rank, nLayers, seed) => {
        const td = kind === 'blocktt' ? tv.map((_, k) => td0[k % td0.length]) : td0; // BlockTT pairs modes
        const V = tv.reduce((a, b) => a * b, 1);
        const D = td.reduce((a, b) => a * b, 1);
        const emb = new FactorizedEmbedding({ numEmbeddings: V, embeddingDim: D, tensorizedNumEmbeddings: tv, tensorizedEmbeddingDim: td, factorization: kind, rank, nLayers, seed });
        const idxData = Array.from({ length: 7 }, (_, k) => (seed * 31 + k * 17) % V);
        const idx = tf.tensor2d(idxData, [7, 1], 'int32');
        for (let l = 0; l < nLayers; l++) {
          const before = tf.memory().numTensors;
          const y = emb.apply(idx, l);
          expect(tf.memory().numTensors).toBe(before + 1);
          expect(y.shape).toEqual([7, 1, D]);
          const table = emb.toTable(l);
          const ref = tf.gather(table, idx.reshape([-1]));
          const r = ref.dataSync();
          // scale-aware: entries have std 1/sqrt(3V)
          expectClose(y, r, f32Tolerance(r, undefined, 1e-4, 1e-4), `${kind} layer ${l}`);
          tf.dispose([y, table, ref]);
        }
        idx.dispose();
        emb.dispose();
      }),
      { numRuns: 40 },
    );
  });

  it('block-TT: the grouped-by-digit contraction equals the per-row pick and the table rows (and has gradients)', () => {
    const emb = new FactorizedEmbedding({ numEmbeddings: 60, embeddingDim: 24, tensorizedNumEmbeddings: [3, 4, 5], tensorizedEmbeddingDim: [2, 3, 4], factorization: 'blocktt', rank: 5, seed: 3 });
    const idx = tf.tensor1d([0, 59, 17, 17, 33, 8, 41], 'int32');
    const w = emb.weight;
    const grouped = lookupRows(w.params, w.parts, idx, 0);
    const picked = lookupRows(w.params, w.parts, idx, Infinity);
    const table = emb.toTable();
    const ref = tf.gather(table, idx);
    expectClose(grouped, ref.dataSync(), f32Tolerance(ref.dataSync(), undefined, 1e-4, 1e-4), 'grouped');
    expectClose(picked, ref.dataSync(), f32Tolerance(ref.dataSync(), undefined, 1e-4, 1e-4), 'picked');
    const g = tf.grads((...vs: tf.Tensor[]) => tf.sum(tf.square(lookupRows({ kind: 'blocktt', cores: vs }, w.parts, idx, 0))))(w.variables);
    const h = tf.grads((...vs: tf.Tensor[]) => tf.sum(tf.square(lookupRows({ kind: 'blocktt', cores: vs }, w.parts, idx, Infinity))))(w.variables);
    g.forEach((gk, k) => expectClose(gk, h[k].dataSync(), f32Tolerance(h[k].dataSync(), undefined, 1e-3, 1e-4), `grad ${k}`));
    tf.dispose([idx, grouped, picked, table, ref, ...g, ...h]);
    emb.dispose();
  });

  it('fromEmbedding at full rank recovers the table and lookups read it (blocktt, tucker)', () => {
    const table = tf.randomNormal([12, 6], 0, 1, 'float32', 3);
    for (const kind of ['blocktt', 'tucker'] as const) {
      const emb = FactorizedEmbedding.fromEmbedding(table, { factorization: kind, rank: kind === 'blocktt' ? [1, 12, 1] : [3, 4, 2, 3], tensorizedShape: [[3, 4], [2, 3]] });
      const idx = tf.tensor1d([11, 0, 5, 5], 'int32');
      const y = emb.apply(idx);
      const ref = tf.gather(table, idx);
      expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync(), undefined, 1e-3, 1e-4), kind);
      tf.dispose([idx, y, ref]);
      emb.dispose();
    }
    table.dispose();
  });

  it('the auto tensorization uses getTensorizedShape (tltorch order 3 for the constructor, 2 for fromEmbedding)', () => {
    const emb = new FactorizedEmbedding({ numEmbeddings: 1000, embeddingDim: 64, seed: 1 });
    const [tv, td] = getTensorizedShape(1000, 64, { order: 3 });
    expect([emb.tensorizedNumEmbeddings, emb.tensorizedEmbeddingDim]).toEqual([tv, td]);
    const fromTable = FactorizedEmbedding.fromEmbedding(tf.ones([24, 8]), { rank: 2 });
    expect([fromTable.tensorizedNumEmbeddings, fromTable.tensorizedEmbeddingDim]).toEqual(getTensorizedShape(24, 8, { order: 2 }));
    fromTable.dispose();
    expect(emb.factorization).toBe('blocktt');
    expect(emb.rank).toEqual([1, 8, 8, 1]); // rank 8 (tltorch's default)
    expect(emb.compressionRatio).toBeGreaterThan(10);
    emb.dispose();
  });

  it('gradients reach the factors: a few Adam steps lower a lookup loss (every factorization)', () => {
    for (const kind of KINDS) {
      const emb = new FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, tensorizedNumEmbeddings: [4, 6], tensorizedEmbeddingDim: [2, 4], factorization: kind, rank: 4, seed: 5 });
      const idx = tf.tensor1d([1, 7, 19, 23], 'int32');
      const target = tf.randomNormal([4, 8], 0, 1, 'float32', 9);
      const opt = tf.train.adam(0.05);
      const loss = () => tf.tidy(() => tf.mean(tf.square(tf.sub(emb.apply(idx), target))) as tf.Scalar);
      const l0 = loss();
      const first = l0.dataSync()[0];
      const before = tf.memory().numTensors;
      for (let s = 0; s < 20; s++) tf.dispose(opt.minimize(loss, true, emb.trainableVariables));
      const l1 = loss();
      expect(l1.dataSync()[0], kind).toBeLessThan(first * 0.8);
      tf.dispose([l0, l1, idx, target]);
      opt.dispose();
      emb.dispose();
      void before;
    }
  });

  it('typed errors before any work, nothing leaked', () => {
    const emb = new FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, nTensorizedModes: 2, factorization: 'cp', rank: 3, nLayers: 2, seed: 2 });
    const z3 = tf.zeros([3]);
    const o3 = tf.ones([2, 4, 2]);
    const pair = [tf.ones([4, 2]), tf.ones([2, 4])];
    const before = tf.memory().numTensors;
    expect(() => emb.apply([0, 24])).toThrow(ShapeError);
    expect(() => emb.apply([-1])).toThrow(ShapeError);
    expect(() => emb.apply([0.5])).toThrow(ArgumentError);
    expect(() => emb.apply([1], 2)).toThrow(ModeError);
    expect(() => emb.getEmbedding(5)).toThrow(ModeError);
    expect(() => new FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, bogus: 1 } as never)).toThrow(ArgumentError);
    expect(() => new FactorizedEmbedding({ numEmbeddings: 0, embeddingDim: 8 })).toThrow(ArgumentError);
    expect(() => FactorizedEmbedding.fromEmbedding(z3 as never)).toThrow(ShapeError);
    expect(() => FactorizedEmbedding.fromEmbedding([[NaN, 1], [1, 1]], { tensorizedShape: [[2], [2]] })).toThrow(NonFiniteError);
    expect(() => FactorizedEmbedding.fromEmbedding([[1, 1], [1, 1]], { tensorizedShape: [[3], [2]] })).toThrow(ShapeError);
    expect(() => FactorizedEmbedding.fromEmbedding([[1, 1], [1, 1]], { factorization: 'tt' })).toThrow(ArgumentError);
    expect(() => FactorizedEmbedding.fromEmbedding(o3, { nLayers: 3 })).toThrow(ShapeError);
    expect(() => FactorizedEmbedding.fromEmbeddingList(pair)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z3, o3, ...pair]);
    emb.dispose();
    expect(() => emb.apply([0])).toThrow(ArgumentError);
    const single = new FactorizedEmbedding({ numEmbeddings: 4, embeddingDim: 4, seed: 1, rank: 2 });
    expect(() => single.getEmbedding(0)).toThrow(ArgumentError);
    single.dispose();
  });
});
