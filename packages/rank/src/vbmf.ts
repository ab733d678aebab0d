/**
 * Variational Bayesian matrix factorization with a known prior-variance product (VBMF), on
 * a matrix: ./spectrumInput.ts's checks and SVD, then ./spectral.ts's `vbmfSpectrum`.
 */
import { ArgumentError, checkOptions, tf, type SvdSpectrum, type TensorLike } from '@tenfold/core';
import { releaseSource } from './input.js';
import type { VbmfOptions, VbmfResult } from './matrixFactorization.js';
import { optionKeys } from './internal/checks.js';
import { vbmfSpectrum } from './spectral.js';
import { checkOptionalPositive, computeSpectrum, prepare, spectralInput } from './spectrumInput.js';

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
const VBMF_OPTIONS = optionKeys<VbmfOptions>()('sigma2', 'H', 'xatol', 'maxiter', 'svd');

export function vbmf(y: TensorLike, cacb: number, options: VbmfOptions | null = {}): VbmfResult {
  const opts = checkOptions(options, VBMF_OPTIONS, 'vbmf');
  const prep = prepare(y, opts ?? {}, () => checkOptionalPositive(cacb ?? NaN, 'cacb'));
  const { src, rows, cols, L, M, H } = prep;
  let spec: SvdSpectrum | undefined;
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
