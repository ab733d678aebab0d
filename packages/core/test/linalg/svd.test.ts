import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf, svd, svdFlip, hostSvd, hostSingularValues, ArgumentError, NonFiniteError, RankError, ShapeError, TenfoldError, type SvdMethod } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';
import { engineStats } from '../../src/linalg/engine.js';
import { f32, fromTf, frob, gaussian, onBackend, orthError, reconError, toTf, withSpectrum } from './helpers.js';

const METHODS: SvdMethod[] = ['truncated', 'gram', 'randomized'];

/** Run svd and read everything back to the host, disposing the tensors. */
function run(m: tf.Tensor2D, opts: Parameters<typeof svd>[1]) {
  const r = svd(m, opts);
  const out = { u: fromTf(r.u), s: Float64Array.from(r.s.dataSync()), vt: fromTf(r.vt), uShape: r.u.shape, vtShape: r.vt.shape };
  tf.dispose([r.u, r.s, r.vt]);
  return out;
}

/** The largest-|.| entry of every column of u is positive (ties to the first index). */
function signsFlipped(u: { rows: number; cols: number; data: Float64Array }): boolean {
  for (let j = 0; j < u.cols; j++) {
    let best = -1;
    let at = 0;
    for (let i = 0; i < u.rows; i++) {
      const x = Math.abs(u.data[i * u.cols + j]);
      if (x > best + 1e-6) {
        best = x;
        at = i;
      }
    }
    if (u.data[at * u.cols + j] < 0) return false;
  }
  return true;
}

const shapeArb = fc.record({ m: fc.integer({ min: 1, max: 60 }), n: fc.integer({ min: 1, max: 60 }), rank: fc.integer({ min: 1, max: 70 }), seed: fc.integer({ min: 0, max: 1e6 }) });

describe('svd properties (fast-check)', () => {
  for (const method of METHODS) {
    for (const where of ['host', 'backend'] as const) {
      it(`${method} (${where} path): shapes, descending s, orthonormal u / vt, optimal error, signs`, () => {
        fc.assert(
          fc.property(shapeArb, ({ m, n, rank, seed }) => {
            const a = f32(gaussian(m, n, seed));
            const t = toTf(a);
            const r = where === 'backend' ? onBackend(() => run(t, { rank, method, seed })) : run(t, { rank, method, seed });
            t.dispose();
            const k = Math.min(rank, m, n);
            expect(r.uShape).toEqual([m, k]);
            expect(r.vtShape).toEqual([k, n]);
            const exact = hostSingularValues(a);
            for (let i = 0; i < k; i++) {
              expect(r.s[i]).toBeGreaterThanOrEqual(0);
              if (i > 0) expect(r.s[i]).toBeLessThanOrEqual(r.s[i - 1] * (1 + 1e-6));
            }
            expect(orthError(r.u)).toBeLessThan(1e-4);
            expect(orthError(r.vt, true)).toBeLessThan(1e-4);
            expect(signsFlipped(r.u)).toBe(true);
            // Eckart-Young: the best rank-k error is sqrt(sum of the discarded s_i^2).
            const optimal = Math.sqrt(exact.slice(k).reduce((acc, x) => acc + x * x, 0));
            const err = reconError(a, r.u, r.s, r.vt);
            const scale = frob(a);
            if (method === 'randomized') {
              // Gaussian matrices have a flat spectrum, the hard case for sketching: allow 25%.
              expect(err).toBeLessThanOrEqual(1.25 * optimal + 1e-5 * scale);
            } else {
              expect(err).toBeLessThanOrEqual(optimal * (1 + 1e-4) + 1e-5 * scale);
              for (let i = 0; i < k; i++) expect(Math.abs(r.s[i] - exact[i])).toBeLessThan(1e-5 * exact[0] + (method === 'gram' ? 1e-4 * exact[0] : 0));
            }
          }),
          { numRuns: where === 'host' ? 30 : 15 },
        );
      });
    }
  }

  it('randomized recovers a low-rank matrix exactly when rank >= its rank', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 60 }), fc.integer({ min: 20, max: 60 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (m, n, r, seed) => {
        const b = gaussian(m, r, seed);
        const c = gaussian(r, n, seed + 7);
        const a = f32(matmulSmall(b, c));
        const t = toTf(a);
        const out = run(t, { rank: r + 1, method: 'randomized', seed, oversamples: 2 });
        t.dispose();
        expect(reconError(a, out.u, out.s, out.vt) / frob(a)).toBeLessThan(1e-5);
        expect(orthError(out.u)).toBeLessThan(1e-4);
      }),
      { numRuns: 15 },
    );
  });
});

