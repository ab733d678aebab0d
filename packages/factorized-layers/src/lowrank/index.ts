/**
 * Composer-style data-aware low-rank factorization (ALS / SVD) of linear and conv layers,
 * curvlinops-style patch extraction and loss-Hessian square roots.
 */
export { LowRankSolution, factorizeMatrix, resolveLowRank } from './factorizeMatrix.js';
export type { FactorizeMatrixOptions } from './factorizeMatrix.js';
export { factorizeConv2d, lowRankConvSpecs } from './factorizeConv2d.js';
export type { FactorizeConv2dOptions } from './factorizeConv2d.js';
export { extractPatches, extractAveragedPatches } from './patches.js';
export type { PatchOptions } from './patches.js';
export { lossHessianSqrt } from './hessian.js';
export type { HessianLoss, LossHessianOptions } from './hessian.js';
export { applyFactorization, cleanLatentSize, maxRankWithSpeedup } from './applyFactorization.js';
export type { ApplyFactorizationOptions, FactorizationResult, LayerFactorizationReport } from './applyFactorization.js';
export { kfacFactors } from './kfac.js';
export type { KfacFactors, KfacOptions } from './kfac.js';
export { CurvatureLowRankSolution, curvatureWeightedLowRank } from './curvature.js';
export type { CurvatureLowRankOptions } from './curvature.js';
