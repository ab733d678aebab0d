/**
 * CP-ALS entirely on the host in float64, for small problems. Below about 2e5 tensor
 * entries x rank, a sweep is a few hundred microseconds of JavaScript, while the device
 * engine pays tfjs's per-op dispatch (tens of ops per mode) and a sync per mode; the host
 * engine is also exact in float64. Same algorithm and semantics as the device engine.
 *
 * MTTKRPs share one partial product per sweep: `P = T x_{N-1} F_{N-1}` (the last mode
 * contracted, shape I_0 x ... x I_{N-2} x R) only involves the last factor, which a sweep
 * updates last, so every other mode's MTTKRP is `P` contracted with the Khatri-Rao product
 * of the remaining factors, and the last mode takes a second pass over T: two passes over
 * T per sweep instead of N. Every sum is the direct MTTKRP's (one pass over T per mode),
 * term for term and in the same order, so for finite input the results are bit-identical
 * to it; the kernels only block the short `for r < R` loops and reuse buffers.
 */
import type { HostMatrix } from '../backend/transfer.js';
import { hostZeros, luSolveOrPinvInPlace, qrUnchecked } from '../linalg/host.js';
import type { StepProgress } from '../checks/index.js';

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

/** Problems up to this many entries x rank run on the host engine. */
export const HOST_CP_WORK = 2e5;

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

// ---------------------------------------------------------------------------------------
// Kernels. Every output element is a sum started at 0 and accumulated in increasing order
// of the contracted index, as in the direct MTTKRP; the blocking only keeps several of
// those sums in registers at once (the short `for r < R` loops were the bottleneck).

/**
 * `out[f, r] = sum_k t[f, k] c[r, k]` for a row-major L x K `t` and a column-major
 * (R x K rows) `c`; `out` is L x R row-major. Two rows of t times up to four ranks per pass.
 */
export function contractLast(t: Float64Array, L: number, K: number, c: Float64Array, R: number, out: Float64Array): void {
  const L2 = L - (L % 2);
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = Math.min(4, R - r0);
    const c0 = r0 * K;
    const c1 = c0 + K;
    const c2 = c1 + K;
    const c3 = c2 + K;
    if (rb === 4) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k], x2 = c[c2 + k], x3 = c[c3 + k];
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1; out[o + 2 * L] = a2; out[o + 3 * L] = a3;
        out[o + 1] = e0; out[o + L + 1] = e1; out[o + 2 * L + 1] = e2; out[o + 3 * L + 1] = e3;
      }
    } else if (rb === 3) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, a2 = 0, e0 = 0, e1 = 0, e2 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k], x2 = c[c2 + k];
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1; out[o + 2 * L] = a2;
        out[o + 1] = e0; out[o + L + 1] = e1; out[o + 2 * L + 1] = e2;
      }
    } else if (rb === 2) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, e0 = 0, e1 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k];
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1;
        out[o + 1] = e0; out[o + L + 1] = e1;
      }
    } else {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, e0 = 0;
        for (let k = 0; k < K; k++) {
          const x0 = c[c0 + k];
          a0 += t[b0 + k] * x0;
          e0 += t[b1 + k] * x0;
        }
        const o = r0 * L + f;
        out[o] = a0;
        out[o + 1] = e0;
      }
    }
  }
  for (let f = L2; f < L; f++) {
    const b = f * K;
    for (let r = 0; r < R; r++) {
      const cr = r * K;
      let a = 0;
      for (let k = 0; k < K; k++) a += t[b + k] * c[cr + k];
      out[r * L + f] = a;
    }
  }
}

/**
 * `out[k, r] = sum_f t[f, k] q[r, f]` for a row-major L x K `t` and a column-major
 * (R x L rows) `q`; `out` is K x R row-major. Two columns of t times up to four ranks per pass.
 */
export function contractLead(t: Float64Array, L: number, K: number, q: Float64Array, R: number, out: Float64Array): void {
  const K2 = K - (K % 2);
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = Math.min(4, R - r0);
    const q0 = r0 * L;
    const q1 = q0 + L;
    const q2 = q1 + L;
    const q3 = q2 + L;
    if (rb === 4) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f], x2 = q[q2 + f], x3 = q[q3 + f];
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
        out[o + R] = e0; out[o + R + 1] = e1; out[o + R + 2] = e2; out[o + R + 3] = e3;
      }
    } else if (rb === 3) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, a2 = 0, e0 = 0, e1 = 0, e2 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f], x2 = q[q2 + f];
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2;
        out[o + R] = e0; out[o + R + 1] = e1; out[o + R + 2] = e2;
      }
    } else if (rb === 2) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, e0 = 0, e1 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f];
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1;
        out[o + R] = e0; out[o + R + 1] = e1;
      }
    } else {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, e0 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const x0 = q[q0 + f];
          a0 += t[b] * x0;
          e0 += t[b + 1] * x0;
        }
        const o = k * R + r0;
        out[o] = a0;
        out[o + R] = e0;
      }
    }
  }
  for (let k = K2; k < K; k++) {
    for (let r = 0; r < R; r++) {
      const qr = r * L;
      let a = 0;
      for (let f = 0, b = k; f < L; f++, b += K) a += t[b] * q[qr + f];
      out[k * R + r] = a;
    }
  }
}

