/**
 * Decompositions on trained weights (test-utils/weights: three small face-api layers, MIT).
 * Real spectra decay slowly, so these check what synthetic low-rank tensors cannot:
 * HOOI improves on HOSVD and its error is the float64 projection identity, errors fall
 * with the rank, and the k-pair eigensolver matches the full one on a real Gram matrix.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadNpy } from '@tenfold/core/node';
import { hostEigh, parafac, partialTucker, tensorTrain, tensorTrainMatrix } from '@tenfold/core';
import { largestEigenpairs } from '../../src/linalg/bisectionEigh.js';
import { expectNoLeak, relError, repoRoot } from '../../../../test-utils/index.js';

const dir = path.join(repoRoot, 'test-utils', 'weights');
const load = (f: string): Promise<tf.Tensor> => loadNpy(path.join(dir, f));

/** Row-major float64 unfolding of a (I0, I1, ...) array along mode 0 or 1 (rows = that mode). */
function unfold64(x: Float64Array, shape: number[], mode: 0 | 1): { rows: number; cols: number; data: Float64Array } {
  const [a, b] = shape;
  const rest = x.length / (a * b);
  if (mode === 0) return { rows: a, cols: b * rest, data: x };
  const out = new Float64Array(x.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < rest; k++) out[(j * a + i) * rest + k] = x[(i * b + j) * rest + k];
  return { rows: b, cols: a * rest, data: out };
}

/** Leading r eigenvectors (columns, n x r) of Y Y^T, in float64. */
function leadingLeft(y: { rows: number; cols: number; data: Float64Array }, r: number): Float64Array {
  const n = y.rows;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let acc = 0;
    for (let c = 0; c < y.cols; c++) acc += y.data[i * y.cols + c] * y.data[j * y.cols + c];
    g[i * n + j] = acc;
    g[j * n + i] = acc;
  }
  const e = hostEigh({ rows: n, cols: n, data: g });
  const u = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) u[i * r + j] = e.vectors.data[i * n + (n - 1 - j)];
  return u;
}

/** Relative error of the best core for orthonormal U0 (I0 x r0), U1 (I1 x r1) on modes 0, 1, in float64: sqrt(1 - ||T x U^T||^2 / ||T||^2). */
function projectionError(x: Float64Array, shape: number[], u0: Float64Array, r0: number, u1: Float64Array, r1: number): number {
  const [a, b] = shape;
  const rest = x.length / (a * b);
  // c1[p, j, k] = sum_i U0[i, p] T[i, j, k]; core[p, q, k] = sum_j U1[j, q] c1[p, j, k].
  const c1 = new Float64Array(r0 * b * rest);
  for (let i = 0; i < a; i++) for (let p = 0; p < r0; p++) {
    const w = u0[i * r0 + p];
    for (let jk = 0; jk < b * rest; jk++) c1[p * b * rest + jk] += w * x[i * b * rest + jk];
  }
  let core2 = 0;
  for (let p = 0; p < r0; p++) for (let q = 0; q < r1; q++) for (let k = 0; k < rest; k++) {
    let acc = 0;
    for (let j = 0; j < b; j++) acc += u1[j * r1 + q] * c1[(p * b + j) * rest + k];
    core2 += acc * acc;
  }
  let t2 = 0;
  for (const v of x) t2 += v * v;
  return Math.sqrt(Math.max(0, 1 - core2 / t2));
}

describe('real weights: Tucker-2 of a trained 3x3 conv (face recognition conv64_1, 64x64x3x3)', () => {
  it('HOOI error <= truncated HOSVD error, equals the float64 projection identity and the reconstruction', async () => {
    const w = await load('face_recognition_conv64_1_conv1.npy');
    const x = Float64Array.from(w.dataSync());
    for (const [r0, r1] of [[16, 16], [24, 12], [40, 40]]) {
      if (r0 === 16) expectNoLeak(() => partialTucker(w, [r0, r1], { modes: [0, 1], nIterMax: 2, tol: 0 }));
      const res = partialTucker(w, [r0, r1], { modes: [0, 1], nIterMax: 10, tol: 0 });
      const hooi = res.errors[res.errors.length - 1];
      // Truncated HOSVD in float64: leading left singular vectors of each unfolding.
      const hosvd = projectionError(x, w.shape, leadingLeft(unfold64(x, w.shape, 0), r0), r0, leadingLeft(unfold64(x, w.shape, 1), r1), r1);
      expect(hooi).toBeLessThanOrEqual(hosvd + 1e-5);
      // The reported error is the projection identity on the returned factors (float64 here).
      const u0 = Float64Array.from(res.factors[0].dataSync());
      const u1 = Float64Array.from(res.factors[1].dataSync());
      expect(Math.abs(projectionError(x, w.shape, u0, r0, u1, r1) - hooi)).toBeLessThan(1e-4);
      // ... and the reconstruction error.
      const rec = tf.tidy(() => {
        const c = res.core.reshape([r0, r1 * 9]);
        const a = tf.matMul(res.factors[0], c).reshape([64, r1, 9]).transpose([1, 0, 2]).reshape([r1, 64 * 9]);
        return tf.matMul(res.factors[1], a).reshape([64, 64, 9]).transpose([1, 0, 2]).reshape([64, 64, 3, 3]);
      });
      expect(Math.abs(relError(rec, w) - hooi)).toBeLessThan(1e-4);
      rec.dispose();
      res.dispose();
    }
    w.dispose();
  });
});

