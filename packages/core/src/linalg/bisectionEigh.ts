/**
 * The k largest eigenpairs of a symmetric float64 host matrix without the full
 * eigendecomposition: LAPACK's `dsyevx` route (`dsytrd` + `dstebz` + `dstein` + `dormtr`).
 *
 * 1. Householder tridiagonalisation A = Q T Q^T, Q kept as its reflectors (Golub & Van Loan,
 *    "Matrix Computations", 4th ed., Alg. 8.3.1; the shared ./host/tridiagonal.ts):
 *    ~4/3 n^3 flops, no accumulation of Q.
 * 2. The k largest eigenvalues of T by bisection on Sturm sequence counts (G&VL §8.4.1,
 *    Kahan's `dstebz`): O(n k log(1/eps)).
 * 3. Their eigenvectors by inverse iteration on T with a pivoted tridiagonal LU
 *    (`dstein`, Jessup & Ipsen 1992), re-orthogonalised against the previous vectors of
 *    the same cluster (eigenvalues closer than 1e-3 ||T||_1) by modified Gram-Schmidt.
 * 4. Back-transformation z -> Q z through the reflectors: n^2 k flops.
 *
 * Measured against the full eigh with vectors (`eighUnchecked`, then tred2/tql2) in Node 20: 1.3-2x faster at
 * n = 256, k = 84-100 and ~3x at n = 1024, k = 16, because neither Q nor the QL rotations
 * are accumulated into an n x n matrix (the tridiagonalisation reads and updates only the
 * upper triangle). Eigenvalues are accurate to ~eps64 ||A|| like tql2's;
 * eigenvectors to ~eps64 ||A|| / gap, with orthogonality kept inside clusters.
 *
 * Internal: the input must be square, symmetric and finite (not checked).
 */
import type { HostMatrix } from '../backend/transfer.js';
import { EPS64 } from './host.js';
import { tridiagonalize } from './host/tridiagonal.js';

/** Tridiagonal form: diagonal d (n), off-diagonal e (n - 1), reflectors in `v` rows with scalars `tau`. */
interface Tridiagonal {
  d: Float64Array;
  e: Float64Array;
  /** Row i holds reflector i in columns i+1..n-1 (H_i = I - tau_i v v^T acting on rows i+1..n-1). */
  v: Float64Array;
  tau: Float64Array;
}

/**
 * A = Q T Q^T by the shared Householder reduction (./host/tridiagonal.ts, the one
 * tridiagonalisation of the symmetric eigensolvers): reflector i in row i, right of the
 * diagonal, with its scalar in `tau`. `a` is symmetric (either triangle is read).
 */
function tridiagonalizeCopy(a: HostMatrix): Tridiagonal {
  const n = a.rows;
  const A = Float64Array.from(a.data);
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[k] couples k and k+1; e[n-1] = 0 is dropped below
  const tau = new Float64Array(n);
  tridiagonalize(A, n, d, e, tau);
  return { d, e: e.subarray(0, Math.max(n - 1, 0)), v: A, tau };
}

/** Number of eigenvalues of T below x (Sturm count of the LDL^T pivots). */
function countBelow(d: Float64Array, e2: Float64Array, x: number, pivmin: number): number {
  let count = 0;
  let q = d[0] - x;
  if (Math.abs(q) < pivmin) q = -pivmin;
  if (q < 0) count++;
  for (let i = 1; i < d.length; i++) {
    q = d[i] - x - e2[i - 1] / q;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
  }
  return count;
}

/** The eigenvalues of index n-1, n-2, ..., n-k (ascending index) of T, descending, by bisection. */
function largestEigenvalues(d: Float64Array, e: Float64Array, k: number): Float64Array {
  const n = d.length;
  const e2 = e.map((x) => x * x);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0);
    lo = Math.min(lo, d[i] - r);
    hi = Math.max(hi, d[i] + r);
  }
  const tnorm = Math.max(Math.abs(lo), Math.abs(hi));
  const pivmin = Math.max(Number.MIN_VALUE, EPS64 * EPS64 * Math.max(1, ...e2));
  lo -= 2 * EPS64 * tnorm * n + 2 * pivmin;
  hi += 2 * EPS64 * tnorm * n + 2 * pivmin;
  const out = new Float64Array(k);
  let upper = hi;
  for (let j = 0; j < k; j++) {
    // Eigenvalue of ascending index idx: the smallest x with countBelow(x) > idx.
    const idx = n - 1 - j;
    let a = lo;
    let b = upper;
    const tol = 2 * EPS64 * Math.max(Math.abs(a), Math.abs(b)) + pivmin;
    while (b - a > tol) {
      const mid = 0.5 * (a + b);
      if (mid === a || mid === b) break;
      if (countBelow(d, e2, mid, pivmin) > idx) b = mid;
      else a = mid;
    }
    out[j] = 0.5 * (a + b);
    upper = b;
  }
  return out;
}

/** Deterministic uniform(-1, 1) start vectors for inverse iteration (xorshift32). */
function startVector(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761 + 12345) >>> 0 || 1;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    x[i] = s / 2147483648 - 1;
  }
  return x;
}

