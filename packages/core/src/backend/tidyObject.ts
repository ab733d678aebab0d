/**
 * A typed `tf.tidy` for functions that return an object (or array) holding tensors next to
 * plain values, `null`s or tuples, which `tf.TensorContainer` does not describe. Every tensor
 * reachable in the result (through objects and arrays) is kept, every other tensor created
 * inside is disposed, exactly as `tf.tidy` does; only the type is carried through, so callers
 * need no `as unknown as tf.TensorContainer` casts.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../errors/index.js';

/** @throws ArgumentError when `fn` is not a function */
export function tidyObject<T extends object>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`fn must be a function returning an object of tensors; got ${describe(fn)}`);
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
