/**
 * EVBMF and VBMF on a matrix: input checks, the SVD (host float64 or a backend Gram
 * matrix), the spectral solution of ./spectral.ts, and the singular vectors of the kept
 * components.
 */
import {
  ArgumentError,
  RankError,
  ShapeError,
  assertFinite,
  describe,
  EPS32,
  EPS64,
  fromHostMatrix,
  readFloat32Into,
  hostGram,
  hostMatmul,
  hostSingularValues,
  hostSvd,
  hostSvdFlip,
  hostTranspose,
  svdFlip,
  symmetricEigen,
  symmetricEigenTwoStageHost,
  type SymmetricEigen,
  tf,
  toHost64,
  type TensorLike,
} from '@tenfold/core';
import { checkIterations, checkOptions, checkPositive } from './internal/checks.js';
import { type HostArray, type Source, releaseSource, toSource } from './input.js';
import { npSum, sumSquares } from './numeric.js';
import { type Posterior, type SpectralResult, evbTailIndex, evbmfSpectrum, vbmfSpectrum } from './spectral.js';

/** Where the SVD of Y runs. */
export type SvdRoute = 'auto' | 'host' | 'gram';

/**
 * Below this many multiply-adds (min^2 * max of the shape) the SVD runs on the host in
 * float64 (QR + one-sided Jacobi, `hostSvd`): exact to rounding, and what reproduces the
 * reference's sigma2 search. Above it, the Gram matrix is formed on the backend.
 */
export const HOST_SVD_LIMIT = 6e7;

/**
 * Below this many multiply-adds the host route takes the exact SVD (QR + one-sided Jacobi,
 * relative accuracy for every singular value) instead of the float64 Gram matrix: it costs
 * milliseconds there, and VBMF's shrinkage of components near its threshold amplifies the
 * Gram route's eps64 * (s_max / s)^2 relative error past 1e-6.
 */
export const EXACT_SVD_LIMIT = 1e6;

/**
 * From this size of the Gram matrix on, its eigenvalues come from the two-stage reduction
 * (./twoStageEigen.ts: band reduction as backend matmuls, then a band chase on the host)
 * instead of the host's unblocked Householder tridiagonalisation, whose O(n^3) JavaScript
 * loops dominate EVBMF at n = 2048-4096.
 */
export const TWO_STAGE_MIN_SIZE = 1024;

export interface EvbmfOptions {
  /** Noise variance; estimated by minimising the EVB free energy when omitted. */
  sigma2?: number;
  /** Maximum rank H, 1 <= H <= min(rows, cols); default min(rows, cols). */
  H?: number;
  /**
   * Absolute x tolerance of the bounded Brent search (scipy's `xatol`), default 1e-5 as in
   * the reference. Conv-scale weights have sigma2 brackets narrower than 1e-5, where the
   * default stops after one evaluation; pass e.g. 1e-12 for the converged optimum.
   */
  xatol?: number;
  /** Maximum objective evaluations of the search (scipy's `maxiter`), default 500. */
  maxiter?: number;
  /** Floor for the returned `rank` (default 0). EVB's own estimate stays in `evbRank`. */
  minRank?: number;
  /** 'host' (float64 SVD), 'gram' (backend Gram matrix + host eigenvalues) or 'auto'. */
  svd?: SvdRoute;
}

