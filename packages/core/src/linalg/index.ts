/**
 * Linear algebra that tfjs lacks: SVD (truncated / randomized / Gram), eigh, QR, lstsq,
 * solve, and their float64 host kernels.
 */
export { svd } from './svd.js';
export { svdInterface } from './svdInterface.js';
export type { SvdRequest, TensorSvdRequest, HostSvdRequest, SpectrumSvdRequest, SvdRoute } from './svdInterface.js';
export type { SvdSpectrum, SpectrumSource } from './spectrum.js';
export type { HostTruncatedSvd } from './gramSvdHost.js';
export { pairwiseSum } from './host/pairwiseSum.js';
export { hostGram } from './hostGram.js';
export type { SvdMethod, SvdOptions, SvdResult } from './svd.js';
export { svdFlip } from './svdFlip.js';
export {
  EPS32,
  EPS64,
  hostCholesky,
  hostEigh,
  hostFromArray,
  hostLstsq,
  hostMatmul,
  hostTranspose,
  hostQr,
  hostSingularValues,
  hostSolve,
  hostSvd,
  hostSvdFlip,
  hostTridiagonalEigenvalues,
} from './host.js';
export type { HostCholeskyOptions, HostLstsqOptions, HostSolveOptions, HostSvd, HostSvdOptions } from './host.js';
export { eigh } from './eigh.js';
export { symmetricEigen, type SymmetricEigen } from './symmetricEigen.js';
export { symmetricEigenTwoStage, symmetricEigenTwoStageHost } from './twoStageEigen.js';
export { qr } from './qr.js';
export { lstsq } from './lstsq.js';
export type { LstsqOptions } from './lstsq.js';
export { solve } from './solve.js';
export { makeSvdNonNegative, type MakeSvdNonNegativeOptions, type NndsvdType } from './makeSvdNonNegative.js';
export { randomizedRangeFinder, type RandomizedRangeFinderOptions } from './randomizedRangeFinder.js';
