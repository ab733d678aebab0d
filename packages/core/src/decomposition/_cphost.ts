/**
 * CP-ALS entirely on the host in float64, for small problems. Below about 2e5 tensor
 * entries x rank, a sweep is a few hundred microseconds of JavaScript, while the device
 * engine pays tfjs's per-op dispatch (tens of ops per mode) and a sync per mode; the host
 * engine is also exact in float64. Same algorithm and semantics as the device engine.
 */
import type { HostMatrix } from '../backend/transfer.js';
import { qrUnchecked, solveUnchecked } from '../linalg/host.js';
import { hostZeros } from '../linalg/host.js';

export interface HostCpState {
  factors: HostMatrix[];
  weights: Float64Array;
}

export interface HostAlsOptions {
  nIterMax: number;
  tol: number;
  l2Reg: number;
  cvgCriterion: 'abs_rec_error' | 'rec_error';
  normalizeFactors: boolean;
  orthogonalise: number;
  modes: number[];
  needErrors: boolean;
  callback?: (info: { iteration: number; error: number }) => boolean | void;
}

/** Problems up to this many entries x rank run on the host engine. */
export const HOST_CP_WORK = 2e5;

function gram(f: HostMatrix): HostMatrix {
  const { rows, cols: r } = f;
  const g = hostZeros(r, r);
  for (let i = 0; i < rows; i++) {
    const o = i * r;
    for (let a = 0; a < r; a++) {
      const va = f.data[o + a];
      if (va === 0) continue;
      for (let b = a; b < r; b++) g.data[a * r + b] += va * f.data[o + b];
    }
  }
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) g.data[a * r + b] = g.data[b * r + a];
  return g;
}

/**
 * MTTKRP of `mode` on the host: `unfold(T, mode) @ khatri_rao(F, skip=mode)`, one pass over
 * T. The last mode is the contiguous inner loop; the product of the other rows is formed
 * once per fibre, so the cost is about 2 * size * R.
 */