/** What EVBMF and VBMF both return; owns the tensors `u` and `v` (call `dispose()`). */
export interface MatrixFactorizationResult {
  /** The rank to use. */
  rank: number;
  /** Noise variance (estimated or given). */
  sigma2: number;
  /** The singular-value threshold of the rank decision. */
  threshold: number;
  /** Shrunk singular values of the kept components (length `rank`). */
  d: Float64Array;
  /** Left singular vectors, `rows x rank`, in the orientation of the input (TensorLy signs). */
  u: tf.Tensor2D;
  /** Right singular vectors, `cols x rank`: y ~ u diag(d) v^T. */
  v: tf.Tensor2D;
  /** Posterior (arrays of length H), in the oriented problem (L <= M). */
  post: Posterior;
  /** The sigma2 search interval [lower, upper] (absent when sigma2 was given). */
  bracket?: [number, number];
  /** Objective evaluations of the search. */
  nfev: number;
  /** The objective at sigma2 (absent when sigma2 was given). */
  objective?: number;
  /** All min(rows, cols) singular values of y, descending. */
  singularValues: Float64Array;
  /** True when y had more rows than columns and the method ran on y^T (the reference does not). */
  transposed: boolean;
  /** Oriented problem size: L = min(rows, cols), M = max(rows, cols). */
  L: number;
  M: number;
  /** Maximum rank used. */
  H: number;
  /** Shape of y. */
  shape: [number, number];
  /** Where the SVD ran. */
  svd: 'host' | 'gram';
  /**
   * Singular values at or below this are numerically zero on the route taken (eps64 * s_max
   * on the host; sqrt(eps32 * lambda_max) through the float32 Gram matrix) and enter the
   * search raised to it; `unresolved` counts them (see docs/fidelity/rank.md).
   */
  resolution: number;
  unresolved: number;
  /** Dispose `u` and `v`. */
  dispose(): void;
}

/** Everything EVBMF computed (see {@link MatrixFactorizationResult}). */
export interface EvbmfResult extends MatrixFactorizationResult {
  /** EVB's estimate #{gamma_h > threshold} (the reference's `pos`); `rank` is `max(evbRank, minRank)`. */
  evbRank: number;
  /** How the bracket's lower end was found: the reference's rule, or the residual (small H). */
  lowerBoundRule?: 'reference' | 'residual';
  /** The tolerance of the search. */
  xatol: number;
  /** Why the rank is what it is, when it is 0 or was floored. */
  reason?: string;
  /** Wall-clock seconds: the singular values (SVD or Gram + eigenvalues), the sigma2 search, the vectors. */
  timings: { svd: number; search: number; vectors: number; gram?: number; eigen?: number };
}

export interface VbmfOptions {
  sigma2?: number;
  H?: number;
  xatol?: number;
  maxiter?: number;
  svd?: SvdRoute;
}

/** VBMF's result: the common fields plus the prior product it was given. */
export interface VbmfResult extends MatrixFactorizationResult {
  cacb: number;
}

interface Spectrum {
  /** All singular values, descending. */
  s: Float64Array;
  /** sum of y^2 (float64 on host data; trace of the Gram matrix otherwise). */
  sumSq: number;
  route: 'host' | 'gram';
  /** Singular values at or below this are numerically zero for the route (see {@link resolveSpectrum}). */
  resolution: number;
  /** Gram route: seconds spent forming + downloading Y Y^T, and in the host eigenvalue solver. */
  parts?: { gram: number; eigen: number };
  /** Singular vectors of the first k components in the input's orientation. */
  vectors(k: number): { u: tf.Tensor2D; v: tf.Tensor2D };
  release(): void;
}

function checkOptionalPositive(v: unknown, name: string): void {
  if (v !== undefined) checkPositive(v, name);
}

function checkRoute(v: unknown): SvdRoute {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'host' || v === 'gram') return v;
  throw new ArgumentError(`svd must be 'auto', 'host' or 'gram'; got ${describe(v)}`);
}

/** Validate the matrix argument, returning its source and shape (throws before any work). */
function matrixSource(y: TensorLike, argName: string): { src: Source; rows: number; cols: number } {
  const src = toSource(y, argName);
  const shape = src.kind === 'host' ? src.value.shape : src.value.shape;
  if (shape.length !== 2) {
    releaseSource(src);
    throw new ShapeError(`${argName} must be a 2-D matrix; got shape ${describe([...shape])}`);
  }
  const [rows, cols] = shape as [number, number];
  if (rows < 1 || cols < 1) {
    releaseSource(src);
    throw new ShapeError(`${argName} must have at least one row and one column; got shape ${describe([rows, cols])}`);
  }
  if (src.kind === 'tensor') {
    try {
      assertFinite(src.value, argName);
    } catch (err) {
      releaseSource(src);
      throw err;
    }
  }
  return { src, rows, cols };
}

