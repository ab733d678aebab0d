/**
 * Every case of fixtures/rank.json (VBMF.py + scipy 1.10.1 + tensorly 0.9.0).
 *
 * Inputs go in as host float64 arrays ({data, shape}), so the SVD and the sigma2 search run
 * in float64 as in the reference: ranks and nfev match exactly and sigma2 / d / F within the
 * fixture's tolerance. A second block feeds float32 tensors (the common case) and compares
 * at float32 tolerance.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { estimateRank, evbmf, vbmf } from '@tenfold/rank';
import { expectClose, f32Tolerance, fixtureCase, fx, loadFixtures, type FixtureArray, type FixtureCase, type Tolerance } from '../../../test-utils/index.js';

const file = loadFixtures('rank');
const host = (a: FixtureArray) => ({ data: Float64Array.from(a.data), shape: a.shape });
const tol = (c: FixtureCase): Tolerance => c.tolerance ?? { rtol: 1e-6, atol: 1e-12 };

function closeNumber(actual: number, expected: number, t: Tolerance, label: string): void {
  expectClose([actual], [expected], t, label);
}

/** Transpose a fixture matrix on the host (float64). */
function transposeFx(a: FixtureArray): { data: Float64Array; shape: number[] } {
  const [r, c] = a.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a.data[i * c + j];
  return { data: out, shape: [c, r] };
}

/** Row-major TensorLy unfolding of a fixture tensor, in float64 (independent of the library's). */
function unfoldFx(a: FixtureArray, mode: number): { data: Float64Array; shape: number[] } {
  const shape = a.shape;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const rows = shape[mode];
  const cols = a.data.length / rows;
  const other = shape.map((_, i) => i).filter((i) => i !== mode);
  const out = new Float64Array(a.data.length);
  for (let flat = 0; flat < a.data.length; flat++) {
    let rem = flat;
    const idx = shape.map((_, i) => {
      const v = Math.floor(rem / strides[i]);
      rem -= v * strides[i];
      return v;
    });
    let col = 0;
    for (const k of other) col = col * shape[k] + idx[k];
    out[idx[mode] * cols + col] = a.data[flat];
  }
  return { data: out, shape: [rows, cols] };
}

function checkEvbmf(r: ReturnType<typeof evbmf>, e: any, t: Tolerance, label: string, opts: { nfev?: boolean } = {}): void {
  expect(r.rank, `${label} rank`).toBe(e.rank);
  expect(r.evbRank, `${label} evbRank`).toBe(e.rank);
  closeNumber(r.sigma2, e.sigma2, t, `${label} sigma2`);
  closeNumber(r.threshold, e.threshold, t, `${label} threshold`);
  expectClose(r.d, e.d.data, t, `${label} d`);
  closeNumber(r.post.F, e.F, t, `${label} F`);
  if (e.bracket) {
    expect(r.bracket, `${label} bracket`).toBeDefined();
    expectClose(r.bracket!, e.bracket, t, `${label} bracket`);
    closeNumber(r.objective!, e.objective_at_sigma2, t, `${label} objective`);
    if (opts.nfev) expect(r.nfev, `${label} nfev`).toBe(e.nfev);
  }
}

const evbmfCases = file.cases.filter((c) => c.name.startsWith('evbmf_') && !c.expected_error && c.name !== 'evbmf_50x20_L_gt_M_not_transposed');

