/**
 * Empirical variational Bayesian matrix factorization (EVBMF) on a matrix: the checks and
 * the SVD of ./spectrumInput.ts (core's SVD entry point), the spectral solution of
 * ./spectral.ts, and the singular vectors of the kept components.
 */
import { EVBMF_HOST_SVD_LIMIT, RankError, checkOptions, describe, tf, type TensorLike } from '@tenfold/core';
import { releaseSource } from './input.js';
import type { EvbmfOptions, EvbmfResult } from './matrixFactorization.js';
import { optionKeys } from './internal/checks.js';
import { type SpectralResult, evbTailIndex, evbmfSpectrum } from './spectral.js';
import { computeSpectrum, prepare, spectralInput } from './spectrumInput.js';
import type { SvdSpectrum } from '@tenfold/core';

export type { EvbmfOptions, EvbmfResult, MatrixFactorizationResult, SvdRoute, VbmfOptions, VbmfResult } from './matrixFactorization.js';
export { vbmf } from './vbmf.js';
export { resolveSpectrum } from './spectrumInput.js';

/**
 * Below this many multiply-adds (min^2 * max of the shape) the SVD runs on the host in
 * float64; above it the Gram matrix is formed on the backend. Core's
 * `EVBMF_HOST_SVD_LIMIT` (backend/placement.ts), re-exported under rank's public name.
 */
export const HOST_SVD_LIMIT = EVBMF_HOST_SVD_LIMIT;

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
const EVBMF_OPTIONS = optionKeys<EvbmfOptions>()('sigma2', 'H', 'xatol', 'maxiter', 'minRank', 'svd');

export function evbmf(y: TensorLike, opts: EvbmfOptions | null = {}): EvbmfResult {
  return evbmfInternal(y, checkOptions(opts, EVBMF_OPTIONS, 'evbmf'), true);
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
  let spec: SvdSpectrum | undefined;
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
