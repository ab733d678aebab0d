/**
 * Host SVD in float64: Householder QR of the tall orientation, then one-sided (Hestenes)
 * Jacobi on the square factor R (Demmel & Veselic 1992: high relative accuracy),
 * O(m n^2 + sweeps n^3).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { checkOptions, optionKeys } from '../../checks/options.js';
import { RankError, describe } from '../../errors/index.js';
import { EPS64, checkHostMatrix, hostZeros } from './matrix.js';
import { hostSvdFlip } from './svdFlip.js';
import { householder, householderQ } from './qr.js';

// SVD: Householder QR + one-sided Jacobi

/** Result of the host SVD: A ~ U diag(s) Vt, s descending. */
export interface HostSvd {
  u: HostMatrix;
  s: Float64Array;
  vt: HostMatrix;
}

/** Options of {@link hostSvd}: `rank` (default min(m, n)) and `flipSign` (default true). */
export interface HostSvdOptions {
  rank?: number;
  flipSign?: boolean;
}

const HOST_SVD_OPTIONS = optionKeys<HostSvdOptions>()('rank', 'flipSign');

/** The plane rotation [x, y] <- [c x - s y, s x + c y] of two length-`len` runs of `a` (at `op`, `oq`). */
function rotateColumns(a: Float64Array, op: number, oq: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const x = a[op + i];
    const y = a[oq + i];
    a[op + i] = c * x - s * y;
    a[oq + i] = s * x + c * y;
  }
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
        rotateColumns(b, cp, cq, m, c, s);
        if (v) rotateColumns(v, p * n, q * n, n, c, s);
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
export function hostSvd(m: HostMatrix, opts: HostSvdOptions = {}): HostSvd {
  opts = checkOptions(opts, HOST_SVD_OPTIONS, 'hostSvd');
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
