/**
 * Trainable factorized tensors (tltorch's FactorizedTensor family): CP, Tucker, TT, dense.
 * Importing this module registers the four classes with `FactorizedTensor.new` / `fromTensor`.
 * The pure parameter helpers (`./params.ts`) stay internal to the package.
 */
export { FactorizedTensor } from './factorizedTensor.js';
export type { FromTensorOptions, NewFactorizedOptions, TensorDecompositionOptions } from './factorizedTensor.js';
export { CPTensor } from './cpTensor.js';
export { TuckerTensor } from './tuckerTensor.js';
export { TTTensor } from './ttTensor.js';
export { DenseTensor } from './denseTensor.js';
export { resolveFactorizedRank } from './rank.js';
export type { FactorizedRankSpec } from './rank.js';
export type { CpFactors, DenseFactors, FactorizedParams, FactorizedRank, TensorFactorization, TtFactors, TuckerFactors } from './params.js';
