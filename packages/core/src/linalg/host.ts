/**
 * Host float64 dense linear algebra over `HostMatrix` (row-major `Float64Array`).
 *
 * tfjs has no SVD, eigh, QR, solve, lstsq or Cholesky, and the backends compute in float32.
 * The small dense problems of Tenfold (R x R systems, the small SVD inside a randomized or
 * Gram SVD, the Gram eigenproblem itself) are solved here in float64, where rounding is
 * negligible next to the float32 data they come from.
 *
 * Algorithms (Golub & Van Loan, "Matrix Computations", 4th ed.):
 * - `hostEigh`: Householder tridiagonalisation + implicit QL with Wilkinson shifts
 *   (EISPACK tred2 / tql2, as in JAMA), O(n^3).
 * - `hostSvd`: Householder QR of the tall orientation, then one-sided (Hestenes) Jacobi on
 *   the square factor R (Demmel & Veselic 1992: high relative accuracy), O(m n^2 + sweeps n^3).
 * - `hostQr`: Householder QR (reduced), diag(R) >= 0.
 * - `hostSolve`: LU with partial pivoting; `hostCholesky`: A = L L^T;
 *   `hostLstsq`: minimum-norm least squares through the SVD (numpy's `lstsq` semantics).
 *
 * Inputs are validated (shape, finiteness) and never modified.
 */
import type { HostMatrix } from '../backend/transfer.js';
import { checkOptions } from '../checks/options.js';
import { ArgumentError, NonFiniteError, RankError, ShapeError, describe } from '../errors/index.js';

/** float64 machine epsilon (numpy's `finfo(float64).eps`). */
export const EPS64 = 2.220446049250313e-16;
/** float32 machine epsilon (numpy's `finfo(float32).eps`). */
export const EPS32 = 1.1920928955078125e-7;

// ---------------------------------------------------------------------------------------
// Small helpers

/** A rows x cols zero matrix. */
export function hostZeros(rows: number, cols: number): HostMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The n x n identity. */
export function hostEye(n: number): HostMatrix {
  const m = hostZeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A row-major float64 matrix from nested arrays (small literals). */
export function hostFromArray(rows: number[][]): HostMatrix {
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    throw new ArgumentError(`rows must be an array of arrays of numbers; got ${describe(rows)}`);
  }
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const out = hostZeros(r, c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new ShapeError(`rows must all have length ${c}; row ${i} has ${rows[i].length}`);
    for (let j = 0; j < c; j++) {
      const x = rows[i][j];
      if (typeof x !== 'number') throw new ArgumentError(`rows[${i}][${j}] must be a number; got ${describe(x)}`);
      out.data[i * c + j] = x;
    }
  }
  return out;
}

/** Transpose. */
export function hostTranspose(a: HostMatrix): HostMatrix {
  checkHostMatrix(a, 'a');
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) out[j * m + i] = data[row + j];
  }
  return { rows: n, cols: m, data: out };
}

/** Result width up to which `hostMatmul` uses the dot-product loop order. */
const NARROW_COLS = 32;

