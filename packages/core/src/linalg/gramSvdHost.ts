/**
 * The host-result Gram route of the SVD entry point (./svdInterface.ts, output 'host'):
 * the leading singular vectors of Y from the eigenpairs of Y Y^T or Y^T Y (whichever is
 * smaller; one backend product, downloaded in float64) and of small short-fat host
 * matrices from their float64 Gram. U, s (and V^T) are float64 host matrices with
 * TensorLy's signs (u-based `svd_flip`).
 *
 * Measured on the wasm backend (tfjs 4.22): a matmul with `transposeA`/`transposeB` runs
 * ~10x slower than the same product on a materialised transpose, so every product here is
 * written without the flags.
 *
 * Internal: takes validated float32 tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { EXACT_EIGH_MAX, FULL_EIGH_MAX, runsOnHost } from '../backend/placement.js';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import type { Rng } from '../base/rng.js';
import { largestEigenpairs } from './bisectionEigh.js';
import { descendingEigh, gramToHost } from './engine.js';
import { hostMatmul, hostTranspose, hostZeros, qrUnchecked, svdFlipUnchecked } from './host.js';

/** U, s (and V^T when asked) of a truncated SVD, float64 on the host. */
export interface HostTruncatedSvd {
  u: HostMatrix;
  s: Float64Array;
  vt?: HostMatrix;
}

/** Singular values from descending Gram eigenvalues (negative rounding clamped to 0). */
function sqrtValues(values: Float64Array): Float64Array {
  return values.map((v) => Math.sqrt(Math.max(v, 0)));
}

/**
 * The `k` largest eigenpairs of a symmetric PSD host matrix, descending. Problems up to
 * n = 64 use the full `eigh` (tql2 with vectors) (`descendingEigh`); up to n = 512 (or with large k)
 * Householder + bisection + inverse iteration for the k pairs only (`largestEigenpairs`,
 * LAPACK's dsyevx route); larger ones block subspace
 * iteration with Rayleigh–Ritz (Saad, "Numerical methods for large eigenvalue problems",
 * §5.1), iterated to a residual of `1e-10 * lambda_max` and falling back to the full `eigh`
 * if that is not reached (flat spectra), so the result is always the exact leading subspace.
 * `powerIterations` (randomized mode) stops after that many products instead.
 */
export function topEigenpairs(g: HostMatrix, k: number, rng: Rng, powerIterations?: number): { values: Float64Array; vectors: HostMatrix } {
  const n = g.rows;
  k = Math.min(k, n);
  // A Gram product from the backend is symmetric only up to rounding; the iteration needs it exactly.
  g = { rows: n, cols: n, data: g.data.slice() };
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const v = 0.5 * (g.data[i * n + j] + g.data[j * n + i]);
    g.data[i * n + j] = v;
    g.data[j * n + i] = v;
  }
  const full = (): { values: Float64Array; vectors: HostMatrix } => {
    if (runsOnHost(n, FULL_EIGH_MAX)) {
      const e = descendingEigh(g, k);
      return { values: e.values.slice(0, k), vectors: e.vectors };
    }
    // Only k pairs, without accumulating the n x n eigenvector matrix (see bisectionEigh.ts).
    return largestEigenpairs(g, k);
  };
  // Subspace iteration converges at the rate lambda_{k+11} / lambda_k: fast on synthetic
  // low-rank data, hopeless on the slowly decaying spectra of trained weights, where it
  // used to run its 60 rounds and then pay for the full eigh anyway. Up to
  // EXACT_EIGH_MAX the exact k pairs are cheaper than a handful of rounds.
  if (powerIterations === undefined && (runsOnHost(n, EXACT_EIGH_MAX) || 3 * k >= n)) return full();
  const l = Math.min(n, k + 10);
  let q = hostZeros(n, l);
  for (let i = 0; i < q.data.length; i++) q.data[i] = rng.normal();
  q = qrUnchecked(q).q;
  const maxIter = powerIterations ?? 60;
  for (let it = 0; it < maxIter; it++) {
    const z = hostMatmul(g, q);
    const b = hostMatmul(hostTranspose(q), z);
    // Symmetrise the small projected matrix against rounding.
    for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) {
      const v = 0.5 * (b.data[i * l + j] + b.data[j * l + i]);
      b.data[i * l + j] = v;
      b.data[j * l + i] = v;
    }
    // Ritz vectors, descending.
    const { values: theta, vectors: w } = descendingEigh(b, l);
    const u = hostMatmul(q, w);
    const gu = hostMatmul(z, w);
    let worst = 0;
    for (let j = 0; j < k; j++) {
      let r2 = 0;
      for (let i = 0; i < n; i++) {
        const d = gu.data[i * l + j] - theta[j] * u.data[i * l + j];
        r2 += d * d;
      }
      worst = Math.max(worst, Math.sqrt(r2));
    }
    const done = powerIterations !== undefined ? it === maxIter - 1 : worst <= 1e-10 * Math.max(theta[0], 1e-300);
    if (done) {
      const out = hostZeros(n, k);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out.data[i * k + j] = u.data[i * l + j];
      return { values: theta.slice(0, k), vectors: out };
    }
    q = qrUnchecked(gu).q;
  }
  return full();
}

