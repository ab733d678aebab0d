/**
 * The projection step of PARAFAC2 ALS on the host in float64 (Kiers, ten Berge & Bro 1999;
 * TensorLy 0.9 `_compute_projections` / `_project_tensor_slices`): one orthogonal Procrustes
 * problem per slice, solved as the polar factor of an R x J_i matrix through its R x R Gram,
 * and the projected tensor `[P_i^T X_i]` for the CP step.
 */
import type { HostMatrix } from '../backend/transfer.js';
import { eighUnchecked, hostZeros, svdUnchecked } from '../linalg/host.js';
import { contractLast, contractLead } from '../tenalg/internal/hostContractions.js';

/** The data: I slices `X_i` (J_i x K, row-major). */
export interface HostSlices {
  data: Float64Array[];
  rows: number[];
  K: number;
  /** `X_i^T X_i` (K x K) for the slices that take the Gram route ({@link sliceGrams}). */
  grams?: (Float64Array | null)[];
}

/** Smallest eigenvalue of `M M^T`, relative to the largest, for which the Gram route is used. */
const GRAM_RCOND = 1e-10;

/**
 * `(G)^{-1/2}` (R x R) and `sum sqrt(eig(G))` for the R x R Gram `G = M M^T` of a slice's
 * `M = U S V^T`: then `P^T = U V^T = G^{-1/2} M` (the orthogonal polar factor) and
 * `||M||_* = sum sqrt(eig(G))`. Core's symmetric eigensolver on R x R instead of a J x R
 * Householder QR + Jacobi (the idea of TensorLy's `symeig_svd`). Returns null when `M` is
 * near rank deficient (eigenvalue ratio below 1e-10: squaring the condition number would
 * cost accuracy); the caller then uses the host SVD.
 */
function inverseSqrt(g: HostMatrix): { t: Float64Array; nuclear: number } | null {
  const R = g.rows;
  const { values, vectors } = eighUnchecked(g, false);
  if (!(values[0] > GRAM_RCOND * values[R - 1])) return null;
  let nuclear = 0;
  for (let e = 0; e < R; e++) nuclear += Math.sqrt(values[e]);
  const t = new Float64Array(R * R);
  const v = vectors.data;
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < R; q++) {
      let acc = 0;
      for (let e = 0; e < R; e++) acc += (v[r * R + e] * v[q * R + e]) / Math.sqrt(values[e]);
      t[r * R + q] = acc;
    }
  }
  return { t, nuclear };
}

/** `out = t a` for R x R `t` and R x n `a` (row-major). */
function leftMultiply(t: Float64Array, R: number, a: Float64Array, n: number, out: Float64Array): void {
  out.fill(0, 0, R * n);
  for (let r = 0; r < R; r++) {
    const o = r * n;
    for (let q = 0; q < R; q++) {
      const c = t[r * R + q];
      const ao = q * n;
      for (let j = 0; j < n; j++) out[o + j] += c * a[ao + j];
    }
  }
}

/** `G = a a^T` (R x R) for an R x n row-major `a`. */
function rowGram(a: Float64Array, R: number, n: number): HostMatrix {
  const g = hostZeros(R, R);
  for (let r = 0; r < R; r++) {
    for (let q = 0; q <= r; q++) {
      let acc = 0;
      const ro = r * n;
      const qo = q * n;
      for (let j = 0; j < n; j++) acc += a[ro + j] * a[qo + j];
      g.data[r * R + q] = acc;
      g.data[q * R + r] = acc;
    }
  }
  return g;
}

/** `P^T = U V^T` from the host SVD of `M` (R x J), and `||M||_*`. */
function svdPolarT(m: Float64Array, R: number, J: number): { pt: Float64Array; nuclear: number } {
  const { u, s: sv, vt } = svdUnchecked({ rows: R, cols: J, data: m }, R, false);
  const pt = new Float64Array(R * J);
  leftMultiply(u.data, R, vt.data, J, pt);
  return { pt, nuclear: sv.reduce((acc, v) => acc + v, 0) };
}

/**
 * A slice's projection, transposed: `P_i^T` (R x J_i) itself, or `tw` (R x K) with
 * `P_i^T = tw X_i^T` (the Gram route never forms it until the end).
 */
export type ProjectionT = { pt: Float64Array; tw?: undefined } | { tw: Float64Array; pt?: undefined };

/**
 * Whether slice i takes the Gram route: with `G_i = X_i^T X_i` (K x K, formed once) the
 * per-iteration work is `R K^2 + 2.5 R^2 K` instead of `2 R J K + 1.5 R^2 J`.
 */
export function gramRouteCheaper(J: number, K: number, R: number): boolean {
  return K * K + 2.5 * R * K < 2 * J * K + 1.5 * R * J;
}

/**
 * Orthogonal Procrustes for every slice (TensorLy `_compute_projections`):
 * `P_i = (U V^T)^T` with `U S V^T` the SVD of `M_i = W_i X_i^T`, `W_i = B diag(A[i]) C^T`
 * (R x J_i), i.e. the `P` with orthonormal columns maximising `tr(P^T X_i C diag(A[i]) B^T)`.
 * `U V^T = (M_i M_i^T)^{-1/2} M_i` does not depend on the SVD's signs (no sign flip needed).
 * Slices with a Gram `G_i = X_i^T X_i` use `M_i M_i^T = W_i G_i W_i^T` and
 * `P_i^T X_i = (M_i M_i^T)^{-1/2} W_i G_i` and never touch X_i; the others form `M_i` (one
 * pass over X_i with the CP host engine's blocked kernel). Returns the projections and
 * `sum_i ||M_i||_*` (= `<X, X_hat>` for these projections and unit weights). With `y`,
 * also fills the projected tensor `y[i] = P_i^T X_i` (I x R x K, TensorLy
 * `_project_tensor_slices`).
 */