export function hostMttkrp(t: Float64Array, shape: readonly number[], factors: readonly HostMatrix[], mode: number): HostMatrix {
  const N = shape.length;
  const R = factors[0].cols;
  const out = hostZeros(shape[mode], R);
  const o = out.data;
  const inner = shape[N - 1];
  const last = factors[N - 1].data;
  const fibres = t.length / inner;
  const idx = new Array<number>(Math.max(N - 1, 0)).fill(0);
  const q = new Float64Array(R);
  const acc = new Float64Array(R);
  for (let fb = 0; fb < fibres; fb++) {
    q.fill(1);
    for (let k = 0; k < N - 1; k++) {
      if (k === mode) continue;
      const d = factors[k].data;
      const row = idx[k] * R;
      for (let r = 0; r < R; r++) q[r] *= d[row + r];
    }
    const base = fb * inner;
    if (mode === N - 1) {
      for (let j = 0; j < inner; j++) {
        const v = t[base + j];
        if (v === 0) continue;
        const orow = j * R;
        for (let r = 0; r < R; r++) o[orow + r] += v * q[r];
      }
    } else {
      acc.fill(0);
      for (let j = 0; j < inner; j++) {
        const v = t[base + j];
        if (v === 0) continue;
        const lrow = j * R;
        for (let r = 0; r < R; r++) acc[r] += v * last[lrow + r];
      }
      const orow = idx[mode] * R;
      for (let r = 0; r < R; r++) o[orow + r] += acc[r] * q[r];
    }
    for (let d = N - 2; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

function sqNormCp(s: HostCpState, grams: HostMatrix[]): number {
  const R = s.weights.length;
  let total = 0;
  for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) {
    let p = s.weights[i] * s.weights[j];
    for (const g of grams) p *= g.data[i * R + j];
    total += p;
  }
  return total;
}

function normalize(s: HostCpState): void {
  const R = s.weights.length;
  const w = new Float64Array(R).fill(1);
  s.factors.forEach((f, k) => {
    for (let r = 0; r < R; r++) {
      const a = k === 0 ? s.weights[r] : 1;
      let n2 = 0;
      for (let i = 0; i < f.rows; i++) n2 += (f.data[i * R + r] * a) ** 2;
      const n = Math.sqrt(n2);
      w[r] *= n;
      const scale = a / (n === 0 ? 1 : n);
      for (let i = 0; i < f.rows; i++) f.data[i * R + r] *= scale;
    }
  });
  s.weights = w;
}

/** Run the ALS sweeps in place on a host state; returns the relative errors. */
export function hostAls(t: Float64Array, shape: readonly number[], s: HostCpState, o: HostAlsOptions): number[] {
  const N = shape.length;
  const R = s.weights.length;
  let normT2 = 0;
  for (let i = 0; i < t.length; i++) normT2 += t[i] * t[i];
  const normT = Math.sqrt(normT2);
  let grams = s.factors.map(gram);
  const errors: number[] = [];
  const errorOf = (mLast: HostMatrix): number => {
    let ip = 0;
    const f = s.factors[N - 1];
    for (let i = 0; i < mLast.rows; i++) for (let r = 0; r < R; r++) ip += mLast.data[i * R + r] * f.data[i * R + r];
    return Math.sqrt(Math.abs(normT2 + sqNormCp(s, grams) - 2 * ip)) / normT;
  };
  if (o.callback) {
    const m = hostMttkrp(t, shape, s.factors, N - 1);
    for (let i = 0; i < m.rows; i++) for (let r = 0; r < R; r++) m.data[i * R + r] *= s.weights[r];
    if (o.callback({ iteration: 0, error: errorOf(m) }) === true) return errors;
  }
  for (let iteration = 0; iteration < o.nIterMax; iteration++) {
    if (o.orthogonalise >= 0 && iteration <= o.orthogonalise) {
      s.factors = s.factors.map((f) => (f.rows >= R ? qrUnchecked(f).q : f));
      grams = s.factors.map(gram);
    }
    let mLast: HostMatrix | null = null;
    for (const mode of o.modes) {
      const v = hostZeros(R, R);
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) {
        let p = 1;
        for (let k = 0; k < N; k++) if (k !== mode) p *= grams[k].data[i * R + j];
        if (i === j) p += o.l2Reg;
        v.data[i * R + j] = s.weights[i] * p * s.weights[j];
      }
      const m = hostMttkrp(t, shape, s.factors, mode);
      for (let i = 0; i < m.rows; i++) for (let r = 0; r < R; r++) m.data[i * R + r] *= s.weights[r];
      // F = M V^{-1}: solve V^T X = M^T (numpy's solve semantics: only an exact zero pivot fails).
      const mt = hostZeros(R, m.rows);
      for (let i = 0; i < m.rows; i++) for (let r = 0; r < R; r++) mt.data[r * m.rows + i] = m.data[i * R + r];
      const vt = hostZeros(R, R);
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) vt.data[i * R + j] = v.data[j * R + i];
      const x = solveUnchecked(vt, mt, 0);
      const f = hostZeros(m.rows, R);
      for (let i = 0; i < m.rows; i++) for (let r = 0; r < R; r++) f.data[i * R + r] = x.data[r * m.rows + i];
      s.factors[mode] = f;
      grams[mode] = gram(f);
      if (mode === N - 1) mLast = m;
    }
    if (o.needErrors) {
      const err = errorOf(mLast as HostMatrix);
      errors.push(err);
      const stopCb = o.callback ? o.callback({ iteration: iteration + 1, error: err }) === true : false;
      let stop = false;
      if (o.tol > 0 && iteration >= 1) {
        const dec = errors[errors.length - 2] - errors[errors.length - 1];
        stop = o.cvgCriterion === 'abs_rec_error' ? Math.abs(dec) < o.tol : dec < o.tol;
      }
      if (stop || stopCb) break;
    }
    if (o.normalizeFactors) {
      normalize(s);
      grams = s.factors.map(gram);
    }
  }
  return errors;
}

