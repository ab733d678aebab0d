/**
 * The SVD engine shared by `svd`, `qr` and `lstsq`: big products on the backend (float32
 * matmuls), small dense problems on the host (float64), few host round trips.
 *
 * Internal: these functions take validated float32 tensors and do not check their input.
 */
import * as tf from '@tensorflow/tfjs';
import { HOST_QR_FLOPS, HOST_SVD_MAX_N, HOST_SVD_MN2, runsOnHost } from '../backend/placement.js';
import { fromHostMatrix, readScalar, toHost64, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import { createRng, type Rng } from '../base/rng.js';
import { EPS32, choleskyUnchecked, choleskyWithDrops, eighUnchecked, hostTranspose, svdUnchecked } from './host.js';
import { hostMatmulSmall, invLowerTransposed, upperGram, upperOf, upperProduct } from './host/triangular.js';

/** tf.matMul typed for matrices. */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.matMul(a, b, transposeA, transposeB) as tf.Tensor2D;
}

/**
 * The Gram matrix A^T A on the backend. An explicit transpose followed by a plain matmul:
 * wasm's matMul with transposeA is 3-4x slower on tall matrices (measured on 200000 x 60).
 */
export function gram(a: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.transpose(a), a) as tf.Tensor2D);
}

/**
 * The Gram matrix A^T A formed on the backend and downloaded in float64 (one sync); `aT`
 * (A^T) if the caller has it, which saves the transpose.
 */
export function gramToHost(a: tf.Tensor2D, aT?: tf.Tensor2D): HostMatrix {
  const g = aT ? (tf.matMul(aT, a) as tf.Tensor2D) : gram(a);
  const h = toHostMatrix(g);
  g.dispose();
  return h;
}

/**
 * The engine's placement limits (backend/placement.ts: HOST_SVD_MN2, HOST_SVD_MAX_N,
 * HOST_QR_FLOPS), mutable so that tests can force the backend routes on small inputs.
 */
export const engineConfig = { hostMaxMn2: HOST_SVD_MN2, hostMaxN: HOST_SVD_MAX_N, hostQrMaxFlops: HOST_QR_FLOPS, cholQr2: true };

/** Which routes `tallSvd` took (for tests: each route must be exercised). */
export const engineStats = { host: 0, cholQr2: 0, twoPass: 0, gram: 0 };

/** True when a tall m x n SVD is small enough for the host. */
export function svdOnHost(m: number, n: number): boolean {
  return runsOnHost(m * n * n, engineConfig.hostMaxMn2) && runsOnHost(n, engineConfig.hostMaxN);
}

/** A thin SVD of a tall m x n matrix A (m >= n): A ~ u diag(s) v^T over k components. */
export interface TallSvd {
  /** m x k, orthonormal columns, on the backend. Absent when not asked for. */
  u?: tf.Tensor2D;
  /** k singular values, descending, float64. */
  s: Float64Array;
  /** n x k right singular vectors, float64 on the host. */
  v: HostMatrix;
}

/** Columns `0..k-1` of the n x n row-major `w`, in the order `order`, each scaled by `scale[j]`. */
function pickColumns(w: HostMatrix, order: number[], scale?: Float64Array): HostMatrix {
  const n = w.rows;
  const k = order.length;
  const out = new Float64Array(n * k);
  for (let jj = 0; jj < k; jj++) {
    const j = order[jj];
    const f = scale ? scale[jj] : 1;
    for (let i = 0; i < n; i++) out[i * k + jj] = w.data[i * w.cols + j] * f;
  }
  return { rows: n, cols: k, data: out };
}

/** True when a downloaded Gram matrix is finite and far from float32 under/overflow. */
function gramInRange(g: HostMatrix): boolean {
  let maxDiag = 0;
  for (let i = 0; i < g.rows; i++) maxDiag = Math.max(maxDiag, g.data[i * g.cols + i]);
  for (const x of g.data) if (!Number.isFinite(x)) return false;
  return maxDiag > 1e-30 && maxDiag < 1e30;
}

/**
 * Eigen-decomposition of a symmetric host matrix (a downloaded Gram), descending: all n
 * eigenvalues (largest first) and the eigenvectors of the leading k as the columns of an
 * n x k matrix. Shared by `tallSvd` and the decompositions' `truncatedSvdHost`.
 */