describe('evbmf vs VBMF.py (float64 host input)', () => {
  it('covers every fixture case', () => {
    const covered = new Set([
      ...evbmfCases.map((c) => c.name),
      'evbmf_50x20_L_gt_M_not_transposed',
      'evbmf_20x50_H10_indexerror',
      'est_rank_conv_64x32x3x3',
      'est_rank_conv_32x16x3x3',
      'vbmf_20x50_cacb0.3',
      'vbmf_20x50_cacb0.3_given_sigma2',
    ]);
    expect(file.cases.map((c) => c.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  for (const c of evbmfCases) {
    it(c.name, () => {
      const t = tol(c);
      expect(c.meta.singular_values).toBeDefined();
      for (const variant of ['scipy_default', 'tight'] as const) {
        const e = c.expected[variant];
        if (!e) continue;
        const r = evbmf(host(c.inputs.Y), {
          sigma2: c.inputs.sigma2 ?? undefined,
          H: c.inputs.H ?? undefined,
          xatol: variant === 'tight' ? 1e-12 : undefined,
        });
        try {
          expect(r.svd).toBe('host');
          expect(r.transposed).toBe(false);
          // The SVD itself: all singular values, float64.
          expectClose(r.singularValues.subarray(0, c.meta.H), c.meta.singular_values.data, { rtol: 1e-12, atol: 1e-12 * c.meta.singular_values.data[0] }, `${c.name} s`);
          // scipy_default must take the very same Brent steps; the tight search ends in
          // round-off noise on a flat objective, so its nfev is a diagnostic only.
          checkEvbmf(r, e, t, `${c.name} ${variant}`, { nfev: variant === 'scipy_default' });
          expect(r.u.shape).toEqual([c.inputs.Y.shape[0], e.rank]);
          expect(r.v.shape).toEqual([c.inputs.Y.shape[1], e.rank]);
        } finally {
          r.dispose();
        }
      }
    });
  }

  it('evbmf_20x50_rank5_noise0.5_scale1: u diag(d) v^T is the EVB estimate (singular vectors are right)', () => {
    const c = fixtureCase(file, 'evbmf_20x50_rank5_noise0.5_scale1');
    const r = evbmf(host(c.inputs.Y));
    try {
      // y v_h = s_h u_h for the kept components, and u, v orthonormal.
      const yt = fx(c.inputs.Y);
      const yv = tf.matMul(yt, r.v);
      const su = tf.mul(r.u, tf.tensor1d(Array.from(r.singularValues.subarray(0, r.rank))));
      expect(tf.max(tf.abs(tf.sub(yv, su))).dataSync()[0]).toBeLessThan(1e-4 * r.singularValues[0]);
      const utu = tf.matMul(r.u, r.u, true, false);
      expect(tf.max(tf.abs(tf.sub(utu, tf.eye(r.rank)))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([yt, yv, su, utu]);
    } finally {
      r.dispose();
    }
  });

  it('evbmf_50x20_L_gt_M_not_transposed: Tenfold transposes and equals the 20x50 result', () => {
    // The fixture records VBMF.py run on the 50x20 matrix without transposing (H = L = 50 >
    // min side; the bracket uses alpha = 2.5). Its input is exactly the transpose of the
    // 20x50 scale-1 case, so a correct EVBMF must return that case's result.
    const c = fixtureCase(file, 'evbmf_50x20_L_gt_M_not_transposed');
    const ref = fixtureCase(file, 'evbmf_20x50_rank5_noise0.5_scale1');
    expect(transposeFx(c.inputs.Y).data).toEqual(Float64Array.from(ref.inputs.Y.data));
    for (const variant of ['scipy_default', 'tight'] as const) {
      const r = evbmf(host(c.inputs.Y), { xatol: variant === 'tight' ? 1e-12 : undefined });
      try {
        expect(r.transposed).toBe(true);
        expect([r.L, r.M, r.H]).toEqual([20, 50, 20]);
        checkEvbmf(r, ref.expected[variant], tol(ref), `L>M ${variant}`, { nfev: variant === 'scipy_default' });
        expect(r.u.shape).toEqual([50, 5]);
        expect(r.v.shape).toEqual([20, 5]);
        // The reference's un-transposed run searched a different bracket; its rank agrees here.
        expect(r.bracket![0]).not.toBeCloseTo(c.expected[variant].bracket[0], 3);
        expect(r.rank).toBe(c.expected[variant].rank);
      } finally {
        r.dispose();
      }
    }
  });

  it('evbmf_20x50_H10_indexerror: no IndexError; the lower bound comes from the residual', () => {
    const c = fixtureCase(file, 'evbmf_20x50_H10_indexerror');
    expect(c.expected_error!.type).toBe('IndexError');
    const full = fixtureCase(file, 'evbmf_20x50_rank5_noise0.5_scale1');
    const r = evbmf(host(c.inputs.Y), { H: 10 });
    try {
      expect(r.lowerBoundRule).toBe('residual');
      // residual = sum(Y^2) - sum(s[:10]^2); lower = residual / ((L - H) M).
      const s = full.meta.singular_values.data as number[];
      const residual = s.slice(10).reduce((a, v) => a + v * v, 0);
      closeNumber(r.bracket![0], residual / (10 * 50), { rtol: 1e-9, atol: 0 }, 'lower');
      expect(r.sigma2).toBeGreaterThanOrEqual(r.bracket![0]);
      expect(r.sigma2).toBeLessThanOrEqual(r.bracket![1]);
      // The true rank (5, what the reference finds with H = 20 and H = 15) is still found.
      expect(r.rank).toBe(full.expected.scipy_default.rank);
      expect(r.rank).toBe(fixtureCase(file, 'evbmf_20x50_H15').expected.scipy_default.rank);
    } finally {
      r.dispose();
    }
  });
});

describe('estimateRank vs the blog est_rank rule (float64 host input)', () => {
  for (const name of ['est_rank_conv_64x32x3x3', 'est_rank_conv_32x16x3x3']) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const t = tol(c);
      for (const variant of ['scipy_default', 'tight'] as const) {
        const xatol = variant === 'tight' ? 1e-12 : undefined;
        const r = estimateRank(host(c.inputs.weight), { roundTo: 8, xatol });
        const e = c.expected[variant];
        expect(r.ranks, `${name} ${variant} ranks`).toEqual([e.r0, e.r1]);
        expect(r.rank, `${name} ${variant} rank`).toBe(e.rank);
        expect(r.modes).toEqual([0, 1]);
        closeNumber(r.perMode[0].sigma2, c.expected.unfold0[variant].sigma2, t, `${name} unfold0 sigma2`);
        closeNumber(r.perMode[1].sigma2, c.expected.unfold1[variant].sigma2, t, `${name} unfold1 sigma2`);
        closeNumber(r.perMode[0].threshold, c.expected.unfold0[variant].threshold, t, `${name} unfold0 threshold`);
        // Each unfolding through evbmf directly: d, F, bracket and the search path.
        for (const mode of [0, 1]) {
          const ue = c.expected[`unfold${mode}`][variant];
          const u = evbmf(unfoldFx(c.inputs.weight, mode), { xatol });
          try {
            checkEvbmf(u, ue, t, `${name} unfold${mode} ${variant}`, { nfev: variant === 'scipy_default' });
          } finally {
            u.dispose();
          }
        }
      }
    });
  }
});

describe('vbmf vs VBMF.py', () => {
  for (const name of ['vbmf_20x50_cacb0.3', 'vbmf_20x50_cacb0.3_given_sigma2']) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const t = tol(c);
      for (const variant of ['scipy_default', 'tight'] as const) {
        const e = c.expected[variant];
        if (!e) continue;
        const r = vbmf(host(c.inputs.Y), c.inputs.cacb, { sigma2: c.inputs.sigma2 ?? undefined, xatol: variant === 'tight' ? 1e-12 : undefined });
        try {
          expect(r.rank).toBe(e.rank);
          closeNumber(r.sigma2, e.sigma2, t, `${name} sigma2`);
          expectClose(r.d, e.d.data, t, `${name} d`);
          closeNumber(r.post.F, e.F, t, `${name} F`);
          if (e.bracket) {
            expectClose(r.bracket!, e.bracket, t, `${name} bracket`);
            if (variant === 'scipy_default') expect(r.nfev).toBe(e.nfev);
            closeNumber(r.objective!, e.objective_at_sigma2, t, `${name} objective`);
          }
        } finally {
          r.dispose();
        }
      }
    });
  }
});