/** TensorLy's svd_flip (core's `svdFlip`, u-based) on U (rows x k) and V (cols x k). */
function flipSigns(u: tf.Tensor2D, v: tf.Tensor2D): { u: tf.Tensor2D; v: tf.Tensor2D } {
  if (u.shape[1] === 0) return { u, v };
  return tf.tidy(() => {
    const f = svdFlip(u, tf.transpose(v));
    return { u: f.u, v: tf.transpose(f.vt) as tf.Tensor2D };
  });
}

/** Unit roundoff of float64 (the host SVD) and of float32 (the backend Gram matrix). */

/**
 * How much unresolved spectrum the Gram route may carry before it falls back to the host
 * float64 SVD: the unresolved eigenvalues could hold up to `count * floor` of energy, and the
 * sigma2 search reads the tail of the spectrum from the bracket index on (its lower end is the
 * tail's mean). When that possible error exceeds this fraction of the tail's energy, the
 * float32 Gram matrix cannot give the reference's sigma2 to 1e-4, so the SVD runs in float64.
 */
export const GRAM_TAIL_TOLERANCE = 1e-4;

/**
 * The SVD of y: all singular values now, vectors of the leading components on request.
 * `tailFrom` is the index from which the sigma2 search reads the tail of the spectrum (the
 * EVB bracket index); with route 'auto' a Gram spectrum that cannot resolve that tail is
 * recomputed on the host in float64.
 */
function computeSpectrum(src: Source, rows: number, cols: number, route: SvdRoute, wantVectors = true, tailFrom = 0): Spectrum {
  const L = Math.min(rows, cols);
  const M = Math.max(rows, cols);
  const useHost = route === 'host' || (route === 'auto' && L * L * M <= HOST_SVD_LIMIT);
  if (!useHost) {
    const gram = gramSpectrum(src, rows, cols);
    if (route === 'gram' || !gramTailUnresolved(gram.s, gram.resolution, tailFrom)) return gram;
    gram.release();
  }
  return hostSpectrum(src, rows, cols, wantVectors);
}

/** True when the Gram spectrum's unresolved part could move the tail's energy by more than GRAM_TAIL_TOLERANCE. */
function gramTailUnresolved(s: Float64Array, resolution: number, tailFrom: number): boolean {
  let unresolved = 0;
  let tail = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] <= resolution) unresolved++;
    if (i >= tailFrom) tail += s[i] * s[i];
  }
  return unresolved * resolution * resolution > GRAM_TAIL_TOLERANCE * tail;
}

/**
 * Float64 spectrum of y on the host: the Gram matrix G = Y Y^T (or Y^T Y, L x L) in float64,
 * all its eigenvalues, and eigenvectors for the kept components only. In float64 the squared
 * condition number costs nothing EVBMF can see (a singular value is exact to about
 * eps64 * s_max^2 / s), and it is 5-10x cheaper than QR + one-sided Jacobi with vectors.
 */
function hostSpectrum(src: Source, rows: number, cols: number, wantVectors: boolean): Spectrum {
  const host: HostArray = src.kind === 'host' ? src.value : { shape: [rows, cols], data: toHost64(src.value) };
  const hm = { rows, cols, data: host.data };
  const wide = rows <= cols;
  const L = Math.min(rows, cols);
  // The reference's np.sum(Y**2), pairwise as NumPy sums (the residual when H < L reads it).
  const sumSq = npSum(Float64Array.from(host.data, (x) => x * x));
  if (L * L * Math.max(rows, cols) <= EXACT_SVD_LIMIT) return exactSpectrum(hm, sumSq, wantVectors);
  const g = hostGram(hm, wide ? 'rows' : 'cols');
  const eig = symmetricEigen(g.data, L);
  const s = Float64Array.from(eig.values, (lam) => Math.sqrt(Math.max(lam, 0)));
  return {
    s,
    sumSq,
    route: 'host',
    // A float64 Gram matrix holds G to about eps64 * lambda_max.
    resolution: Math.sqrt(EPS64 * Math.max(eig.values[0] ?? 0, 0)),
    vectors(k) {
      // w: the L-side vectors; the other side is y^T w / s (y w / s when y is tall).
      const w = { rows: L, cols: k, data: eig.topVectors(k) };
      const other = wide ? hostMatmul(hm, w, true, false) : hostMatmul(hm, w);
      for (let i = 0; i < other.rows; i++) for (let j = 0; j < k; j++) other.data[i * k + j] /= s[j] > 0 ? s[j] : 1;
      const u = wide ? w : other;
      const v = wide ? other : w;
      const vt = hostTranspose(v);
      hostSvdFlip(u, vt);
      return { u: fromHostMatrix(u), v: fromHostMatrix(hostTranspose(vt)) };
    },
    release() {},
  };
}

