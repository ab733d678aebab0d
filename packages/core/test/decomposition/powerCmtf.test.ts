import { describe, expect, it } from 'vitest';
import {
  tf,
  AbortedError,
  ArgumentError,
  ShapeError,
  coupledMatrixTensor3dFactorization,
  cpToTensor,
  outer,
  parafacPowerIteration,
  powerIteration,
  symmetricParafacPowerIteration,
  symmetricPowerIteration,
} from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const F = loadFixtures('decompositions2');
const tolOf = (data: ArrayLike<number>, rtol = 1e-4) => f32Tolerance(data, undefined, rtol, 1e-4);

/** Compare matrix columns up to a sign per column. */
function expectColumnsUpToSign(actual: tf.Tensor, expected: { shape: number[]; data: number[] }, label: string): void {
  const [rows, cols] = expected.shape;
  const a = actual.dataSync();
  const out = new Float64Array(a.length);
  for (let c = 0; c < cols; c++) {
    let dot = 0;
    for (let r = 0; r < rows; r++) dot += a[r * cols + c] * expected.data[r * cols + c];
    const s = dot < 0 ? -1 : 1;
    for (let r = 0; r < rows; r++) out[r * cols + c] = s * a[r * cols + c];
  }
  expectClose(out, expected, tolOf(expected.data), label);
}

describe('symmetric power iteration (fixtures)', () => {
  for (const name of ['symmetric_parafac_power_iteration_5x5x5_rank3_orthogonal', 'symmetric_parafac_power_iteration_5x5x5x5_rank3_order4', 'symmetric_parafac_power_iteration_5x5x5_rank2_noisy']) {
    it(name, () => {
      const c = fixtureCase(F, name);
      const t = fx(c.inputs.tensor);
      expectNoLeak(() => {
        const res = symmetricParafacPowerIteration(t, c.inputs.rank, { nRepeat: c.inputs.n_repeat, nIteration: c.inputs.n_iteration, seed: 0 });
        expectClose(res.weights, c.expected.weights, tolOf(c.expected.weights.data), 'weights');
        if (name.includes('order4')) expectColumnsUpToSign(res.factor, c.expected.factor, 'factor');
        else expectClose(res.factor, c.expected.factor, tolOf(c.expected.factor.data), 'factor');
        return res;
      });
      t.dispose();
    });
  }

  it('symmetric_power_iteration_5x5x5: eigenvalue, vector, deflation', () => {
    const c = fixtureCase(F, 'symmetric_power_iteration_5x5x5');
    const t = fx(c.inputs.tensor);
    expectNoLeak(() => {
      const r = symmetricPowerIteration(t, { nRepeat: c.inputs.n_repeat, nIteration: c.inputs.n_iteration, seed: 1 });
      expect(Math.abs(r.eigenval - c.expected.eigenval)).toBeLessThan(1e-4 * Math.abs(c.expected.eigenval));
      expectClose(r.factor, c.expected.best_factor, tolOf(c.expected.best_factor.data), 'factor');
      expectClose(r.deflated, c.expected.deflated, f32Tolerance(c.expected.deflated.data, undefined, 1e-4, 1e-5), 'deflated');
      return [r.factor, r.deflated];
    });
    t.dispose();
  });

  for (const name of ['symmetric_power_iteration_non_cubical', 'symmetric_parafac_power_iteration_non_cubical']) {
    it(`${name}: ShapeError (TensorLy ValueError), no leak`, () => {
      const c = fixtureCase(F, name);
      expect(c.expected_error?.type).toBe('ValueError');
      const t = fx(c.inputs.tensor);
      const before = tf.memory().numTensors;
      if (name.startsWith('symmetric_parafac')) expect(() => symmetricParafacPowerIteration(t, c.inputs.rank)).toThrow(ShapeError);
      else expect(() => symmetricPowerIteration(t)).toThrow(ShapeError);
      expect(tf.memory().numTensors).toBe(before);
      t.dispose();
    });
  }
});