export function computeProjections(x: HostSlices, factors: readonly HostMatrix[], y?: Float64Array): { projectionsT: ProjectionT[]; inner: number } {
  const [A, B, C] = factors;
  const R = B.cols;
  const K = x.K;
  const a = A.data;
  const b = B.data;
  const c = C.data;
  const w = new Float64Array(R * K);
  const ba = new Float64Array(R * R);
  const m = new Float64Array(R * Math.max(K, ...x.rows));
  const wg = new Float64Array(R * K);
  const mm = hostZeros(R, R);
  let inner = 0;
  const projectionsT = x.data.map((xi, i): ProjectionT => {
    const J = x.rows[i];
    // W = B diag(a_i) C^T (R x K).
    for (let r = 0; r < R; r++) for (let q = 0; q < R; q++) ba[r * R + q] = b[r * R + q] * a[i * R + q];
    for (let r = 0; r < R; r++) {
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let q = 0; q < R; q++) acc += ba[r * R + q] * c[k * R + q];
        w[r * K + k] = acc;
      }
    }
    const g = x.grams?.[i];
    if (g) {
      // WG = W G_i (R x K), by the blocked kernel (G_i is symmetric); M M^T = WG W^T.
      contractLast(g, K, K, w, R, wg);
      mm.data.fill(0);
      for (let r = 0; r < R; r++) {
        for (let q = 0; q <= r; q++) {
          let acc = 0;
          for (let k = 0; k < K; k++) acc += wg[r * K + k] * w[q * K + k];
          mm.data[r * R + q] = acc;
          mm.data[q * R + r] = acc;
        }
      }
      const inv = inverseSqrt(mm);
      if (inv) {
        inner += inv.nuclear;
        if (y) leftMultiply(inv.t, R, wg, K, y.subarray(i * R * K, (i + 1) * R * K));
        const tw = new Float64Array(R * K);
        leftMultiply(inv.t, R, w, K, tw);
        return { tw };
      }
    }
    // M = W X_i^T (R x J).
    contractLast(xi, J, K, w, R, m);
    const mi = m.subarray(0, R * J);
    const inv = g ? null : inverseSqrt(rowGram(mi, R, J));
    let pt: Float64Array;
    if (inv) {
      inner += inv.nuclear;
      pt = new Float64Array(R * J);
      leftMultiply(inv.t, R, mi, J, pt);
    } else {
      const r = svdPolarT(mi, R, J);
      inner += r.nuclear;
      pt = r.pt;
    }
    if (y) projectOne(xi, J, K, pt, R, y, i);
    return { pt };
  });
  return { projectionsT, inner };
}

/** The explicit `P_i^T` (R x J_i) of every slice. */
export function materializeProjections(x: HostSlices, projectionsT: readonly ProjectionT[]): HostMatrix[] {
  return projectionsT.map((p, i) => {
    const J = x.rows[i];
    const R = (p.pt ?? p.tw).length / (p.pt ? J : x.K);
    if (p.pt) return { rows: R, cols: J, data: p.pt };
    const pt = new Float64Array(R * J);
    contractLast(x.data[i], J, x.K, p.tw, R, pt);
    return { rows: R, cols: J, data: pt };
  });
}

/**
 * `G_i = X_i^T X_i` (K x K) by the CP host engine's blocked kernel, for the slices where the
 * Gram route is cheaper (or for all of them with `all`, for the SVD init); others are null.
 */
export function sliceGrams(x: HostSlices, R: number, all: boolean): (Float64Array | null)[] {
  const K = x.K;
  return x.data.map((xi, i) => {
    const J = x.rows[i];
    if (!all && !gramRouteCheaper(J, K, R)) return null;
    // contractLead(X, X^T): out[k, l] = sum_j X[j, k] X[j, l].
    const xt = new Float64Array(K * J);
    for (let j = 0; j < J; j++) for (let k = 0; k < K; k++) xt[k * J + j] = xi[j * K + k];
    const g = new Float64Array(K * K);
    contractLead(xi, J, K, xt, K, g);
    return g;
  });
}

/** Keep only the Grams of the slices that take the Gram route. */
export function withGramRoute(x: HostSlices, grams: (Float64Array | null)[], R: number): HostSlices {
  return { ...x, grams: grams.map((g, i) => (g && gramRouteCheaper(x.rows[i], x.K, R) ? g : null)) };
}

const ytScratch = { buf: new Float64Array(0) };

/** `y[i] = P_i^T X_i` (R x K) from `P_i^T` (R x J). */
function projectOne(xi: Float64Array, J: number, K: number, pt: Float64Array, R: number, y: Float64Array, i: number): void {
  if (ytScratch.buf.length < K * R) ytScratch.buf = new Float64Array(K * R);
  const yt = ytScratch.buf;
  // contractLead gives Y_i^T = X_i^T P_i (K x R); store Y_i (R x K).
  contractLead(xi, J, K, pt, R, yt);
  const base = i * R * K;
  for (let k = 0; k < K; k++) for (let r = 0; r < R; r++) y[base + r * K + k] = yt[k * R + r];
}

/** The projected tensor `Y[i] = P_i^T X_i` (I x R x K, row-major), TensorLy `_project_tensor_slices`. */
export function projectSlices(x: HostSlices, projectionsT: readonly ProjectionT[]): Float64Array {
  const pts = materializeProjections(x, projectionsT);
  const R = pts[0].rows;
  const y = new Float64Array(x.data.length * R * x.K);
  x.data.forEach((xi, i) => projectOne(xi, x.rows[i], x.K, pts[i].data, R, y, i));
  return y;
}
