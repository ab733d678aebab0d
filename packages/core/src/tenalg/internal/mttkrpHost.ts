/**
 * The host (float64) MTTKRP: `unfold(T, mode) @ khatri_rao(F, skip=mode)` on a row-major
 * Float64Array, for the host CP engine (decomposition/internal/cpAlsHost.ts) and PARAFAC2.
 * One of the three MTTKRP variants of tenalg (see ../mttkrp.ts): direct on the backend
 * (`mttkrp`), dimension tree on the backend (`MttkrpTree`), and this one.
 *
 * `HostMttkrpTree` shares one partial product per sweep: `P = T x_{N-1} F_{N-1}` (the last
 * mode contracted) only involves the last factor, which a sweep updates last, so every
 * other mode's MTTKRP is `P` contracted with the Khatri-Rao product of the remaining
 * factors; the last mode takes a second pass over T. Every sum is the direct MTTKRP's,
 * term for term and in the same order (bit-identical for finite input).
 */
import type { HostMatrix } from '../../backend/transfer.js';

function hostZeros(rows: number, cols: number): HostMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
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

