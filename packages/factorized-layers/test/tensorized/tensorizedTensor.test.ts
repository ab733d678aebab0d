import { describe, expect, it } from 'vitest';
import { ArgumentError, ModeError, RankError, ShapeError, tf } from '@tenfold/core';
import { TensorizedTensor, indexLayer, khatriRaoOf, multiModeProduct, paramsToMatrix, paramsToTensor, parseTensorizedShape, resolveTensorizedRank } from '../../src/tensorized/index.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures } from '../../../../test-utils/index.js';

const KINDS = ['cp', 'tucker', 'blocktt', 'dense'] as const;

describe('rank resolution (tltorch rules)', () => {
  it('CP over the flattened shape: (4,4)x(3,3) same -> 10, with nLayers=2 -> 18 (CONVENTIONS 2.2)', () => {
    expect(resolveTensorizedRank('cp', [[4, 4], [3, 3]], 'same')).toBe(10);
    expect(resolveTensorizedRank('CP', [2, [4, 4], [3, 3]], 'same')).toBe(18);
  });
  it('BlockTT uses validate_block_tt_rank (fixtures of ranks.json)', () => {
    const ranks = loadFixtures('ranks');
    for (const c of ranks.cases.filter((k) => k.inputs.fn === 'validate_block_tt_rank')) {
      expect(resolveTensorizedRank('BlockTT', c.inputs.tensorized_shape, c.inputs.rank), c.name).toEqual(c.expected);
    }
  });
  it('Tucker: the factorized_linear fixture ranks', () => {
    const layers = loadFixtures('layers');
    const c = fixtureCase(layers, 'factorized_linear_Tucker_3x3to4x4_ranksame');
    expect(resolveTensorizedRank('tucker', c.inputs.tensorized_shape, 'same')).toEqual(c.expected.resolved_rank);
    expect(resolveTensorizedRank('tucker', [[4, 4], [3, 3]], 2)).toEqual([2, 2, 2, 2]);
  });
  it('dense has no rank', () => expect(resolveTensorizedRank('dense', [[4], [3]], 'same')).toBeNull());
  it('typed errors: unknown factorization, bad rank', () => {
    expect(() => resolveTensorizedRank('tt', [[4], [3]])).toThrow(ArgumentError);
    expect(() => resolveTensorizedRank('TTM', [[4], [3]])).toThrow(/blocktt/);
    expect(() => resolveTensorizedRank('cp', [[4], [3]], 0)).toThrow(RankError);
    expect(() => resolveTensorizedRank('cp', [[4], [3]], [2, 2])).toThrow(RankError);
    expect(() => resolveTensorizedRank('tucker', [[4], [3]], [2, 2, 2])).toThrow(RankError);
  });
});