/** The exact float64 SVD (QR + one-sided Jacobi); U, V come out in y's orientation with TensorLy's signs. */
function exactSpectrum(hm: { rows: number; cols: number; data: Float64Array }, sumSq: number, wantVectors: boolean): Spectrum {
  const { rows, cols } = hm;
  const svd = wantVectors ? hostSvd(hm) : { s: hostSingularValues(hm), u: null, vt: null };
  return {
    s: svd.s,
    sumSq,
    route: 'host',
    // LAPACK-level rounding: the reference sees ~eps * s_max where the exact value is 0.
    resolution: (svd.s[0] ?? 0) * EPS64,
    vectors(k) {
      if (!svd.u || !svd.vt) throw new Error('internal: singular vectors were not computed');
      const u = { rows, cols: k, data: new Float64Array(rows * k) };
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) u.data[i * k + j] = svd.u.data[i * svd.u.cols + j];
      const v = { rows: cols, cols: k, data: new Float64Array(cols * k) };
      for (let j = 0; j < k; j++) for (let c = 0; c < cols; c++) v.data[c * k + j] = svd.vt.data[j * cols + c];
      return { u: fromHostMatrix(u), v: fromHostMatrix(v) };
    },
    release() {},
  };
}

/** Gram route: G = Y Y^T (L x L, L = min side) on the backend in float32, eigenvalues on the host. */
function gramSpectrum(src: Source, rows: number, cols: number): Spectrum {
  const L = Math.min(rows, cols);
  const y: tf.Tensor2D =
    src.kind === 'tensor' ? (src.value as tf.Tensor2D) : tf.tensor2d(Float32Array.from(src.value.data), [rows, cols], 'float32');
  const ownsY = src.kind === 'host';
  const wide = rows <= cols;
  const tg = performance.now();
  const g = tf.tidy(() => tf.matMul(y, y, !wide, wide)) as tf.Tensor2D;
  // The read syncs, so `gram` covers forming and downloading G.
  // On the plain-JS cpu backend matmuls are ~30x slower than wasm's: there the one-stage host solver wins.
  const twoStage = L >= TWO_STAGE_MIN_SIZE && tf.getBackend() !== 'cpu';
  const g32 = twoStage ? readFloat32Into(g, new Float32Array(L * L)) : null;
  const g64 = twoStage ? null : toHost64(g);
  g.dispose();
  const te = performance.now();
  let eig: SymmetricEigen;
  if (g32) eig = symmetricEigenTwoStageHost(g32, L);
  else eig = symmetricEigen(g64!, L);
  const trace = eig.trace;
  const s = Float64Array.from(eig.values, (lam) => Math.sqrt(Math.max(lam, 0)));
  const tEnd = performance.now();
  return {
    s,
    sumSq: trace,
    route: 'gram',
    // The float32 Gram matrix holds G to about eps32 * lambda_max; smaller eigenvalues are noise.
    resolution: Math.sqrt(EPS32 * Math.max(eig.values[0] ?? 0, 0)),
    parts: { gram: (te - tg) / 1000, eigen: (tEnd - te) / 1000 },
    vectors(k) {
      const w = fromHostMatrix({ rows: L, cols: k, data: eig.topVectors(k) });
      const out = tf.tidy(() => {
        // The other side: y^T w / s (or y w / s when y is tall); s > 0 for kept components.
        const inv = tf.tensor1d(Float32Array.from(s.subarray(0, k), (x) => (x > 0 ? 1 / x : 0)));
        const other = tf.mul(wide ? tf.matMul(y, w, true, false) : tf.matMul(y, w), inv) as tf.Tensor2D;
        return wide ? { u: tf.clone(w) as tf.Tensor2D, v: other } : { u: other, v: tf.clone(w) as tf.Tensor2D };
      });
      w.dispose();
      const flipped = flipSigns(out.u, out.v);
      if (flipped.u !== out.u) tf.dispose([out.u, out.v]);
      return flipped;
    },
    release() {
      if (ownsY) y.dispose();
    },
  };
}

