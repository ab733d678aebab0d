/**
 * Float64 host helpers that mirror numpy's arithmetic where the reference's result depends
 * on it. `np.sum` uses pairwise summation; reproducing it keeps the objective values of the
 * sigma2 search bit-close to VBMF.py's, so Brent takes the same steps.
 */

export { pairwiseSum as npSum } from '@tenfold/core';
import { pairwiseSum as npSum } from '@tenfold/core';

/** Element-wise map into a new Float64Array. */
export function map64(a: ArrayLike<number>, f: (v: number, i: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], i);
  return out;
}

/** Sum of squares, numpy order (`np.sum(a**2)`). */
export function sumSquares(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = a[start + i] * a[start + i];
  return npSum(sq);
}
