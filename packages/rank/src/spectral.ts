/**
 * EVBMF and VBMF on a spectrum: everything after the SVD, on the host in float64.
 *
 * Notation (Nakajima, Sugiyama, Babacan & Tomioka, "Global analytic solution of
 * fully-observed variational Bayesian matrix factorization", JMLR 14, 2013 [1]; Nakajima,
 * Tomioka, Sugiyama & Babacan, "Perfect dimensionality recovery by variational Bayesian
 * PCA", NIPS 2012 [2]): Y is L x M with L <= M, gamma_h its singular values (descending),
 * H the maximum rank, alpha = L / M. The expressions follow `VBMF.py`
 * (CasvandenBogaard/VBMF) operation by operation, so the float64 results agree with it to
 * rounding.
 */
import { npSum, sumSquares } from './numeric.js';
import { boundedMinimize } from './brentMinimize.js';

/** tau_bar = 2.5129 sqrt(alpha): the reference's constant for the EVB threshold ([2], eq. 13). */
export const TAU_BAR_COEFF = 2.5129;

/** What the spectral EVBMF / VBMF computations need to know about Y (already oriented, L <= M). */
export interface SpectrumInput {
  /** Rows of the oriented matrix (L <= M). */
  L: number;
  /** Columns of the oriented matrix. */
  M: number;
  /** The leading H singular values, descending (H = maximum rank). */
  s: Float64Array;
  /** sum(Y^2) - sum(s^2) when H < L, else 0 (energy outside the kept components). */
  residual: number;
}

/** Posterior of the EVB / VB solution ([1] Theorem 1 / the reference's `post`); arrays have length H. */
export interface Posterior {
  /** Posterior means of the a-factors' scale (zero beyond the rank). */
  ma: Float64Array;
  /** Posterior means of the b-factors' scale. */
  mb: Float64Array;
  /** Posterior variances of a. */
  sa2: Float64Array;
  /** Posterior variances of b. */
  sb2: Float64Array;
  /** EVB only: the estimated prior-variance products c_a c_b (zero beyond the rank). */
  cacb?: Float64Array;
  /** The noise variance used. */
  sigma2: number;
  /** Free energy at the solution. */
  F: number;
}

export interface SpectralResult {
  /** #{gamma_h > threshold}: the number of components the (E)VB solution keeps. */
  rank: number;
  sigma2: number;
  threshold: number;
  /** Shrunk singular values of the kept components (length `rank`). */
  d: Float64Array;
  post: Posterior;
  /** The [lower, upper] interval searched for sigma2 (absent when sigma2 was given). */
  bracket?: [number, number];
  /** Objective evaluations of the sigma2 search (0 when sigma2 was given). */
  nfev: number;
  /** The objective minimised, at the returned sigma2 (absent when sigma2 was given). */
  objective?: number;
  /** How the lower end of the bracket was obtained. */
  lowerBoundRule?: 'reference' | 'residual';
}

export interface SpectralOptions {
  sigma2?: number;
  xatol?: number;
  maxiter?: number;
}

/** tau(x) = (x - (1+alpha) + sqrt((x - (1+alpha))^2 - 4 alpha)) / 2 ([2], eq. 14). */
function tauOf(x: number, alpha: number): number {
  const c = x - (1 + alpha);
  return 0.5 * (x - (1 + alpha) + Math.sqrt(c * c - 4 * alpha));
}

/**
 * The EVB free energy as a function of sigma2, up to constants (the reference's
 * `EVBsigma2`): with x_h = gamma_h^2 / (M sigma2), x_bar = (1+tau_bar)(1+alpha/tau_bar),
 *   sum_{x_h <= x_bar} (x_h - ln x_h) + sum_{x_h > x_bar} (x_h - tau(x_h) + ln((tau+1)/x_h)
 *   + alpha ln(tau/alpha + 1)) + residual/(M sigma2) + (L - H) ln sigma2.
 */
