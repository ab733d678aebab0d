/**
 * Progress records and cancellation of every iterative decomposition (docs/guide-progress.md):
 * the four checks of test-utils/progress.ts per routine, with `tol: 0` so that the number of
 * steps is the documented cap.
 */
import { describe } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  CP,
  Parafac2,
  TensorRingALS,
  Tucker,
  CPRegressor,
  constrainedParafac,
  cpRegression,
  tuckerRegression,
  coupledMatrixTensor3dFactorization,
  nonNegativeParafac,
  nonNegativeParafacHals,
  nonNegativeTucker,
  nonNegativeTuckerHals,
  outer,
  parafac,
  parafac2,
  parafacPowerIteration,
  partialTucker,
  powerIteration,
  randomisedParafac,
  robustPca,
  selectRank,
  symmetricParafacPowerIteration,
  symmetricPowerIteration,
  tensorRingAls,
  tensorRingAlsSampled,
  tucker,
  type IterationInfo,
} from '../../src/index.js';
import { progressChecks } from '../../../../test-utils/progress.js';

/** Deterministic U[0,1) values (an LCG), so that every run sees the same input. */
function uniform(shape: number[], seed: number): tf.Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 32;
  }
  return tf.tensor(v, shape);
}

/** Float64 Frobenius norm of a tensor's float32 values. */
function norm64(t: tf.Tensor): number {
  let s = 0;
  for (const v of t.dataSync()) s += v * v;
  return Math.sqrt(s);
}

const X = uniform([6, 5, 4], 1);
const X2 = uniform([7, 6], 2);
const M = uniform([6, 3], 3);
const CUBE = tf.tidy(() => {
  // A symmetric 4x4x4 tensor: sum of two v o v o v plus a little symmetric noise-free part.
  const a = uniform([4], 4);
  const b = uniform([4], 5);
  const cube = (v: tf.Tensor) => outer([v, v, v]);
  return tf.add(tf.mul(cube(a), 3), cube(b));
});
const MASK = tf.tidy(() => tf.cast(tf.greater(uniform([6, 5, 4], 9), 0.2), 'float32'));
const SLICES = [uniform([5, 4], 6), uniform([6, 4], 7), uniform([5, 4], 8)];

/** The errors a callback sees at iterations 1..n (`recorder` adds a callback that records them). */
function recorder(): { errors: number[]; callback: (i: IterationInfo) => void } {
  const errors: number[] = [];
  return { errors, callback: (i) => void (i.iteration > 0 && errors.push(i.error)) };
}

