/**
 * Eigenvalues of a (large) symmetric matrix, plus eigenvectors for only the top few, on the
 * host in float64. This serves the Gram route of EVBMF's SVD: EVBMF needs *all* singular
 * values of Y (the sigma2 bracket and objective use the whole spectrum) but U, V only for
 * the `rank` components it keeps, so a full eigendecomposition (tql2 with vectors,
 * as `hostEigh` does) would spend O(n^3) on vectors nobody asked for.
 *
 * Method (Golub & Van Loan, "Matrix Computations", 4th ed., Alg. 8.3.1, 8.3.2 and 8.2.2;
 * LAPACK dsytd2 / dsterf / dstein / dormtr):
 * 1. Householder tridiagonalisation Q^T A Q = T (./host/tridiagonal.ts, shared with `hostEigh`
 *    and `largestEigenpairs`), one fused pass over the trailing upper
 *    triangle per step (the rank-2 update of step k and the symmetric mat-vec of step k+1
 *    share the pass, halving memory traffic). The Householder vectors are kept.
 * 2. Eigenvalues of T by the implicit QL method without vectors (EISPACK tql1, core's
 *    `hostTridiagonalEigenvalues`), O(n^2).
 * 3. For the top r eigenvalues: inverse iteration on T (tridiagonal LU with partial
 *    pivoting), re-orthogonalised against neighbours whose eigenvalues are close, and
 *    back-transformed by the stored reflectors: O(n^2 r).
 *
 * Part of core's symmetric eigensolver family (full `hostEigh`/`eigh`; top-k by bisection in
 * `bisectionEigh.ts`; this all-values/top-vectors variant; `twoStageEigen.ts` for n >= 1024).
 * Moved here from @tenfold/rank (issue 11), which calls it for EVBMF's Gram route.
 */
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { hostTridiagonalEigenvalues } from './host.js';
import { tridiagonalize } from './host/tridiagonal.js';

/** All eigenvalues of a symmetric matrix, and eigenvectors on demand for the leading ones. */
export interface SymmetricEigen {
  /** All eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors of the leading `k` eigenvalues, as a row-major n x k array. */
  topVectors(k: number): Float64Array;
  /** The trace of the matrix (its diagonal's sum, read before the reduction). */
  trace: number;
}

/** Argument checks of the eigen-analyses on a row-major n x n buffer (shared with `twoStageEigen.ts`). */
export function checkSquareBuffer(a: unknown, n: unknown, type: typeof Float64Array | typeof Float32Array, argName: string): void {
  if (!Number.isInteger(n) || (n as number) < 0) throw new ArgumentError(`n must be a non-negative integer; got ${describe(n)}`);
  if (!(a instanceof type)) throw new ArgumentError(`${argName} must be a ${type.name} (row-major n x n); got ${describe(a)}`);
  if (a.length !== (n as number) * (n as number)) throw new ShapeError(`${argName} must hold n * n = ${(n as number) * (n as number)} entries; got ${a.length}`);
}

/**
 * Eigen-analysis of the symmetric n x n row-major `a` (only the upper triangle is read;
 * `a` is overwritten and kept, as it holds the reflectors `topVectors` needs).
 *
 * @throws ArgumentError when `n` is not a non-negative integer or `a` not a Float64Array;
 *   ShapeError when `a` does not hold n * n entries.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  checkSquareBuffer(a, n, Float64Array, 'a');
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[k] couples k and k+1
  const beta = new Float64Array(n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  tridiagonalize(a, n, d, e, beta);
  return { ...eigenFromTridiagonal(d, e, a, beta, n), trace };
}

/**
 * Eigenvalues of the tridiagonal (d, e) = Q^T A Q, and eigenvectors of A on demand, where
 * Q = H_0 H_1 ... H_{n-3}, H_s = I - beta_s u_s u_s^T with u_s stored in refl[s, s+1..n-1]
 * (row-major n x n).
 */
export function eigenFromTridiagonal(d: Float64Array, e: Float64Array, refl: Float64Array, beta: Float64Array, n: number): Omit<SymmetricEigen, 'trace'> {
  const values = hostTridiagonalEigenvalues(d, e);
  values.sort((x, y) => y - x);
  const topVectors = (topK: number): Float64Array => {
    const k = Math.min(topK, n);
    const vectors = new Float64Array(n * k);
    if (k === 0) return vectors;
    const tvecs = tridiagonalVectors(d, e, values.subarray(0, k));
    // Back-transform each vector: x <- H_0 H_1 ... H_{n-3} x.
    const x = new Float64Array(n);
    for (let c = 0; c < k; c++) {
      x.set(tvecs[c]);
      for (let s = n - 3; s >= 0; s--) {
        const b = beta[s];
        if (b === 0) continue;
        const off = s * n;
        let dot = 0;
        for (let j = s + 1; j < n; j++) dot += refl[off + j] * x[j];
        dot *= b;
        for (let j = s + 1; j < n; j++) x[j] -= dot * refl[off + j];
      }
      for (let i = 0; i < n; i++) vectors[i * k + c] = x[i];
    }
    return vectors;
  };
  return { values, topVectors };
}

