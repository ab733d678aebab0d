/**
 * tltorch fixtures of layers2.json, cases factorized_embedding_*: lookups and weight matrix
 * from the recorded parameters, tensorized shapes, resolved ranks, from_embedding errors,
 * joint tables, and the two constructor errors; the joint BlockTT bug is fixed.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { FactorizedEmbedding, TensorizedTensor, resolveEmbeddingShape, resolveTensorizedRank, type FactorParams } from '../../src/index.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError, type FixtureCase } from '../../../../test-utils/index.js';

const file = loadFixtures('layers2');
const cases = file.cases.filter((c) => c.name.startsWith('factorized_embedding_'));

function paramsOf(kind: string, p: FixtureCase['inputs']): FactorParams {
  if (kind === 'cp') return { kind, weights: fx(p.weights), factors: p.factors.map(fx) };
  if (kind === 'tucker') return { kind, core: fx(p.core), factors: p.factors.map(fx) };
  return { kind: 'blocktt', cores: p.factors.map(fx) };
}

const single = cases.filter((c) => c.expected && c.inputs.embedding_weight);

describe('factorized_embedding fixtures', () => {
  it('every factorized_embedding_* case is used by this file', () => {
    const used = new Set([...single.map((c) => c.name), 'factorized_embedding_joint2_tucker_rank4', 'factorized_embedding_joint2_blocktt_bug', 'factorized_embedding_shape_mismatch', 'factorized_embedding_auto_and_explicit_shapes']);
    expect(cases.map((c) => c.name).filter((n) => !used.has(n))).toEqual([]);
    expect(single.length).toBe(6);
  });

  for (const c of single) {
    it(`${c.name}: shape, rank, lookups and weight matrix from the recorded parameters`, () => {
      const { inputs: i, expected: e } = c;
      const table = i.embedding_weight;
      const [V, D] = table.shape;
      const shape = resolveEmbeddingShape(V, D, { nTensorizedModes: i.n_tensorized_modes });
      expect(shape).toEqual(e.tensorized_shape);
      const rank = resolveTensorizedRank(i.factorization, shape, i.rank);
      expect(rank).toEqual(e.resolved_rank);
      const weight = new TensorizedTensor(shape, i.factorization, paramsOf(i.factorization, i.params));
      const emb = new FactorizedEmbedding({ numEmbeddings: V, embeddingDim: D, tensorizedNumEmbeddings: shape[0], tensorizedEmbeddingDim: shape[1], factorization: weight });
      const y1 = expectNoLeak(() => emb.apply(i.indices_1d.data));
      void y1;
      const a1 = emb.apply(tf.tensor(i.indices_1d.data, i.indices_1d.shape, 'int32'));
      expectClose(a1, e.lookup_1d, f32Tolerance(e.lookup_1d.data), `${c.name} lookup_1d`);
      const a2 = emb.apply(tf.tensor(i.indices_2d.data, i.indices_2d.shape, 'float32'));
      expectClose(a2, e.lookup_2d, f32Tolerance(e.lookup_2d.data), `${c.name} lookup_2d`);
      const wm = emb.toTable();
      expectClose(wm, e.weight_matrix, f32Tolerance(e.weight_matrix.data), `${c.name} weight_matrix`);
      tf.dispose([a1, a2, wm]);
      emb.dispose();
    });

    it(`${c.name}: fromEmbedding reaches the anchor's relative error`, () => {
      const { inputs: i, expected: e } = c;
      const t = fx(i.embedding_weight);
      const before = tf.memory().numTensors;
      const emb = FactorizedEmbedding.fromEmbedding(t, { rank: i.rank, factorization: i.factorization, nTensorizedModes: i.n_tensorized_modes });
      // The rank the recorded parameters carry (Tucker truncates a rank above a mode size).
      const p = i.params;
      const carried = i.factorization === 'cp' ? p.weights.shape[0] : i.factorization === 'tucker' ? p.core.shape : [...p.factors.map((f: { shape: number[] }) => f.shape[0]), 1];
      expect(emb.rank).toEqual(carried);
      const rec = emb.toTable();
      const err = relError(rec, t);
      if (c.acceptance) expect(err).toBeLessThanOrEqual(c.acceptance.relative_weight_error_max);
      // BlockTT (TT-SVD) and Tucker (HOOI from the SVD) are deterministic: same error in float32.
      else expect(Math.abs(err - e.relative_weight_error)).toBeLessThanOrEqual(2e-3 * Math.max(e.relative_weight_error, 1e-3) + 1e-5);
      rec.dispose();
      emb.dispose();
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    });
  }

  it('factorized_embedding_joint2_tucker_rank4: joint table, per-layer lookups and fromEmbeddingList errors', () => {
    const c = fixtureCase(file, 'factorized_embedding_joint2_tucker_rank4');
    const { inputs: i, expected: e } = c;
    const shape = e.tensorized_shape as [number, number[], number[]];
    expect(resolveEmbeddingShape(24, 8, { nTensorizedModes: 2 })).toEqual(shape.slice(1));
    expect(resolveTensorizedRank('tucker', shape, i.rank)).toEqual(e.resolved_rank);
    const weight = new TensorizedTensor(shape, 'tucker', paramsOf('tucker', i.params));
    const emb = new FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, tensorizedNumEmbeddings: shape[1], tensorizedEmbeddingDim: shape[2], factorization: weight, nLayers: 2 });
    const idx = tf.tensor(i.indices_1d.data, i.indices_1d.shape, 'int32');
    for (const l of [0, 1]) {
      const want = e.per_layer[`layer${l}`].lookup_1d;
      const y = emb.apply(idx, l);
      expectClose(y, want, f32Tolerance(want.data), `layer ${l}`);
      const z = emb.getEmbedding(l).apply(idx);
      expectClose(z, want, f32Tolerance(want.data), `getEmbedding(${l})`);
      tf.dispose([y, z]);
    }
    emb.dispose();
    const tables = i.embedding_weights.map(fx);
    const joint = FactorizedEmbedding.fromEmbeddingList(tables, { rank: i.rank, factorization: 'tucker', nTensorizedModes: 2 });
    for (const l of [0, 1]) {
      const rec = joint.toTable(l);
      const err = relError(rec, tables[l]);
      expect(Math.abs(err - e.per_layer[`layer${l}`].relative_error_vs_dense)).toBeLessThan(2e-3);
      rec.dispose();
    }
    joint.dispose();
    tf.dispose([idx, ...tables]);
  });

  it('factorized_embedding_joint2_blocktt_bug: fixed — a joint block-TT table is built and looked up', () => {
    const c = fixtureCase(file, 'factorized_embedding_joint2_blocktt_bug');
    expect(c.expected_error.type).toBe('ValueError');
    const tables = c.inputs.embedding_weights.map(fx);
    const joint = FactorizedEmbedding.fromEmbeddingList(tables, { rank: c.inputs.rank, factorization: 'blocktt' });
    expect(joint.weight.tensorizedShape).toEqual([2, [4, 6], [2, 4]]);
    const idx = tf.tensor1d([0, 5, 23, 11], 'int32');
    for (const l of [0, 1]) {
      const rec = joint.toTable(l);
      const y = joint.apply(idx, l);
      const ref = tf.gather(rec, idx);
      expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync()), `layer ${l}`);
      // rank 4 over a random table: a lossy but real approximation
      const err = relError(rec, tables[l]);
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThan(1);
      tf.dispose([rec, y, ref]);
    }
    joint.dispose();
    tf.dispose([idx, ...tables]);
  });

  it('factorized_embedding_shape_mismatch: ShapeError', () => {
    const c = fixtureCase(file, 'factorized_embedding_shape_mismatch');
    const i = c.inputs;
    expect(c.expected_error.type).toBe('ValueError');
    expect(() =>
      new FactorizedEmbedding({ numEmbeddings: i.num_embeddings, embeddingDim: i.embedding_dim, autoTensorize: i.auto_tensorize, tensorizedNumEmbeddings: i.tensorized_num_embeddings, tensorizedEmbeddingDim: i.tensorized_embedding_dim }),
    ).toThrow(ShapeError);
  });

  it('factorized_embedding_auto_and_explicit_shapes: ArgumentError', () => {
    const c = fixtureCase(file, 'factorized_embedding_auto_and_explicit_shapes');
    const i = c.inputs;
    expect(c.expected_error.type).toBe('ValueError');
    const before = tf.memory().numTensors;
    expect(() =>
      new FactorizedEmbedding({ numEmbeddings: i.num_embeddings, embeddingDim: i.embedding_dim, autoTensorize: i.auto_tensorize, tensorizedNumEmbeddings: i.tensorized_num_embeddings, tensorizedEmbeddingDim: i.tensorized_embedding_dim }),
    ).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
