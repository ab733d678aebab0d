/**
 * Host Cholesky factorisation A = L L^T in float64 (Golub & Van Loan Alg. 4.2.2).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { ArgumentError } from '../../errors/index.js';
import { checkHostMatrix, checkSquare } from './matrix.js';

/**
 * Cholesky factor L (lower triangular, positive diagonal) with A = L L^T, for a symmetric
 * positive-definite A (only the lower triangle is read). Throws an ArgumentError naming
 * the failing pivot when A is not positive definite.
 */
export function hostCholesky(a: HostMatrix): HostMatrix {
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  const l = choleskyUnchecked(a);
  if (typeof l === 'number') {
    throw new ArgumentError(`a must be symmetric positive definite; the Cholesky pivot ${l} is not positive`);
  }
  return l;
}

/** Cholesky without checks: the factor, or the index of the first non-positive pivot. */
export function choleskyUnchecked(a: HostMatrix): HostMatrix | number {
  const n = a.rows;
  const l = new Float64Array(n * n);
  const ad = a.data;
  for (let j = 0; j < n; j++) {
    let d = ad[j * n + j];
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= l[lj + k] * l[lj + k];
    if (!(d > 0)) return j;
    const djj = Math.sqrt(d);
    l[lj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = ad[i * n + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      l[li + j] = s / djj;
    }
  }
  return { rows: n, cols: n, data: l };
}
