import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, RankError, ShapeError } from '../../src/errors/index.js';
import {
  Parafac2Tensor,
  applyParafac2Projections,
  parafac2Normalise,
  parafac2ToSlice,
  parafac2ToSlices,
  parafac2ToTensor,
  parafac2ToUnfolded,
  parafac2ToVec,
} from '../../src/tensors/index.js';
import { randomParafac2 } from '../../src/random/index.js';
import { unfold } from '../../src/base/index.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, type FixtureCase } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions2');

function inputsOf(c: FixtureCase) {
  return {
    weights: fx(c.inputs.weights),
    factors: (c.inputs.factors as any[]).map(fx),
    projections: (c.inputs.projections as any[]).map(fx),
  };
}

/** Host float64 slice X_i = (P_i B) diag(A[i] w) C^T, the definition written out. */
function sliceByDefinition(p: { weights: tf.Tensor; factors: tf.Tensor[]; projections: tf.Tensor[] }, i: number): number[] {
  const R = p.factors[0].shape[1] as number;
  const w = p.weights.dataSync();
  const A = p.factors[0].dataSync();
  const B = p.factors[1].dataSync();
  const C = p.factors[2].dataSync();
  const P = p.projections[i].dataSync();
  const J = p.projections[i].shape[0] as number;
  const K = p.factors[2].shape[0] as number;
  const out: number[] = [];
  for (let j = 0; j < J; j++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let r = 0; r < R; r++) {
        let pb = 0;
        for (let q = 0; q < R; q++) pb += P[j * R + q] * B[q * R + r];
        s += pb * A[i * R + r] * w[r] * C[k * R + r];
      }
      out.push(s);
    }
  }
  return out;
}

