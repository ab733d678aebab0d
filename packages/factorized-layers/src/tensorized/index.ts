export * from './shape.js';
export * from './params.js';
export { checkParamAllocation, resolveTensorizedRank } from './rank.js';
export { normalParams } from './init.js';
export { decomposeMatrix, type DecompositionOptions } from './decompose.js';
export * from './tensorizedTensor.js';