export function evbObjective(sigma2: number, L: number, M: number, s: Float64Array, residual: number, xubar: number): number {
  const H = s.length;
  const alpha = L / M;
  const z1: number[] = [];
  const z2: number[] = [];
  const denom = M * sigma2;
  for (let i = 0; i < H; i++) {
    const x = (s[i] * s[i]) / denom;
    if (x > xubar) z1.push(x);
    else if (x <= xubar) z2.push(x);
  }
  const t1 = new Float64Array(z2.length);
  for (let i = 0; i < z2.length; i++) t1[i] = z2[i] - Math.log(z2[i]);
  const tz = z1.map((z) => tauOf(z, alpha));
  const t2 = new Float64Array(z1.length);
  const t3 = new Float64Array(z1.length);
  const t4 = new Float64Array(z1.length);
  for (let i = 0; i < z1.length; i++) {
    t2[i] = z1[i] - tz[i];
    t3[i] = Math.log((tz[i] + 1) / z1[i]);
    t4[i] = Math.log(tz[i] / alpha + 1);
  }
  const term1 = npSum(t1);
  const term2 = npSum(t2);
  const term3 = npSum(t3);
  const term4 = alpha * npSum(t4);
  return term1 + term2 + term3 + term4 + residual / (M * sigma2) + (L - H) * Math.log(sigma2);
}

/** EVB constants for an L x M problem: alpha, tau_bar, x_bar. */
export function evbConstants(L: number, M: number): { alpha: number; tauBar: number; xBar: number } {
  const alpha = L / M;
  const tauBar = TAU_BAR_COEFF * Math.sqrt(alpha);
  return { alpha, tauBar, xBar: (1 + tauBar) * (1 + alpha / tauBar) };
}

/** Where the bracket's tail starts: eH_ub + 1 = min(ceil(L/(1+alpha)) - 1, H) (0-based). */
export function evbTailIndex(L: number, M: number, H: number): number {
  const alpha = L / M;
  return Math.trunc(Math.min(Math.ceil(L / (1 + alpha)) - 1, H));
}

/**
 * The sigma2 search interval of the reference:
 *   eH_ub = min(ceil(L/(1+alpha)) - 1, H) - 1,
 *   upper = (sum gamma^2 + residual) / (L M),
 *   lower = max(gamma_{eH_ub+1}^2 / (M x_bar), mean(gamma_{eH_ub+1:}^2) / M)   (0-based).
 * When eH_ub + 1 >= H (H smaller than the rank bound) the reference raises IndexError; the
 * indices it needs are among the singular values H cut off, whose mean square is known,
 * residual / (L - H). Tenfold then uses lower = residual / ((L - H) M) (the same rule VBMF.py
 * uses for its own lower bound when H < L) and says so in `lowerBoundRule: 'residual'`.
 */
export function evbBracket(inp: SpectrumInput): { lower: number; upper: number; eHub: number; rule: 'reference' | 'residual' } {
  const { L, M, s, residual } = inp;
  const H = s.length;
  const { xBar } = evbConstants(L, M);
  const eHub = evbTailIndex(L, M, H) - 1;
  const upper = (sumSquares(s) + residual) / (L * M);
  const k = eHub + 1;
  if (k < H) {
    const first = (s[k] * s[k]) / (M * xBar);
    const mean = sumSquares(s, k) / (H - k) / M;
    return { lower: Math.max(first, mean), upper, eHub, rule: 'reference' };
  }
  // Only reachable with H < L (for H = L, eH_ub + 1 <= L - 1): the tail lies in the cut-off part.
  const lower = Math.min(residual / ((L - H) * M), upper);
  return { lower, upper, eHub, rule: 'residual' };
}

/**
 * sigma2 as given, or by the reference's bounded Brent search (scipy `fminbound`, absolute
 * `xatol` default 1e-5, `maxiter` 500) of `objective` over [lower, upper].
 */
