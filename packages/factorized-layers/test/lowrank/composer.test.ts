import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, NonFiniteError } from '@tenfold/core';
import { applyConvSequence, factorizeConv2d, factorizeMatrix, lowRankConvSpecs } from '@tenfold/factorized-layers';
import * as math from 'mathjs';
import { expectClose, expectNoLeak, f32Tolerance, fx, loadFixtures, relError, type FixtureArray } from '../../../../test-utils/index.js';

const file = loadFixtures('layers');
const composer = file.cases.filter((c) => c.name.startsWith('composer_'));
const matrixCases = composer.filter((c) => c.name.startsWith('composer_factorize_matrix'));
const convCases = composer.filter((c) => c.name.startsWith('composer_factorize_conv2d') && !c.expected_error);

/** ALS in float32 against a float64 anchor: 3 sweeps amplify rounding a little. */
const ALS_RTOL = 5e-4;

/** float64 matmul of row-major arrays. */
function matmul64(a: number[], b: number[], n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const v = a[i * k + p];
    for (let j = 0; j < m; j++) out[i * m + j] += v * b[p * m + j];
  }
  return out;
}

/** The true nmse of `x W + bias` against y, in float64: mean((y - ŷ)²) / var_unbiased(y). */
function trueNmse(x: FixtureArray, w: ArrayLike<number>, bias: FixtureArray | null, y: FixtureArray): number {
  const [n, d] = x.shape;
  const m = y.shape[1];
  const yh = matmul64(x.data, Array.from(w), n, d, m);
  let num = 0;
  let mean = 0;
  for (let i = 0; i < n * m; i++) {
    const e = y.data[i] - yh[i] - (bias ? bias.data[i % m] : 0);
    num += e * e;
    mean += y.data[i];
  }
  mean /= n * m;
  let ss = 0;
  for (const v of y.data) ss += (v - mean) ** 2;
  return num / (n * m) / (ss / (n * m - 1));
}

/** mean((a - r)²) / var_unbiased(r) over all elements, float64 on the host. */
function nmseOf(a: tf.Tensor, r: tf.Tensor): number {
  const x = a.dataSync();
  const y = r.dataSync();
  let num = 0;
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] / y.length;
  let ss = 0;
  for (let i = 0; i < y.length; i++) {
    num += (x[i] - y[i]) ** 2;
    ss += (y[i] - mean) ** 2;
  }
  return num / y.length / (ss / (y.length - 1));
}

