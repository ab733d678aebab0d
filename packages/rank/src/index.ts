/**
 * @tenfold/rank: rank estimation by empirical variational Bayesian matrix factorization
 * (Nakajima et al., JMLR 2013; NIPS 2012), faithful to the public VBMF reference
 * (CasvandenBogaard/VBMF, used by jacobgil's pytorch-tensor-decompositions) including
 * scipy's bounded Brent search, and robust where that reference fails.
 *
 * @packageDocumentation
 * @module @tenfold/rank
 */
export { evbmf, vbmf, HOST_SVD_LIMIT } from './evbmf.js';
export type { EvbmfOptions, EvbmfResult, MatrixFactorizationResult, VbmfOptions, VbmfResult, SvdRoute } from './evbmf.js';
export { estimateRank, tuckerRanks } from './estimate.js';
export { tuckerRanksWithFactors } from './tuckerFactors.js';
export type { TuckerRanksWithFactors, TuckerRanksWithFactorsOptions } from './tuckerFactors.js';
export type { EstimateRankOptions, EstimateRankResult, ModeRank, TuckerRanksOptions } from './estimate.js';
export { spectrumSvg } from './svg.js';
export type { SpectrumLike, SpectrumSvgOptions } from './svg.js';
export { boundedMinimize } from './brentMinimize.js';
export type { BoundedMinimum, BoundedMinimumOptions } from './brentMinimize.js';
export { evbmfSpectrum, vbmfSpectrum, evbObjective, evbBracket, evbConstants } from './spectralChecked.js';
export { TAU_BAR_COEFF } from './spectral.js';
export type { Posterior, SpectralResult, SpectrumInput, SpectralOptions } from './spectral.js';
