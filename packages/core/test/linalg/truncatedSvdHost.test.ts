/**
 * The decompositions' host-result truncated SVD (`linalg/truncatedSvdHost.ts`): every route
 * (exact host SVD, short-fat host Gram, backend Gram of either orientation, randomized
 * power iterations) against the public `svd` on the same float32 data, and the shared
 * descending Gram eigen-decomposition.
 */
import { describe, expect, it } from 'vitest';
import { tf, svd, hostEigh } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';
import { createRng } from '../../src/random/rng.js';
import { descendingEigh } from '../../src/linalg/engine.js';
import { truncatedSvdHost, usesExactSvd } from '../../src/linalg/truncatedSvdHost.js';
import { f32, gaussian, matmul, orthError, reconError, toTf, withSpectrum } from './helpers.js';

const CASES: { name: string; m: number; n: number; k: number; method: 'truncated' | 'gram' | 'randomized' }[] = [
  { name: 'exact host SVD', m: 30, n: 20, k: 5, method: 'truncated' },
  { name: 'short-fat host Gram', m: 10, n: 60, k: 4, method: 'truncated' },
  { name: 'backend Gram, wide', m: 40, n: 300, k: 6, method: 'truncated' },
  { name: 'backend Gram, tall', m: 300, n: 90, k: 6, method: 'gram' },
  { name: 'k leading pairs of a 120 x 120 Gram (largestEigenpairs)', m: 120, n: 400, k: 5, method: 'truncated' },
  { name: 'randomized', m: 120, n: 400, k: 5, method: 'randomized' },
];

describe('truncatedSvdHost', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.m}x${c.n}, k=${c.k}, ${c.method}) matches svd's leading triplets`, () => {
      const sigma = Array.from({ length: Math.min(c.m, c.n) }, (_, i) => 10 * 0.6 ** i);
      const a = f32(withSpectrum(c.m, c.n, sigma, 7));
      const t = toTf(a);
      expect(usesExactSvd(c.m, c.n, c.method)).toBe(c.name.includes('host'));
      const res = expectNoLeak(() => truncatedSvdHost(t, c.k, { method: c.method, rng: createRng(0), wantV: true }));
      const ref = svd(t, { rank: c.k });
      const s = ref.s.dataSync();
      const u = ref.u.arraySync();
      tf.dispose([t, ref.u, ref.s, ref.vt]);
      expect(res.u.cols).toBe(c.k);
      expect(res.vt?.rows).toBe(c.k);
      for (let j = 0; j < c.k; j++) {
        expect(Math.abs(res.s[j] - s[j])).toBeLessThan(1e-4 * s[0]);
        // Same TensorLy signs: the columns agree, not just up to sign.
        for (let i = 0; i < c.m; i++) expect(Math.abs(res.u.data[i * c.k + j] - u[i][j])).toBeLessThan(2e-3);
      }
      expect(orthError(res.u)).toBeLessThan(1e-4);
      const vt = res.vt as NonNullable<typeof res.vt>;
      expect(orthError(vt, true)).toBeLessThan(1e-3);
      const full = reconError(a, res.u, res.s, vt);
      const tail = Math.sqrt(sigma.slice(c.k).reduce((x, y) => x + y * y, 0));
      expect(full).toBeLessThan(tail * 1.01 + 1e-4 * sigma[0]);
    });
  }

  it('returns no V unless asked, and honours a caller-supplied transpose', () => {
    const a = f32(gaussian(50, 300, 3));
    const t = toTf(a);
    const tT = tf.transpose(t) as tf.Tensor2D;
    const plain = truncatedSvdHost(t, 4, { method: 'gram', rng: createRng(0) });
    const withT = truncatedSvdHost(t, 4, { method: 'gram', rng: createRng(0), yT: tT });
    tf.dispose([t, tT]);
    expect(plain.vt).toBeUndefined();
    expect(Array.from(withT.s)).toEqual(Array.from(plain.s));
    expect(Array.from(withT.u.data)).toEqual(Array.from(plain.u.data));
  });
});

describe('descendingEigh (shared by svd and truncatedSvdHost)', () => {
  it('gives all eigenvalues descending and the leading k eigenvectors', () => {
    const x = gaussian(40, 12, 5);
    const g = matmul(x, x, true, false);
    const e = descendingEigh(g, 3);
    const ref = hostEigh(g);
    const n = 12;
    for (let i = 0; i < n; i++) expect(e.values[i]).toBeCloseTo(ref.values[n - 1 - i], 9);
    expect(e.vectors.rows).toBe(n);
    expect(e.vectors.cols).toBe(3);
    const gv = matmul(g, e.vectors);
    for (let j = 0; j < 3; j++) for (let i = 0; i < n; i++) expect(gv.data[i * 3 + j]).toBeCloseTo(e.values[j] * e.vectors.data[i * 3 + j], 8);
  });
});
