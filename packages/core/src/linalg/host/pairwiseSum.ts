/**
 * numpy's pairwise summation in float64. EVBMF's reference sums with `np.sum`; reproducing its
 * order keeps the objective values of the sigma2 search bit-close to VBMF.py's, so Brent
 * takes the same steps (used by the SVD spectrum's sum of squares and by @tenfold/rank).
 */
import { ArgumentError, describe } from '../../errors/index.js';
import { checkIntOption } from '../../checks/options.js';

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
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
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/**
 * numpy's pairwise sum (`DOUBLE_pairwise_sum`: blocks of 128 summed with 8 accumulators,
 * halves above) of `a[start, start + n)`, in float64.
 *
 * @throws ArgumentError unless `a` is an array or typed array and 0 <= start, 0 <= n,
 *   start + n <= a.length (integers).
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = (a?.length ?? 0) - start): number {
  if (!(Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView)))) throw new ArgumentError(`a must be an array or typed array of numbers; got ${describe(a)}`);
  checkIntOption(start, 'start', 0, a.length);
  checkIntOption(n, 'n', 0, a.length - start);
  return pairwise(a, start, n);
}
