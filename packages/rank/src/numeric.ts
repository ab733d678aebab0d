/**
 * Float64 host helpers that mirror numpy's arithmetic where the reference's result depends
 * on it. `np.sum` uses pairwise summation; reproducing it keeps the objective values of the
 * sigma2 search bit-close to VBMF.py's, so Brent takes the same steps.
 */

/** numpy's pairwise sum (`DOUBLE_pairwise_sum`, block 128, 8 accumulators) of `a[start, start+n)`. */
export function npSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start];
    let r1 = a[start + 1];
    let r2 = a[start + 2];
    let r3 = a[start + 3];
    let r4 = a[start + 4];
    let r5 = a[start + 5];
    let r6 = a[start + 6];
    let r7 = a[start + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(a, start, n2) + npSum(a, start + n2, n - n2);
}

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