describe('real weights: Tucker-2 of a trained pointwise conv (age/gender 128x128x1x1)', () => {
  it('reaches the Eckart-Young error sqrt(sum_{i>r} s_i^2) / ||W|| (the Gram route through largestEigenpairs)', async () => {
    const w = await load('age_gender_pointwise_128x128.npy');
    const x = Float64Array.from(w.dataSync());
    const n = 128;
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let c = 0; c < n; c++) acc += x[i * n + c] * x[j * n + c];
      g[i * n + j] = acc;
    }
    const s2 = Array.from(hostEigh({ rows: n, cols: n, data: g }).values).reverse(); // descending s_i^2
    const total = s2.reduce((a, b) => a + b, 0);
    for (const r of [8, 32, 100]) {
      const res = partialTucker(w, [r, r], { modes: [0, 1], nIterMax: 3, tol: 0 });
      const best = Math.sqrt(Math.max(0, s2.slice(r).reduce((a, b) => a + b, 0)) / total);
      expect(Math.abs(res.errors[res.errors.length - 1] - best)).toBeLessThan(1e-4);
      res.dispose();
    }
    w.dispose();
  });
});

describe('real weights: CP and TT errors fall with the rank', () => {
  it('parafac (svd init, 30 sweeps) and tensorTrain on the 64x64x9 kernel', async () => {
    const w4 = await load('face_recognition_conv64_1_conv1.npy');
    const w = w4.reshape([64, 64, 9]);
    const errOf = (f: { toTensor(): tf.Tensor; dispose(): void }): number => {
      const rec = f.toTensor();
      const e = relError(rec, w);
      rec.dispose();
      f.dispose();
      return e;
    };
    const cp = [4, 8, 16, 32].map((r) => errOf(parafac(w, r, { nIterMax: 30, tol: 0, init: 'svd' })));
    const tt = [2, 4, 8, 16, 64].map((r) => errOf(tensorTrain(w, [1, r, Math.min(r, 9), 1])));
    for (let i = 1; i < cp.length; i++) expect(cp[i]).toBeLessThan(cp[i - 1]);
    for (let i = 1; i < tt.length; i++) expect(tt[i]).toBeLessThan(tt[i - 1] + 1e-6);
    // Full TT rank [1, 64, 9, 1] is exact to float32 precision; real spectra keep low ranks far from it.
    expect(tt[tt.length - 1]).toBeLessThan(1e-5);
    expect(tt[0]).toBeGreaterThan(0.3);
    tf.dispose([w, w4]);
  });

  it('tensorTrainMatrix of the landmark dense layer (136x256 as (8,17)x(16,16)): exact at full rank, monotone below', async () => {
    const w = await load('face_landmark_68_fc.npy');
    const t = w.reshape([8, 17, 16, 16]);
    const errs = [2, 8, 32, 128].map((r) => {
      const ttm = tensorTrainMatrix(t, [1, r, 1]);
      const rec = ttm.toTensor();
      const e = relError(rec, t);
      tf.dispose([rec]);
      ttm.dispose();
      return e;
    });
    for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeLessThan(errs[i - 1]);
    expect(errs[errs.length - 1]).toBeLessThan(1e-5);
    tf.dispose([w, t]);
  });
});

describe('largestEigenpairs on real Gram matrices', () => {
  it('matches the full tred2/tql2 eigh: values, residuals, orthogonality', async () => {
    const w = await load('face_landmark_68_fc.npy'); // (136, 256)
    const y = Float64Array.from(w.dataSync());
    w.dispose();
    for (const [rows, cols, yt] of [[136, 256, false], [256, 136, true]] as const) {
      const n = rows;
      const g = new Float64Array(n * n);
      const at = (i: number, c: number): number => (yt ? y[c * 256 + i] : y[i * 256 + c]);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
        let acc = 0;
        for (let c = 0; c < cols; c++) acc += at(i, c) * at(j, c);
        g[i * n + j] = acc;
        g[j * n + i] = acc;
      }
      const full = hostEigh({ rows: n, cols: n, data: g });
      // 256 x 256 Gram of rank 136: k = 150 reaches into the (numerically) zero cluster.
      for (const k of [10, 60, Math.min(150, n)]) {
        const r = largestEigenpairs({ rows: n, cols: n, data: g }, k);
        const lmax = full.values[n - 1];
        for (let j = 0; j < k; j++) expect(Math.abs(r.values[j] - full.values[n - 1 - j])).toBeLessThan(1e-12 * lmax);
        for (let j = 0; j < k; j++) {
          let res = 0;
          for (let i = 0; i < n; i++) {
            let acc = 0;
            for (let c = 0; c < n; c++) acc += g[i * n + c] * r.vectors.data[c * k + j];
            res += (acc - r.values[j] * r.vectors.data[i * k + j]) ** 2;
          }
          expect(Math.sqrt(res)).toBeLessThan(1e-11 * lmax);
          for (let j2 = 0; j2 <= j; j2++) {
            let d = 0;
            for (let i = 0; i < n; i++) d += r.vectors.data[i * k + j] * r.vectors.data[i * k + j2];
            expect(Math.abs(d - (j === j2 ? 1 : 0))).toBeLessThan(1e-10);
          }
        }
      }
    }
  });
});