describe('progress: CP family', () => {
  for (const engine of ['host', 'device'] as const) {
    progressChecks({
      name: `parafac (${engine})`,
      task: 'parafac',
      total: 6,
      run: (e) => parafac(X, 2, { nIterMax: 6, tol: 0, returnErrors: true, init: 'random', seed: 1, engine, ...e }),
      errors: (r) => (r as { errors: number[] }).errors,
    });
  }
  progressChecks({
    name: 'parafac (tol 0, no returnErrors: no error field)',
    task: 'parafac',
    total: 4,
    run: (e) => parafac(X, 2, { nIterMax: 4, tol: 0, init: 'random', seed: 1, ...e }),
  });
  progressChecks({
    name: 'parafac (masked, device)',
    task: 'parafac',
    total: 4,
    run: (e) => parafac(X, 2, { nIterMax: 4, tol: 0, returnErrors: true, seed: 1, mask: MASK, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'nonNegativeParafac',
    task: 'nonNegativeParafac',
    total: 5,
    run: (e) => nonNegativeParafac(X, 2, { nIterMax: 5, tol: 0, returnErrors: true, init: 'random', seed: 2, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'nonNegativeParafacHals',
    task: 'nonNegativeParafacHals',
    total: 5,
    run: (e) => nonNegativeParafacHals(X, 2, { nIterMax: 5, tol: 0, returnErrors: true, init: 'random', seed: 2, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'randomisedParafac',
    task: 'randomisedParafac',
    total: 5,
    run: (e) => randomisedParafac(X, 2, 12, { nIterMax: 5, tol: 0, maxStagnation: 100, returnErrors: true, seed: 3, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'constrainedParafac',
    task: 'constrainedParafac',
    total: 5,
    run: (e) => constrainedParafac(X, 2, { nIterMax: 5, tolOuter: 0, returnErrors: true, nonNegative: true, init: 'random', seed: 4, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'coupledMatrixTensor3dFactorization',
    task: 'coupledMatrixTensor3dFactorization',
    total: 5,
    run: (e) => coupledMatrixTensor3dFactorization(X, M, 2, { nIterMax: 5, tol: 0, init: 'random', seed: 5, ...e }),
    // The result keeps the squared errors e_k; the records carry sqrt(e_k) / sqrt(||T||^2 + ||M||^2).
    errors: (r) => (r as { errors: number[] }).errors.map((e) => Math.sqrt(e) / Math.hypot(norm64(X), norm64(M))),
    // The routine's norms are float32 reductions on the backend.
    rtol: 1e-6,
  });
  progressChecks({
    name: 'parafac2 (no line search)',
    task: 'parafac2',
    total: 5,
    run: (e) => parafac2(SLICES, 2, { nIterMax: 5, tol: 0, returnErrors: true, linesearch: false, seed: 6, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'parafac2 (line search: the errors the callback sees)',
    task: 'parafac2',
    total: 9,
    run: (e) => {
      const rec = recorder();
      const out = parafac2(SLICES, 2, { nIterMax: 9, tol: 0, seed: 6, callback: rec.callback, ...e });
      return { out, seen: rec.errors };
    },
    errors: (r) => (r as { seen: number[] }).seen,
  });
});

describe('progress: power iterations and rank selection', () => {
  progressChecks({
    name: 'powerIteration',
    task: 'powerIteration',
    total: 4,
    run: (e) => powerIteration(X, { nRepeat: 3, nIteration: 3, seed: 7, ...e }),
  });
  progressChecks({
    name: 'symmetricPowerIteration',
    task: 'symmetricPowerIteration',
    total: 3,
    run: (e) => symmetricPowerIteration(CUBE, { nRepeat: 2, nIteration: 3, seed: 7, ...e }),
  });
  progressChecks({
    name: 'parafacPowerIteration',
    task: 'parafacPowerIteration',
    total: 3,
    run: (e) => {
      const rec = recorder();
      const out = parafacPowerIteration(X, 3, { nRepeat: 2, nIteration: 3, seed: 7, callback: rec.callback, ...e });
      return { out, seen: rec.errors };
    },
    errors: (r) => (r as { seen: number[] }).seen,
  });
  progressChecks({
    name: 'parafacPowerIteration (no callback: the error is still the residual ratio)',
    task: 'parafacPowerIteration',
    total: 2,
    run: (e) => parafacPowerIteration(X, 2, { nRepeat: 2, nIteration: 3, seed: 7, ...e }),
    errors: (r) => {
      // ||T - sum of the components so far|| / ||T||, recomputed from the returned CP tensor.
      const cp = r as { weights: tf.Tensor1D; factors: tf.Tensor2D[] };
      const w = cp.weights.dataSync();
      return [1, 2].map((k) => tf.tidy(() => {
        let rec = tf.zerosLike(X);
        for (let c = 0; c < k; c++) {
          const [a, b, d] = cp.factors.map((f) => tf.squeeze(tf.slice(f, [0, c], [-1, 1])));
          rec = tf.add(rec, tf.mul(outer([a, b, d]), w[c]));
        }
        return norm64(tf.sub(X, rec)) / norm64(X);
      }));
    },
    // float32 reconstruction here against the routine's running float32 residual.
    rtol: 1e-4,
  });
  progressChecks({
    name: 'symmetricParafacPowerIteration',
    task: 'symmetricParafacPowerIteration',
    total: 2,
    run: (e) => {
      const rec = recorder();
      const out = symmetricParafacPowerIteration(CUBE, 2, { nRepeat: 2, nIteration: 3, seed: 8, callback: rec.callback, ...e });
      return { out, seen: rec.errors };
    },
    errors: (r) => (r as { seen: number[] }).seen,
  });
  progressChecks({
    name: 'selectRank',
    task: 'selectRank',
    total: 4,
    run: (e) => selectRank(X, [1, 2], { nRestarts: 2, nIterMax: 5, seed: 1, ...e }),
    errors: (r) => (r as { restartErrors: number[] }[]).flatMap((d) => d.restartErrors),
    stage: (k) => `rank ${k <= 2 ? 1 : 2}`,
  });
});

describe('progress: Tucker family, tensor ring, robust PCA', () => {
  progressChecks({
    name: 'tucker',
    task: 'tucker',
    total: 5,
    run: (e) => tucker(X, [2, 2, 2], { nIterMax: 5, tol: 0, returnErrors: true, init: 'random', seed: 1, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'partialTucker',
    task: 'partialTucker',
    total: 5,
    run: (e) => partialTucker(X, [2, 2], { modes: [0, 1], nIterMax: 5, tol: 0, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'nonNegativeTucker',
    task: 'nonNegativeTucker',
    total: 5,
    run: (e) => nonNegativeTucker(X, [2, 2, 2], { nIterMax: 5, tol: 0, returnErrors: true, seed: 1, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'nonNegativeTuckerHals',
    task: 'nonNegativeTuckerHals',
    total: 5,
    run: (e) => nonNegativeTuckerHals(X, [2, 2, 2], { nIterMax: 5, tol: 0, returnErrors: true, seed: 1, ...e }),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'tensorRingAls (callback: errors)',
    task: 'tensorRingAls',
    total: 5,
    run: (e) => {
      const rec = recorder();
      const out = tensorRingAls(X, [2, 2, 2, 2], { nIterMax: 5, tol: 0, seed: 1, callback: rec.callback, ...e });
      return { out, seen: rec.errors };
    },
    errors: (r) => (r as { seen: number[] }).seen,
  });
  progressChecks({
    name: 'tensorRingAls (tol 0, no callback: no error field)',
    task: 'tensorRingAls',
    total: 4,
    run: (e) => tensorRingAls(X, [2, 2, 2, 2], { nIterMax: 4, tol: 0, seed: 1, ...e }),
  });
  progressChecks({
    name: 'tensorRingAlsSampled',
    task: 'tensorRingAlsSampled',
    total: 5,
    run: (e) => {
      const rec = recorder();
      const out = tensorRingAlsSampled(X, [2, 2, 2, 2], 12, { nIterMax: 5, tol: 0, seed: 2, callback: rec.callback, ...e });
      return { out, seen: rec.errors };
    },
    errors: (r) => (r as { seen: number[] }).seen,
  });
  progressChecks({
    name: 'robustPca',
    task: 'robustPca',
    total: 5,
    run: (e) => robustPca(X2, { nIterMax: 5, tol: 0, returnErrors: true, ...e }),
    // The result keeps ||X - D - E||; the records carry it relative to ||X||.
    errors: (r) => (r as { errors: number[] }).errors.map((v) => v / norm64(X2)),
    rtol: 1e-9,
  });
});

describe('progress: estimator classes pass onProgress and signal through', () => {
  const fitted = (est: { fitTransform(t: tf.Tensor): unknown; errors: number[] }) => ({ d: est.fitTransform(X), errors: est.errors });
  progressChecks({
    name: 'CP',
    task: 'parafac',
    total: 4,
    run: (e) => fitted(new CP(2, { nIterMax: 4, tol: 0, init: 'random', seed: 1, ...e })),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'Tucker',
    task: 'tucker',
    total: 4,
    run: (e) => fitted(new Tucker([2, 2, 2], { nIterMax: 4, tol: 0, ...e })),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'TensorRingALS',
    task: 'tensorRingAls',
    total: 4,
    run: (e) => fitted(new TensorRingALS([2, 2, 2, 2], { nIterMax: 4, tol: 0, seed: 1, ...e })),
    errors: (r) => (r as { errors: number[] }).errors,
  });
  progressChecks({
    name: 'Parafac2',
    task: 'parafac2',
    total: 4,
    run: (e) => {
      const est = new Parafac2(2, { nIterMax: 4, tol: 0, linesearch: false, seed: 6, ...e });
      return { d: est.fitTransform(SLICES as unknown as tf.Tensor), errors: est.errors };
    },
    errors: (r) => (r as { errors: number[] }).errors,
  });
});

describe('progress: tensor regression', () => {
  const RX = uniform([12, 4, 3], 10);
  const RY = uniform([12], 11);
  progressChecks({
    name: 'cpRegression',
    task: 'cpRegression',
    total: 4,
    run: (e) => cpRegression(RX, RY, 2, { nIterMax: 4, tol: 0, seed: 1, ...e }),
  });
  progressChecks({
    name: 'tuckerRegression',
    task: 'tuckerRegression',
    total: 4,
    run: (e) => tuckerRegression(RX, RY, [2, 2], { nIterMax: 4, tol: 0, seed: 1, ...e }),
  });
  progressChecks({
    name: 'CPRegressor',
    task: 'cpRegression',
    total: 3,
    run: (e) => {
      const m = new CPRegressor(2, { nIterMax: 3, tol: 0, seed: 1, ...e });
      m.fit(RX, RY);
      return m;
    },
  });
});