export function descendingEigh(g: HostMatrix, k: number): { values: Float64Array; vectors: HostMatrix } {
  const { values, vectors } = eighUnchecked(g, false);
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => n - 1 - i);
  return { values: Float64Array.from(order, (j) => values[j]), vectors: pickColumns(vectors, order.slice(0, k)) };
}

/**
 * Thin SVD of a tall A (m >= n) over k <= n components.
 *
 * - small (`svdOnHost`): on the host in float64.
 * - `mode: 'gram'`: G = A^T A on the backend (float32), eigh(G) on the host (float64)
 *   -> V0; Y = A V0[:, :k]; s = column norms of Y; U = orthonormalised Y / s. One pass:
 *   G is accurate to eps32 ||A||^2 only, so singular values below ~sqrt(eps32) s_max
 *   (about 3e-4 s_max) lose relative accuracy (the condition number is squared).
 * - `mode: 'exact'`, cond(A) <= 1e3: Cholesky-QR2 + float64 SVD of R (`cholQr2Svd`).
 * - `mode: 'exact'` otherwise: the Gram pass, then a second pass on Y = A V0 (all n columns), whose
 *   columns are nearly orthogonal: H = Y^T Y has small componentwise-relative rounding, so
 *   eigh(H) = W diag(s^2) W^T gives s, V = V0 W and U = Y W / s to float32 precision
 *   (backward error ~ eps32 ||A||, like a float32 Householder/Golub-Kahan SVD). Then one
 *   Cholesky-QR pass makes U orthonormal to working precision.
 *
 * Singular vectors of (numerically) zero singular values are completed to an orthonormal
 * set (see `orthonormalize`), so U always has orthonormal columns.
 */
export function tallSvd(a: tf.Tensor2D, k: number, mode: 'exact' | 'gram', wantU = true): TallSvd {
  const [m, n] = a.shape;
  if (svdOnHost(m, n)) {
    engineStats.host++;
    const h = svdUnchecked(toHostMatrix(a), k, false);
    const v = hostTranspose(h.vt);
    return { u: wantU ? fromHostMatrix(h.u) : undefined, s: h.s, v };
  }
  // Pass 1: Gram on the backend, its eigenvectors on the host.
  const gh = gramToHost(a);
  if (!gramInRange(gh)) {
    // Entries near float32's limits: the Gram over- or underflows. Scale A to max|A| = 1.
    const maxAbs = tf.tidy(() => tf.max(tf.abs(a)));
    const scale = readScalar(maxAbs);
    maxAbs.dispose();
    if (scale > 0 && Number.isFinite(scale)) {
      const scaled = tf.tidy(() => tf.div(a, tf.scalar(scale)) as tf.Tensor2D);
      const r = tallSvd(scaled, k, mode, wantU);
      scaled.dispose();
      return { ...r, s: r.s.map((x) => x * scale) };
    }
  }
  if (mode === 'exact' && engineConfig.cholQr2) {
    // Well-conditioned A (the common case): Cholesky-QR2 + a float64 SVD of R, one
    // n x n eigenproblem instead of two.
    const fast = cholQr2Svd(a, gh, k, wantU);
    if (fast) {
      engineStats.cholQr2++;
      return fast;
    }
  }
  if (mode === 'gram') {
    engineStats.gram++;
    const v = descendingEigh(gh, k).vectors;
    const vk = fromHostMatrix(v);
    const y = mm(a, vk);
    vk.dispose();
    const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(y), 0)));
    const s = toHost64(norms);
    norms.dispose();
    // Sort by the measured norms (the Gram order can differ in the noise).
    const order = Array.from({ length: k }, (_, i) => i).sort((x, z) => s[z] - s[x] || x - z);
    const sSorted = Float64Array.from(order, (j) => s[j]);
    const vSorted = pickColumns(v, order);
    if (!wantU) {
      y.dispose();
      return { s: sSorted, v: vSorted };
    }
    const inv = sSorted.map((x) => (x > sSorted[0] * 1e-30 ? 1 / x : 0));
    const sorted = order.every((j, i) => j === i);
    const u0 = tf.tidy(() => tf.mul(sorted ? y : tf.gather(y, order, 1), tf.tensor1d(Float32Array.from(inv))) as tf.Tensor2D);
    y.dispose();
    const u = orthonormalize(u0);
    u0.dispose();
    return { u, s: sSorted, v: vSorted };
  }
  // Pass 2 on Y = A V0, whose Gram is nearly diagonal.
  engineStats.twoPass++;
  const v0h = descendingEigh(gh, n).vectors;
  const v0 = fromHostMatrix(v0h);
  const y = mm(a, v0);
  v0.dispose();
  const hh = gramToHost(y);
  const e2 = descendingEigh(hh, k);
  const s = Float64Array.from(e2.values.subarray(0, k), (x) => Math.sqrt(Math.max(x, 0)));
  const w = e2.vectors;
  const v = hostMatmulSmall(v0h, w);
  if (!wantU) {
    y.dispose();
    return { s, v };
  }
  const inv = s.map((x) => (x > s[0] * 1e-30 ? 1 / x : 0));
  const wScaled = pickColumns(w, Array.from({ length: k }, (_, j) => j), inv);
  const wt = fromHostMatrix(wScaled);
  const u0 = mm(y, wt);
  tf.dispose([y, wt]);
  const u = orthonormalize(u0);
  u0.dispose();
  return { u, s, v };
}