function matmulSmall(a: { rows: number; cols: number; data: Float64Array }, b: { rows: number; cols: number; data: Float64Array }) {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) for (let p = 0; p < a.cols; p++) for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += a.data[i * a.cols + p] * b.data[p * b.cols + j];
  return { rows: a.rows, cols: b.cols, data: out };
}

describe('svd accuracy', () => {
  it('truncated (backend Gram passes) matches the float64 SVD of the same float32 data on an ill-conditioned matrix (cond 1e5)', () => {
    const n = 80;
    const sigma = Array.from({ length: n }, (_, i) => 10 ** (-5 * i / (n - 1)));
    const a = f32(withSpectrum(600, n, sigma, 11));
    const ref = hostSvd(a);
    const t = toTf(a);
    const r = onBackend(() => run(t, { method: 'truncated' }));
    t.dispose();
    for (let i = 0; i < n; i++) expect(Math.abs(r.s[i] - ref.s[i])).toBeLessThan(3e-6 * ref.s[0]);
    // Singular vectors of well-separated leading values agree to float32 precision.
    for (let j = 0; j < 10; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += r.vt.data[j * n + i] * ref.vt.data[j * n + i];
      expect(Math.abs(1 - dot)).toBeLessThan(1e-5);
    }
    expect(orthError(r.u)).toBeLessThan(1e-5);
    expect(reconError(a, r.u, r.s, r.vt) / frob(a)).toBeLessThan(2e-6);
  });

  it('truncated takes Cholesky-QR2 on moderately conditioned input (cond 500) and the two-pass route beyond; both match float64', () => {
    for (const [cond, route] of [[5e2, 'cholQr2'], [1e4, 'twoPass']] as const) {
      const n = 70;
      const sigma = Array.from({ length: n }, (_, i) => cond ** (-i / (n - 1)));
      const a = f32(withSpectrum(500, n, sigma, 12));
      const ref = hostSvd(a);
      const t = toTf(a);
      const before = engineStats[route];
      const r = onBackend(() => run(t, { method: 'truncated', rank: 30 }));
      t.dispose();
      expect(engineStats[route]).toBe(before + 1);
      for (let i = 0; i < 30; i++) expect(Math.abs(r.s[i] - ref.s[i])).toBeLessThan(3e-6 * ref.s[0]);
      for (let j = 0; j < 10; j++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += r.vt.data[j * n + i] * ref.vt.data[j * n + i];
        expect(Math.abs(1 - dot)).toBeLessThan(1e-5);
      }
      expect(orthError(r.u)).toBeLessThan(1e-5);
      expect(orthError(r.vt, true)).toBeLessThan(1e-5);
    }
  });

  it('rank-deficient input: U is still orthonormal (null-space columns completed) and M is reconstructed', () => {
    for (const method of METHODS) {
      const b = gaussian(300, 5, 3);
      const c = gaussian(5, 120, 4);
      const a = f32(matmulSmall(b, c));
      const t = toTf(a);
      const r = onBackend(() => run(t, { rank: 40, method }));
      t.dispose();
      expect(r.uShape).toEqual([300, 40]);
      expect(orthError(r.u)).toBeLessThan(1e-4);
      expect(orthError(r.vt, true)).toBeLessThan(1e-4);
      expect(reconError(a, r.u, r.s, r.vt) / frob(a)).toBeLessThan(1e-5);
      for (let i = 5; i < 40; i++) expect(r.s[i]).toBeLessThan(1e-5 * r.s[0]);
      // The completed null-space columns are deterministic.
      const t2 = toTf(a);
      const again = onBackend(() => run(t2, { rank: 40, method }));
      t2.dispose();
      expect(Array.from(again.u.data)).toEqual(Array.from(r.u.data));
    }
  });

  it('a zero matrix gives zero singular values and orthonormal factors', () => {
    for (const method of METHODS) {
      const r = onBackend(() => run(tf.zeros([50, 20]) as tf.Tensor2D, { method, rank: 10 }));
      expect(Array.from(r.s)).toEqual(new Array(10).fill(0));
      expect(orthError(r.u)).toBeLessThan(1e-5);
      expect(orthError(r.vt, true)).toBeLessThan(1e-5);
    }
  });

  it('entries near float32 limits (1e-25, 1e17) do not under- or overflow the Gram passes', () => {
    const base = f32(gaussian(300, 40, 17));
    const unit = toTf(base);
    for (const method of METHODS) {
      const ref = onBackend(() => run(unit, { method, rank: 10 }));
      for (const scale of [1e-25, 1e17]) {
        const t = tf.tidy(() => tf.mul(unit, scale) as tf.Tensor2D);
        const r = onBackend(() => run(t, { method, rank: 10 }));
        t.dispose();
        for (let i = 0; i < 10; i++) expect(Math.abs(r.s[i] / scale - ref.s[i]), `${method} ${scale} s${i}`).toBeLessThan(1e-5 * ref.s[0]);
        expect(orthError(r.u)).toBeLessThan(1e-4);
      }
    }
    unit.dispose();
  });

  it('wide matrices go through the transpose and keep U m x k, Vt k x n', () => {
    const a = f32(gaussian(30, 500, 5));
    const t = toTf(a);
    for (const method of METHODS) {
      const r = run(t, { rank: 7, method });
      expect(r.uShape).toEqual([30, 7]);
      expect(r.vtShape).toEqual([7, 500]);
      expect(orthError(r.vt, true)).toBeLessThan(1e-4);
    }
    t.dispose();
  });

  it('randomized is close to optimal on a matrix with a decaying spectrum (Halko et al.)', () => {
    const sigma = Array.from({ length: 100 }, (_, i) => 0.8 ** i);
    const a = f32(withSpectrum(800, 300, sigma, 21));
    const t = toTf(a);
    const r = run(t, { rank: 10, method: 'randomized', nIter: 2, oversamples: 10 });
    t.dispose();
    const optimal = Math.sqrt(sigma.slice(10).reduce((acc, x) => acc + x * x, 0));
    expect(reconError(a, r.u, r.s, r.vt)).toBeLessThan(1.01 * optimal);
    for (let i = 0; i < 10; i++) expect(Math.abs(r.s[i] - sigma[i])).toBeLessThan(1e-4);
  });

  it('the same seed gives the same randomized result, and seeds are honoured', () => {
    const a = toTf(gaussian(400, 200, 8));
    const r1 = run(a, { rank: 5, method: 'randomized', seed: 42, nIter: 0 });
    const r2 = run(a, { rank: 5, method: 'randomized', seed: 42, nIter: 0 });
    const r3 = run(a, { rank: 5, method: 'randomized', seed: 43, nIter: 0 });
    a.dispose();
    expect(Array.from(r1.s)).toEqual(Array.from(r2.s));
    expect(Array.from(r1.s)).not.toEqual(Array.from(r3.s));
  });
});

