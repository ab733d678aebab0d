import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import {
  ArgumentError,
  CPTensor,
  ModeError,
  NonFiniteError,
  NotSupportedError,
  RankError,
  ShapeError,
  parafac,
  randomCp,
  validateCpRank,
} from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fx, loadFixtures, relError } from '../../../../test-utils/index.js';
import { expectErrorsClose, identityTol } from './helpers.js';

const file = loadFixtures('decompositions');
const parafacCases = file.cases.filter((c) => c.name.startsWith('parafac_'));

describe('parafac: fixtures (TensorLy 0.9, SVD init, tol 0)', () => {
  it('covers every parafac case of decompositions.json', () => {
    expect(parafacCases.length).toBe(6);
    expect(() => parafac(tf.ones([3, 4, 5]), 2, { engine: 'host', linesearch: true })).toThrow(NotSupportedError);
  });
  for (const c of parafacCases) for (const engine of ['host', 'device'] as const) {
    it(`${c.name} (${engine} engine)`, () => {
      const inp = c.inputs;
      const t = fx(inp.tensor);
      const { cp, errors } = parafac(t, inp.rank, {
        nIterMax: inp.n_iter_max,
        tol: inp.tol,
        init: inp.init,
        svd: inp.svd,
        normalizeFactors: inp.normalize_factors ?? false,
        returnErrors: true,
        engine,
      });
      expectErrorsClose(errors, c.expected.rec_errors.data, 'rec_errors');
      const rec = cp.toTensor();
      expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance, 1e-3), 'reconstruction');
      expect(Math.abs(relError(rec, t) - c.expected.final_relative_error)).toBeLessThan(identityTol(c.expected.final_relative_error).atol);
      // Deterministic SVD init + svd_flip: the factors themselves match, except for the
      // over-ranked case, whose factors are ill-conditioned (the note says: compare reconstructions).
      if (!String(c.note).includes('Over-ranked')) {
        c.expected.factors.forEach((f: { shape: number[]; data: number[] }, i: number) => {
          expectClose(cp.factors[i], f, f32Tolerance(f.data, c.tolerance, 2e-3, 2e-4), `factors[${i}]`);
        });
        expectClose(cp.weights, c.expected.weights, f32Tolerance(c.expected.weights.data, c.tolerance, 1e-3), 'weights');
      }
      tf.dispose([t, rec]);
      cp.dispose();
    });
  }
});

