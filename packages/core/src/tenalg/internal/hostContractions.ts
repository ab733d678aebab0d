/**
 * Host (float64) contraction kernels of a row-major L x K matrix with a column-major factor
 * block, shared by the host MTTKRP (./mttkrpHost.ts, which calls the wasm kernels on its own
 * arena layout) and PARAFAC2's Procrustes step (decomposition/parafac2Procrustes.ts).
 * The loops are the AssemblyScript kernels of packages/core/wasm/mttkrp.ts (./wasmArena.ts
 * says why): every output element is a sum started at 0 and accumulated in increasing order
 * of the contracted index, as in the direct MTTKRP; the blocking only keeps several of
 * those sums in registers at once.
 */
import { claimArena } from './wasmArena.js';

/** One kernel call on copies of caller-owned arrays: `t` (L x K) and `x` (xLen) in, `outLen` out. */
function onCopies(kernel: 'contractLast' | 'contractLead', t: Float64Array, L: number, K: number, x: Float64Array, xLen: number, R: number, out: Float64Array, outLen: number): void {
  const ox = L * K;
  const oo = ox + xLen;
  const { arena } = claimArena(onCopies, (oo + outLen) * 8);
  const m = arena.f64;
  m.set(t.subarray(0, L * K), 0);
  m.set(x.subarray(0, xLen), ox);
  arena.kernels[kernel](0, L, K, ox * 8, R, oo * 8);
  out.set(m.subarray(oo, oo + outLen));
}

/**
 * `out[f, r] = sum_k t[f, k] c[r, k]` for a row-major L x K `t` and a column-major
 * (R x K rows) `c`; `out` is L x R row-major. Two rows of t times up to four ranks per pass.
 */
export function contractLast(t: Float64Array, L: number, K: number, c: Float64Array, R: number, out: Float64Array): void {
  onCopies('contractLast', t, L, K, c, R * K, R, out, L * R);
}

/**
 * `out[k, r] = sum_f t[f, k] q[r, f]` for a row-major L x K `t` and a column-major
 * (R x L rows) `q`; `out` is K x R row-major. Two columns of t times up to four ranks per pass.
 */
export function contractLead(t: Float64Array, L: number, K: number, q: Float64Array, R: number, out: Float64Array): void {
  onCopies('contractLead', t, L, K, q, R * L, R, out, K * R);
}