describe('TensorizedTensor', () => {
  it('new: shapes, ranks, variables; dispose frees every variable', () => {
    for (const kind of KINDS) {
      const before = tf.memory().numTensors;
      const t = TensorizedTensor.new([2, [4, 4], [3, 3]], { factorization: kind, rank: 'same', seed: 1 });
      expect(t.shape).toEqual([2, 16, 9]);
      expect(t.tensorShape).toEqual([2, 4, 4, 3, 3]);
      expect(t.variables.every((v) => v instanceof tf.Variable && v.trainable)).toBe(true);
      const m = expectNoLeak(() => t.toMatrix());
      expect(m.shape).toEqual([2, 16, 9]);
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(() => t.toMatrix()).toThrow(ArgumentError);
    }
  });

  it('toMatrix is a C-order reshape of toTensor', () => {
    for (const kind of KINDS) {
      const t = TensorizedTensor.new([[2, 3], [4, 2]], { factorization: kind, rank: kind === 'blocktt' ? 3 : 0.5, seed: 2 });
      const a = t.toTensor();
      const b = t.toMatrix();
      expect(a.shape).toEqual([2, 3, 4, 2]);
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
      t.dispose();
    }
  });

  it('toMatrix matches the tltorch weight_matrix fixtures', () => {
    const layers = loadFixtures('layers');
    for (const c of layers.cases.filter((k) => k.name.startsWith('factorized_linear_') && k.expected.weight_matrix)) {
      const p = c.inputs.params;
      const kind = c.inputs.factorization.toLowerCase();
      const params =
        kind === 'cp' ? { kind, weights: fx(p.weights), factors: p.factors.map(fx) } : kind === 'tucker' ? { kind, core: fx(p.core), factors: p.factors.map(fx) } : { kind, cores: p.factors.map(fx) };
      const t = new TensorizedTensor(c.inputs.tensorized_shape, kind, params as never);
      const m = t.toMatrix();
      expectClose(m, c.expected.weight_matrix, f32Tolerance(c.expected.weight_matrix.data, c.tolerance), c.name);
      m.dispose();
      t.dispose();
    }
  });

  it('index(i) equals toMatrix()[i] for every factorization (joint Tucker included)', () => {
    for (const kind of KINDS) {
      const t = TensorizedTensor.new([3, [2, 3], [4, 2]], { factorization: kind, rank: kind === 'blocktt' ? 4 : 'same', seed: 3 });
      const full = t.toMatrix();
      for (const i of [0, 2]) {
        const sub = t.index(i);
        expect(sub.tensorizedShape).toEqual([[2, 3], [4, 2]]);
        const m = sub.toMatrix();
        const ref = tf.gather(full, i);
        const refData = ref.dataSync();
        expectClose(m, refData, f32Tolerance(refData), `${kind} layer ${i}`);
        tf.dispose([m, ref]);
        sub.dispose();
      }
      full.dispose();
      t.dispose();
    }
  });

  it('CP indexing absorbs the layer row into the weights', () => {
    const t = TensorizedTensor.new([2, [2], [3]], { factorization: 'cp', rank: 4, seed: 5 });
    const sub = t.index(1);
    const p = t.params;
    if (p.kind !== 'cp' || sub.params.kind !== 'cp') throw new Error('cp expected');
    const expected = tf.tidy(() => tf.mul(p.weights, tf.gather(p.factors[0], 1)));
    expectClose(sub.params.weights, expected.dataSync(), { rtol: 1e-6, atol: 1e-7 }, 'weights');
    expect(sub.params.factors.length).toBe(2);
    expected.dispose();
    sub.dispose();
    t.dispose();
  });

  it('index: typed errors', () => {
    const t = TensorizedTensor.new([2, [2], [3]], { factorization: 'tucker', seed: 1 });
    expect(() => t.index(2)).toThrow(ModeError);
    expect(() => t.index(-1)).toThrow(/\[0, 1\]/);
    const u = t.index(0);
    expect(() => u.index(0)).toThrow(ModeError);
    u.dispose();
    t.dispose();
  });

  it('constructor checks the parameter shapes and takes ownership', () => {
    const before = tf.memory().numTensors;
    expect(() => new TensorizedTensor([[2], [3]], 'cp', { kind: 'cp', weights: tf.ones([2]), factors: [tf.ones([2, 2]), tf.ones([4, 2])] })).toThrow(ShapeError);
    const t = new TensorizedTensor([[2], [3]], 'cp', { kind: 'cp', weights: tf.ones([2]), factors: [tf.ones([2, 2]), tf.ones([3, 2])] });
    expect(t.rank).toBe(2);
    t.dispose();
    // the rejected call's inputs belong to the caller: 3 tensors were left
    expect(tf.memory().numTensors).toBe(before + 3);
  });

  it('normal(std): the reconstruction has the requested std for every factorization (tltorch misses it for BlockTT)', () => {
    const std = 0.3;
    for (const kind of KINDS) {
      let acc = 0;
      let n = 0;
      for (let seed = 0; seed < 6; seed++) {
        const t = TensorizedTensor.new([[8, 8], [8, 8]], { factorization: kind, rank: kind === 'blocktt' ? 'same' : 0.5, std, seed: 100 + seed });
        const m = t.toMatrix();
        const d = m.dataSync();
        for (let i = 0; i < d.length; i++) acc += d[i] * d[i];
        n += d.length;
        m.dispose();
        t.dispose();
      }
      const got = Math.sqrt(acc / n);
      expect(Math.abs(got / std - 1), `${kind}: std ${got}`).toBeLessThan(0.2);
    }
  });

  it('normal() re-draws in place, keeps the variables, and rejects a bad std', () => {
    const t = TensorizedTensor.new([[4], [4]], { factorization: 'tucker', seed: 1 });
    const vars = t.variables;
    const a = t.toMatrix();
    t.normal(1, 2);
    const b = t.toMatrix();
    expect(t.variables).toEqual(vars);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(b.dataSync()));
    expect(() => t.normal(-1)).toThrow(ArgumentError);
    tf.dispose([a, b]);
    t.dispose();
  });

  it('same seed gives the same parameters', () => {
    const a = TensorizedTensor.new([[4, 2], [3, 2]], { factorization: 'blocktt', seed: 9 });
    const b = TensorizedTensor.new([[4, 2], [3, 2]], { factorization: 'blocktt', seed: 9 });
    expect(a.rank).toEqual(b.rank);
    const ma = a.toMatrix();
    const mb = b.toMatrix();
    expect(Array.from(ma.dataSync())).toEqual(Array.from(mb.dataSync()));
    tf.dispose([ma, mb]);
    a.dispose();
    b.dispose();
  });

  it('initFromMatrix / fromMatrix: exact at full rank, BlockTT refreshes its rank, no leaks, typed errors', () => {
    const m = tf.randomNormal([2, 6, 4], 0, 1, 'float32', 12); // (nLayers, out, in)
    for (const [kind, rank] of [
      ['tucker', [2, 3, 2, 2, 2]],
      ['blocktt', 100],
      ['dense', 'same'],
    ] as const) {
      const before = tf.memory().numTensors;
      const t = TensorizedTensor.fromMatrix(m, [2, [3, 2], [2, 2]], { factorization: kind, rank: rank as never });
      expect(tf.memory().numTensors).toBe(before + t.variables.length);
      const rec = t.toMatrix();
      expect(rec.shape).toEqual([2, 6, 4]);
      const md = m.dataSync();
      expectClose(rec, md, f32Tolerance(md, undefined, 1e-3, 1e-4), `${kind} full rank`);
      rec.dispose();
      if (kind === 'blocktt') expect(t.rank).toEqual([1, Math.min(2 * 3 * 2, 2 * 2), 1]); // requested 100: refreshed to the TT-SVD bond min(rows, cols)
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    const t = TensorizedTensor.new([[3, 2], [2, 2]], { factorization: 'cp', rank: 3, seed: 1 });
    expect(() => t.initFromMatrix(tf.zeros([4, 6]))).toThrow(ShapeError);
    const before = tf.memory().numTensors;
    const w = tf.randomNormal([6, 4], 0, 1, 'float32', 3);
    t.initFromMatrix(w, { nIterMax: 20, seed: 0 });
    expect(t.rank).toBe(3);
    expect(tf.memory().numTensors).toBe(before + 1);
    w.dispose();
    t.dispose();
    m.dispose();
  });

  it('the parameter-level helpers leave only their results (leak checks)', () => {
    for (const kind of KINDS) {
      const t = TensorizedTensor.new([2, [2, 3], [3, 2]], { factorization: kind, rank: kind === 'blocktt' ? 3 : 'same', seed: 1 });
      const parts = parseTensorizedShape(t.tensorizedShape);
      expectNoLeak(() => paramsToTensor(t.params, parts));
      expectNoLeak(() => paramsToMatrix(t.params, parts));
      expectNoLeak(() => indexLayer(t.params, parts, 1).params);
      expectNoLeak(() => {
        t.normal(0.1, 3);
      });
      expectNoLeak(() => t.index(0));
      expectNoLeak(() => t.clone());
      t.dispose();
    }
    const a = tf.randomNormal([3, 4]);
    const b = tf.randomNormal([2, 4]);
    const kr = expectNoLeak(() => khatriRaoOf([a, b]));
    expect(kr.shape).toEqual([6, 4]);
    const core = tf.randomNormal([2, 2]);
    const fa = a.slice([0, 0], [3, 2]);
    const fb = b.slice([0, 0], [2, 2]);
    const mm = expectNoLeak(() => multiModeProduct(core, [fa, fb]));
    expect(mm.shape).toEqual([3, 2]);
    tf.dispose([a, b, core, fa, fb]);
  });

  it('khatriRaoOf and multiModeProduct: identities (row (i, j) = a_i * b_j; core x_k F_k = F_0 core F_1^T)', () => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5, 6], [7, 8], [9, 10]]);
    const kr = khatriRaoOf([a, b]);
    const ad = a.arraySync();
    const bd = b.arraySync();
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(ad[i][0] * bd[j][0], ad[i][1] * bd[j][1]);
    expect(Array.from(kr.dataSync())).toEqual(expected);
    const core = tf.tensor2d([[1, -1], [2, 0.5]]);
    const mm = multiModeProduct(core, [b, a]); // (3, 2)
    const ref = tf.matMul(tf.matMul(b, core), a, false, true);
    expectClose(mm, ref.dataSync(), { rtol: 1e-6, atol: 1e-6 }, 'multiModeProduct');
    tf.dispose([a, b, kr, core, mm, ref]);
  });
});