/** Truncated SVD of a small short-fat host matrix (m <= n) through its float64 Gram `Y Y^T` (TensorLy signs). */
export function hostGramSvd(y: HostMatrix, k: number, wantV: boolean): HostTruncatedSvd {
  const { rows: m, cols: n } = y;
  const g = hostZeros(m, m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) {
    let acc = 0;
    const a = i * n;
    const b = j * n;
    for (let c = 0; c < n; c++) acc += y.data[a + c] * y.data[b + c];
    g.data[i * m + j] = acc;
    g.data[j * m + i] = acc;
  }
  const e = descendingEigh(g, k);
  const s = sqrtValues(e.values.subarray(0, k));
  const u = e.vectors;
  svdFlipUnchecked(u);
  if (!wantV) return { u, s };
  // V^T = diag(1/s) U^T Y (rows of zero singular values stay zero).
  const vt = hostZeros(k, n);
  for (let j = 0; j < k; j++) {
    const inv = s[j] > 0 ? 1 / s[j] : 0;
    for (let i = 0; i < m; i++) {
      const a = u.data[i * k + j] * inv;
      if (a === 0) continue;
      for (let c = 0; c < n; c++) vt.data[j * n + c] += a * y.data[i * n + c];
    }
  }
  return { u, s, vt };
}

/** `a @ b` on the backend for a host `b`, downloaded in float64. */
function productHost(a: tf.Tensor2D, b: HostMatrix, hostFirst: boolean): HostMatrix {
  const p = tf.tidy(() => (hostFirst ? tf.matMul(fromHostMatrix(b), a) : tf.matMul(a, fromHostMatrix(b))) as tf.Tensor2D);
  const h = toHostMatrix(p);
  p.dispose();
  return h;
}

/**
 * Truncated SVD of `y` (m x n, k <= min(m, n)) through its Gram matrix: the k leading
 * eigenpairs of Y Y^T (m <= n) or Y^T Y by `topEigenpairs` (converged, or `power` block
 * power iterations from a Gaussian start for 'randomized'), then the other side by one
 * backend product. `yT` is Y^T if the caller has it (saves a transpose of a big unfolding).
 */
export function gramRouteSvd(y: tf.Tensor2D, k: number, opts: { method: 'truncated' | 'gram' | 'randomized'; rng: Rng; wantV?: boolean; yT?: tf.Tensor2D }): HostTruncatedSvd {
  const [m, n] = y.shape;
  const power = opts.method === 'randomized' ? 2 : undefined;
  if (m <= n) {
    // Y Y^T = (Y^T)^T (Y^T): the Gram of Y^T, with Y itself as its transpose.
    const yT = opts.yT ?? (tf.transpose(y) as tf.Tensor2D);
    const g = gramToHost(yT, y);
    if (!opts.yT) yT.dispose();
    const { values, vectors } = topEigenpairs(g, k, opts.rng, power);
    const s = sqrtValues(values);
    svdFlipUnchecked(vectors);
    if (!opts.wantV) return { u: vectors, s };
    // V^T = diag(1/s) U^T Y.
    const ut = hostTranspose(vectors);
    for (let j = 0; j < k; j++) {
      const inv = s[j] > 0 ? 1 / s[j] : 0;
      for (let c = 0; c < m; c++) ut.data[j * m + c] *= inv;
    }
    return { u: vectors, s, vt: productHost(y, ut, true) };
  }
  const { values, vectors: v } = topEigenpairs(gramToHost(y, opts.yT), k, opts.rng, power);
  const s = sqrtValues(values);
  // U = Y V diag(1/s).
  const vs = hostZeros(n, k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vs.data[i * k + j] = s[j] > 0 ? v.data[i * k + j] / s[j] : 0;
  const u = productHost(y, vs, false);
  const vt = hostTranspose(v);
  svdFlipUnchecked(u, vt);
  return { u, s, vt: opts.wantV ? vt : undefined };
}