describe('PARAFAC2 tensor fixtures (decompositions2.json, TensorLy 0.9)', () => {
  it('parafac2_to_slices_given_factors', () => {
    const c = fixtureCase(file, 'parafac2_to_slices_given_factors');
    const p = inputsOf(c);
    const slices = expectNoLeak(() => parafac2ToSlices(p));
    const again = parafac2ToSlices(p);
    (c.expected as any[]).forEach((e, i) => expectClose(again[i], e, f32Tolerance(e.data, c.tolerance), `slice ${i}`));
    expect(slices.length).toBe(3);
    tf.dispose([...again, p.weights, ...p.factors, ...p.projections]);
  });

  it('parafac2_to_slice_index1', () => {
    const c = fixtureCase(file, 'parafac2_to_slice_index1');
    const p = new Parafac2Tensor(fx(c.inputs.weights), (c.inputs.factors as any[]).map(fx), (c.inputs.projections as any[]).map(fx));
    const s = p.toSlice(c.inputs.slice_idx);
    expectClose(s, c.expected, f32Tolerance(c.expected.data, c.tolerance), 'slice 1');
    expect(() => parafac2ToSlice(p, 3)).toThrow(ModeError);
    s.dispose();
    p.dispose();
  });

  it('parafac2_to_tensor_padded: zero-padded (I, max J_i, K)', () => {
    const c = fixtureCase(file, 'parafac2_to_tensor_padded');
    const p = inputsOf(c);
    const t = parafac2ToTensor(p);
    expectClose(t, c.expected, f32Tolerance(c.expected.data, c.tolerance), 'tensor');
    // The padding rows are exact zeros (slice 1 has 3 of 6 rows).
    const pad = tf.tidy(() => tf.slice(t, [1, 3, 0], [1, 3, -1]).abs().max().dataSync()[0]);
    expect(pad).toBe(0);
    // Unfoldings and vec are those of the padded tensor.
    for (const mode of [0, 1, 2]) {
      const u = parafac2ToUnfolded(p, mode);
      const ref = unfold(t, mode);
      expectClose(u, ref.dataSync(), { rtol: 0, atol: 0 }, `unfold ${mode}`);
      tf.dispose([u, ref]);
    }
    const v = parafac2ToVec(p);
    expectClose(v, c.expected.data, f32Tolerance(c.expected.data, c.tolerance), 'vec');
    expect(() => parafac2ToUnfolded(p, 3)).toThrow(ModeError);
    tf.dispose([t, v, p.weights, ...p.factors, ...p.projections]);
  });

  it('apply_parafac2_projections: (weights, (A, [P_i B], C))', () => {
    const c = fixtureCase(file, 'apply_parafac2_projections');
    const p = inputsOf(c);
    const out = applyParafac2Projections(p);
    const [eA, eBs, eC] = c.expected.factors as any[];
    expectClose(out.weights, c.expected.weights, f32Tolerance(c.expected.weights.data, c.tolerance), 'weights');
    expectClose(out.factors[0], eA, f32Tolerance(eA.data, c.tolerance), 'A');
    expectClose(out.factors[2], eC, f32Tolerance(eC.data, c.tolerance), 'C');
    (eBs as any[]).forEach((e, i) => expectClose(out.factors[1][i], e, f32Tolerance(e.data, c.tolerance), `B_${i}`));
    tf.dispose([out.weights, out.factors[0], ...out.factors[1], out.factors[2], p.weights, ...p.factors, ...p.projections]);
  });

  it('parafac2_to_slices_non_orthonormal_projection: ArgumentError, nothing leaked', () => {
    const c = fixtureCase(file, 'parafac2_to_slices_non_orthonormal_projection');
    expect(c.expected_error.type).toBe('ValueError');
    const p = inputsOf(c);
    expectNoLeak(() => {
      expect(() => parafac2ToSlices(p)).toThrow(/projections\[1\] must have orthonormal columns/);
    });
    expect(() => parafac2ToSlices(p)).toThrow(ArgumentError);
    // The constructor rejects it too, and leaves the caller's tensors alone.
    expectNoLeak(() => {
      expect(() => new Parafac2Tensor(p.weights, p.factors, p.projections)).toThrow(ArgumentError);
    });
    expect(p.projections[1].isDisposed).toBe(false);
    tf.dispose([p.weights, ...p.factors, ...p.projections]);
  });

  it('parafac2_to_slices_projection_count: ShapeError', () => {
    const c = fixtureCase(file, 'parafac2_to_slices_projection_count');
    expect(c.expected_error.type).toBe('ValueError');
    const p = inputsOf(c);
    expectNoLeak(() => {
      expect(() => parafac2ToSlices(p)).toThrow(ShapeError);
    });
    expect(() => parafac2ToTensor(p)).toThrow(/one matrix per row of factors\[0\]/);
    tf.dispose([p.weights, ...p.factors, ...p.projections]);
  });
});