describe('svd of a 200000 x 60 matrix at rank 100 (TensorLy #526 / #176)', () => {
  it('returns 60 components with memory proportional to the input, in seconds', () => {
    const m = 200000;
    const n = 60;
    const a = tf.tidy(() => tf.randomNormal([m, n], 0, 1, 'float32', 7)) as tf.Tensor2D;
    a.dataSync();
    const tensorsBefore = tf.memory().numTensors;
    // CPU time, not wall time: the test machine is shared, and wasm runs on one thread.
    const cpu0 = process.cpuUsage();
    const r = svd(a, { rank: 100 });
    r.u.dataSync();
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    expect(tf.memory().numTensors).toBe(tensorsBefore + 3);
    expect(r.u.shape).toEqual([m, n]);
    expect(r.s.shape).toEqual([n]);
    expect(r.vt.shape).toEqual([n, n]);
    // Reconstruction checked on a block of rows (enough to catch a wrong factor, cheaper than all of it).
    const rel = tf.tidy(() => {
      const rows = 20000;
      const ub = tf.slice(r.u, [m - rows, 0], [rows, n]);
      const ab = tf.slice(a, [m - rows, 0], [rows, n]);
      return tf.norm(tf.sub(tf.matMul(tf.mul(ub, r.s), r.vt), ab)).dataSync()[0] / tf.norm(ab).dataSync()[0];
    });
    expect(rel).toBeLessThan(1e-5);
    const orth = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.matMul(tf.transpose(r.u), r.u), tf.eye(n)))).dataSync()[0]);
    expect(orth).toBeLessThan(1e-4);
    // About 1.2 s of CPU on wasm here; the cpu backend's matmul is ~30x slower.
    expect(cpuSeconds).toBeLessThan(tf.getBackend() === 'cpu' ? 90 : 10);
    tf.dispose([a, r.u, r.s, r.vt]);
  }, 180_000);
});

