/**
 * Host symmetric eigensolver in float64: Householder tridiagonalisation (the one shared
 * reduction of ./tridiagonal.ts, also behind `symmetricEigen`) + implicit QL with Wilkinson
 * shifts (EISPACK tql1 / tql2; Golub & Van Loan Alg. 8.3.1 / 8.3.3), O(n^3).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { ArgumentError, NonFiniteError, ShapeError, describe } from '../../errors/index.js';
import { EPS64, checkHostMatrix, checkSquare } from './matrix.js';
import { signColumnsByMaxAbs } from './svdFlip.js';
import { formQ, tridiagonalize } from './tridiagonal.js';

/**
 * Eigen-decomposition of a symmetric matrix, A = V diag(values) V^T, in float64.
 *
 * Householder tridiagonalisation followed by the implicit QL algorithm (LAPACK dsytd2 +
 * dorgtr, EISPACK tql2; Golub & Van Loan Alg. 8.3.1 / 8.3.3). Only the lower triangle of `a` is read, as
 * numpy's `eigh` does. `values` are ascending (numpy's order); `vectors` holds the
 * eigenvectors as columns, each signed so that its largest-|.| entry is positive (ties to
 * the first index), which makes the output deterministic.
 */
export function hostEigh(a: HostMatrix): { values: Float64Array; vectors: HostMatrix } {
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  return eighUnchecked(a, true);
}

/**
 * The full eigendecomposition without input checks: the shared Householder reduction
 * (./tridiagonal.ts), Q formed from its reflectors, then implicit QL accumulating its
 * rotations into Q (EISPACK tql2) and an ascending sort. `normalizeSigns` makes the vectors
 * deterministic.
 */
export function eighUnchecked(a: HostMatrix, normalizeSigns: boolean): { values: Float64Array; vectors: HostMatrix } {
  const n = a.rows;
  // Only the lower triangle is read (numpy's eigh); the reduction works on the upper one.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a.data[i * n + j];
      w[i * n + j] = x;
      w[j * n + i] = x;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[k] couples k and k+1; e[n-1] = 0
  const beta = new Float64Array(n);
  if (n === 0) return { values: d, vectors: { rows: 0, cols: 0, data: w } };
  tridiagonalize(w, n, d, e, beta);
  // v holds Q transposed (column c of Q in row c), so the QL rotations run unit-stride.
  const v = formQ(w, beta, n);
  implicitQl(n, v, d, e);
  sortAscending(n, v, d);
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) vectors[r * n + c] = v[c * n + r];
  if (normalizeSigns) signColumnsByMaxAbs(vectors, n, n);
  return { values: d, vectors: { rows: n, cols: n, data: vectors } };
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix with diagonal `d` and off-diagonal `e`
 * (`e[i]` couples i and i+1; `e[n-1]` is ignored), by implicit QL without vectors
 * (EISPACK tql1). Returns a new array, in no particular order; the inputs are not changed.
 */
export function hostTridiagonalEigenvalues(d: Float64Array, e: Float64Array): Float64Array {
  for (const [v, name] of [[d, 'd'], [e, 'e']] as const) {
    if (!(v instanceof Float64Array || Array.isArray(v))) throw new ArgumentError(`${name} must be a Float64Array; got ${describe(v)}`);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new NonFiniteError(`${name} must be finite; entry ${i} is ${v[i]}`);
  }
  if (e.length !== d.length && e.length !== d.length - 1) throw new ShapeError(`e must have ${d.length - 1} or ${d.length} entries to match d; got ${e.length}`);
  const n = d.length;
  const dd = Float64Array.from(d);
  const ee = new Float64Array(n);
  ee.set(e.subarray(0, Math.max(n - 1, 0)));
  implicitQl(n, null, dd, ee);
  return dd;
}

/**
 * The implicit QL iteration of EISPACK tql1/tql2 on (d, e) in place (`e[i]` couples i and
 * i+1, `e[n-1] = 0`); with `V` (n x n, eigenvectors stored as rows) the rotations are
 * accumulated into it.
 */
function implicitQl(n: number, V: Float64Array | null, d: Float64Array, e: Float64Array): void {
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPS64 * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60 * n) throw new ArgumentError('symmetric eigensolver: the QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (V) {
            // Rotate columns i and i+1 of V (stored as contiguous rows).
            const ci = i * n;
            const ci1 = ci + n;
            for (let k = 0; k < n; k++) {
              const hk = V[ci1 + k];
              const vi = V[ci + k];
              V[ci1 + k] = s * vi + c * hk;
              V[ci + k] = c * vi - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS64 * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
}

/** Selection sort of d to ascending order, permuting the eigenvectors (rows of V) alike. */
function sortAscending(n: number, V: Float64Array, d: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[i * n + j];
        V[i * n + j] = V[k * n + j];
        V[k * n + j] = t;
      }
    }
  }
}

/** sqrt(a^2 + b^2): the plain formula where it cannot overflow or underflow (Math.hypot is slow in V8). */
function hypot(a: number, b: number): number {
  const m = Math.max(Math.abs(a), Math.abs(b));
  if (m < 1e150 && m > 1e-150) return Math.sqrt(a * a + b * b);
  return Math.hypot(a, b);
}