function searchSigma2(
  opts: SpectralOptions,
  problem: () => { lower: number; upper: number; objective: (sigma2: number) => number },
): { sigma2: number; bracket?: [number, number]; nfev: number; objective?: number } {
  if (opts.sigma2 !== undefined) return { sigma2: opts.sigma2, nfev: 0 };
  const { lower, upper, objective } = problem();
  const res = boundedMinimize(objective, lower, upper, { xatol: opts.xatol ?? 1e-5, maxiter: opts.maxiter ?? 500 });
  return { sigma2: res.x, bracket: [lower, upper], nfev: res.nfev, objective: res.fun };
}

/**
 * EVBMF after the SVD (the reference's `EVBMF` from the bracket on):
 * sigma2 = argmin of {@link evbObjective} over {@link evbBracket} by scipy's bounded Brent
 * (unless given); threshold = sqrt(M sigma2 (1+tau_bar)(1+alpha/tau_bar)); rank =
 * #{gamma_h > threshold}; d_h = gamma_h/2 (1 - (L+M)sigma2/gamma_h^2 +
 * sqrt((1 - (L+M)sigma2/gamma_h^2)^2 - 4 L M sigma2^2/gamma_h^4)) ([2], eq. 15); and the
 * posterior of [1], Theorem 1 / Corollary 2.
 */
export function evbmfSpectrum(inp: SpectrumInput, opts: SpectralOptions = {}): SpectralResult {
  const { L, M, s, residual } = inp;
  const H = s.length;
  const { alpha, tauBar, xBar } = evbConstants(L, M);
  let lowerBoundRule: 'reference' | 'residual' | undefined;
  const { sigma2, bracket, nfev, objective } = searchSigma2(opts, () => {
    const br = evbBracket(inp);
    lowerBoundRule = br.rule;
    return { lower: br.lower, upper: br.upper, objective: (x) => evbObjective(x, L, M, s, residual, xBar) };
  });

  const threshold = Math.sqrt(M * sigma2 * (1 + tauBar) * (1 + alpha / tauBar));
  let pos = 0;
  for (let i = 0; i < H; i++) if (s[i] > threshold) pos++;

  const d = new Float64Array(pos);
  for (let i = 0; i < pos; i++) {
    const g = s[i];
    const g2 = g * g;
    const r = ((L + M) * sigma2) / g2;
    const disc = (1 - r) * (1 - r) - (4 * L * M * sigma2 * sigma2) / Math.pow(g, 4);
    d[i] = (g / 2) * (1 - r + Math.sqrt(disc));
  }

  const ma = new Float64Array(H);
  const mb = new Float64Array(H);
  const sa2 = new Float64Array(H);
  const sb2 = new Float64Array(H);
  const cacb = new Float64Array(H);
  const logTerms = new Float64Array(pos);
  for (let i = 0; i < pos; i++) {
    const tau = (d[i] * s[i]) / (M * sigma2);
    const delta = Math.sqrt((M * d[i]) / (L * s[i])) * (1 + alpha / tau);
    ma[i] = Math.sqrt(d[i] * delta);
    mb[i] = Math.sqrt(d[i] / delta);
    sa2[i] = (sigma2 * delta) / s[i];
    sb2[i] = sigma2 / (delta * s[i]);
    cacb[i] = Math.sqrt((d[i] * s[i]) / (L * M));
    logTerms[i] = M * Math.log(tau + 1) + L * Math.log(tau / alpha + 1) - M * tau;
  }
  const F = 0.5 * (L * M * Math.log(2 * Math.PI * sigma2) + (residual + sumSquares(s)) / sigma2 + npSum(logTerms));
  return {
    rank: pos,
    sigma2,
    threshold,
    d,
    post: { ma, mb, sa2, sb2, cacb, sigma2, F },
    bracket,
    nfev,
    objective,
    lowerBoundRule,
  };
}

