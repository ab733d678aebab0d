/**
 * Decompositions of TensorLy 0.9 (`tensorly/decomposition`): CP (ALS, non-negative MU and
 * HALS, randomised), Tucker (HOOI, partial, non-negative MU and HALS) and tensor train
 * (TT-SVD, TT-matrix). See docs/guide-decompositions.md and CONVENTIONS.md §1.7-1.8.
 */
export { parafac, type ParafacOptions, type ParafacResult, type IterationInfo, type IterationCallback } from './cp.js';
export type { DecompositionSvdMethod } from './internal/inputChecks.js';
export {
  partialTucker,
  tucker,
  type PartialTuckerOptions,
  type PartialTuckerResult,
  type TuckerOptions,
  type TuckerResult,
} from './tucker.js';
export { tensorTrain, tensorTrainMatrix, type TensorTrainOptions } from './tt.js';
export {
  nonNegativeParafac,
  nonNegativeParafacHals,
  type NonNegativeParafacOptions,
  type NonNegativeParafacHalsOptions,
} from './nnCp.js';
export { randomisedParafac, type RandomisedParafacOptions } from './randomisedCp.js';
export { nonNegativeTucker, type NonNegativeTuckerOptions, type NonNegativeTuckerHalsOptions } from './nnTucker.js';
export { nonNegativeTuckerHals } from './nnTuckerHals.js';
export { tensorRing, type TensorRingOptions } from './trSvd.js';
export { tensorRingAls, type TensorRingAlsOptions } from './trAls.js';
export type { TensorRingAlsCommonOptions } from './internal/trAlsCommon.js';
export { tensorRingAlsSampled, type TensorRingAlsSampledOptions } from './trAlsSampled.js';
export { parafac2, type Parafac2Options, type Parafac2Result } from './parafac2.js';
export { robustPca, type RobustPcaOptions, type RobustPcaResult } from './robustPca.js';
export { constrainedParafac, type ConstrainedParafacOptions } from './constrainedCp.js';
export type { ConstraintOptions, ConstraintSpec } from './constrainedCpConstraints.js';
export {
  powerIteration,
  parafacPowerIteration,
  type PowerIterationOptions,
  type ParafacPowerIterationOptions,
  type PowerIterationResult,
} from './powerIteration.js';
export {
  symmetricPowerIteration,
  symmetricParafacPowerIteration,
  type SymmetricPowerIterationResult,
  type SymmetricCp,
} from './symmetricPowerIteration.js';
export { coupledMatrixTensor3dFactorization, type CmtfOptions, type CmtfResult } from './cmtf.js';
export { selectRank, type SelectRankOptions, type RankDiagnostics } from './selectRank.js';
export type { DecompositionOptions, DecompositionOptionsMap } from './decompositionOptions.js';
export * from './estimators/index.js';