describe('Parafac2Tensor', () => {
  it('validates its parts with typed errors naming them', () => {
    const P = tf.eye(3).slice([0, 0], [3, 2]);
    const ok = { factors: [tf.ones([2, 2]), tf.eye(2), tf.ones([4, 2])], projections: [P, P] };
    expect(() => parafac2ToSlices({ factors: ok.factors.slice(0, 2), projections: ok.projections })).toThrow(/exactly three/);
    expect(() => parafac2ToSlices({ factors: [ok.factors[0], tf.ones([3, 2]), ok.factors[2]], projections: ok.projections })).toThrow(ShapeError);
    expect(() => parafac2ToSlices({ factors: [ok.factors[0], ok.factors[1], tf.ones([4, 3])], projections: ok.projections })).toThrow(/factors\[2\]/);
    expect(() => parafac2ToSlices({ ...ok, weights: [1, 2, 3] })).toThrow(/weights/);
    expect(() => parafac2ToSlices({ ...ok, projections: [P, tf.eye(3)] })).toThrow(/projections\[1\]/);
    expect(() => parafac2ToSlices({ factors: ok.factors } as any)).toThrow(ArgumentError);
    const p = new Parafac2Tensor(null, ok.factors, ok.projections);
    expect(p.shape).toEqual([2, 3, 4]);
    expect(p.sliceShapes).toEqual([[3, 4], [3, 4]]);
    expect(p.rank).toBe(2);
    expectClose(p.weights, [1, 1], { rtol: 0, atol: 0 });
    p.dispose();
    p.dispose();
    expect(() => p.toTensor()).toThrow(/disposed Parafac2Tensor/);
    expect(P.isDisposed).toBe(true);
  });

  it('slices follow the definition; normalise keeps them and gives unit columns (random, ragged)', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.array(fc.integer({ min: 3, max: 6 }), { minLength: 1, maxLength: 4 }),
          K: fc.integer({ min: 1, max: 5 }),
          rank: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        ({ rows, K, rank, seed }) => {
          const p = randomParafac2(rows.map((J) => [J, K]), rank, { seed });
          const slices = p.toSlices();
          slices.forEach((s, i) => {
            expect(s.shape).toEqual([rows[i], K]);
            const ref = sliceByDefinition(p, i);
            expectClose(s, ref, f32Tolerance(ref), `slice ${i}`);
          });
          const n = expectNoLeak(() => parafac2Normalise(p));
          const m = parafac2Normalise(p);
          m.toSlices().forEach((s, i) => {
            expectClose(s, slices[i].dataSync(), f32Tolerance(slices[i].dataSync()), `normalised slice ${i}`);
            s.dispose();
          });
          for (const f of m.factors) {
            const norms = tf.tidy(() => tf.norm(f, 'euclidean', 0).dataSync());
            expectClose(norms, Array(rank).fill(1), { rtol: 1e-5, atol: 1e-5 }, 'unit columns');
          }
          expect(n.isDisposed).toBe(true);
          tf.dispose(slices);
          m.dispose();
          p.dispose();
        },
      ),
      { numRuns: 15 },
    );
  });

  it('clone owns new tensors', () => {
    const p = randomParafac2([[4, 3], [5, 3]], 2, { seed: 1 });
    const q = p.clone();
    p.dispose();
    const t = q.toTensor();
    expect(t.shape).toEqual([2, 5, 3]);
    tf.dispose(t);
    q.dispose();
  });
});

describe('randomParafac2', () => {
  it('is seeded, has orthonormal projections and U[0,1) factors', () => {
    const a = randomParafac2([[5, 4], [3, 4], [6, 4]], 3, { seed: 7 });
    const b = randomParafac2([[5, 4], [3, 4], [6, 4]], 3, { seed: 7 });
    const ta = a.toTensor();
    const tb = b.toTensor();
    expectClose(ta, tb.dataSync(), { rtol: 0, atol: 0 }, 'same seed');
    for (const P of a.projections) {
      const d = tf.tidy(() => tf.sub(tf.matMul(P, P, true, false), tf.eye(3)).abs().max().dataSync()[0]);
      expect(d).toBeLessThan(1e-5);
    }
    for (const f of a.factors) {
      const v = f.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThan(1);
    }
    const full = randomParafac2([[5, 4], [3, 4], [6, 4]], 3, { seed: 7, full: true });
    expectClose(full, ta.dataSync(), { rtol: 0, atol: 0 }, 'full');
    const norm = randomParafac2([[5, 4], [3, 4], [6, 4]], 3, { seed: 7, normaliseFactors: true });
    const tn = norm.toTensor();
    expectClose(tn, ta.dataSync(), f32Tolerance(ta.dataSync()), 'normalised: same tensor');
    tf.dispose([ta, tb, full, tn]);
    [a, b, norm].forEach((p) => p.dispose());
  });

  it('rejects bad shapes and ranks with typed errors, without leaks', () => {
    expectNoLeak(() => {
      expect(() => randomParafac2([[5, 4], [3, 5]], 2)).toThrow(ShapeError);
      expect(() => randomParafac2([], 2)).toThrow(ShapeError);
      expect(() => randomParafac2([[5, 4, 1]], 2)).toThrow(ShapeError);
      expect(() => randomParafac2([[5, 4], [2, 4]], 3)).toThrow(RankError);
      expect(() => randomParafac2([[5, 4]], 0)).toThrow(RankError);
      expect(() => randomParafac2([[5, 4]], 2, { full: 1 as any })).toThrow(ArgumentError);
    });
  });
});