describe('parafac: options', () => {
  const data = () => randomCp([6, 7, 5], 3, { full: true, seed: 11 });

  it('resolves rank "same" and fractions like validateCpRank', () => {
    const t = randomCp([4, 4, 3, 3], 2, { full: true, seed: 3 });
    const cp = parafac(t, 'same', { nIterMax: 2 });
    expect(cp.rank).toBe(validateCpRank([4, 4, 3, 3], 'same'));
    cp.dispose();
    const half = parafac(t, 0.5, { nIterMax: 2 });
    expect(half.rank).toBe(validateCpRank([4, 4, 3, 3], 0.5));
    half.dispose();
    t.dispose();
  });

  for (const engine of ['host', 'device'] as const) it(`keeps fixed modes at their init and refuses to fix the last mode (${engine})`, () => {
    const t = data();
    const init = parafac(t, 3, { nIterMax: 0 });
    const cp = parafac(t, 3, { init, fixedModes: [0, 2], nIterMax: 5, engine });
    expectClose(cp.factors[0], init.factors[0].dataSync(), { rtol: 0, atol: 0 }, 'fixed mode 0');
    expect(relError(cp.factors[2], init.factors[2])).toBeGreaterThan(1e-6);
    tf.dispose([t]);
    init.dispose();
    cp.dispose();
  });

  it('returns the init when every mode is fixed', () => {
    const t = data();
    const init = parafac(t, 3, { nIterMax: 0 });
    const cp = parafac(t, 3, { init, fixedModes: [0, 1, 2] });
    init.factors.forEach((f, i) => expectClose(cp.factors[i], f.dataSync(), { rtol: 0, atol: 0 }, `factor ${i}`));
    tf.dispose([t]);
    init.dispose();
    cp.dispose();
  });

  for (const engine of ['host', 'device'] as const) it(`calls the callback before the loop and after each sweep, and stops when it returns true (${engine})`, () => {
    const t = data();
    const seen: number[] = [];
    const { cp, errors } = parafac(t, 3, {
      engine,
      tol: 0,
      nIterMax: 20,
      returnErrors: true,
      callback: ({ iteration, error }) => {
        seen.push(iteration);
        expect(Number.isFinite(error)).toBe(true);
        return iteration === 3;
      },
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(errors.length).toBe(3);
    cp.dispose();
    t.dispose();
  });

  it('stops on tol from the second sweep (abs_rec_error and rec_error)', () => {
    const t = data();
    const a = parafac(t, 3, { tol: 1e-1, returnErrors: true });
    expect(a.errors.length).toBe(2);
    const b = parafac(t, 3, { tol: 1e-1, cvgCriterion: 'rec_error', returnErrors: true });
    expect(b.errors.length).toBe(2);
    a.cp.dispose();
    b.cp.dispose();
    t.dispose();
  });

  for (const engine of ['host', 'device'] as const) it(`normalizeFactors gives unit columns and norms in the weights (${engine})`, () => {
    const t = data();
    const cp = parafac(t, 3, { normalizeFactors: true, nIterMax: 100, tol: 0, engine });
    for (const f of cp.factors) {
      const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(f), 0)).dataSync());
      norms.forEach((n) => expect(n).toBeCloseTo(1, 5));
    }
    const rec = cp.toTensor();
    expect(relError(rec, t)).toBeLessThan(1e-3);
    tf.dispose([t, rec]);
    cp.dispose();
  });

  it('random init is reproducible with the same seed', () => {
    const t = data();
    const a = parafac(t, 3, { init: 'random', seed: 5, nIterMax: 10, tol: 0, returnErrors: true });
    const b = parafac(t, 3, { init: 'random', seed: 5, nIterMax: 10, tol: 0, returnErrors: true });
    expect(a.errors).toEqual(b.errors);
    a.cp.factors.forEach((f, i) => expectClose(b.cp.factors[i], f.dataSync(), { rtol: 0, atol: 0 }, `factor ${i}`));
    a.cp.dispose();
    b.cp.dispose();
    t.dispose();
  });

  it('line search, l2Reg, orthogonalise and the gram/randomized SVD inits converge (both engines)', () => {
    const t = data();
    const base = [{ l2Reg: 1e-6 }, { orthogonalise: 2 }, { orthogonalise: true, nIterMax: 5 }, { svd: 'gram' as const }, { svd: 'randomized_svd' as const, seed: 1 }];
    for (const opts of [{ linesearch: true }, ...base, ...base.map((b) => ({ ...b, engine: 'device' as const }))]) {
      const { cp, errors } = parafac(t, 3, { nIterMax: 100, tol: 1e-9, ...opts, returnErrors: true });
      const rec = cp.toTensor();
      const bound = 'orthogonalise' in opts && opts.orthogonalise === true ? 0.5 : 1e-3;
      expect(relError(rec, t), JSON.stringify(opts)).toBeLessThan(bound);
      expect(errors.every(Number.isFinite)).toBe(true);
      tf.dispose(rec);
      cp.dispose();
    }
    t.dispose();
  });

  it('accepts a CPTensor init; unit weights keep the factors, others are spread by prod(w)^(1/R)', () => {
    const t = data();
    const init = new CPTensor([2, 0.5, 1], [tf.ones([6, 3]), tf.ones([7, 3]), tf.ones([5, 3])]);
    const cp = parafac(t, 3, { init, nIterMax: 0 });
    // prod(w)^(1/3) = 1: factors unchanged, weights reset to ones (TensorLy's rule).
    expectClose(cp.factors[1], init.factors[1].dataSync(), { rtol: 0, atol: 0 }, 'factor');
    expectClose(cp.weights, [1, 1, 1], { rtol: 0, atol: 0 }, 'weights');
    cp.dispose();
    init.dispose();
    t.dispose();
  });

  it('fills missing values with a mask', () => {
    const full = randomCp([8, 9, 7], 2, { full: true, seed: 4 });
    // About 15% of the entries missing, scattered (a deterministic hash, no slice left empty).
    const maskData = new Float32Array(8 * 9 * 7).map((_, i) => (((i * 2654435761) >>> 0) % 100 < 15 ? 0 : 1));
    const mask = tf.tensor(maskData, [8, 9, 7]);
    const corrupted = tf.tidy(() => tf.mul(full, mask));
    const cp = parafac(corrupted, 2, { mask, nIterMax: 200, tol: 1e-10 });
    const rec = cp.toTensor();
    expect(relError(rec, full)).toBeLessThan(1e-2);
    tf.dispose([full, mask, corrupted, rec]);
    cp.dispose();
  });

  it('handles a rank larger than the modes: a 512x3x3x512 conv weight with rank "same" (2291)', () => {
    const w = tf.tidy(() => tf.randomNormal([512, 3, 3, 512], 0, 1, 'float32', 7));
    const before = tf.memory().numTensors;
    let peakBytes = 0;
    // One sweep on the last mode only (the other modes fixed): an R x R solve with R = 2291
    // costs O(R^3) whatever the implementation, and one is enough to exercise the path.
    // The cpu backend (~0.75 GFLOP/s) checks the init only: one sweep is ~2e10 flops there.
    const sweeps = tf.getBackend() === 'cpu' ? 0 : 1;
    const cp = parafac(w, 'same', {
      nIterMax: sweeps,
      tol: 0,
      fixedModes: [0, 1, 2],
      callback: () => {
        peakBytes = Math.max(peakBytes, tf.memory().numBytes);
      },
    });
    expect(cp.rank).toBe(2291);
    expect(cp.factors.map((f) => f.shape)).toEqual([
      [512, 2291],
      [3, 2291],
      [3, 2291],
      [512, 2291],
    ]);
    const finite = tf.tidy(() => cp.factors.every((f) => tf.all(tf.isFinite(f)).dataSync()[0] === 1));
    expect(finite).toBe(true);
    // Factors hold 2 * (512 + 3) * 2291 floats; a full U/V of an unfolding would need 786432^2.
    expect(peakBytes).toBeLessThan(400e6);
    cp.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  }, 120_000);
});