interface Prepared {
  src: Source;
  rows: number;
  cols: number;
  L: number;
  M: number;
  H: number;
  route: SvdRoute;
}

function prepare(y: TensorLike, opts: { sigma2?: number; H?: number; xatol?: number; maxiter?: number; svd?: SvdRoute }, extra?: () => void): Prepared {
  if (opts === null || typeof opts !== 'object') throw new ArgumentError(`options must be an object; got ${describe(opts)}`);
  checkOptionalPositive(opts.sigma2, 'sigma2');
  checkOptionalPositive(opts.xatol, 'xatol');
  if (opts.maxiter !== undefined) checkIterations(opts.maxiter, 'maxiter', 1);
  const route = checkRoute(opts.svd);
  if (opts.H !== undefined && !(typeof opts.H === 'number' && Number.isInteger(opts.H) && opts.H >= 1)) {
    throw new RankError(`H must be a positive integer; got ${describe(opts.H)}`);
  }
  extra?.();
  const { src, rows, cols } = matrixSource(y, 'y');
  const L = Math.min(rows, cols);
  const M = Math.max(rows, cols);
  const H = opts.H ?? L;
  if (H > L) {
    releaseSource(src);
    throw new RankError(`H must be at most min(rows, cols) = ${L} for y of shape ${describe([rows, cols])}; got ${H}`);
  }
  return { src, rows, cols, L, M, H, route };
}

/**
 * The singular values the (E)VB search sees: those at or below the route's resolution are
 * raised to it. Where y is rank deficient (dead channels) its exact zeros would put ln 0 into
 * the free energy (VBMF.py never sees an exact zero: LAPACK returns ~eps * s_max there), and a
 * float32 Gram matrix turns the smallest eigenvalues into rounding noise, negative ones
 * included. For such x_h = gamma_h^2 / (M sigma2) << 1 the free energy's term x_h - ln x_h is
 * x_h + ln(M sigma2) - ln gamma_h^2: the last part is a constant that does not move the
 * minimiser, and x_h changes by at most resolution^2 / (M sigma2) per value.
 */
export function resolveSpectrum(s: Float64Array, resolution: number): { s: Float64Array; unresolved: number } {
  const out = Float64Array.from(s);
  let unresolved = 0;
  if (resolution > 0) {
    for (let i = 0; i < out.length; i++) {
      if (!(out[i] > resolution)) {
        out[i] = resolution;
        unresolved++;
      }
    }
  }
  return { s: out, unresolved };
}

function spectralInput(spec: Spectrum, L: number, M: number, H: number) {
  const { s, unresolved } = resolveSpectrum(spec.s.slice(0, H), spec.resolution);
  // The reference: residual = sum(Y^2) - sum(s[:H]^2) when H < L, else 0.
  const residual = H < L ? Math.max(spec.sumSq - sumSquares(s), 0) : 0;
  return { L, M, s, residual, unresolved };
}