/**
 * Eigenvectors of the symmetric tridiagonal (d, e) for the given eigenvalues (descending), by
 * inverse iteration with a tridiagonal LU with partial pivoting (LAPACK dstein's scheme):
 * vectors of eigenvalues closer than 1e-3 ||T|| are re-orthogonalised against each other.
 */
export function tridiagonalVectors(d: Float64Array, e: Float64Array, lambdas: Float64Array): Float64Array[] {
  const n = d.length;
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const eps = 2.220446049250313e-16;
  if (tnorm === 0) tnorm = 1; // T = 0: any orthonormal basis; keep the pivots non-zero
  const sepTol = 1e-3 * tnorm;
  const out: Float64Array[] = [];
  // LU workspace: rows hold (diag, super, super-super) after pivoting.
  const u1 = new Float64Array(n);
  const u2 = new Float64Array(n);
  const u3 = new Float64Array(n);
  const lmul = new Float64Array(n);
  const piv = new Uint8Array(n);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let c = 0; c < lambdas.length; c++) {
    let lam = lambdas[c];
    // A tiny shift keeps (T - lam I) numerically non-singular and separates equal eigenvalues.
    if (c > 0 && Math.abs(lam - lambdas[c - 1]) < 10 * eps * tnorm) lam = lambdas[c - 1] - 10 * eps * tnorm * c;
    // Factor T - lam I = P L U.
    for (let i = 0; i < n; i++) {
      u1[i] = d[i] - lam;
      u2[i] = i < n - 1 ? e[i] : 0;
      u3[i] = 0;
    }
    for (let i = 0; i < n - 1; i++) {
      const sub = e[i];
      if (Math.abs(u1[i]) >= Math.abs(sub)) {
        piv[i] = 0;
        const m = u1[i] === 0 ? 0 : sub / u1[i];
        lmul[i] = m;
        u1[i + 1] -= m * u2[i];
        // u3[i] stays 0
      } else {
        piv[i] = 1;
        const m = u1[i] / sub;
        lmul[i] = m;
        const a1 = u1[i + 1];
        const a2 = u2[i + 1];
        u1[i] = sub;
        const t = u2[i];
        u2[i] = a1;
        u3[i] = a2;
        u1[i + 1] = t - m * a1;
        u2[i + 1] = -m * a2;
      }
      if (u1[i] === 0) u1[i] = eps * tnorm;
    }
    if (u1[n - 1] === 0) u1[n - 1] = eps * tnorm;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rand();
    for (let it = 0; it < 5; it++) {
      // Solve L y = P x (forward), then U z = y (backward).
      for (let i = 0; i < n - 1; i++) {
        if (piv[i]) {
          const t = x[i];
          x[i] = x[i + 1];
          x[i + 1] = t - lmul[i] * x[i];
        } else {
          x[i + 1] -= lmul[i] * x[i];
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        let v = x[i];
        if (i + 1 < n) v -= u2[i] * x[i + 1];
        if (i + 2 < n) v -= u3[i] * x[i + 2];
        x[i] = v / u1[i];
      }
      // Re-orthogonalise within the cluster (twice is enough).
      for (let pass = 0; pass < 2; pass++) {
        for (let o = c - 1; o >= 0 && Math.abs(lambdas[o] - lambdas[c]) < sepTol; o--) {
          const y = out[o];
          let dot = 0;
          for (let i = 0; i < n; i++) dot += x[i] * y[i];
          for (let i = 0; i < n; i++) x[i] -= dot * y[i];
        }
      }
      let nrm = 0;
      for (let i = 0; i < n; i++) nrm += x[i] * x[i];
      nrm = Math.sqrt(nrm);
      if (nrm === 0 || !Number.isFinite(nrm)) {
        for (let i = 0; i < n; i++) x[i] = rand();
        nrm = 0;
        for (let i = 0; i < n; i++) nrm += x[i] * x[i];
        nrm = Math.sqrt(nrm);
      }
      for (let i = 0; i < n; i++) x[i] /= nrm;
    }
    out.push(x);
  }
  return out;
}
