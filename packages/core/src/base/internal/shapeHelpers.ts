/**
 * Private helpers of `base` and `tenalg`: shape-argument validation and axis permutations.
 * Not re-exported from the package.
 */
import * as tf from '@tensorflow/tfjs';
import { describe } from '../../errors/index.js';

/** Product of the entries of `shape` (1 for an empty shape). */
export function prod(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The permutation that moves axis `src` to position `dst` (NumPy `moveaxis` for one axis). */
export function moveaxisPerm(ndim: number, src: number, dst: number): number[] {
  const rest: number[] = [];
  for (let i = 0; i < ndim; i++) if (i !== src) rest.push(i);
  rest.splice(dst, 0, src);
  return rest;
}

/** True when `perm` is the identity permutation. */
export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** `tf.transpose`, skipped when the permutation is the identity (saves a copy). */
export function permute(t: tf.Tensor, perm: number[]): tf.Tensor {
  return isIdentity(perm) ? t : tf.transpose(t, perm);
}

/** NumPy-style `moveaxis` of one axis. */
export function moveaxis(t: tf.Tensor, src: number, dst: number): tf.Tensor {
  return permute(t, moveaxisPerm(t.rank, src, dst));
}

/**
 * A result that is guaranteed not to be the caller's input object: public functions
 * return new tensors, so where an operation is a no-op we hand back a clone.
 */
export function notInput(result: tf.Tensor, input: tf.Tensor): tf.Tensor {
  return result === input ? tf.clone(result) : result;
}

/** Shorthand for messages. */
export function shapeStr(shape: readonly number[]): string {
  return describe([...shape]);
}