/**
 * Empirical variational Bayesian matrix factorization (EVBMF): the analytic global solution
 * of Nakajima, Sugiyama, Babacan & Tomioka (JMLR 14, 2013) with the noise variance sigma2
 * estimated by minimising the free energy, and the rank it implies (Nakajima, Tomioka,
 * Sugiyama & Babacan, NIPS 2012).
 *
 * For y = U diag(gamma) V^T (L x M, L <= M, alpha = L/M, tau_bar = 2.5129 sqrt(alpha)):
 * - sigma2 = argmin of the EVB free energy over the reference's bracket, by scipy's bounded
 *   Brent search (`minimize_scalar(method='Bounded')`, absolute `xatol`, default 1e-5);
 * - threshold = sqrt(M sigma2 (1 + tau_bar)(1 + alpha/tau_bar));
 * - rank = #{gamma_h > threshold} (strict);
 * - d_h = gamma_h/2 (1 - (L+M)sigma2/gamma_h^2 + sqrt((1 - (L+M)sigma2/gamma_h^2)^2
 *   - 4 L M sigma2^2/gamma_h^4)) (formula 15 of the NIPS paper);
 * - the posterior (ma, mb, sa2, sb2, cacb) and the free energy F.
 *
 * Mirrors `VBMF.py::EVBMF(Y, sigma2, H)` (CasvandenBogaard/VBMF, as used by jacobgil's
 * pytorch-tensor-decompositions), with its failures fixed (docs/fidelity/rank.md):
 * y with more rows than columns is transposed (`transposed: true`; the reference silently
 * assumes L <= M); an H below the bracket's index uses the residual instead of raising
 * IndexError (`lowerBoundRule: 'residual'`); a zero matrix returns rank 0; rank 0 comes
 * with a `reason`, and `minRank` floors `rank`.
 *
 * The SVD runs on the host in float64 for small matrices and through a backend Gram matrix
 * plus a host eigenvalue solver for large ones (`svd` option; see {@link HOST_SVD_LIMIT}).
 * Host inputs (nested arrays, `{data, shape}`, ndarrays) keep their float64 values.
 *
 * @throws ShapeError if y is not 2-D; NonFiniteError if it holds NaN/Inf; RankError for a
 *   bad H or minRank; ArgumentError for a bad sigma2, xatol, maxiter or svd option.
 */
export function evbmf(y: TensorLike, opts: EvbmfOptions | null = {}): EvbmfResult {
  return evbmfInternal(y, checkOptions(opts, ['sigma2', 'H', 'xatol', 'maxiter', 'minRank', 'svd'], 'evbmf'), true);
}

/** evbmf without the singular vectors (u, v are empty `rows x 0`, `cols x 0`). */
export function evbmfInternal(y: TensorLike, opts: EvbmfOptions, wantVectors: boolean): EvbmfResult {
  const prep = prepare(y, opts ?? {}, () => {
    const mr = opts?.minRank;
    if (mr !== undefined && !(typeof mr === 'number' && Number.isInteger(mr) && mr >= 0)) {
      throw new RankError(`minRank must be a non-negative integer; got ${describe(mr)}`);
    }
  });
  const { src, rows, cols, L, M, H } = prep;
  const minRank = opts.minRank ?? 0;
  if (minRank > H) {
    releaseSource(src);
    throw new RankError(`minRank must be at most H = ${H} for y of shape ${describe([rows, cols])}; got ${minRank}`);
  }
  const xatol = opts.xatol ?? 1e-5;
  let spec: Spectrum | undefined;
  try {
    const t0 = performance.now();
    spec = computeSpectrum(src, rows, cols, prep.route, wantVectors, evbTailIndex(L, M, H));
    const t1 = performance.now();
    const inp = spectralInput(spec, L, M, H);
    let res: SpectralResult;
    let reason: string | undefined;
    if (inp.s[0] === 0) {
      // All-zero y: the reference divides 0 by 0; the EVB solution is rank 0 at sigma2 -> 0.
      const zeros = () => new Float64Array(H);
      res = {
        rank: 0,
        sigma2: opts.sigma2 ?? 0,
        threshold: 0,
        d: new Float64Array(0),
        post: { ma: zeros(), mb: zeros(), sa2: zeros(), sb2: zeros(), cacb: zeros(), sigma2: opts.sigma2 ?? 0, F: -Infinity },
        nfev: 0,
      };
      reason = 'y is the zero matrix: there is no component to keep';
    } else {
      res = evbmfSpectrum(inp, { sigma2: opts.sigma2, xatol, maxiter: opts.maxiter });
      if (res.rank === 0) {
        reason =
          `no singular value exceeds the EVB threshold ${res.threshold.toPrecision(6)} (largest ${inp.s[0].toPrecision(6)}) ` +
          `at sigma2 = ${res.sigma2.toPrecision(6)}: y is indistinguishable from noise`;
      }
    }
    const rank = Math.max(res.rank, minRank);
    if (rank > res.rank) {
      reason = `${reason ?? `EVB keeps ${res.rank} component(s)`}; floored to minRank = ${minRank} (the extra components have d = 0)`;
    }
    const d = new Float64Array(rank);
    d.set(res.d);
    const k = wantVectors ? rank : 0;
    const t2 = performance.now();
    const { u, v } = k > 0 ? spec.vectors(k) : { u: tf.zeros([rows, 0]) as tf.Tensor2D, v: tf.zeros([cols, 0]) as tf.Tensor2D };
    const t3 = performance.now();
    const out: EvbmfResult = {
      rank,
      evbRank: res.rank,
      sigma2: res.sigma2,
      threshold: res.threshold,
      d,
      u,
      v,
      post: res.post,
      bracket: res.bracket,
      lowerBoundRule: res.lowerBoundRule,
      nfev: res.nfev,
      objective: res.objective,
      singularValues: spec.s,
      transposed: rows > cols,
      L,
      M,
      H,
      shape: [rows, cols],
      xatol,
      svd: spec.route,
      resolution: spec.resolution,
      unresolved: inp.unresolved,
      timings: { svd: (t1 - t0) / 1000, search: (t2 - t1) / 1000, vectors: (t3 - t2) / 1000, ...spec.parts },
      dispose() {
        tf.dispose([u, v]);
      },
    };
    if (reason !== undefined) out.reason = reason;
    return out;
  } finally {
    spec?.release();
    releaseSource(src);
  }
}

