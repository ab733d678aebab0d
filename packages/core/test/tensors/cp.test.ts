import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, RankError, ShapeError } from '../../src/errors/index.js';
import { CPTensor, cpModeDot, cpNorm, cpNormalize, cpToTensor, cpToUnfolded, cpToVec } from '../../src/tensors/index.js';
import { unfold } from '../../src/base/index.js';
import { khatriRao, modeDot } from '../../src/tenalg/index.js';
import { createRng, uniformTensor, normalTensor } from '../../src/random/rng.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError, type FixtureCase } from '../../../../test-utils/index.js';

const core = loadFixtures('core');
const CP_CASES = core.cases.filter((c) => c.name.startsWith('cp_'));

function cpInputs(c: FixtureCase) {
  return { weights: c.inputs.weights === null ? null : fx(c.inputs.weights), factors: (c.inputs.factors as any[]).map(fx) };
}

/** Host float64 Frobenius norm. */
function hostNorm(t: tf.Tensor): number {
  let s = 0;
  for (const v of t.dataSync()) s += v * v;
  return Math.sqrt(s);
}

describe('CP fixtures (core.json, TensorLy 0.9)', () => {
  it('covers every cp_* case', () => {
    expect(CP_CASES.map((c) => c.name).sort()).toEqual(
      ['cp_norm', 'cp_normalize', 'cp_to_tensor', 'cp_to_tensor_single_factor', 'cp_to_tensor_unit_weights', 'cp_to_unfolded_mode0', 'cp_to_unfolded_mode1', 'cp_to_unfolded_mode2', 'cp_to_vec'].sort(),
    );
  });

  for (const name of ['cp_to_tensor', 'cp_to_tensor_unit_weights', 'cp_to_tensor_single_factor']) {
    it(name, () => {
      const c = fixtureCase(core, name);
      const cp = new CPTensor(cpInputs(c).weights, cpInputs(c).factors);
      expectNoLeak(() => cpToTensor(cp));
      const out = cpToTensor(cp);
      expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), name);
      const viaMethod = cp.toTensor();
      expectClose(viaMethod, c.expected, f32Tolerance(c.expected.data, c.tolerance), `${name} (method)`);
      tf.dispose([out, viaMethod]);
      cp.dispose();
    });
  }

  for (const mode of [0, 1, 2]) {
    it(`cp_to_unfolded_mode${mode}`, () => {
      const c = fixtureCase(core, `cp_to_unfolded_mode${mode}`);
      const cp = new CPTensor(cpInputs(c).weights, cpInputs(c).factors);
      expect(c.inputs.mode).toBe(mode);
      expectNoLeak(() => cpToUnfolded(cp, mode));
      const out = cp.toUnfolded(mode);
      expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
      out.dispose();
      cp.dispose();
    });
  }

  it('cp_to_vec', () => {
    const c = fixtureCase(core, 'cp_to_vec');
    const cp = new CPTensor(cpInputs(c).weights, cpInputs(c).factors);
    expectNoLeak(() => cpToVec(cp));
    const out = cp.toVec();
    expectClose(out, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
    out.dispose();
    cp.dispose();
  });

  it('cp_norm (Gram formula, no full tensor)', () => {
    const c = fixtureCase(core, 'cp_norm');
    const cp = new CPTensor(cpInputs(c).weights, cpInputs(c).factors);
    const n = expectNoLeak(() => cpNorm(cp));
    const tol = f32Tolerance([c.expected], c.tolerance);
    expect(Math.abs(n - c.expected)).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(c.expected));
    expect(Math.abs(cp.norm() - c.expected)).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(c.expected));
    cp.dispose();
  });

  it('cp_normalize (weights and factors)', () => {
    const c = fixtureCase(core, 'cp_normalize');
    const cp = new CPTensor(cpInputs(c).weights, cpInputs(c).factors);
    expectNoLeak(() => cpNormalize(cp));
    const out = cp.normalize();
    expectClose(out.weights, c.expected.weights, f32Tolerance(c.expected.weights.data, c.tolerance), 'weights');
    (c.expected.factors as any[]).forEach((f, i) => expectClose(out.factors[i], f, f32Tolerance(f.data, c.tolerance), `factors[${i}]`));
    // A new object: the input is untouched.
    expect(out).not.toBe(cp);
    expect(cp.weights.isDisposed).toBe(false);
    out.dispose();
    cp.dispose();
  });
});