/** Eigenvectors of T for the (descending) eigenvalues `w` by inverse iteration; column j of the n x k result. */
function inverseIteration(d: Float64Array, e: Float64Array, w: Float64Array): Float64Array {
  const n = d.length;
  const k = w.length;
  const z = new Float64Array(n * k);
  let onenorm = 0;
  for (let i = 0; i < n; i++) onenorm = Math.max(onenorm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
  const ortol = 1e-3 * onenorm;
  const eps = EPS64 * Math.max(onenorm, Number.MIN_VALUE);
  const u0 = new Float64Array(n);
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const l = new Float64Array(n);
  const swap = new Uint8Array(n);
  const cluster: Float64Array[] = [];
  let prev = Infinity;
  for (let j = 0; j < k; j++) {
    let lambda = w[j];
    if (j === 0 || prev - lambda > ortol) cluster.length = 0;
    // Equal eigenvalues in a cluster: nudge apart so the solves are not identical.
    if (j > 0 && cluster.length > 0 && lambda >= prev - 10 * EPS64 * Math.max(Math.abs(prev), onenorm)) lambda = prev - 10 * EPS64 * Math.max(Math.abs(prev), onenorm);
    prev = lambda;
    // Pivoted LU of T - lambda I: row i of U holds (u0, u1, u2) at columns i, i+1, i+2.
    let p = d[0] - lambda;
    let q = n > 1 ? e[0] : 0;
    let r = 0;
    for (let i = 0; i < n - 1; i++) {
      const sub = e[i];
      const dn = d[i + 1] - lambda;
      const sn = i + 1 < n - 1 ? e[i + 1] : 0;
      if (Math.abs(p) >= Math.abs(sub)) {
        const m = p === 0 ? 0 : sub / p;
        swap[i] = 0;
        l[i] = m;
        u0[i] = p === 0 ? eps : p;
        u1[i] = q;
        u2[i] = r;
        p = dn - m * q;
        q = sn - m * r;
      } else {
        const m = p / sub;
        swap[i] = 1;
        l[i] = m;
        u0[i] = sub;
        u1[i] = dn;
        u2[i] = sn;
        p = q - m * dn;
        q = r - m * sn;
      }
      r = 0;
    }
    u0[n - 1] = Math.abs(p) < eps ? (p < 0 ? -eps : eps) : p;
    for (let i = 0; i < n; i++) if (Math.abs(u0[i]) < eps) u0[i] = u0[i] < 0 ? -eps : eps;
    let x = startVector(n, j + 1);
    for (let it = 0; it < 3; it++) {
      // Solve L U y = x (pivots applied to the right-hand side), in place in x.
      for (let i = 0; i < n - 1; i++) {
        if (swap[i]) {
          const t = x[i];
          x[i] = x[i + 1];
          x[i + 1] = t - l[i] * x[i + 1];
        } else {
          x[i + 1] -= l[i] * x[i];
        }
      }
      x[n - 1] /= u0[n - 1];
      if (n > 1) x[n - 2] = (x[n - 2] - u1[n - 2] * x[n - 1]) / u0[n - 2];
      for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - u1[i] * x[i + 1] - u2[i] * x[i + 2]) / u0[i];
      // Re-orthogonalise against the cluster (modified Gram-Schmidt), then normalise.
      for (const c of cluster) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += c[i] * x[i];
        for (let i = 0; i < n; i++) x[i] -= dot * c[i];
      }
      let nrm = 0;
      for (let i = 0; i < n; i++) nrm += x[i] * x[i];
      nrm = Math.sqrt(nrm);
      if (nrm === 0 || !Number.isFinite(nrm)) {
        x = startVector(n, 7919 * (j + 1) + it);
        continue;
      }
      for (let i = 0; i < n; i++) x[i] /= nrm;
    }
    cluster.push(x);
    for (let i = 0; i < n; i++) z[i * k + j] = x[i];
  }
  return z;
}

/**
 * The `k` largest eigenpairs of the symmetric matrix `a` (n x n), values descending,
 * vectors as the columns of an n x k matrix (signs arbitrary: callers apply their sign rule).
 */
export function largestEigenpairs(a: HostMatrix, k: number): { values: Float64Array; vectors: HostMatrix } {
  const n = a.rows;
  k = Math.min(k, n);
  if (n === 0 || k === 0) return { values: new Float64Array(0), vectors: { rows: n, cols: 0, data: new Float64Array(0) } };
  const t = tridiagonalizeCopy(a);
  const values = largestEigenvalues(t.d, t.e, k);
  const z = inverseIteration(t.d, t.e, values);
  // Back-transform: Q z = H_0 H_1 ... H_{n-3} z, applied right to left.
  const col = new Float64Array(k);
  for (let i = n - 3; i >= 0; i--) {
    const tau = t.tau[i];
    if (tau === 0) continue;
    const row = i * n;
    col.fill(0);
    for (let r = i + 1; r < n; r++) {
      const vr = t.v[row + r];
      const zr = r * k;
      for (let c = 0; c < k; c++) col[c] += vr * z[zr + c];
    }
    for (let c = 0; c < k; c++) col[c] *= tau;
    for (let r = i + 1; r < n; r++) {
      const vr = t.v[row + r];
      const zr = r * k;
      for (let c = 0; c < k; c++) z[zr + c] -= vr * col[c];
    }
  }
  return { values, vectors: { rows: n, cols: k, data: z } };
}
