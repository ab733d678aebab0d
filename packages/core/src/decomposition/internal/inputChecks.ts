/**
 * Input and option validation shared by the decompositions. Every check runs before any
 * work starts and names the argument, what was expected and what came.
 */
import * as tf from '@tensorflow/tfjs';
import { readScalar } from '../../backend/transfer.js';
import { ArgumentError, ModeError, ShapeError, describe } from '../../errors/index.js';
import { assertFinite, toTensor, type TensorLike } from '../../io/index.js';
import { checkEnumOption } from '../../checks/index.js';

// The option checks live in the one kit (`../checks`); decompositions import them from here too.
export { checkOptions, checkIntOption, checkIterations, checkNumberOption, checkBoolOption, checkEnumOption, checkCallback, checkSignal, throwIfAborted, checkAllocation } from '../../checks/index.js';

/**
 * A checked float32 input tensor. `owned` tells whether `toTensor` created it (then the
 * decomposition disposes it when done) or it is the caller's tensor (never disposed).
 */
export interface CheckedInput {
  t: tf.Tensor;
  shape: number[];
  owned: boolean;
}

/** Convert and check a decomposition input: finite, `minNdim`-D at least, no empty mode. */
export function checkInputTensor(x: TensorLike, argName: string, minNdim: number): CheckedInput {
  const t = toTensor(x, argName);
  const owned = t !== x;
  try {
    if (t.rank < minNdim) throw new ShapeError(`${argName} must have at least ${minNdim} dimensions; got shape ${describe(t.shape)}`);
    if (t.shape.some((d) => d < 1)) throw new ShapeError(`${argName} must have no empty mode; got shape ${describe(t.shape)}`);
    assertFinite(t, argName);
  } catch (err) {
    if (owned) t.dispose();
    throw err;
  }
  return { t, shape: [...t.shape], owned };
}

/** Dispose the input if this module created it. */
export function releaseInput(c: CheckedInput | null | undefined): void {
  if (c && c.owned && !c.t.isDisposed) c.t.dispose();
}

/** Check a mask: same shape as the tensor, finite, entries in [0, 1] (1 = observed). */
export function checkMask(mask: TensorLike, shape: readonly number[], argName = 'mask'): CheckedInput {
  const m = checkInputTensor(mask, argName, 0);
  const same = m.shape.length === shape.length && m.shape.every((d, i) => d === shape[i]);
  if (!same) {
    releaseInput(m);
    throw new ShapeError(`${argName} must have the tensor's shape ${describe([...shape])}; got shape ${describe(m.shape)}`);
  }
  const bad = tf.tidy(() => readScalar(tf.logicalOr(tf.less(m.t, 0), tf.greater(m.t, 1)).any()));
  if (bad) {
    releaseInput(m);
    throw new ArgumentError(`${argName} must hold values in [0, 1] (1 = observed, 0 = missing); it holds values outside`);
  }
  return m;
}

/** A list of distinct modes in [0, ndim), returned sorted ascending. */
export function checkModeList(value: unknown, ndim: number, name: string): number[] {
  if (!Array.isArray(value)) throw new ModeError(`${name} must be a list of modes in [0, ${ndim - 1}]; got ${describe(value)}`);
  const out: number[] = [];
  for (const m of value) {
    if (typeof m !== 'number' || !Number.isInteger(m) || m < -ndim || m >= ndim) {
      throw new ModeError(`${name} must hold integer modes in [${-ndim}, ${ndim - 1}] for a ${ndim}-D tensor; got ${describe(value)}`);
    }
    const mm = m < 0 ? m + ndim : m;
    if (out.includes(mm)) throw new ModeError(`${name} must not repeat a mode; got ${describe(value)}`);
    out.push(mm);
  }
  return out.sort((a, b) => a - b);
}

/** SVD methods: Tenfold's names and TensorLy's. */
export type DecompositionSvdMethod = 'truncated' | 'randomized' | 'gram' | 'truncated_svd' | 'randomized_svd' | 'symeig_svd';
export const SVD_METHODS: readonly DecompositionSvdMethod[] = ['truncated', 'randomized', 'gram', 'truncated_svd', 'randomized_svd', 'symeig_svd'];

/** Map TensorLy's SVD names onto Tenfold's. */
export function checkSvdMethod(value: unknown, name = 'svd'): 'truncated' | 'randomized' | 'gram' {
  const m = checkEnumOption(value, name, SVD_METHODS);
  if (m === 'truncated_svd') return 'truncated';
  if (m === 'randomized_svd') return 'randomized';
  if (m === 'symeig_svd') return 'gram';
  return m;
}

