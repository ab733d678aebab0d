/**
 * The two-stage eigensolver (band reduction on the backend, band chase on the host) against
 * the host's one-stage Householder tridiagonalisation on the same float32 Gram matrices, and
 * its eigenvectors by the residual ||G x - lambda x|| and orthonormality.
 */
import { describe, expect, it } from 'vitest';
import { createRng, tf } from '@tenfold/core';
import { symmetricEigen, symmetricEigenTwoStage } from '@tenfold/core';

function gram(n: number, m: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  const y = new Float32Array(n * m);
  for (let i = 0; i < y.length; i++) y[i] = rng.normal();
  // A few strong directions so the top eigenvalues are separated, as in EVBMF's use.
  for (let i = 0; i < n; i++) for (let h = 0; h < 3; h++) y[i * m + h] += 10 * (h + 1) * Math.sin(i * (h + 1));
  return tf.tidy(() => {
    const t = tf.tensor2d(y, [n, m]);
    return tf.matMul(t, t, false, true) as tf.Tensor2D;
  });
}

describe('symmetricEigenTwoStage', () => {
  for (const [n, b] of [
    [2, 32],
    [37, 5],
    [120, 8],
    [257, 32],
  ] as const) {
    it(`n = ${n}, band ${b}: eigenvalues of the one-stage solver, eigenvectors with small residuals`, () => {
      const g = gram(n, n + 7, n);
      const g64 = Float64Array.from(g.dataSync());
      const ref = symmetricEigen(Float64Array.from(g64), n);
      const before = tf.memory().numTensors;
      const two = symmetricEigenTwoStage(g, b);
      expect(tf.memory().numTensors).toBe(before);
      const lmax = ref.values[0];
      let trace = 0;
      for (let i = 0; i < n; i++) trace += g64[i * n + i];
      expect(Math.abs(two.trace - trace) / trace).toBeLessThan(1e-6);
      for (let i = 0; i < n; i++) expect(Math.abs(two.values[i] - ref.values[i])).toBeLessThan(8 * 2 ** -23 * lmax);
      const k = Math.min(4, n);
      const x = two.topVectors(k);
      for (let c = 0; c < k; c++) {
        let res = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += g64[i * n + j] * x[j * k + c];
          res = Math.max(res, Math.abs(s - two.values[c] * x[i * k + c]));
        }
        expect(res).toBeLessThan(8 * 2 ** -23 * lmax);
        for (let d = 0; d <= c; d++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += x[i * k + c] * x[i * k + d];
          expect(Math.abs(dot - (c === d ? 1 : 0))).toBeLessThan(1e-6);
        }
      }
      g.dispose();
    });
  }
});