/** VB posterior and free energy at a given sigma2 (shared by the objective and the final result). */
function vbSolution(sigma2: number, L: number, M: number, cacb: number, s: Float64Array, residual: number) {
  const H = s.length;
  const tt = (L + M + sigma2 / (cacb * cacb)) / 2;
  const threshold = Math.sqrt(sigma2 * (tt + Math.sqrt(tt * tt - L * M)));
  let pos = 0;
  for (let i = 0; i < H; i++) if (s[i] > threshold) pos++;
  const d = new Float64Array(pos);
  for (let i = 0; i < pos; i++) {
    const g2 = s[i] * s[i];
    d[i] = s[i] * (1 - (sigma2 / (2 * g2)) * (L + M + Math.sqrt((M - L) * (M - L) + (4 * g2) / (cacb * cacb))));
  }
  const q = L + M + sigma2 / (cacb * cacb);
  const zeta = (sigma2 / (2 * L * M)) * (q - Math.sqrt(q * q - 4 * L * M));
  const ma = new Float64Array(H);
  const mb = new Float64Array(H);
  const sa2 = new Float64Array(H).fill(cacb * (1 - (L * zeta) / sigma2));
  const sb2 = new Float64Array(H).fill(cacb * (1 - (M * zeta) / sigma2));
  for (let i = 0; i < pos; i++) {
    const delta = (cacb / sigma2) * (s[i] - d[i] - (L * sigma2) / s[i]);
    ma[i] = Math.sqrt(d[i] * delta);
    mb[i] = Math.sqrt(d[i] / delta);
    sa2[i] = (sigma2 * delta) / s[i];
    sb2[i] = sigma2 / (delta * s[i]);
  }
  const terms = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    const am = ma[i] * ma[i] + M * sa2[i];
    const bm = mb[i] * mb[i] + L * sb2[i];
    terms[i] =
      M * Math.log(cacb / sa2[i]) + L * Math.log(cacb / sb2[i]) + am / cacb + bm / cacb + (-2 * (ma[i] * mb[i]) * s[i] + am * bm) / sigma2;
  }
  const F = 0.5 * (L * M * Math.log(2 * Math.PI * sigma2) + (residual + sumSquares(s)) / sigma2 - (L + M) * H + npSum(terms));
  return { pos, threshold, d, ma, mb, sa2, sb2, F };
}

/**
 * VBMF with a known prior-variance product c_a c_b (the reference's `VBMF`): sigma2 (unless
 * given) minimises the VB free energy over [lower, upper] with lower = gamma_H^2 / M (H = L)
 * or residual / ((L-H) M), upper = (sum gamma^2 + residual) / (L + M); the threshold is
 * gamma_vb = sqrt(sigma2 (t + sqrt(t^2 - L M))), t = (L + M + sigma2/cacb^2)/2 ([1], above
 * eq. 21), and d_h = gamma_h (1 - sigma2/(2 gamma_h^2) (L + M + sqrt((M-L)^2 + 4 gamma_h^2 /
 * cacb^2))) ([2], eq. 10).
 */
export function vbmfSpectrum(inp: SpectrumInput, cacb: number, opts: SpectralOptions = {}): SpectralResult {
  const { L, M, s, residual } = inp;
  const H = s.length;
  const { sigma2, bracket, nfev, objective } = searchSigma2(opts, () => ({
    upper: (sumSquares(s) + residual) / (L + M),
    lower: L === H ? (s[H - 1] * s[H - 1]) / M : residual / ((L - H) * M),
    objective: (x) => vbSolution(x, L, M, cacb, s, residual).F,
  }));
  const sol = vbSolution(sigma2, L, M, cacb, s, residual);
  return {
    rank: sol.pos,
    sigma2,
    threshold: sol.threshold,
    d: sol.d,
    post: { ma: sol.ma, mb: sol.mb, sa2: sol.sa2, sb2: sol.sb2, sigma2, F: sol.F },
    bracket,
    nfev,
    objective,
  };
}
