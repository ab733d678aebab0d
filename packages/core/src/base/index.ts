/**
 * Base ops of TensorLy (`tensorly/base.py`): unfoldings, foldings and vectorisations, all
 * in C (row-major) order. See CONVENTIONS.md §1.1–1.2.
 */
export { unfold } from './unfold.js';
export { fold } from './fold.js';
export { partialUnfold, type PartialUnfoldOptions } from './partialUnfold.js';
export { partialFold, type PartialFoldOptions } from './partialFold.js';
export { tensorToVec, vecToTensor } from './vec.js';
export { partialTensorToVec, partialVecToTensor, type PartialVecOptions } from './partialVec.js';
export { matricize } from './matricize.js';