describe('factorizeMatrix (Composer fixtures)', () => {
  it('loads every composer_* case of layers.json', () => {
    expect(matrixCases.length + convCases.length + composer.filter((c) => c.expected_error).length).toBe(composer.length);
    expect(composer.length).toBe(6);
  });
  for (const c of matrixCases) {
    c.inputs.runs.forEach((run: { rank: number; pass_bias: boolean }, i: number) => {
      it(`${c.name} run ${i} (rank ${run.rank}, bias ${run.pass_bias})`, () => {
        const exp = c.expected.runs[i];
        const inp = c.inputs;
        const [X, Y, Wa] = [fx(inp.X), fx(inp.Y), fx(inp.Wa)];
        const Wb = inp.Wb ? fx(inp.Wb) : null;
        const bias = inp.bias ? fx(inp.bias) : null;
        expectNoLeak(() => {
          const sol = factorizeMatrix(X, Y, Wa, { wb: Wb, bias: run.pass_bias ? bias : null, rank: run.rank, nIters: inp.n_iters });
          expect(sol.rank).toBe(exp.rank);
          const tol = (e: FixtureArray) => f32Tolerance(e.data, c.tolerance, exp.WaWb ? ALS_RTOL : 1e-4, 1e-5);
          let product: ArrayLike<number>;
          if (exp.WaWb) {
            const p = tf.tidy(() => tf.matMul(sol.wa, sol.wb!));
            product = p.dataSync();
            expectClose(p, exp.WaWb, tol(exp.WaWb), 'WaWb');
            expect(sol.wa.shape).toEqual(exp.Wa.shape);
            expect(sol.wb!.shape).toEqual(exp.Wb.shape);
            p.dispose();
          } else {
            expectClose(sol.wa, exp.Wa, tol(exp.Wa), 'Wa');
            if (exp.Wb) expectClose(sol.wb!, exp.Wb, tol(exp.Wb), 'Wb');
            else expect(sol.wb).toBeNull();
            product = exp.Wb ? matmul64(exp.Wa.data, exp.Wb.data, exp.Wa.shape[0], exp.Wa.shape[1], exp.Wb.shape[1]) : exp.Wa.data;
          }
          if (exp.bias) expectClose(sol.bias!, exp.bias, tol(exp.bias), 'bias');
          else expect(sol.bias).toBeNull();
          // Composer's reported value (with its bias-offset quirk and the skip rules' 0).
          expect(Math.abs(sol.composerNmse - exp.nmse)).toBeLessThanOrEqual(ALS_RTOL * exp.nmse + 1e-6);
          // The true nmse of the anchor's own solution, recomputed in float64.
          const truth = trueNmse(inp.X, exp.WaWb ? exp.WaWb.data : product, exp.bias ?? null, inp.Y);
          expect(Math.abs(sol.nmse - truth)).toBeLessThanOrEqual(ALS_RTOL * truth + 1e-6);
          if (!run.pass_bias) expect(sol.nmse).toBeCloseTo(sol.composerNmse, 10);
          return sol;
        });
        tf.dispose([X, Y, Wa, Wb, bias].filter((t): t is tf.Tensor => t !== null));
      });
    });
  }

  it('the true nmse is below Composer value when a bias is passed (the offset is not error)', () => {
    const c = matrixCases[0];
    const [X, Y, Wa, b] = [fx(c.inputs.X), fx(c.inputs.Y), fx(c.inputs.Wa), fx(c.inputs.bias)];
    const sol = factorizeMatrix(X, Y, Wa, { bias: b, rank: 8 });
    expect(sol.nmse).toBeLessThan(sol.composerNmse);
    sol.dispose();
    tf.dispose([X, Y, Wa, b]);
  });

  it('error falls as the rank grows, and rank = min(D, M) - 1 is nearly exact on exact data', () => {
    const X = tf.randomNormal([200, 20], 0, 1, 'float32', 3);
    const W = tf.randomNormal([20, 16], 0, 1, 'float32', 4);
    const Y = tf.matMul(X, W);
    const errs = [2, 6, 10, 15].map((r) => {
      const s = factorizeMatrix(X, Y, W, { rank: r });
      const e = s.nmse;
      s.dispose();
      return e;
    });
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]);
    tf.dispose([X, W, Y]);
  });

  it('minimum-norm least squares on wide data (N < D) and on a rank-deficient design', () => {
    const cases: [string, tf.Tensor2D][] = [
      ['wide 12 x 20', tf.randomNormal([12, 20], 0, 1, 'float32', 51) as tf.Tensor2D],
      // a dead unit (zero column) and a duplicated column: XᵀX is singular
      ['rank-deficient 40 x 8', tf.tidy(() => {
        const z = tf.randomNormal([40, 6], 0, 1, 'float32', 52);
        return tf.concat([z, tf.zeros([40, 1]), tf.slice(z, [0, 0], [-1, 1])], 1) as tf.Tensor2D;
      })],
    ];
    for (const [label, X] of cases) {
      const [n, d] = X.shape;
      const W = tf.randomNormal([d, 5], 0, 1, 'float32', 53);
      const Y = tf.add(tf.matMul(X, W), tf.randomNormal([n, 5], 0, 0.1, 'float32', 54));
      // Skip rule A (rank >= M) returns lstsq(X, Y): it must be pinv(X) Y.
      const ref = math.multiply(math.pinv(math.matrix(X.arraySync() as number[][])), math.matrix(Y.arraySync() as number[][])) as math.Matrix;
      const refFlat = (ref.toArray() as number[][]).flat();
      expectNoLeak(() => {
        const sol = factorizeMatrix(X, Y, W, { rank: 5 });
        expect(sol.rank).toBe(-1);
        expect(relError(sol.wa, refFlat), label).toBeLessThan(1e-3);
        return sol;
      });
      // and a genuine factorization runs (rank 2) with a finite, sub-unit error
      const low = factorizeMatrix(X, Y, W, { rank: 2 });
      expect(Number.isFinite(low.nmse) && low.nmse > 0 && low.nmse < 1, label).toBe(true);
      low.dispose();
      tf.dispose([X, W, Y]);
    }
  });

  // Not a property: "ALS never increases the nmse". The sweeps are exact without intercept,
  // but the bias is fitted afterwards, so a mean offset in Y can make the final nmse rise above
  // the SVD init's (see docs/fidelity/lowrank.md).
  it('property: rank, zero-mean residual and nmse consistent with the returned operator (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 10_000 }), fc.boolean(), (k, seed, withBias) => {
        const [n, d, m] = [60, 10, 8];
        const X = tf.randomNormal([n, d], 0, 1, 'float32', seed);
        const W = tf.randomNormal([d, m], 0, 1, 'float32', seed + 1);
        const b = tf.randomNormal([m], 0, 1, 'float32', seed + 2);
        const Y = tf.tidy(() => tf.add(tf.add(tf.matMul(X, W), b), tf.randomNormal([n, m], 0, 0.3, 'float32', seed + 3)));
        const opts = { rank: k, bias: withBias ? b : null };
        const s0 = factorizeMatrix(X, Y, W, { ...opts, nIters: 0 });
        const s3 = factorizeMatrix(X, Y, W, { ...opts, nIters: 3 });
        expect(s3.rank).toBe(k);
        for (const s of [s0, s3]) {
          const yhat = tf.tidy(() => tf.add(tf.matMul(tf.matMul(X, s.wa), s.wb!), s.bias!));
          const meanResid = tf.tidy(() => tf.mean(tf.sub(Y, yhat), 0).abs().max().dataSync()[0]);
          expect(meanResid).toBeLessThan(1e-4);
          expect(s.nmse).toBeCloseTo(nmseOf(yhat, Y), 5);
          yhat.dispose();
        }
        s0.dispose();
        s3.dispose();
        tf.dispose([X, W, b, Y]);
      }),
      { numRuns: 20 },
    );
  });

  it('leaves no tensors behind when it throws', () => {
    const X = tf.ones([10, 4]);
    const W = tf.ones([4, 3]);
    const bad = tf.fill([10, 3], NaN);
    expectNoLeak(() => {
      expect(() => factorizeMatrix([[1, 2], [3, 4]], [[1], [2], [3]], [[1], [2]])).toThrow(ShapeError);
      expect(() => factorizeMatrix(X, bad, W)).toThrow(NonFiniteError);
      expect(() => factorizeConv2d([[[[1]]]], [[[[1, 2]]]])).toThrow(ShapeError);
    });
    tf.dispose([X, W, bad]);
  });

  it('rejects bad shapes, ranks and options with typed errors', () => {
    const X = tf.ones([10, 4]);
    const Y = tf.ones([10, 3]);
    const W = tf.ones([4, 3]);
    expect(() => factorizeMatrix(tf.ones([10]), Y, W)).toThrow(ShapeError);
    expect(() => factorizeMatrix(X, tf.ones([9, 3]), W)).toThrow(ShapeError);
    expect(() => factorizeMatrix(X, Y, tf.ones([4, 2]))).toThrow(ShapeError);
    expect(() => factorizeMatrix(X, Y, tf.ones([4, 2]), { wb: tf.ones([3, 3]) })).toThrow(ShapeError);
    expect(() => factorizeMatrix(X, Y, W, { bias: tf.ones([4]) })).toThrow(ShapeError);
    expect(() => factorizeMatrix(X, Y, W, { rank: 0 })).toThrow(RankError);
    expect(() => factorizeMatrix(X, Y, W, { rank: 0.1 })).toThrow(RankError); // floor(0.4) = 0
    expect(() => factorizeMatrix(X, Y, W, { rank: 1.5 })).toThrow(RankError);
    expect(() => factorizeMatrix(X, Y, W, { nIters: -1 })).toThrow(ArgumentError);
    expect(() => factorizeMatrix(X, tf.fill([10, 3], NaN), W)).toThrow(NonFiniteError);
    tf.dispose([X, Y, W]);
  });
});