/**
 * Variational Bayesian matrix factorization with a known prior-variance product
 * c_a c_b (`cacb`), the non-empirical variant (Nakajima et al., JMLR 2013, Theorem 1;
 * NIPS 2012, formula 10). sigma2 is estimated by bounded Brent minimisation of the VB free
 * energy over [gamma_H^2 / M (or residual/((L-H)M) when H < L), (sum gamma^2 + residual)/(L+M)]
 * when not given; rank = #{gamma_h > sqrt(sigma2 (t + sqrt(t^2 - L M)))},
 * t = (L + M + sigma2/cacb^2)/2. Mirrors `VBMF.py::VBMF(Y, cacb, sigma2, H)`; y with more rows
 * than columns is transposed, as in {@link evbmf}.
 *
 * @throws ShapeError / NonFiniteError / RankError / ArgumentError as {@link evbmf}; ArgumentError
 *   when cacb is not a positive finite number.
 */
export function vbmf(y: TensorLike, cacb: number, options: VbmfOptions | null = {}): VbmfResult {
  const opts = checkOptions(options, ['sigma2', 'H', 'xatol', 'maxiter', 'svd'], 'vbmf');
  const prep = prepare(y, opts ?? {}, () => checkOptionalPositive(cacb ?? NaN, 'cacb'));
  const { src, rows, cols, L, M, H } = prep;
  let spec: Spectrum | undefined;
  try {
    spec = computeSpectrum(src, rows, cols, prep.route);
    const inp = spectralInput(spec, L, M, H);
    if (inp.s[0] === 0) throw new ArgumentError(`y is the zero matrix: VBMF's sigma2 bracket [0, 0] is empty; pass sigma2`);
    if (opts.sigma2 === undefined && H < L && inp.residual === 0) {
      throw new ArgumentError(`y has rank <= H = ${H}: the residual is 0 and VBMF's sigma2 bracket starts at 0; pass sigma2`);
    }
    const res = vbmfSpectrum(inp, cacb, { sigma2: opts.sigma2, xatol: opts.xatol ?? 1e-5, maxiter: opts.maxiter });
    const { u, v } = res.rank > 0 ? spec.vectors(res.rank) : { u: tf.zeros([rows, 0]) as tf.Tensor2D, v: tf.zeros([cols, 0]) as tf.Tensor2D };
    return {
      rank: res.rank,
      sigma2: res.sigma2,
      threshold: res.threshold,
      d: res.d,
      u,
      v,
      post: res.post,
      bracket: res.bracket,
      nfev: res.nfev,
      objective: res.objective,
      singularValues: spec.s,
      transposed: rows > cols,
      L,
      M,
      H,
      shape: [rows, cols],
      cacb,
      svd: spec.route,
      resolution: spec.resolution,
      unresolved: inp.unresolved,
      dispose() {
        tf.dispose([u, v]);
      },
    };
  } finally {
    spec?.release();
    releaseSource(src);
  }
}
