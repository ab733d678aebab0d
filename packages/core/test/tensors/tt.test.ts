import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, ShapeError } from '../../src/errors/index.js';
import {
  TTTensor,
  TTMatrix,
  padTtRank,
  ttNorm,
  ttToTensor,
  ttToUnfolded,
  ttToVec,
  ttMatrixNorm,
  ttMatrixToMatrix,
  ttMatrixToTensor,
  ttMatrixToUnfolded,
  ttMatrixToVec,
} from '../../src/tensors/index.js';
import { unfold } from '../../src/base/index.js';
import { createRng, normalTensor } from '../../src/random/rng.js';
import { disposeAll, expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const core = loadFixtures('core');

function hostNorm(t: tf.Tensor): number {
  let s = 0;
  for (const v of t.dataSync()) s += v * v;
  return Math.sqrt(s);
}

describe('TT fixtures (core.json, TensorLy 0.9)', () => {
  it('covers every tt_* / tt_matrix_* case', () => {
    expect(core.cases.filter((c) => c.name.startsWith('tt_')).map((c) => c.name).sort()).toEqual(
      ['tt_matrix_to_matrix_2cores', 'tt_matrix_to_tensor_2cores', 'tt_matrix_to_tensor_3cores', 'tt_to_tensor', 'tt_to_unfolded_mode1', 'tt_to_vec'].sort(),
    );
  });

  it('tt_to_tensor', () => {
    const c = fixtureCase(core, 'tt_to_tensor');
    const tt = new TTTensor((c.inputs.factors as any[]).map(fx));
    expect(tt.shape).toEqual(c.expected.shape);
    expect(tt.rank).toEqual([1, 2, 3, 1]);
    expectNoLeak(() => ttToTensor(tt));
    const out = tt.toTensor();
    expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
    out.dispose();
    tt.dispose();
  });

  it('tt_to_unfolded_mode1', () => {
    const c = fixtureCase(core, 'tt_to_unfolded_mode1');
    const cores = (c.inputs.factors as any[]).map(fx);
    expectNoLeak(() => ttToUnfolded(cores, c.inputs.mode));
    const out = ttToUnfolded(cores, c.inputs.mode);
    expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
    tf.dispose([out, ...cores]);
  });

  it('tt_to_vec', () => {
    const c = fixtureCase(core, 'tt_to_vec');
    const tt = new TTTensor((c.inputs.factors as any[]).map(fx));
    expectNoLeak(() => ttToVec(tt));
    const out = tt.toVec();
    expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
    out.dispose();
    tt.dispose();
  });

  for (const name of ['tt_matrix_to_tensor_2cores', 'tt_matrix_to_tensor_3cores']) {
    it(name, () => {
      const c = fixtureCase(core, name);
      const ttm = new TTMatrix((c.inputs.factors as any[]).map(fx));
      expect(ttm.shape).toEqual(c.expected.shape);
      expectNoLeak(() => ttMatrixToTensor(ttm));
      const out = ttm.toTensor();
      expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
      out.dispose();
      ttm.dispose();
    });
  }

  it('tt_matrix_to_matrix_2cores', () => {
    const c = fixtureCase(core, 'tt_matrix_to_matrix_2cores');
    const ttm = new TTMatrix((c.inputs.factors as any[]).map(fx));
    expectNoLeak(() => ttMatrixToMatrix(ttm));
    const out = ttm.toMatrix();
    expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
    out.dispose();
    ttm.dispose();
  });
});

describe('TTTensor / TTMatrix objects', () => {
  it('validate cores: 3-D / 4-D, matching and boundary ranks', () => {
    const a = tf.ones([1, 3, 2]);
    const b = tf.ones([3, 4, 1]);
    const c = tf.ones([2, 4, 2]);
    const m = tf.ones([1, 2, 3, 2]);
    const flat = tf.ones([1, 3]);
    const single = tf.ones([1, 3, 1]);
    const before = tf.memory().numTensors;
    expect(() => new TTTensor([a, b])).toThrow(/consecutive/);
    expect(() => new TTTensor([c, b])).toThrow(ShapeError);
    expect(() => new TTTensor([a, c])).toThrow(/boundary/);
    expect(() => new TTTensor([flat as any])).toThrow(ShapeError);
    expect(() => new TTTensor([])).toThrow(ArgumentError);
    expect(() => new TTMatrix([m])).toThrow(/boundary/);
    expect(() => new TTMatrix([a])).toThrow(ShapeError);
    expect(() => ttToTensor('x' as any)).toThrow(ArgumentError);
    expect(() => ttToUnfolded([single], 1)).toThrow(ModeError);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.isDisposed).toBe(false);
    tf.dispose([a, b, c, m, flat, single]);
  });

  it('ownership, clone and dispose', () => {
    const before = tf.memory().numTensors;
    const tt = new TTTensor([tf.ones([1, 2, 2]), tf.ones([2, 3, 1])]);
    const cl = tt.clone();
    tt.dispose();
    expect(() => tt.toTensor()).toThrow(ArgumentError);
    expect(cl.cores[0].isDisposed).toBe(false);
    cl.dispose();
    const ttm = new TTMatrix([tf.ones([1, 2, 3, 1])]);
    expect(ttm.leftShape).toEqual([2]);
    expect(ttm.rightShape).toEqual([3]);
    const cm = ttm.clone();
    ttm.dispose();
    cm.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('TT-matrix unfolded and vec agree with the full tensor', () => {
    const rng = createRng(5);
    const ttm = new TTMatrix([normalTensor([1, 2, 3, 2], rng), normalTensor([2, 2, 2, 1], rng)]);
    const full = ttm.toTensor();
    for (let mode = 0; mode < 4; mode++) {
      expectNoLeak(() => ttMatrixToUnfolded(ttm, mode));
      const u = ttm.toUnfolded(mode);
      const want = unfold(full, mode);
      expect(relError(u, want)).toBe(0);
      tf.dispose([u, want]);
    }
    expectNoLeak(() => ttMatrixToVec(ttm));
    const v = ttm.toVec();
    expect(relError(v, full.dataSync())).toBe(0);
    tf.dispose([v, full]);
    ttm.dispose();
  });
});

describe('TT properties (fast-check)', () => {
  const arb = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
    bonds: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
  const build = (shape: number[], bonds: number[], seed: number) => {
    const rng = createRng(seed);
    const r = [1, ...shape.slice(1).map((_, i) => bonds[i]), 1];
    return new TTTensor(shape.map((s, k) => normalTensor([r[k], s, r[k + 1]], rng)));
  };

  it('norm() (Gram contraction) equals the norm of toTensor(); normalize() preserves the tensor and left-orthonormalises', () => {
    fc.assert(
      fc.property(arb, ({ shape, bonds, seed }) => {
        const tt = build(shape, bonds, seed);
        const full = tt.toTensor();
        const n = hostNorm(full);
        expect(Math.abs(expectNoLeak(() => ttNorm(tt)) - n)).toBeLessThanOrEqual(1e-4 * n + 1e-6);
        expect(Math.abs(tt.norm() - n)).toBeLessThanOrEqual(1e-4 * n + 1e-6);
        expectNoLeak(() => tt.normalize());
        const nz = tt.normalize();
        const full2 = nz.toTensor();
        expect(relError(full2, full)).toBeLessThan(1e-4);
        // Cores 0..N-2 have orthonormal left unfoldings: Q^T Q = I.
        nz.cores.slice(0, -1).forEach((c) => {
          const [r, s, rn] = c.shape;
          const g = tf.tidy(() => {
            const q = tf.reshape(c, [r * s, rn]);
            return tf.sub(tf.matMul(q, q, true, false), tf.eye(rn));
          });
          for (const v of g.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-4);
          g.dispose();
        });
        // The last core carries the norm.
        expect(Math.abs(hostNorm(nz.cores[nz.cores.length - 1]) - n)).toBeLessThanOrEqual(1e-4 * n + 1e-6);
        tf.dispose([full, full2]);
        nz.dispose();
        tt.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('padTtRank keeps the represented tensor and pads every bond', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 2 }), ({ shape, bonds, seed }, p) => {
        const tt = build(shape, bonds, seed);
        const padded = expectNoLeak(() => padTtRank(tt, { nPadding: p }));
        expect(padded.every((t) => t.isDisposed)).toBe(true);
        const cores = padTtRank(tt, { nPadding: p });
        cores.forEach((c, k) => {
          expect(c.shape[0]).toBe(tt.rank[k] + (k === 0 ? 0 : p));
          expect(c.shape[2]).toBe(tt.rank[k + 1] + (k === shape.length - 1 ? 0 : p));
        });
        const a = tt.toTensor();
        const b = ttToTensor(cores);
        expect(relError(b, a)).toBeLessThan(1e-6);
        disposeAll([a, b, cores]);
        tt.dispose();
      }),
      { numRuns: 20 },
    );
  });

  it('padTtRank with padBoundaries pads the ends too (a tensor ring), and validates options', () => {
    const cores = [tf.ones([1, 2, 2]), tf.ones([2, 3, 1])];
    const out = padTtRank(cores, { nPadding: 2, padBoundaries: true });
    expect(out.map((c) => c.shape)).toEqual([
      [3, 2, 4],
      [4, 3, 3],
    ]);
    expect(() => padTtRank(cores, { nPadding: -1 })).toThrow(ArgumentError);
    const flat = tf.ones([2, 2]);
    expect(() => padTtRank([flat as any])).toThrow(ShapeError);
    disposeAll([cores, out, flat]);
  });

  it('TT-matrix norm equals the Frobenius norm of the matrix; normalize preserves it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, seed) => {
        const rng = createRng(seed);
        const r = [1, ...Array.from({ length: n - 1 }, () => 1 + rng.int(3)), 1];
        const ttm = new TTMatrix(Array.from({ length: n }, (_, k) => normalTensor([r[k], 1 + rng.int(3), 1 + rng.int(3), r[k + 1]], rng)));
        const m = ttm.toMatrix();
        const nm = hostNorm(m);
        expect(Math.abs(expectNoLeak(() => ttMatrixNorm(ttm)) - nm)).toBeLessThanOrEqual(1e-4 * nm + 1e-6);
        const nz = ttm.normalize();
        expect(nz.leftShape).toEqual(ttm.leftShape);
        const m2 = nz.toMatrix();
        expect(relError(m2, m)).toBeLessThan(1e-4);
        expect(Math.abs(nz.norm() - nm)).toBeLessThanOrEqual(1e-4 * nm + 1e-6);
        tf.dispose([m, m2]);
        nz.dispose();
        ttm.dispose();
      }),
      { numRuns: 20 },
    );
  });
});
