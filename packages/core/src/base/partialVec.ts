import type * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import type { TensorLike } from '../io/tensorLike.js';
import { partialFold } from './partialFold.js';
import { partialUnfold } from './partialUnfold.js';

export interface PartialVecOptions {
  /** Number of leading (sample) dims kept (default 1). */
  skipBegin?: number;
  /** Number of trailing dims kept (default 0). */
  skipEnd?: number;
}

const PARTIAL_VEC_OPTIONS = optionKeys<PartialVecOptions>()('skipBegin', 'skipEnd');

/**
 * Vectorise every sample of a tensor: the dims between the first `skipBegin` and the last
 * `skipEnd` are flattened in C order, e.g. `(n, I, J, K) -> (n, I*J*K)`.
 * Equals `partialUnfold(t, { mode: 0, skipBegin, skipEnd, ravelTensors: true })`.
 * Mirrors `tensorly.base.partial_tensor_to_vec`.
 */
export function partialTensorToVec(t: TensorLike, options: PartialVecOptions = {}): tf.Tensor {
  const { skipBegin = 1, skipEnd = 0 } = checkOptions(options, PARTIAL_VEC_OPTIONS, 'partialTensorToVec');
  return partialUnfold(t, { mode: 0, skipBegin, skipEnd, ravelTensors: true });
}

/**
 * Inverse of {@link partialTensorToVec}: `shape` is the full shape, skipped dims included.
 * Equals `partialFold(m, 0, shape, { skipBegin, skipEnd })`.
 * Mirrors `tensorly.base.partial_vec_to_tensor`.
 */
export function partialVecToTensor(matrix: TensorLike, shape: readonly number[], options: PartialVecOptions = {}): tf.Tensor {
  const { skipBegin = 1, skipEnd = 0 } = checkOptions(options, PARTIAL_VEC_OPTIONS, 'partialVecToTensor');
  return partialFold(matrix, 0, shape, { skipBegin, skipEnd });
}