/** Cholesky of a downloaded Gram that is safely positive definite (every pivot above `ratio` of its diagonal), else null. */
function safeCholesky(g: HostMatrix, ratio: number): HostMatrix | null {
  const l = choleskyUnchecked(g);
  if (typeof l === 'number') return null;
  const n = g.rows;
  for (let j = 0; j < n; j++) if (!(l.data[j * n + j] ** 2 > ratio * g.data[j * n + j])) return null;
  return l;
}

/**
 * Exact thin SVD of a well-conditioned tall A through Cholesky-QR2 (Fukaya et al. 2014;
 * Yamamoto et al. 2015): A = Q1 R1 with R1 = chol(A^T A)^T, Q1 = A R1^{-1}; Q1 = Q R2 the
 * same way; R = R2 R1. Cholesky-QR2 in float32 is backward stable with Q orthonormal to
 * working precision when cond(A) is below ~eps32^{-1/2}; we require every Cholesky pivot of
 * the first Gram to keep 1e-5 of its diagonal, the second Gram within 0.5 of I, and
 * cond(R) <= 1e3, else return null (the caller takes the two-pass eigen route).
 * Then R = U_R S V^T in float64 on the host (eigh of R^T R: at this conditioning the
 * squaring costs nothing in float64), and U = Q U_R = Q1 (R1 V S^{-1}): Q itself is never
 * formed.
 */
function cholQr2Svd(a: tf.Tensor2D, g1: HostMatrix, k: number, wantU: boolean): TallSvd | null {
  const n = g1.rows;
  const l1 = safeCholesky(g1, 1e-5);
  if (!l1) return null;
  const r1 = upperOf(l1);
  const r1Inv = invLowerTransposed(l1.data, n);
  // A cheap early exit for grossly ill-conditioned A (noise pivots of a rank-deficient
  // Gram): the Frobenius condition number bounds cond(R1) within a factor n.
  let fr = 0;
  let fi = 0;
  for (let i = 0; i < n * n; i++) {
    fr += r1.data[i] ** 2;
    fi += r1Inv.data[i] ** 2;
  }
  if (!(Math.sqrt(fr * fi) <= 1e3 * n)) return null;
  const r1InvT = fromHostMatrix(r1Inv);
  const q1 = mm(a, r1InvT);
  r1InvT.dispose();
  const g2 = gramToHost(q1);
  let dev = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dev = Math.max(dev, Math.abs(g2.data[i * n + j] - (i === j ? 1 : 0)));
  const l2 = dev < 0.5 ? safeCholesky(g2, 0.1) : null;
  if (!l2) {
    q1.dispose();
    return null;
  }
  // R = R2 R1 (upper triangular), then its SVD through eigh(R^T R) in float64.
  const rm = upperProduct(upperOf(l2), r1);
  const rtr = upperGram(rm);
  const e = descendingEigh(rtr, k);
  // The pivots only hint at the conditioning; the singular values of R measure it. Beyond
  // cond 1e3 (~ eps32^{-1/2} / 3) Cholesky-QR2's guarantees lapse: take the two-pass route.
  const sMax = Math.sqrt(Math.max(e.values[0], 0));
  const sMin = Math.sqrt(Math.max(e.values[n - 1], 0));
  if (!(sMin > 1e-3 * sMax)) {
    q1.dispose();
    return null;
  }
  const s = Float64Array.from(e.values.subarray(0, k), (x) => Math.sqrt(Math.max(x, 0)));
  const v = e.vectors;
  if (!wantU) {
    q1.dispose();
    return { s, v };
  }
  // U = Q U_R with Q = Q1 R2^{-1} and U_R = R V S^{-1} = R2 R1 V S^{-1}, so U = Q1 (R1 V S^{-1}):
  // one host product. Column j of R1 V S^{-1} has norm ~1 (Q1 is near-orthonormal), so
  // the float32 backend product loses nothing.
  const inv = s.map((x) => (x > 0 ? 1 / x : 0));
  const c = hostMatmulSmall(r1, v);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) c.data[i * k + j] *= inv[j];
  const coef = fromHostMatrix(c);
  const u = mm(q1, coef);
  tf.dispose([q1, coef]);
  return { u, s, v };
}