describe('svdFlip', () => {
  it('makes the largest-|.| entry of each U column positive and flips V rows alike', () => {
    const u = tf.tensor2d([[0.1, -0.9], [-0.8, 0.2], [0.3, 0.1]]);
    const vt = tf.tensor2d([[1, 2], [3, 4]]);
    const r = svdFlip(u, vt);
    expect(Array.from(r.u.dataSync())).toEqual(Array.from(Float32Array.from([-0.1, 0.9, 0.8, -0.2, -0.3, -0.1])));
    expect(Array.from(r.vt.dataSync())).toEqual([-1, -2, -3, -4]);
    tf.dispose([u, vt, r.u, r.vt]);
  });

  it('ties go to the first index, as numpy argmax', () => {
    const r = svdFlip([[-1, 1], [1, -1]], [[1], [1]]);
    expect(Array.from(r.u.dataSync())).toEqual([1, 1, -1, -1]);
    expect(Array.from(r.vt.dataSync())).toEqual([-1, 1]);
    tf.dispose([r.u, r.vt]);
  });

  it('leaves u diag(s) vt unchanged and is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1e6 }), (m, k, n, seed) => {
        const u = toTf(gaussian(m, k, seed));
        const vt = toTf(gaussian(k, n, seed + 1));
        const r = svdFlip(u, vt);
        const again = svdFlip(r.u, r.vt);
        const before = fromTf(tf.tidy(() => tf.matMul(u, vt)));
        const after = fromTf(tf.tidy(() => tf.matMul(r.u, r.vt)));
        expect(Array.from(after.data)).toEqual(Array.from(before.data));
        expect(Array.from(again.u.dataSync())).toEqual(Array.from(r.u.dataSync()));
        expect(signsFlipped(fromTf(r.u))).toBe(true);
        tf.dispose([u, vt, r.u, r.vt, again.u, again.vt]);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects mismatched shapes, naming vt', () => {
    expect(() => svdFlip([[1, 2]], [[1, 2]])).toThrow(ShapeError);
    expect(() => svdFlip([[1, 2]], [[1, 2]])).toThrow(/vt/);
    expect(() => svdFlip([1, 2], [[1, 2]])).toThrow(/u must be 2-D/);
  });
});

describe('svd input validation', () => {
  it('rejects bad matrices, ranks, methods and options with named TenfoldErrors', () => {
    expect(() => svd([1, 2, 3])).toThrow(ShapeError);
    expect(() => svd([1, 2, 3])).toThrow(/matrix/);
    expect(() => svd([[[1]]])).toThrow(ShapeError);
    expect(() => svd({ data: [], shape: [0, 3] })).toThrow(/empty/);
    expect(() => svd([[1, NaN], [0, 1]])).toThrow(NonFiniteError);
    expect(() => svd([[1, Infinity], [0, 1]])).toThrow(/matrix must be finite/);
    expect(() => svd([[1, 0], [0, 1]], { rank: 0 })).toThrow(RankError);
    expect(() => svd([[1, 0], [0, 1]], { rank: 1.5 })).toThrow(/rank must be a positive integer/);
    expect(() => svd([[1, 0], [0, 1]], { method: 'symeig' as SvdMethod })).toThrow(ArgumentError);
    expect(() => svd([[1, 0], [0, 1]], { method: 'symeig' as SvdMethod })).toThrow(/method must be one of/);
    expect(() => svd([[1, 0], [0, 1]], { nIter: -1 })).toThrow(/nIter/);
    expect(() => svd([[1, 0], [0, 1]], { oversamples: 0.5 })).toThrow(/oversamples/);
    expect(() => svd([[1, 0], [0, 1]], { flipSign: 'yes' as unknown as boolean })).toThrow(/flipSign/);
    expect(() => svd([[1, 0], [0, 1]], { n_eigenvecs: 2 } as never)).toThrow(/unknown option 'n_eigenvecs'/);
    expect(() => svd([[1, 0], [0, 1]], { method: 'randomized', seed: 1.5 })).toThrow(/seed/);
    for (const bad of [() => svd([1]), () => svd([[NaN]]), () => svd([[1]], { rank: -1 })]) {
      expect(bad).toThrow(TenfoldError);
    }
  });

  it('leaks nothing, on success or on error', () => {
    const a = toTf(gaussian(40, 30, 1));
    for (const method of METHODS) {
      expectNoLeak(() => svd(a, { rank: 5, method }));
      expectNoLeak(() => svd([[1, 2], [3, 4]], { method }));
      expectNoLeak(() => onBackend(() => svd(a, { rank: 5, method })));
      expectNoLeak(() => onBackend(() => svd(a, { method, flipSign: false })));
    }
    const eye = tf.eye(30);
    expectNoLeak(() => svdFlip(a, eye));
    eye.dispose();
    const before = tf.memory().numTensors;
    expect(() => svd([[1, NaN]])).toThrow(NonFiniteError);
    expect(() => svd([[1, 2]], { method: 'bad' as SvdMethod })).toThrow(ArgumentError);
    expect(() => svdFlip([[1, 2]], [[1, 2]])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('never returns the input tensor and leaves it intact', () => {
    const a = tf.eye(3) as tf.Tensor2D;
    const r = svd(a);
    expect(r.u).not.toBe(a);
    expect(a.isDisposed).toBe(false);
    expect(Array.from(r.s.dataSync())).toEqual([1, 1, 1]);
    tf.dispose([a, r.u, r.s, r.vt]);
  });
});