/** C = op(A) op(B) in float64, op = transpose when asked. */
export function hostMatmul(a: HostMatrix, b: HostMatrix, transA = false, transB = false): HostMatrix {
  checkHostMatrix(a, 'a');
  checkHostMatrix(b, 'b');
  const A = transA ? hostTranspose(a) : a;
  const B = transB ? hostTranspose(b) : b;
  if (A.cols !== B.rows) {
    throw new ShapeError(`hostMatmul: the inner dimensions of a and b differ (${A.rows}x${A.cols} times ${B.rows}x${B.cols})`);
  }
  const m = A.rows;
  const k = A.cols;
  const n = B.cols;
  const out = new Float64Array(m * n);
  const ad = A.data;
  const bd = B.data;
  if (n <= NARROW_COLS && k >= 4 * n) {
    // Narrow B (e.g. a 1000 x 1000 Gram times a 1000 x 20 block): the i-p-j inner loop would
    // run only n steps; dot products of A's rows with B's columns (B transposed once) run k
    // contiguous steps instead (four partial sums), several times faster in V8.
    const bt = hostTranspose(B).data;
    for (let i = 0; i < m; i++) {
      const arow = i * k;
      for (let j = 0; j < n; j++) {
        const bcol = j * k;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let p = 0;
        for (; p + 3 < k; p += 4) {
          a0 += ad[arow + p] * bt[bcol + p];
          a1 += ad[arow + p + 1] * bt[bcol + p + 1];
          a2 += ad[arow + p + 2] * bt[bcol + p + 2];
          a3 += ad[arow + p + 3] * bt[bcol + p + 3];
        }
        for (; p < k; p++) a0 += ad[arow + p] * bt[bcol + p];
        out[i * n + j] = a0 + a1 + (a2 + a3);
      }
    }
    return { rows: m, cols: n, data: out };
  }
  // i-p-j order: the inner loop runs over contiguous rows of B and C.
  for (let i = 0; i < m; i++) {
    const crow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = ad[i * k + p];
      if (aip === 0) continue;
      const brow = p * n;
      for (let j = 0; j < n; j++) out[crow + j] += aip * bd[brow + j];
    }
  }
  return { rows: m, cols: n, data: out };
}

export function checkHostMatrix(a: unknown, argName: string): asserts a is HostMatrix {
  const m = a as HostMatrix;
  if (typeof m !== 'object' || m === null || !(m.data instanceof Float64Array) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new ArgumentError(`${argName} must be a HostMatrix { rows, cols, data: Float64Array }; got ${describe(a)}`);
  }
  if (m.rows < 0 || m.cols < 0 || m.data.length !== m.rows * m.cols) {
    throw new ShapeError(`${argName}: data of length ${m.data.length} does not fit ${m.rows} x ${m.cols}`);
  }
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) throw new NonFiniteError(`${argName} must be finite; entry ${i} is ${m.data[i]}`);
  }
}

function checkSquare(a: HostMatrix, argName: string): void {
  if (a.rows !== a.cols) throw new ShapeError(`${argName} must be square; got ${a.rows} x ${a.cols}`);
}

// ---------------------------------------------------------------------------------------
// Symmetric eigensolver: tred2 + tql2

/**
 * Eigen-decomposition of a symmetric matrix, A = V diag(values) V^T, in float64.
 *
 * Householder tridiagonalisation followed by the implicit QL algorithm (EISPACK tred2 and
 * tql2, Golub & Van Loan Alg. 8.3.1 / 8.3.3). Only the lower triangle of `a` is read, as
 * numpy's `eigh` does. `values` are ascending (numpy's order); `vectors` holds the
 * eigenvectors as columns, each signed so that its largest-|.| entry is positive (ties to
 * the first index), which makes the output deterministic.
 */
export function hostEigh(a: HostMatrix): { values: Float64Array; vectors: HostMatrix } {
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  return eighUnchecked(a, true);
}

/** tred2 + tql2 without input checks. `normalizeSigns` makes the vectors deterministic. */
export function eighUnchecked(a: HostMatrix, normalizeSigns: boolean): { values: Float64Array; vectors: HostMatrix } {
  const n = a.rows;
  // JAMA's V[r][c] is stored at v[c * n + r] (transposed); A is symmetric, so fill both.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a.data[i * n + j];
      v[i * n + j] = x;
      v[j * n + i] = x;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: { rows: 0, cols: 0, data: v } };
  tred2(n, v, d, e);
  tql2(n, v, d, e);
  // tred2/tql2 keep V transposed (eigenvectors in contiguous rows) so that their inner
  // loops are unit-stride; return them as columns.
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) vectors[r * n + c] = v[c * n + r];
  if (normalizeSigns) signColumnsByMaxAbs(vectors, n, n);
  return { values: d, vectors: { rows: n, cols: n, data: vectors } };
}