describe('power iteration (fixtures)', () => {
  it('power_iteration_4x5x6', () => {
    const c = fixtureCase(F, 'power_iteration_4x5x6');
    const t = fx(c.inputs.tensor);
    expectNoLeak(() => {
      const r = powerIteration(t, { nRepeat: c.inputs.n_repeat, nIteration: c.inputs.n_iteration, seed: 3 });
      expect(Math.abs(r.eigenval - c.expected.eigenval)).toBeLessThan(1e-4 * Math.abs(c.expected.eigenval));
      // Sign pairs can flip between modes: compare the rank-1 term and the deflation.
      const term = tf.tidy(() => tf.mul(outer(r.factors), r.eigenval));
      const expTerm = tf.tidy(() => tf.mul(outer(c.expected.best_factors.map((f: any) => fx(f))), c.expected.eigenval));
      expectClose(term, expTerm.dataSync(), tolOf(expTerm.dataSync()), 'rank-1 term');
      expectClose(r.deflated, c.expected.deflated, f32Tolerance(c.expected.deflated.data, undefined, 1e-4, 1e-5), 'deflated');
      tf.dispose([term, expTerm]);
      return r;
    });
    t.dispose();
  });

  for (const name of ['parafac_power_iteration_4x5x6_rank3_orthogonal', 'parafac_power_iteration_4x5x6_rank2_nonorthogonal']) {
    it(name, () => {
      const c = fixtureCase(F, name);
      const t = fx(c.inputs.tensor);
      expectNoLeak(() => {
        const cp = parafacPowerIteration(t, c.inputs.rank, { nRepeat: c.inputs.n_repeat, nIteration: c.inputs.n_iteration, seed: 5 });
        expectClose(cp.weights, c.expected.weights, tolOf(c.expected.weights.data), 'weights');
        const rec = cpToTensor(cp);
        expectClose(rec, c.expected.reconstruction, tolOf(c.expected.reconstruction.data), 'reconstruction');
        // Factors up to a sign per column and mode (signs flip in pairs).
        cp.factors.forEach((f, k) => expectColumnsUpToSign(f, c.expected.factors[k], `factors[${k}]`));
        if (c.expected.final_relative_error !== undefined) {
          expect(Math.abs(relError(rec, t) - c.expected.final_relative_error)).toBeLessThan(1e-4);
        }
        rec.dispose();
        return cp;
      });
      t.dispose();
    });
  }

  it('recovers an orthogonally decomposable tensor from any seed; callback and signal', () => {
    const c = fixtureCase(F, 'parafac_power_iteration_4x5x6_rank3_orthogonal');
    const t = fx(c.inputs.tensor);
    for (const seed of [11, 12]) {
      expectNoLeak(() => {
        const infos: number[] = [];
        const cp = parafacPowerIteration(t, 3, { seed, callback: ({ error }) => void infos.push(error) });
        const rec = cpToTensor(cp);
        expect(relError(rec, t)).toBeLessThan(1e-5);
        expect(infos.length).toBe(3);
        expect(infos[2]).toBeLessThan(1e-5);
        rec.dispose();
        return cp;
      });
    }
    const ac = new AbortController();
    ac.abort();
    const before = tf.memory().numTensors;
    expect(() => parafacPowerIteration(t, 3, { signal: ac.signal })).toThrow(AbortedError);
    expect(() => parafacPowerIteration(t, 3, { nRepeats: 3 } as any)).toThrow(ArgumentError);
    expect(() => powerIteration(t, { nRepeat: 0 })).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});

describe('CMTF (fixtures)', () => {
  for (const name of ['cmtf_5x6x4_matrix_5x7_rank2', 'cmtf_5x6x4_matrix_5x7_rank2_normalize']) {
    it(name, () => {
      const c = fixtureCase(F, name);
      const t = fx(c.inputs.tensor_3d);
      const m = fx(c.inputs.matrix);
      expectNoLeak(() => {
        const r = coupledMatrixTensor3dFactorization(t, m, c.inputs.rank, {
          init: c.inputs.init, nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, normalizeFactors: c.inputs.normalize_factors,
        });
        const rt = cpToTensor(r.tensorCp);
        const rm = cpToTensor(r.matrixCp);
        expectClose(rt, c.expected.tensor_reconstruction, tolOf(c.expected.tensor_reconstruction.data, 1e-3), 'tensor reconstruction');
        expectClose(rm, c.expected.matrix_reconstruction, tolOf(c.expected.matrix_reconstruction.data, 1e-3), 'matrix reconstruction');
        expect(Math.abs(relError(rt, t) - c.expected.tensor_relative_error)).toBeLessThan(1e-4);
        expect(Math.abs(relError(rm, m) - c.expected.matrix_relative_error)).toBeLessThan(1e-4);
        // Factors: ALS from the same SVD init follows the same path.
        r.tensorCp.factors.forEach((f, k) => expectColumnsUpToSign(f, c.expected.tensor_factors[k], `tensor factor ${k}`));
        r.matrixCp.factors.forEach((f, k) => expectColumnsUpToSign(f, c.expected.matrix_factors[k], `matrix factor ${k}`));
        expectClose(r.tensorCp.weights, c.expected.tensor_weights, tolOf(c.expected.tensor_weights.data, 1e-3), 'tensor weights');
        expectClose(r.matrixCp.weights, c.expected.matrix_weights, tolOf(c.expected.matrix_weights.data, 1e-3), 'matrix weights');
        // Squared errors per sweep: float32 may stop a sweep or two apart; the common prefix agrees.
        const exp = c.expected.rec_errors.data as number[];
        expect(Math.abs(r.errors.length - c.expected.n_iterations)).toBeLessThanOrEqual(3);
        const n = Math.min(r.errors.length, exp.length);
        for (let i = 0; i < n; i++) expect(Math.abs(r.errors[i] - exp[i]), `rec_errors[${i}]`).toBeLessThanOrEqual(1e-3 * exp[i] + 1e-6);
        tf.dispose([rt, rm]);
        return [r.tensorCp, r.matrixCp];
      });
      tf.dispose([t, m]);
    });
  }

  it('cmtf_matrix_row_mismatch: ShapeError (TensorLy ValueError), no leak', () => {
    const c = fixtureCase(F, 'cmtf_matrix_row_mismatch');
    expect(c.expected_error?.type).toBe('ValueError');
    const t = fx(c.inputs.tensor_3d);
    const m = fx(c.inputs.matrix);
    const before = tf.memory().numTensors;
    expect(() => coupledMatrixTensor3dFactorization(t, m, c.inputs.rank)).toThrow(ShapeError);
    expect(() => coupledMatrixTensor3dFactorization(t, m, 2, { nIter: 3 } as any)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, m]);
  });
});