describe('CPTensor object', () => {
  it('takes ownership, reports shape and rank, clones and disposes', () => {
    const before = tf.memory().numTensors;
    const cp = new CPTensor(tf.tensor1d([1, 2]), [tf.ones([3, 2]), tf.ones([4, 2])]);
    expect(cp.shape).toEqual([3, 4]);
    expect(cp.rank).toBe(2);
    const cl = cp.clone();
    expect(cl.factors[0]).not.toBe(cp.factors[0]);
    cp.dispose();
    cp.dispose(); // idempotent
    expect(cl.factors[0].isDisposed).toBe(false);
    expect(() => cp.toTensor()).toThrow(ArgumentError);
    cl.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('null weights become ones; nested arrays are accepted', () => {
    expectNoLeak(() => {
      const cp = new CPTensor(null, [[[1], [2]], [[3], [4], [5]]]);
      const w = cp.weights.arraySync();
      expect(w).toEqual([1]);
      return cp;
    });
  });

  it('rejects inconsistent factors before any work, without leaking', () => {
    const a = tf.ones([3, 2]);
    const b = tf.ones([4, 3]);
    const w3 = tf.ones([3]);
    const empty = tf.ones([3, 0]);
    const before = tf.memory().numTensors;
    expect(() => new CPTensor(null, [a, b])).toThrow(ShapeError);
    expect(() => new CPTensor(null, [a, b])).toThrow(/factors\[1\]/);
    expect(() => new CPTensor(w3, [a])).toThrow(/weights/);
    expect(() => new CPTensor(null, [w3])).toThrow(ShapeError);
    expect(() => new CPTensor(null, [])).toThrow(ArgumentError);
    expect(() => new CPTensor(null, [empty])).toThrow(RankError);
    expect(() => new CPTensor([1, 2], [[[1, 2]], [[1, 2, 3]]])).toThrow(ShapeError);
    // Nothing was created or kept, and the caller keeps what it passed when construction fails.
    expect(tf.memory().numTensors).toBe(before);
    expect(a.isDisposed).toBe(false);
    tf.dispose([a, b, w3, empty]);
  });

  it('functions accept plain {weights, factors} and validate mode/mask', () => {
    const cp = { weights: [1, 2], factors: [[[1, 0], [0, 1]], [[1, 1], [2, 0], [0, 3]]] };
    expectNoLeak(() => cpToTensor(cp));
    expect(() => cpToUnfolded(cp, 2)).toThrow(ModeError);
    expect(() => tf.tidy(() => cpToTensor(cp, { mask: tf.ones([2, 2]) }))).toThrow(ShapeError);
    expect(() => cpToTensor({ factors: 'x' } as any)).toThrow(ArgumentError);
    expect(() => cpNorm(null as any)).toThrow(ArgumentError);
  });

  it('mask multiplies the full tensor', () => {
    const rng = createRng(3);
    const cp = new CPTensor(null, [uniformTensor([3, 2], rng), uniformTensor([4, 2], rng), uniformTensor([2, 2], rng)]);
    const mask = tf.tensor(Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : 1)), [3, 4, 2]);
    expectNoLeak(() => cpToTensor(cp, { mask }));
    const full = cp.toTensor();
    const masked = cp.toTensor({ mask });
    const want = tf.mul(full, mask);
    expectClose(masked, want.dataSync(), { rtol: 1e-6, atol: 1e-7 }, 'mask');
    tf.dispose([mask, full, masked, want]);
    cp.dispose();
  });
});