/** Householder reduction to tridiagonal form (JAMA's tred2; V[r][c] stored at V[c * n + r]). */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[j * n + (n - 1)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + (i - 1)];
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[i * n + j] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[j * n + k] * d[k];
          e[k] += V[j * n + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[j * n + k] -= f * e[k] + g * d[k];
        d[j] = V[j * n + (i - 1)];
        V[j * n + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate transformations.
  for (let i = 0; i < n - 1; i++) {
    V[i * n + (n - 1)] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[(i + 1) * n + k] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[(i + 1) * n + k] * V[j * n + k];
        for (let k = 0; k <= i; k++) V[j * n + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[j * n + (n - 1)];
    V[j * n + (n - 1)] = 0;
  }
  V[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e), accumulating into V (transposed storage), then an ascending sort (JAMA's tql2). */
function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  implicitQl(n, V, d, e);
  sortAscending(n, V, d);
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

/** Flip each column of a row-major rows x cols array so that its largest-|.| entry is positive (first index on ties). */
function signColumnsByMaxAbs(data: Float64Array, rows: number, cols: number, alsoRowsOf?: Float64Array, otherCols?: number): void {
  for (let j = 0; j < cols; j++) {
    let best = -1;
    let at = 0;
    for (let i = 0; i < rows; i++) {
      const x = Math.abs(data[i * cols + j]);
      if (x > best) {
        best = x;
        at = i;
      }
    }
    if (data[at * cols + j] < 0) {
      for (let i = 0; i < rows; i++) data[i * cols + j] = -data[i * cols + j];
      if (alsoRowsOf && otherCols !== undefined) {
        for (let c = 0; c < otherCols; c++) alsoRowsOf[j * otherCols + c] = -alsoRowsOf[j * otherCols + c];
      }
    }
  }
}

/**
 * TensorLy's `svd_flip` (u-based) on host arrays, in place: the largest-|.| entry of each
 * U column becomes positive (ties to the first index, as numpy's `argmax`), and the matching
 * row of Vt is multiplied by the same sign. A zero column keeps its sign (TensorLy would
 * multiply it by sign(0) = 0).
 */
export function hostSvdFlip(u: HostMatrix, vt: HostMatrix): void {
  checkHostMatrix(u, 'u');
  checkHostMatrix(vt, 'vt');
  if (u.cols !== vt.rows) throw new ShapeError(`hostSvdFlip: u has ${u.cols} columns but vt has ${vt.rows} rows`);
  svdFlipUnchecked(u, vt);
}

/** `hostSvdFlip` without argument checks; `vt` may be omitted when only U is wanted. */
export function svdFlipUnchecked(u: HostMatrix, vt?: HostMatrix): void {
  signColumnsByMaxAbs(u.data, u.rows, u.cols, vt?.data, vt?.cols);
}

// ---------------------------------------------------------------------------------------
// Householder QR

/**
 * Householder QR on a column-major copy: returns the reflectors (in `qt`, rows = columns of
 * A) and tau, leaving R in the upper triangle of the first p rows of `qt`'s transpose.
 */
interface HouseholderQr {
  m: number;
  n: number;
  /** Column-major A overwritten: column j (contiguous at j*m) holds R[0..j, j] above and the reflector below. */
  cols: Float64Array;
  /** Householder scalars: H_j = I - beta_j v_j v_j^T with v_j[j] = 1. */
  beta: Float64Array;
}

function householder(a: HostMatrix): HouseholderQr {
  const { rows: m, cols: n } = a;
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[j * m + i] = a.data[i * n + j];
  const p = Math.min(m, n);
  const beta = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = j * m;
    // Scaled norm of x = A[j:, j].
    let scale = 0;
    for (let i = j; i < m; i++) scale = Math.max(scale, Math.abs(c[col + i]));
    if (scale === 0) {
      beta[j] = 0;
      continue;
    }
    let sigma = 0;
    for (let i = j + 1; i < m; i++) sigma += (c[col + i] / scale) ** 2;
    const x0 = c[col + j] / scale;
    if (sigma === 0) {
      // Already upper triangular in this column: no reflection (keeps R[j,j] as is).
      beta[j] = 0;
      continue;
    }
    const mu = Math.sqrt(x0 * x0 + sigma);
    // v0 = x0 - mu computed without cancellation (Golub & Van Loan Alg. 5.1.1).
    const v0 = x0 <= 0 ? x0 - mu : -sigma / (x0 + mu);
    beta[j] = (2 * v0 * v0) / (sigma + v0 * v0);
    for (let i = j + 1; i < m; i++) c[col + i] = c[col + i] / scale / v0;
    c[col + j] = mu * scale;
    // Apply H_j to the remaining columns.
    const b = beta[j];
    for (let k = j + 1; k < n; k++) {
      const ck = k * m;
      let s = c[ck + j];
      for (let i = j + 1; i < m; i++) s += c[col + i] * c[ck + i];
      s *= b;
      c[ck + j] -= s;
      for (let i = j + 1; i < m; i++) c[ck + i] -= s * c[col + i];
    }
  }
  return { m, n, cols: c, beta };
}

/** Form the thin Q (m x p, column-major) from the reflectors. */
function householderQ(h: HouseholderQr): Float64Array {
  const { m, n, cols: c, beta } = h;
  const p = Math.min(m, n);
  const q = new Float64Array(m * p);
  for (let j = 0; j < p; j++) q[j * m + j] = 1;
  for (let j = p - 1; j >= 0; j--) {
    const b = beta[j];
    if (b === 0) continue;
    const col = j * m;
    for (let k = j; k < p; k++) {
      const qk = k * m;
      let s = q[qk + j];
      for (let i = j + 1; i < m; i++) s += c[col + i] * q[qk + i];
      s *= b;
      q[qk + j] -= s;
      for (let i = j + 1; i < m; i++) q[qk + i] -= s * c[col + i];
    }
  }
  return q;
}

/**
 * Reduced QR, A = Q R with Q (m x p) orthonormal columns and R (p x n) upper triangular,
 * p = min(m, n), by Householder reflections (Golub & Van Loan Alg. 5.2.1). The signs are
 * chosen so that diag(R) >= 0, which makes the factorisation unique for full-rank A
 * (numpy / LAPACK leave them arbitrary).
 */
export function hostQr(a: HostMatrix): { q: HostMatrix; r: HostMatrix } {
  checkHostMatrix(a, 'a');
  return qrUnchecked(a);
}

export function qrUnchecked(a: HostMatrix): { q: HostMatrix; r: HostMatrix } {
  const { rows: m, cols: n } = a;
  const p = Math.min(m, n);
  const h = householder(a);
  const qc = householderQ(h);
  const r = new Float64Array(p * n);
  for (let i = 0; i < p; i++) for (let j = i; j < n; j++) r[i * n + j] = h.cols[j * m + i];
  const q = new Float64Array(m * p);
  for (let j = 0; j < p; j++) {
    const sign = r[j * n + j] < 0 ? -1 : 1;
    if (sign < 0) for (let k = j; k < n; k++) r[j * n + k] = -r[j * n + k];
    for (let i = 0; i < m; i++) q[i * p + j] = sign * qc[j * m + i];
  }
  return { q: { rows: m, cols: p, data: q }, r: { rows: p, cols: n, data: r } };
}

// ---------------------------------------------------------------------------------------
// SVD: Householder QR + one-sided Jacobi

/** Result of the host SVD: A ~ U diag(s) Vt, s descending. */
export interface HostSvd {
  u: HostMatrix;
  s: Float64Array;
  vt: HostMatrix;
}

/**
 * One-sided Jacobi on the columns of a column-major n x n (or m x n, m >= n) array `b`,
 * accumulating the rotations into `v` (column-major n x n) when given. On return the
 * columns of b are mutually orthogonal: b = U diag(s), with A = b V^T.
 */
function oneSidedJacobi(b: Float64Array, m: number, n: number, v: Float64Array | null): void {
  const tol = EPS64 * m;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const cp = p * m;
      for (let q = p + 1; q < n; q++) {
        const cq = q * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = b[cp + i];
          const y = b[cq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // Rotation that zeroes the (p, q) entry of the 2x2 Gram [[alpha, gamma], [gamma, beta]].
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = b[cp + i];
          const y = b[cq + i];
          b[cp + i] = c * x - s * y;
          b[cq + i] = s * x + c * y;
        }
        if (v) {
          const vp = p * n;
          const vq = q * n;
          for (let i = 0; i < n; i++) {
            const x = v[vp + i];
            const y = v[vq + i];
            v[vp + i] = c * x - s * y;
            v[vq + i] = s * x + c * y;
          }
        }
      }
    }
    if (!rotated) return;
  }
}

/**
 * Complete the columns `missing` of a column-major m x k array `u` (whose other columns are
 * orthonormal) with unit vectors orthogonal to everything else: coordinate vectors,
 * Gram-Schmidt'ed twice. Used where a singular value is zero and U is not determined.
 */
function completeColumns(u: Float64Array, m: number, k: number, missing: number[]): void {
  const have = new Set<number>();
  for (let j = 0; j < k; j++) if (!missing.includes(j)) have.add(j);
  let candidate = 0;
  for (const j of missing) {
    const col = j * m;
    for (; candidate < m; candidate++) {
      u.fill(0, col, col + m);
      u[col + candidate] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const o of have) {
          const co = o * m;
          let dot = 0;
          for (let i = 0; i < m; i++) dot += u[co + i] * u[col + i];
          for (let i = 0; i < m; i++) u[col + i] -= dot * u[co + i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += u[col + i] * u[col + i];
      nrm = Math.sqrt(nrm);
      if (nrm > 0.5) {
        for (let i = 0; i < m; i++) u[col + i] /= nrm;
        candidate++;
        break;
      }
    }
    have.add(j);
  }
}

/**
 * Thin SVD of a tall column-major m x n array (m >= n): returns U (column-major m x n),
 * s (descending) and V (column-major n x n), or only s when `wantVectors` is false.
 */
function tallSvdColumnMajor(a: Float64Array, m: number, n: number, wantVectors: boolean): { u: Float64Array; s: Float64Array; v: Float64Array } {
  let work: Float64Array;
  let q: Float64Array | null = null;
  let rows = m;
  if (m > n && n > 0) {
    // QR first: Jacobi then runs on the n x n factor R, and its sweeps cost n^3, not m n^2.
    const rowMajor: HostMatrix = { rows: m, cols: n, data: new Float64Array(m * n) };
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) rowMajor.data[i * n + j] = a[j * m + i];
    const h = householder(rowMajor);
    work = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) work[j * n + i] = h.cols[j * m + i];
    if (wantVectors) q = householderQ(h);
    rows = n;
  } else {
    work = a.slice();
  }
  let v: Float64Array | null = null;
  if (wantVectors) {
    v = new Float64Array(n * n);
    for (let i = 0; i < n; i++) v[i * n + i] = 1;
  }
  oneSidedJacobi(work, rows, n, v);
  const sv = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += work[j * rows + i] ** 2;
    sv[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => sv[y] - sv[x] || x - y);
  const s = Float64Array.from(order, (j) => sv[j]);
  if (!wantVectors || !v) return { u: new Float64Array(0), s, v: new Float64Array(0) };
  // U_R columns = work columns / s, in descending order; zero singular values get completed.
  const ur = new Float64Array(rows * n);
  const vs = new Float64Array(n * n);
  const missing: number[] = [];
  const smax = s[0] ?? 0;
  for (let jj = 0; jj < n; jj++) {
    const j = order[jj];
    vs.set(v.subarray(j * n, j * n + n), jj * n);
    if (s[jj] > smax * EPS64 * rows && s[jj] > 0) {
      for (let i = 0; i < rows; i++) ur[jj * rows + i] = work[j * rows + i] / s[jj];
    } else {
      missing.push(jj);
    }
  }
  if (missing.length) completeColumns(ur, rows, n, missing);
  if (!q) return { u: ur, s, v: vs };
  // U = Q U_R.
  const u = new Float64Array(m * n);
  for (let jj = 0; jj < n; jj++) {
    const uc = jj * m;
    for (let p = 0; p < n; p++) {
      const coef = ur[jj * n + p];
      if (coef === 0) continue;
      const qc = p * m;
      for (let i = 0; i < m; i++) u[uc + i] += coef * q[qc + i];
    }
  }
  return { u, s, v: vs };
}

