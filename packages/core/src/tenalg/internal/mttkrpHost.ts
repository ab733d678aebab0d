/**
 * The host (float64) MTTKRP: `unfold(T, mode) @ khatri_rao(F, skip=mode)` on a row-major
 * Float64Array, for the host CP engine (decomposition/internal/cpAlsHost.ts) and PARAFAC2.
 * One of the three MTTKRP variants behind tenalg's one entry (../mttkrp.ts): direct on the
 * backend (./mttkrpDirect.ts), dimension tree on the backend (./mttkrpTree.ts), and this one.
 *
 * `HostMttkrpTree` shares one partial product per sweep: `P = T x_{N-1} F_{N-1}` (the last
 * mode contracted) only involves the last factor, which a sweep updates last, so every
 * other mode's MTTKRP is `P` contracted with the Khatri-Rao product of the remaining
 * factors; the last mode takes a second pass over T. Every sum is the direct MTTKRP's,
 * term for term and in the same order (bit-identical for finite input).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { contractLast, contractLead } from './hostContractions.js';

function hostZeros(rows: number, cols: number): HostMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
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
export class HostMttkrpTree {
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
  new HostMttkrpTree(t, shape, R).mttkrp(factors, mode, out.data);
  return out;
}