describe('float32 tensor input (the common case) at float32 tolerance', () => {
  const f32 = (e: number) => f32Tolerance([e], { rtol: 2e-4 });
  for (const name of [
    'evbmf_20x50_rank5_noise0.5_scale1',
    'evbmf_20x50_rank5_noise0.5_scale0.001',
    'evbmf_20x50_rank5_noise0.5_scale0.001_seed21_xatol_divergence',
    'evbmf_conv_like_64x576_rank12',
    'evbmf_pure_noise_30x90',
    'evbmf_20x50_H15',
  ]) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const y = fx(c.inputs.Y);
      for (const svd of ['host', 'gram'] as const) {
        const r = evbmf(y, { H: c.inputs.H ?? undefined, svd });
        try {
          const e = c.expected.scipy_default;
          expect(r.svd).toBe(svd);
          expect(r.rank, `${name} ${svd} rank`).toBe(e.rank);
          closeNumber(r.sigma2, e.sigma2, f32(e.sigma2), `${name} ${svd} sigma2`);
          expectClose(r.d, e.d.data, f32Tolerance(e.d.data, { rtol: 2e-4 }), `${name} ${svd} d`);
        } finally {
          r.dispose();
        }
      }
      y.dispose();
    });
  }

  it('est_rank_conv_64x32x3x3 from a float32 tensor, both SVD routes', () => {
    const c = fixtureCase(file, 'est_rank_conv_64x32x3x3');
    const w = fx(c.inputs.weight);
    for (const svd of ['host', 'gram'] as const) {
      const r = estimateRank(w, { roundTo: 8, svd });
      expect(r.ranks).toEqual([c.expected.scipy_default.r0, c.expected.scipy_default.r1]);
      expect(r.rank).toBe(c.expected.scipy_default.rank);
    }
    w.dispose();
  });
});