/**
 * Orthonormal columns spanning (in order) the columns of an m x k matrix `y` (k <= m), by
 * Cholesky-QR passes on the backend (Fukaya et al. 2014, "CholeskyQR2"): C = Y^T Y
 * (backend) -> C = L L^T (host, float64) -> Y <- Y L^{-T} (backend), repeated until
 * Y^T Y = I to working precision (one pass when Y is already nearly orthonormal). Like
 * Gram-Schmidt, column j is only combined with columns before it, so nearly orthonormal
 * leading columns barely move. Columns that are zero or numerically dependent on earlier
 * ones (the part orthogonal to the earlier columns below 1e-3 of the column's norm) are
 * replaced by seeded Gaussian vectors, moved after the good columns, and orthogonalised
 * against them: the result always has k orthonormal columns.
 * Returns a new tensor; `y` is not disposed.
 */
export function orthonormalize(y: tf.Tensor2D): tf.Tensor2D {
  const [m, k] = y.shape;
  const stop = Math.max(1e-6, 4 * EPS32 * Math.sqrt(m));
  let cur = tf.clone(y);
  let perm: number[] | null = null;
  // A fixed seed per call: the completed null-space columns are the same on every call.
  let completionRng: Rng | null = null;
  for (let pass = 0; pass < 6; pass++) {
    const c = gramToHost(cur);
    let dev = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) dev = Math.max(dev, Math.abs(c.data[i * k + j] - (i === j ? 1 : 0)));
    if (dev <= stop) break;
    const { l, bad } = choleskyWithDrops(c, 1e-6);
    if (bad.length) {
      // Replace the deficient columns by random ones, placed after the good columns.
      const badSet = new Set(bad);
      const good = Array.from({ length: k }, (_, i) => i).filter((i) => !badSet.has(i));
      const newPerm = [...good, ...bad];
      completionRng ??= createRng(0x5eed);
      const rand = new Float32Array(m * bad.length);
      for (let i = 0; i < rand.length; i++) rand[i] = completionRng.normal() / Math.sqrt(m);
      const next = tf.tidy(() => {
        const g = good.length ? tf.gather(cur, good, 1) : null;
        const r = tf.tensor2d(rand, [m, bad.length]);
        return (g ? tf.concat([g, r], 1) : r) as tf.Tensor2D;
      });
      cur.dispose();
      cur = next;
      // Compose with any earlier permutation: column t of `cur` is original column perm[newPerm[t]].
      perm = perm ? newPerm.map((t) => (perm as number[])[t]) : newPerm;
      continue;
    }
    const rInv = fromHostMatrix(invLowerTransposed(l, k));
    const next = mm(cur, rInv);
    tf.dispose([cur, rInv]);
    cur = next;
    // One pass on nearly orthonormal columns leaves an error ~ eps32 (1 + dev)^2 / (1 - dev)^2:
    // no need for another Gram to check it.
    if (dev < 1e-2) break;
  }
  if (perm) {
    const inverse = new Array<number>(k);
    perm.forEach((orig, t) => (inverse[orig] = t));
    const back = tf.gather(cur, inverse, 1) as tf.Tensor2D;
    cur.dispose();
    cur = back;
  }
  return cur;
}
