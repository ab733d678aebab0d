/**
 * CP-ALS entirely on the host in float64, for small problems. Below about 2e5 tensor
 * entries x rank, a sweep is a few hundred microseconds of JavaScript, while the device
 * engine pays tfjs's per-op dispatch (tens of ops per mode) and a sync per mode; the host
 * engine is also exact in float64. Same algorithm and semantics as the device engine.
 *
 * (Threshold: `HOST_CP_WORK` in backend/placement.ts.) The MTTKRPs are tenalg's host variant
 * (tenalg's `mttkrpSweep` on a Float64Array, tenalg/internal/mttkrpHost.ts): two passes over T per sweep instead of N,
 * bit-identical to the direct MTTKRP for finite input.
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { hostZeros, luSolveOrPinvInPlace, qrUnchecked } from '../../linalg/host.js';
import type { StepProgress } from '../../checks/index.js';
import { mttkrpSweep } from '../../tenalg/mttkrp.js';

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
  /** Progress records and the abort signal (step 0 before the first sweep, then one per sweep). */
  progress?: StepProgress;
  /**
   * Replaces the normal-equations solve of a mode when it returns a matrix: called with the
   * mode, its weighted MTTKRP `M` (I_m x R), `V = w w^T * Hadamard_{k != m} F_k^T F_k` and the
   * current factor (used by PARAFAC2's non-negative modes: HALS on `(M^T, V)`).
   */
  modeSolver?: (mode: number, m: HostMatrix, v: HostMatrix, current: HostMatrix) => HostMatrix | null;
}



function gramInto(f: HostMatrix, g: Float64Array): void {
  const { rows, cols: r, data } = f;
  g.fill(0);
  for (let i = 0; i < rows; i++) {
    const o = i * r;
    for (let a = 0; a < r; a++) {
      const va = data[o + a];
      for (let b = a; b < r; b++) g[a * r + b] += va * data[o + b];
    }
  }
  for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) g[a * r + b] = g[b * r + a];
}

function gram(f: HostMatrix): HostMatrix {
  const g = hostZeros(f.cols, f.cols);
  gramInto(f, g.data);
  return g;
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

/** TensorLy `cp_normalize` in place: F_0 absorbs the weights, column norms move into the weights (zero norms divide by 1). */
export function hostCpNormalize(s: HostCpState): void {
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
  const tree = mttkrpSweep(shape, { data: t, rank: R });
  let grams = s.factors.map(gram);
  const errors: number[] = [];
  const errorOf = (mLast: HostMatrix): number => {
    let ip = 0;
    const f = s.factors[N - 1];
    for (let i = 0; i < mLast.rows; i++) for (let r = 0; r < R; r++) ip += mLast.data[i * R + r] * f.data[i * R + r];
    return Math.sqrt(Math.abs(normT2 + sqNormCp(s, grams) - 2 * ip)) / normT;
  };
  const scaleByWeights = (m: HostMatrix): void => {
    for (let i = 0; i < m.rows; i++) for (let r = 0; r < R; r++) m.data[i * R + r] *= s.weights[r];
  };
  o.progress?.begin();
  if (o.callback) {
    const m = hostZeros(shape[N - 1], R);
    tree.mttkrp(s.factors, N - 1, m.data);
    scaleByWeights(m);
    if (o.callback({ iteration: 0, error: errorOf(m) }) === true) return errors;
  }
  const ms = shape.map((n) => hostZeros(n, R));
  const v = new Float64Array(R * R);
  const lu = new Float64Array(R * R);
  const mt = new Float64Array(Math.max(...shape) * R);
  for (let iteration = 0; iteration < o.nIterMax; iteration++) {
    if (o.orthogonalise >= 0 && iteration <= o.orthogonalise) {
      s.factors = s.factors.map((f) => (f.rows >= R ? qrUnchecked(f).q : f));
      grams = s.factors.map(gram);
      tree.invalidate();
    }
    let mLast: HostMatrix | null = null;
    for (const mode of o.modes) {
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) {
        let p = 1;
        for (let k = 0; k < N; k++) if (k !== mode) p *= grams[k].data[i * R + j];
        if (i === j) p += o.l2Reg;
        v[i * R + j] = s.weights[i] * p * s.weights[j];
      }
      const m = ms[mode];
      tree.mttkrp(s.factors, mode, m.data);
      scaleByWeights(m);
      const custom = o.modeSolver ? o.modeSolver(mode, m, { rows: R, cols: R, data: v }, s.factors[mode]) : null;
      if (custom) {
        s.factors[mode] = custom;
        tree.changed(mode);
        gramInto(custom, grams[mode].data);
        if (mode === N - 1) mLast = m;
        continue;
      }
      // F = M V^{-1}: solve V^T X = M^T (numpy's solve semantics: only an exact zero pivot fails).
      const rows = m.rows;
      for (let i = 0; i < rows; i++) for (let r = 0; r < R; r++) mt[r * rows + i] = m.data[i * R + r];
      for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) lu[i * R + j] = v[j * R + i];
      luSolveOrPinvInPlace(lu, R, mt, rows);
      const f = hostZeros(rows, R);
      for (let i = 0; i < rows; i++) for (let r = 0; r < R; r++) f.data[i * R + r] = mt[r * rows + i];
      s.factors[mode] = f;
      tree.changed(mode);
      gramInto(f, grams[mode].data);
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
      o.progress?.step(iteration + 1, err);
      if (stop || stopCb) break;
    } else {
      o.progress?.step(iteration + 1);
    }
    if (o.normalizeFactors) {
      hostCpNormalize(s);
      grams = s.factors.map(gram);
      tree.invalidate();
    }
  }
  return errors;
}