describe('cpModeDot', () => {
  it('matrix and vector products agree with modeDot on the full tensor', () => {
    const rng = createRng(11);
    const cp = new CPTensor(uniformTensor([3], rng), [normalTensor([4, 3], rng), normalTensor([5, 3], rng), normalTensor([2, 3], rng)]);
    const full = cp.toTensor();
    const m = normalTensor([6, 5], rng);
    const v = normalTensor([5], rng);
    for (const [op, label] of [
      [m, 'matrix'],
      [v, 'vector'],
    ] as const) {
      for (const mode of [0, 1, 2]) {
        const operand = mode === 1 ? op : op.rank === 2 ? normalTensor([6, cp.shape[mode]], rng) : normalTensor([cp.shape[mode]], rng);
        const res = expectNoLeak(() => cpModeDot(cp, operand, mode));
        expect(res.isDisposed).toBe(true);
        const out = cp.modeDot(operand, mode);
        const got = out.toTensor();
        const want = modeDot(full, operand, mode);
        expect(got.shape, `${label} mode ${mode}`).toEqual(want.shape);
        expect(relError(got, want), `${label} mode ${mode}`).toBeLessThan(1e-5);
        tf.dispose([got, want]);
        out.dispose();
        if (operand !== op) operand.dispose();
      }
    }
    // keepDim keeps a size-1 mode.
    const kd = cp.modeDot(v, 1, { keepDim: true });
    expect(kd.shape).toEqual([4, 1, 2]);
    const kdT = kd.toTensor();
    const want = tf.expandDims(modeDot(full, v, 1), 1);
    expect(relError(kdT, want)).toBeLessThan(1e-5);
    tf.dispose([kdT, want, full, m, v]);
    kd.dispose();
    expect(() => tf.tidy(() => { cpModeDot(cp, tf.ones([2, 2]), 1).dispose(); })).toThrow(ShapeError);
    expect(() => tf.tidy(() => { cpModeDot(cp, tf.ones([2]), 1).dispose(); })).toThrow(ShapeError);
    expect(() => tf.tidy(() => { cpModeDot(cp, tf.ones([5]), 3).dispose(); })).toThrow(ModeError);
    cp.dispose();
  });
});

describe('CP properties (fast-check)', () => {
  const arb = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }),
    rank: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });

  it('unfold(cpToTensor(cp), m) = (F_m * w) @ khatriRao(others)^T', () => {
    fc.assert(
      fc.property(arb, ({ shape, rank, seed }) => {
        const rng = createRng(seed);
        const cp = new CPTensor(normalTensor([rank], rng), shape.map((s) => normalTensor([s, rank], rng)));
        const full = cp.toTensor();
        for (let m = 0; m < shape.length; m++) {
          const lhs = unfold(full, m);
          const rhs = tf.tidy(() => tf.matMul(tf.mul(cp.factors[m], cp.weights), khatriRao(cp.factors, { skipMatrix: m }), false, true));
          expect(relError(lhs, rhs)).toBeLessThan(1e-5);
          const un = cp.toUnfolded(m);
          expect(relError(un, lhs)).toBeLessThan(1e-5);
          tf.dispose([lhs, rhs, un]);
        }
        full.dispose();
        cp.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('norm() equals the norm of toTensor(), and normalize() preserves the tensor', () => {
    fc.assert(
      fc.property(arb, ({ shape, rank, seed }) => {
        const rng = createRng(seed);
        const cp = new CPTensor(normalTensor([rank], rng), shape.map((s) => normalTensor([s, rank], rng)));
        const full = cp.toTensor();
        const n = hostNorm(full);
        expect(Math.abs(cp.norm() - n)).toBeLessThanOrEqual(1e-4 * n + 1e-6);
        const nz = cp.normalize();
        const full2 = nz.toTensor();
        expect(relError(full2, full)).toBeLessThan(1e-5);
        // Unit columns (or zero columns) after normalisation.
        for (const f of nz.factors) {
          const norms = tf.tidy(() => tf.norm(f, 'euclidean', 0).dataSync());
          for (const v of norms) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
        }
        tf.dispose([full, full2]);
        nz.dispose();
        cp.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('zero columns are divided by 1 in cpNormalize', () => {
    const cp = new CPTensor(null, [tf.tensor2d([[1, 0], [2, 0]]), tf.tensor2d([[3, 1], [4, 1]])]);
    const nz = cp.normalize();
    const w = nz.weights.arraySync();
    expect(w[1]).toBe(0);
    expect(w[0]).toBeCloseTo(Math.sqrt(5) * 5, 4);
    expect(nz.factors[0].arraySync().every((row) => row.every(Number.isFinite))).toBe(true);
    nz.dispose();
    cp.dispose();
  });
});