/**
 * Thin SVD A = U diag(s) Vt in float64, truncated to k = min(rank ?? min(m, n), m, n)
 * components (never more than min(m, n): no padding of U or V with null-space vectors).
 *
 * Householder QR of the tall orientation, then one-sided Jacobi on R (Demmel & Veselic,
 * "Jacobi's method is more accurate than QR", 1992). `s` is descending. Signs follow
 * TensorLy's `svd_flip` (u-based): the largest-|.| entry of each U column is positive.
 * Mirrors `tensorly.tenalg.svd.truncated_svd` + `svd_flip`.
 */
export function hostSvd(m: HostMatrix, opts: { rank?: number; flipSign?: boolean } = {}): HostSvd {
  opts = checkOptions(opts, ['rank', 'flipSign'], 'hostSvd');
  checkHostMatrix(m, 'm');
  const p = Math.min(m.rows, m.cols);
  let k = p;
  if (opts.rank !== undefined) {
    if (!Number.isInteger(opts.rank) || opts.rank < 1) throw new RankError(`rank must be a positive integer; got ${describe(opts.rank)}`);
    k = Math.min(opts.rank, p);
  }
  return svdUnchecked(m, k, opts.flipSign ?? true);
}

export function svdUnchecked(a: HostMatrix, k: number, flipSign: boolean): HostSvd {
  const { rows: m, cols: n } = a;
  const transposed = m < n;
  // Column-major of the tall orientation T (M if tall, M^T otherwise): T's column-major
  // layout is M's row-major layout when transposed.
  const tm = transposed ? n : m;
  const tn = transposed ? m : n;
  let cm: Float64Array;
  if (transposed) cm = a.data.slice();
  else {
    cm = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cm[j * m + i] = a.data[i * n + j];
  }
  const { u: tu, s: ts, v: tv } = tallSvdColumnMajor(cm, tm, tn, true);
  // T = TU S TV^T. If transposed: M = TV S TU^T, so U = TV, Vt = TU^T.
  const u = hostZeros(m, k);
  const vt = hostZeros(k, n);
  const s = ts.slice(0, k);
  if (!transposed) {
    for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) u.data[i * k + j] = tu[j * m + i];
    for (let j = 0; j < k; j++) vt.data.set(tv.subarray(j * n, j * n + n), j * n);
  } else {
    for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) u.data[i * k + j] = tv[j * m + i];
    for (let j = 0; j < k; j++) vt.data.set(tu.subarray(j * n, j * n + n), j * n);
  }
  if (flipSign) hostSvdFlip(u, vt);
  return { u, s, vt };
}