/**
 * The Khatri-Rao product of the factors of modes 0..n-1 with mode `skip` left out (a
 * column of ones in its place, so the row index stays i_0..i_{n-1}, row-major),
 * column-major into `q` (R columns of `rows` entries):
 * `q[r, a] = F_0[i_0, r] * ... * F_{n-1}[i_{n-1}, r]`, multiplied left to right as the
 * direct MTTKRP does (the ones are exact).
 */
function khatriRaoCols(factors: readonly HostMatrix[], shape: readonly number[], n: number, skip: number, R: number, rows: number, q: Float64Array): void {
  for (let r = 0; r < R; r++) {
    const col = r * rows;
    let len = 1;
    q[col] = 1;
    for (let k = 0; k < n; k++) {
      const I = shape[k];
      // Expand in place from the end: row a becomes rows a*I .. a*I + I - 1.
      if (k === skip) {
        for (let a = len - 1; a >= 0; a--) {
          const v = q[col + a];
          const o = col + a * I;
          for (let i = 0; i < I; i++) q[o + i] = v;
        }
      } else {
        const d = factors[k].data;
        for (let a = len - 1; a >= 0; a--) {
          const v = q[col + a];
          const o = col + a * I;
          for (let i = 0; i < I; i++) q[o + i] = v * d[i * R + r];
        }
      }
      len *= I;
    }
  }
}

/**
 * `out[i, r] = sum_{a, b} p[r, (a, i, b)] q[r, (a, i, b)]` (p and q column-major R x (A I B),
 * out I x R row-major), summed in increasing order of (a, b).
 */
function contractSkip(p: Float64Array, A: number, I: number, B: number, q: Float64Array, R: number, out: Float64Array): void {
  const rows = A * I * B;
  out.fill(0, 0, I * R);
  for (let r = 0; r < R; r++) {
    const col = r * rows;
    for (let a = 0; a < A; a++) {
      for (let i = 0; i < I; i++) {
        const f0 = col + (a * I + i) * B;
        let s = out[i * R + r];
        for (let f = f0, end = f0 + B; f < end; f++) s += p[f] * q[f];
        out[i * R + r] = s;
      }
    }
  }
}

/**
 * The MTTKRP engine of one tensor: `P = T x_{N-1} F_{N-1}` (kept while the last factor
 * does not change, i.e. for all the other modes of a sweep) and the scratch buffers,
 * allocated once and reused across modes and sweeps.
 */
class MttkrpTree {
  private readonly N: number;
  private readonly K: number;
  private readonly L: number;
  private readonly partial: Float64Array;
  private valid = false;
  private readonly cols: Float64Array;
  private readonly kr: Float64Array;

  constructor(private readonly t: Float64Array, private readonly shape: readonly number[], private readonly R: number) {
    const N = shape.length;
    this.N = N;
    this.K = shape[N - 1];
    this.L = t.length / this.K;
    this.partial = new Float64Array(this.L * R);
    this.cols = new Float64Array(this.K * R);
    this.kr = new Float64Array(this.L * R);
  }

  /** Factor `mode` changed. */
  changed(mode: number): void {
    if (mode === this.N - 1) this.valid = false;
  }

  invalidate(): void {
    this.valid = false;
  }

  /** MTTKRP of `mode` into `out` (shape[mode] x R); P is column-major (R x L). */
  mttkrp(factors: readonly HostMatrix[], mode: number, out: Float64Array): void {
    const { N, K, L, R, shape } = this;
    if (mode === N - 1) {
      khatriRaoCols(factors, shape, N - 1, -1, R, L, this.kr);
      contractLead(this.t, L, K, this.kr, R, out);
      return;
    }
    if (!this.valid) {
      const last = factors[N - 1].data;
      const c = this.cols;
      for (let k = 0; k < K; k++) for (let r = 0; r < R; r++) c[r * K + k] = last[k * R + r];
      contractLast(this.t, L, K, c, R, this.partial);
      this.valid = true;
    }
    let A = 1;
    for (let k = 0; k < mode; k++) A *= shape[k];
    let B = 1;
    for (let k = mode + 1; k < N - 1; k++) B *= shape[k];
    khatriRaoCols(factors, shape, N - 1, mode, R, L, this.kr);
    contractSkip(this.partial, A, shape[mode], B, this.kr, R, out);
  }
}

/**
 * MTTKRP of `mode` on the host: `unfold(T, mode) @ khatri_rao(F, skip=mode)`, one pass
 * over T (the last mode contracted first, or the Khatri-Rao product of the others).
 */
export function hostMttkrp(t: Float64Array, shape: readonly number[], factors: readonly HostMatrix[], mode: number): HostMatrix {
  const R = factors[0].cols;
  const out = hostZeros(shape[mode], R);
  new MttkrpTree(t, shape, R).mttkrp(factors, mode, out.data);
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
  const tree = new MttkrpTree(t, shape, R);
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
