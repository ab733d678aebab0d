/**
 * Rank choice of compressModel: a fixed rank (integer, fraction, 'full'), the EVBMF rank of
 * the kernel unfolding, or a global parameter / FLOP budget spent greedily by singular-value
 * energy per unit of cost.
 */
import { tf } from '@tenfold/core';
import { svd } from '@tenfold/core';
import { evbmf } from '@tenfold/rank';
import { kernelMatrix, type LayerInfo } from './layerInfo.js';
import type { CompressRank } from './types.js';

/** The full rank of a low-rank pair: `min(fan_in, out)`. */
export function fullRank(info: LayerInfo): number {
  return Math.min(info.fanIn, info.outF);
}

/**
 * A fixed rank for a `'lowrank'` pair: an integer (clamped to the full rank), a fraction of
 * the full rank (`max(1, floor(f min(fan_in, out)))`) or `'full'`. EVBMF is resolved by
 * {@link evbmfRank}.
 */
export function fixedLowRank(rank: Exclude<CompressRank, 'evbmf' | 'same'>, info: LayerInfo): { rank: number; note: string } {
  const full = fullRank(info);
  if (rank === 'full') return { rank: full, note: `full rank ${full}` };
  if (rank < 1) {
    const r = Math.max(1, Math.floor(rank * full));
    return { rank: r, note: `rank ${r} = ${rank} of ${full}` };
  }
  if (rank > full) return { rank: full, note: `rank ${rank} clamped to the full rank ${full}` };
  return { rank, note: `rank ${rank}` };
}

/**
 * The EVBMF rank of the kernel as a `(fan_in, out)` matrix (Nakajima, Sugiyama, Babacan &
 * Tomioka, JMLR 2013, through @tenfold/rank's `evbmf`). May be 0.
 */
export function evbmfRank(info: LayerInfo): number {
  const mat = kernelMatrix(info);
  try {
    const res = evbmf(mat);
    res.u.dispose();
    res.v.dispose();
    return res.rank;
  } finally {
    mat.dispose();
  }
}

/** Singular values of the kernel matrix, descending (host). */
export function kernelSpectrum(info: LayerInfo): Float64Array {
  const mat = kernelMatrix(info);
  try {
    const { u, s, vt } = svd(mat);
    const out = Float64Array.from(s.dataSync());
    tf.dispose([u, s, vt]);
    return out;
  } finally {
    mat.dispose();
  }
}

export interface BudgetItem {
  /** Singular values of the layer's kernel, descending. */
  spectrum: Float64Array;
  /** Cost of one more rank (params: `fan_in + out`; flops: `2 pos (fan_in + out)`). */
  unitCost: number;
  /** Cost of the dense layer (params: `fan_in out`; flops: `2 pos fan_in out`). */
  denseCost: number;
  /** Largest rank allowed (full rank, or the speed-up bound). */
  cap: number;
  /** Smallest rank (1, or the `minRank` floor). */
  floor: number;
}

/**
 * Greedy allocation: every layer starts at its floor; then, while the budget
 * `fraction Σ denseCost` allows, the layer whose next singular value carries the most
 * relative energy per unit of cost, `s²_{r+1} / ||W||²_F / unitCost`, gets one more rank
 * (the marginal gain in captured energy of a truncated SVD, Eckart–Young).
 *
 * @returns the ranks, and whether the floors alone already exceed the budget.
 */
export function allocateBudget(items: readonly BudgetItem[], fraction: number): { ranks: number[]; overBudget: boolean } {
  const ranks = items.map((it) => Math.min(it.floor, it.cap));
  const total = items.reduce((a, it) => a + it.denseCost, 0);
  const budget = fraction * total;
  let spent = items.reduce((a, it, i) => a + ranks[i] * it.unitCost, 0);
  const overBudget = spent > budget;
  const energy = items.map((it) => it.spectrum.reduce((a, s) => a + s * s, 0) || 1);
  for (;;) {
    let best = -1;
    let bestGain = -Infinity;
    items.forEach((it, i) => {
      const r = ranks[i];
      if (r >= it.cap || r >= it.spectrum.length || spent + it.unitCost > budget) return;
      const gain = (it.spectrum[r] * it.spectrum[r]) / energy[i] / it.unitCost;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    });
    if (best < 0) break;
    ranks[best] += 1;
    spent += items[best].unitCost;
  }
  return { ranks, overBudget };
}
