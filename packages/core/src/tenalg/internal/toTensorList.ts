/** Private helpers of `tenalg`. */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../../errors/index.js';
import { toTensor, type TensorLike } from '../../io/tensorLike.js';

/**
 * Convert a list argument element by element (call inside `tf.tidy`). Throws an
 * ArgumentError unless `list` is an array with at least `minLength` entries.
 */
export function toTensorList(list: unknown, argName: string, minLength = 1): tf.Tensor[] {
  if (!Array.isArray(list)) throw new ArgumentError(`${argName} must be an array of tensors; got ${describe(list)}`);
  if (list.length < minLength) throw new ArgumentError(`${argName} must hold at least ${minLength} tensor${minLength === 1 ? '' : 's'}; got ${list.length}`);
  return list.map((x, i) => toTensor(x as TensorLike, `${argName}[${i}]`));
}