describe('large-rank solve', () => {
  it('inverts R x R normal matrices above the host threshold by blocks (R = 600)', async () => {
    const { inverseToDevice } = await import('../../src/decomposition/internal/smallInverse.js');
    const R = 600;
    const a = { rows: R, cols: R, data: new Float64Array(R * R) };
    for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) a.data[i * R + j] = (i === j ? R : 0) + Math.cos(0.37 * i + 0.11 * j) * Math.cos(0.37 * j + 0.11 * i);
    const inv = inverseToDevice(a);
    const prod = tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(a.data), [R, R]), inv));
    const eye = tf.tidy(() => tf.eye(R));
    expect(relError(prod, eye)).toBeLessThan(1e-5);
    tf.dispose([inv, prod, eye]);
  });
});

describe('parafac: input validation', () => {
  const t = () => tf.ones([3, 4, 5]);
  const cases: [string, () => unknown, new (...a: any[]) => Error][] = [
    ['NaN input', () => parafac(tf.tensor([[1, NaN], [2, 3]]), 1), NonFiniteError],
    ['1-D input', () => parafac([1, 2, 3], 1), ShapeError],
    ['rank 0', () => parafac(t(), 0), RankError],
    ['negative rank', () => parafac(t(), -2), RankError],
    ['rank list', () => parafac(t(), [2, 2]), RankError],
    ['unknown option', () => parafac(t(), 2, { nIter: 3 } as never), ArgumentError],
    ['bad nIterMax', () => parafac(t(), 2, { nIterMax: -1 }), ArgumentError],
    ['bad tol', () => parafac(t(), 2, { tol: NaN }), ArgumentError],
    ['bad init', () => parafac(t(), 2, { init: 'hosvd' as never }), ArgumentError],
    ['bad svd', () => parafac(t(), 2, { svd: 'lapack' as never }), ArgumentError],
    ['bad cvgCriterion', () => parafac(t(), 2, { cvgCriterion: 'x' as never }), ArgumentError],
    ['fixed mode out of range', () => parafac(t(), 2, { fixedModes: [3] }), ModeError],
    ['mask shape', () => parafac(t(), 2, { mask: tf.ones([3, 4]) }), ShapeError],
    ['mask values', () => parafac(t(), 2, { mask: tf.fill([3, 4, 5], 2) }), ArgumentError],
    ['init shape', () => parafac(t(), 2, { init: new CPTensor(null, [tf.ones([3, 2]), tf.ones([4, 2]), tf.ones([6, 2])]) }), ShapeError],
    ['init rank', () => parafac(t(), 3, { init: new CPTensor(null, [tf.ones([3, 2]), tf.ones([4, 2]), tf.ones([5, 2])]) }), ShapeError],
  ];
  for (const [label, fn, type] of cases) {
    it(`throws ${type.name} for ${label}, naming the argument`, () => {
      expect(fn).toThrow(type);
    });
  }
  it('messages name the argument and what came', () => {
    expect(() => parafac(tf.ones([3, 4, 5]), 2, { nIterMax: 1.5 })).toThrow(/nIterMax.*1\.5/);
    expect(() => parafac(tf.ones([3, 4, 5]), 0)).toThrow(/rank/);
  });
});