/** Singular values of `m` in float64, descending (one-sided Jacobi without vectors). */
export function hostSingularValues(m: HostMatrix): Float64Array {
  checkHostMatrix(m, 'm');
  const transposed = m.rows < m.cols;
  const tm = transposed ? m.cols : m.rows;
  const tn = transposed ? m.rows : m.cols;
  let cm: Float64Array;
  if (transposed) cm = m.data.slice();
  else {
    cm = new Float64Array(tm * tn);
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) cm[j * tm + i] = m.data[i * m.cols + j];
  }
  return tallSvdColumnMajor(cm, tm, tn, false).s;
}

// ---------------------------------------------------------------------------------------
// Cholesky, LU solve, least squares

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

function asColumns(b: HostMatrix | Float64Array, rows: number, argName: string): HostMatrix {
  if (b instanceof Float64Array) {
    if (b.length !== rows) throw new ShapeError(`${argName} must have ${rows} entries to match a's rows; got ${b.length}`);
    for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) throw new NonFiniteError(`${argName} must be finite; entry ${i} is ${b[i]}`);
    return { rows, cols: 1, data: b };
  }
  checkHostMatrix(b, argName);
  if (b.rows !== rows) throw new ShapeError(`${argName} must have ${rows} rows to match a; got ${b.rows} x ${b.cols}`);
  return b;
}

