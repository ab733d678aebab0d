/**
 * scijs `ndarray` interop. The other direction (ndarray -> tensor) is `toTensor`, which
 * accepts any strided ndarray.
 */
import * as tf from '@tensorflow/tfjs';
import ndarray from 'ndarray';
import { toTensor, type TensorLike } from './tensorLike.js';

/**
 * Copy a tensor to the host as a scijs `ndarray` over a fresh `Float32Array` in C order
 * (strides `[prod(shape[1:]), ..., 1]`, offset 0). Costs one host sync. Anything that
 * `toTensor` accepts may be passed (an int32 tensor comes back as float32).
 *
 * @example
 * const nd = toNdarray(tf.ones([2, 3]));
 * nd.get(1, 2); // 1
 */
export function toNdarray(t: TensorLike): ndarray.NdArray<Float32Array> {
  // Not inside tf.tidy: tidy walks its result element by element through a typed array.
  const x = toTensor(t, 'tensor');
  try {
    // dataSync returns the backend's own buffer on some backends: copy it so the ndarray
    // owns its data.
    return ndarray(Float32Array.from(x.dataSync() as Float32Array), [...x.shape]);
  } finally {
    if (x !== t) x.dispose();
  }
}