describe('parafac: no leaks', () => {
  const t = randomCp([5, 6, 4], 2, { full: true, seed: 2 });
  const mask = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([5, 6, 4], 0, 1, 'float32', 3), 0.2), 'float32'));
  const variants: [string, object][] = [
    ['svd', {}],
    ['svd device', { engine: 'device' }],
    ['random', { init: 'random', seed: 1 }],
    ['normalize', { normalizeFactors: true }],
    ['normalize device', { normalizeFactors: true, engine: 'device' }],
    ['linesearch', { linesearch: true, nIterMax: 20 }],
    ['mask', { mask, nIterMax: 10 }],
    ['mask+linesearch', { mask, linesearch: true, nIterMax: 12 }],
    ['orthogonalise', { orthogonalise: 3, nIterMax: 5 }],
    ['fixed', { fixedModes: [0], nIterMax: 5 }],
    ['fixed device', { fixedModes: [0], nIterMax: 5, engine: 'device' }],
    ['callback', { callback: () => false, nIterMax: 3 }],
    ['returnErrors', { returnErrors: true, nIterMax: 3 }],
  ];
  for (const [label, opts] of variants) {
    it(label, () => {
      expectNoLeak(() => parafac(t, 2, opts as never));
    });
  }
  it('nested-array input and failing calls', () => {
    expectNoLeak(() => parafac([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], 1));
    expectNoLeak(() => {
      expect(() => parafac([[[1, 2], [3, NaN]]], 1)).toThrow(NonFiniteError);
      return null;
    });
  });
});

describe('parafac: size-1 modes (pointwise convolution kernels)', () => {
  // The device engine's dimension tree once skipped the factor of a size-1 mode (B/A = 1
  // taken for "no modes"): the device result must follow the host (float64) one.
  for (const shape of [[6, 5, 1, 1], [1, 7, 4], [5, 1, 6, 1]]) {
    it(`device engine equals host engine on ${JSON.stringify(shape)}`, () => {
      const t = randomCp(shape, 2, { full: true, seed: 5 });
      const opts = { nIterMax: 8, tol: 0, init: 'random' as const, seed: 3, returnErrors: true as const };
      const h = parafac(t, 2, { ...opts, engine: 'host' });
      const d = parafac(t, 2, { ...opts, engine: 'device' });
      const hr = h.cp.toTensor();
      const dr = d.cp.toTensor();
      expect(relError(dr, hr)).toBeLessThan(3e-3);
      d.errors.forEach((e, i) => expect(Math.abs(e - h.errors[i])).toBeLessThan(1e-3));
      tf.dispose([t, hr, dr]);
      h.cp.dispose();
      d.cp.dispose();
    });
  }
});

describe('parafac: properties', () => {
  it('recovers a random CP tensor of rank r at rank r (relative error < 1e-3)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 4, max: 7 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, r, seed) => {
          const t = randomCp(shape, r, { full: true, seed });
          const cp = parafac(t, r, { nIterMax: 500, tol: 1e-10, linesearch: seed % 2 === 0 });
          const rec = cp.toTensor();
          const e = relError(rec, t);
          tf.dispose([t, rec]);
          cp.dispose();
          return e < 1e-3;
        },
      ),
      { numRuns: 12, seed: 42 },
    );
  });

  it('errors never increase without line search', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 4 }), (seed, r) => {
        const t = tf.tidy(() => tf.add(randomCp([6, 5, 7], 3, { full: true, seed }), tf.randomNormal([6, 5, 7], 0, 0.05, 'float32', seed)));
        const { cp, errors } = parafac(t, r, { nIterMax: 30, tol: 0, returnErrors: true, engine: seed % 2 === 0 ? 'host' : 'device' });
        tf.dispose(t);
        cp.dispose();
        // ALS is monotone; allow the float32 rounding of the error identity.
        return errors.every((e, i) => i === 0 || e <= errors[i - 1] + identityTol(e).atol);
      }),
      { numRuns: 10, seed: 7 },
    );
  });
});