/**
 * Solve the square system A X = B by LU with partial pivoting, in float64.
 * Throws an ArgumentError when A is singular: a pivot |u_jj| <= n * eps * max|A| (`eps`
 * defaults to float64's; the backend `solve` passes float32's, the precision of its data).
 */
export function hostSolve(a: HostMatrix, b: HostMatrix, opts?: { eps?: number }): HostMatrix;
export function hostSolve(a: HostMatrix, b: Float64Array, opts?: { eps?: number }): Float64Array;
export function hostSolve(a: HostMatrix, b: HostMatrix | Float64Array, opts: { eps?: number } = {}): HostMatrix | Float64Array {
  opts = checkOptions(opts, ['eps'], 'hostSolve');
  checkHostMatrix(a, 'a');
  checkSquare(a, 'a');
  const bm = asColumns(b, a.rows, 'b');
  const x = solveUnchecked(a, bm, opts.eps ?? EPS64);
  return b instanceof Float64Array ? x.data : x;
}

/** `luSolveInPlace` found a (numerically) singular matrix. An ArgumentError, so `solve` keeps its documented type. */
export class SingularMatrixError extends ArgumentError {}

/**
 * Solve `A X = B` (A n x n, B n x k, row-major) by LU with partial pivoting (numpy's `solve`
 * semantics: only an exactly zero pivot counts as singular), and when A is singular fall back
 * to the minimum-norm least-squares solution `X = pinv(A) B` (numpy `lstsq`, default rcond).
 * The ALS normal equations `V = *_k (A_k^T A_k)` of CP are singular for rank-deficient data
 * (e.g. `ones([3, 4, 5])` at rank 2); the pseudo-inverse solve is what TensorLy's
 * `tl.solve` cannot do, and it leaves every non-singular case bit-for-bit unchanged.
 */