describe('factorizeConv2d (Composer fixtures)', () => {
  for (const c of convCases) {
    c.inputs.runs.forEach((run: { rank: number; use_biasA: boolean }, i: number) => {
      it(`${c.name} run ${i} (rank ${run.rank}, biasA ${run.use_biasA})`, () => {
        const exp = c.expected.runs[i];
        const [X, W, bA] = [fx(c.inputs.X), fx(c.inputs.W), fx(c.inputs.biasA)];
        expectNoLeak(() => {
          const sol = factorizeConv2d(X, W, { rank: run.rank, biasA: run.use_biasA ? bA : null, nIters: c.inputs.n_iters, padding: c.inputs.padding });
          expect(sol.rank).toBe(exp.rank);
          expect(sol.wa.shape).toEqual(exp.Wa.shape);
          if (exp.WaWb_matrix) {
            expect(sol.wb!.shape).toEqual(exp.Wb.shape);
            const k = exp.rank;
            const p = tf.tidy(() => tf.matMul(tf.transpose(tf.reshape(sol.wa, [k, -1])), tf.transpose(tf.reshape(sol.wb!, [-1, k]))));
            expectClose(p, exp.WaWb_matrix, f32Tolerance(exp.WaWb_matrix.data, c.tolerance, ALS_RTOL, 1e-5), 'WaWb_matrix');
            p.dispose();
            expectClose(sol.bias!, exp.bias, f32Tolerance(exp.bias.data, c.tolerance, ALS_RTOL, 1e-5), 'bias');
            expect(Math.abs(sol.nmse - exp.nmse)).toBeLessThanOrEqual(ALS_RTOL * exp.nmse);
            expect(sol.composerNmse).toBeCloseTo(sol.nmse, 10);
          } else {
            expectClose(sol.wa, exp.Wa, f32Tolerance(exp.Wa.data, c.tolerance), 'Wa (skip rule A)');
            expect(sol.wb).toBeNull();
            expect(sol.bias).toBeNull();
            expect(sol.composerNmse).toBe(exp.nmse);
            expect(sol.nmse).toBeLessThan(1e-6); // Y = X W exactly, so lstsq recovers W
          }
          return sol;
        });
        tf.dispose([X, W, bA]);
      });
    });
  }

  it('composer_factorize_conv2d_stride2: a deliberate fix, stride 2 works and matches the strided conv', () => {
    const c = file.cases.find((k) => k.name === 'composer_factorize_conv2d_stride2')!;
    expect(c.expected_error!.type).toBe('NotImplementedError');
    const [X, W] = [fx(c.inputs.X), fx(c.inputs.W)];
    expectNoLeak(() => tf.tidy(() => {
      const sol = factorizeConv2d(X, W, { rank: c.inputs.rank, stride: c.inputs.stride });
      expect(sol.rank).toBe(c.inputs.rank);
      // The reported nmse is that of the two convs applied at stride 2 against the original conv.
      const specs = lowRankConvSpecs(sol, { stride: c.inputs.stride });
      const approx = applyConvSequence(X, specs);
      const ref = applyConvSequence(X, [{ weight: W as tf.Tensor4D, stride: [2, 2], padding: [[0, 0], [0, 0]], dilation: [1, 1], groups: 1 }]);
      expect(approx.shape).toEqual([1, 10, 2, 2]);
      // nmse is over all elements, so the NCHW order of applyConvSequence is irrelevant.
      expect(sol.nmse).toBeCloseTo(nmseOf(approx, ref), 4);
      sol.dispose();
      return approx;
    }));
    tf.dispose([X, W]);
  });

  it('composer_factorize_conv2d_biasB_without_Wb: ArgumentError', () => {
    const c = file.cases.find((k) => k.name === 'composer_factorize_conv2d_biasB_without_Wb')!;
    expect(c.expected_error!.type).toBe('RuntimeError');
    const [X, W, bB] = [fx(c.inputs.X), fx(c.inputs.W), fx(c.inputs.biasB)];
    expectNoLeak(() => {
      expect(() => factorizeConv2d(X, W, { rank: c.inputs.rank, biasB: bB })).toThrow(ArgumentError);
    });
    tf.dispose([X, W, bB]);
  });

  it('supports dilation and groups: full-rank factorization reproduces the grouped, dilated conv', () => {
    const X = tf.randomNormal([2, 4, 9, 9], 0, 1, 'float32', 5);
    const W = tf.randomNormal([6, 2, 3, 3], 0, 1, 'float32', 6); // groups 2
    expectNoLeak(() => tf.tidy(() => {
      const geo = { stride: 1, padding: 2, dilation: 2 } as const;
      const sol = factorizeConv2d(X, W, { rank: 5, groups: 2, ...geo });
      expect(sol.wa.shape).toEqual([5, 4, 3, 3]);
      const low = applyConvSequence(X, lowRankConvSpecs(sol, geo));
      const ref = applyConvSequence(X, [{ weight: W as tf.Tensor4D, stride: [1, 1], padding: [[2, 2], [2, 2]], dilation: [2, 2], groups: 2 }]);
      expect(sol.nmse).toBeGreaterThan(1e-4); // rank 5 < 6 outputs: not exact
      expect(sol.nmse).toBeCloseTo(nmseOf(low, ref), 4);
      // At full rank (skip rule A) the dense lstsq weight reproduces the grouped conv.
      const full = factorizeConv2d(X, W, { rank: 6, groups: 2, ...geo });
      expect(full.rank).toBe(-1);
      const same = applyConvSequence(X, lowRankConvSpecs(full, geo));
      expect(nmseOf(same, ref)).toBeLessThan(1e-8);
      sol.dispose();
      full.dispose();
      return low;
    }));
    tf.dispose([X, W]);
  });

  it("the 'bias' option keeps a large output bias out of the regression (biasA keeps Composer's semantics)", () => {
    const X = tf.randomNormal([4, 3, 8, 8], 0, 1, 'float32', 61);
    const W = tf.randomNormal([8, 3, 3, 3], 0, 0.1, 'float32', 62);
    const b = tf.randomNormal([8], 0, 5, 'float32', 63);
    const inside = factorizeConv2d(X, W, { rank: 3, biasA: b, padding: 1 });
    const outside = expectNoLeak(() => factorizeConv2d(X, W, { rank: 3, bias: b, padding: 1 }));
    expect(outside.nmse).toBeLessThan(inside.nmse);
    // Both report the same quantity: the error against the conv output including its bias.
    const ref = applyConvSequence(X, [{ weight: W as tf.Tensor4D, bias: b as tf.Tensor1D, stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }]);
    const sol = factorizeConv2d(X, W, { rank: 3, bias: b, padding: 1 });
    const approx = applyConvSequence(X, lowRankConvSpecs(sol, { padding: 1 }));
    expect(sol.nmse).toBeCloseTo(nmseOf(approx, ref), 5);
    expect(() => factorizeConv2d(X, W, { rank: 3, bias: b, biasA: b })).toThrow(ArgumentError);
    expect(() => factorizeConv2d(X, W, { rank: 3, bias: tf.ones([3]) })).toThrow(ShapeError);
    tf.dispose([X, W, b, ref, approx]);
    inside.dispose();
    sol.dispose();
  });

  it('lowRankConvSpecs allocates nothing and checks its input', () => {
    const X = tf.randomNormal([1, 3, 6, 6], 0, 1, 'float32', 71);
    const W = tf.randomNormal([5, 3, 3, 3], 0, 1, 'float32', 72);
    expectNoLeak(() => {
      const sol = factorizeConv2d(X, W, { rank: 2, padding: 'same' });
      const before = tf.memory().numTensors;
      const specs = lowRankConvSpecs(sol, { padding: 'same' });
      expect(tf.memory().numTensors).toBe(before);
      expect(specs.map((s) => s.weight.shape)).toEqual([[2, 3, 3, 3], [5, 2, 1, 1]]);
      expect(specs[0].padding).toEqual([[1, 1], [1, 1]]);
      expect(specs[1].bias).toBe(sol.bias);
      sol.dispose();
    });
    const flat = factorizeMatrix(tf.randomNormal([20, 4], 0, 1, 'float32', 73), tf.randomNormal([20, 3], 0, 1, 'float32', 74), tf.ones([4, 3]), { rank: 1 });
    expect(() => lowRankConvSpecs(flat)).toThrow(ShapeError);
    flat.dispose();
    tf.dispose([X, W]);
  });

  it('progressive: an already-factorized pair (wa, wb, biasA, biasB) shrinks further', () => {
    const X = tf.randomNormal([2, 3, 6, 6], 0, 1, 'float32', 7);
    const Wa = tf.randomNormal([4, 3, 3, 3], 0, 1, 'float32', 8);
    const Wb = tf.randomNormal([8, 4, 1, 1], 0, 1, 'float32', 9);
    const [bA, bB] = [tf.randomNormal([4], 0, 1, 'float32', 10), tf.randomNormal([8], 0, 1, 'float32', 11)];
    expectNoLeak(() => {
      const sol = factorizeConv2d(X, Wa, { wb: Wb, biasA: bA, biasB: bB, rank: 2, padding: 1 });
      expect(sol.rank).toBe(2);
      expect(sol.wa.shape).toEqual([2, 3, 3, 3]);
      expect(sol.wb!.shape).toEqual([8, 2, 1, 1]);
      expect(sol.nmse).toBeGreaterThan(0);
      expect(sol.nmse).toBeLessThan(1);
      return sol;
    });
    expect(() => factorizeConv2d(X, Wa, { wb: tf.ones([8, 5, 1, 1]) })).toThrow(ShapeError);
    expect(() => factorizeConv2d(X, tf.ones([4, 2, 3, 3]))).toThrow(ShapeError);
    expect(() => factorizeConv2d(X, Wa, { padding: 'reflect' as 'same' })).toThrow();
    tf.dispose([X, Wa, Wb, bA, bB]);
  });
});
