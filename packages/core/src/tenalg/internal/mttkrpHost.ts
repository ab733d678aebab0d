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
import { claimArena, type WasmArena } from './wasmArena.js';

function hostZeros(rows: number, cols: number): HostMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

// ---------------------------------------------------------------------------------------
// Kernels: packages/core/wasm/mttkrp.ts, compiled to WebAssembly (./wasmArena.ts says why).
// Every output element is a sum started at 0 and accumulated in increasing order of the
// contracted index, as in the direct MTTKRP; the blocking only keeps several of those sums
// in registers at once.

/**
 * The MTTKRP engine of one tensor: `P = T x_{N-1} F_{N-1}` (kept while the last factor
 * does not change, i.e. for all the other modes of a sweep) and the scratch buffers, laid
 * out once in the shared wasm arena (T is copied in once, again only if another user wrote
 * there in between) and reused across modes and sweeps. Kernels: `khatriRaoCols` builds
 * the Khatri-Rao product of the factors of modes 0..N-2 with `mode` left out (a column of ones in its place, multiplied left to
 * right as the direct MTTKRP does), column-major; `contractSkip` sums
 * `out[i, r] = sum_{a, b} P[r, (a, i, b)] KR[r, (a, i, b)]` in increasing order of (a, b).
 */
export class HostMttkrpTree {
  private readonly N: number;
  private readonly K: number;
  private readonly L: number;
  private valid = false;
  private readonly bytes: number;
  // float64 offsets of the regions of the arena
  private readonly partial: number;
  private readonly cols: number;
  private readonly kr: number;
  private readonly out: number;
  private readonly factorAt: number[];
  // byte offsets of the int32 tables (factor byte offsets, mode sizes) read by khatriRaoCols
  private readonly factorTable: number;
  private readonly shapeTable: number;

  constructor(private readonly t: Float64Array, private readonly shape: readonly number[], private readonly R: number) {
    const N = shape.length;
    this.N = N;
    this.K = shape[N - 1];
    this.L = t.length / this.K;
    let at = t.length;
    this.partial = at;
    at += this.L * R;
    this.cols = at;
    at += this.K * R;
    this.kr = at;
    at += this.L * R;
    this.out = at;
    at += Math.max(...shape) * R;
    this.factorAt = shape.map((I) => {
      const o = at;
      at += I * R;
      return o;
    });
    this.factorTable = at * 8;
    this.shapeTable = this.factorTable + 4 * N;
    this.bytes = this.shapeTable + 4 * N;
  }

  /** The shared arena with this tree's layout: T and the tables are written again after another user. */
  private arena(): WasmArena {
    const { arena, kept } = claimArena(this, this.bytes);
    if (!kept) {
      arena.f64.set(this.t, 0);
      const i32 = arena.i32();
      for (let k = 0; k < this.N; k++) {
        i32[this.factorTable / 4 + k] = this.factorAt[k] * 8;
        i32[this.shapeTable / 4 + k] = this.shape[k];
      }
      this.valid = false;
    }
    return arena;
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
    const arena = this.arena();
    const m = arena.f64;
    const kern = arena.kernels;
    for (let k = 0; k < N; k++) m.set(factors[k].data.subarray(0, shape[k] * R), this.factorAt[k]);
    if (mode === N - 1) {
      kern.khatriRaoCols(this.factorTable, this.shapeTable, N - 1, -1, R, L, this.kr * 8);
      kern.contractLead(0, L, K, this.kr * 8, R, this.out * 8);
      out.set(m.subarray(this.out, this.out + K * R));
      return;
    }
    if (!this.valid) {
      const last = factors[N - 1].data;
      const c = this.cols;
      for (let k = 0; k < K; k++) for (let r = 0; r < R; r++) m[c + r * K + k] = last[k * R + r];
      kern.contractLast(0, L, K, c * 8, R, this.partial * 8);
      this.valid = true;
    }
    let A = 1;
    for (let k = 0; k < mode; k++) A *= shape[k];
    let B = 1;
    for (let k = mode + 1; k < N - 1; k++) B *= shape[k];
    kern.khatriRaoCols(this.factorTable, this.shapeTable, N - 1, mode, R, L, this.kr * 8);
    kern.contractSkip(this.partial * 8, A, shape[mode], B, this.kr * 8, R, this.out * 8);
    const I = shape[mode];
    out.set(m.subarray(this.out, this.out + I * R));
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