export function solveOrPinv(a: HostMatrix, b: HostMatrix): HostMatrix {
  const x = b.data.slice();
  try {
    luSolveInPlace(a.data.slice(), a.rows, x, b.cols, 0);
    return { rows: a.rows, cols: b.cols, data: x };
  } catch (err) {
    if (!(err instanceof SingularMatrixError)) throw err;
    return lstsqUnchecked(a, b, EPS64 * a.rows);
  }
}

/** In-place variant of {@link solveOrPinv}: `lu` (n x n) and `x` (n x k) are overwritten. */
export function luSolveOrPinvInPlace(lu: Float64Array, n: number, x: Float64Array, k: number): void {
  const a0 = lu.slice();
  const b0 = x.slice();
  try {
    luSolveInPlace(lu, n, x, k, 0);
  } catch (err) {
    if (!(err instanceof SingularMatrixError)) throw err;
    x.set(lstsqUnchecked({ rows: n, cols: n, data: a0 }, { rows: n, cols: k, data: b0 }, EPS64 * n).data);
  }
}

export function solveUnchecked(a: HostMatrix, b: HostMatrix, eps: number): HostMatrix {
  const x = b.data.slice();
  luSolveInPlace(a.data.slice(), a.rows, x, b.cols, eps);
  return { rows: a.rows, cols: b.cols, data: x };
}

/**
 * LU with partial pivoting of the row-major n x n `lu` and the solve of the n x k
 * right-hand sides `x`, both in place (`lu` is overwritten by the factors, `x` by the
 * solution). Throws an ArgumentError when a pivot is at most `n * eps * max|A|` (or zero).
 */
export function luSolveInPlace(lu: Float64Array, n: number, x: Float64Array, k: number, eps: number): void {
  let amax = 0;
  for (const v of lu) amax = Math.max(amax, Math.abs(v));
  const tiny = n * eps * amax;
  for (let j = 0; j < n; j++) {
    let piv = j;
    let best = Math.abs(lu[j * n + j]);
    for (let i = j + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + j]);
      if (v > best) {
        best = v;
        piv = i;
      }
    }
    if (best <= tiny || best === 0) {
      throw new SingularMatrixError(`a is singular (to working precision): pivot ${j} of the LU factorisation is ${best.toExponential(3)} <= ${tiny.toExponential(3)}; use lstsq for a minimum-norm solution`);
    }
    if (piv !== j) {
      for (let c = 0; c < n; c++) {
        const t = lu[j * n + c];
        lu[j * n + c] = lu[piv * n + c];
        lu[piv * n + c] = t;
      }
      for (let c = 0; c < k; c++) {
        const t = x[j * k + c];
        x[j * k + c] = x[piv * k + c];
        x[piv * k + c] = t;
      }
    }
    const d = lu[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const f = lu[i * n + j] / d;
      if (f === 0) continue;
      lu[i * n + j] = f;
      for (let c = j + 1; c < n; c++) lu[i * n + c] -= f * lu[j * n + c];
      for (let c = 0; c < k; c++) x[i * k + c] -= f * x[j * k + c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const d = lu[i * n + i];
    for (let c = 0; c < k; c++) {
      let s = x[i * k + c];
      for (let j = i + 1; j < n; j++) s -= lu[i * n + j] * x[j * k + c];
      x[i * k + c] = s / d;
    }
  }
}

/**
 * Minimum-norm least-squares solution of A X ~ B (numpy.linalg.lstsq semantics):
 * X = V diag(1/s_i for s_i > rcond * s_max, else 0) U^T B. Works for over-determined,
 * under-determined and rank-deficient A. `rcond` defaults to eps64 * max(m, n), as numpy's.
 */
export function hostLstsq(a: HostMatrix, b: HostMatrix, opts?: { rcond?: number }): HostMatrix;
export function hostLstsq(a: HostMatrix, b: Float64Array, opts?: { rcond?: number }): Float64Array;
export function hostLstsq(a: HostMatrix, b: HostMatrix | Float64Array, opts: { rcond?: number } = {}): HostMatrix | Float64Array {
  opts = checkOptions(opts, ['rcond'], 'hostLstsq');
  checkHostMatrix(a, 'a');
  const bm = asColumns(b, a.rows, 'b');
  if (opts.rcond !== undefined && !(opts.rcond >= 0)) throw new ArgumentError(`rcond must be a non-negative number; got ${describe(opts.rcond)}`);
  const x = lstsqUnchecked(a, bm, opts.rcond ?? EPS64 * Math.max(a.rows, a.cols));
  return b instanceof Float64Array ? x.data : x;
}

export function lstsqUnchecked(a: HostMatrix, b: HostMatrix, rcond: number): HostMatrix {
  const { rows: m, cols: n } = a;
  const k = b.cols;
  const p = Math.min(m, n);
  if (p === 0) return hostZeros(n, k);
  const { u, s, vt } = svdUnchecked(a, p, false);
  const cutoff = rcond * s[0];
  // c = diag(1/s) U^T B over the kept components.
  const c = new Float64Array(p * k);
  for (let j = 0; j < p; j++) {
    if (!(s[j] > cutoff) || s[j] === 0) continue;
    for (let i = 0; i < m; i++) {
      const uij = u.data[i * p + j];
      if (uij === 0) continue;
      for (let col = 0; col < k; col++) c[j * k + col] += uij * b.data[i * k + col];
    }
    for (let col = 0; col < k; col++) c[j * k + col] /= s[j];
  }
  // X = V c.
  return hostMatmul(vt, { rows: p, cols: k, data: c }, true, false);
}
