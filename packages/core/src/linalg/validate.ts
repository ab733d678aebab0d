/**
 * Input checks shared by the linalg entry points: every check runs before any work and
 * names the argument, what was expected and what came.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, checkNdim, describe } from '../errors/index.js';
import { assertFinite, toTensor, type TensorLike } from '../io/index.js';

/** A validated matrix: `t` is float32 2-D and finite; `owned` says whether we created it. */
export interface CheckedMatrix {
  t: tf.Tensor2D;
  owned: boolean;
}

/** Dispose what a check created (never the caller's tensor). */
export function release(...ms: (CheckedMatrix | undefined)[]): void {
  for (const m of ms) if (m && m.owned && !m.t.isDisposed) m.t.dispose();
}

/**
 * Convert and validate a matrix argument: 2-D (or, with `allowVector`, 1-D), non-empty,
 * finite. On failure the converted copy is disposed before the error propagates.
 */
export function checkMatrix(x: TensorLike, argName: string, opts: { allowVector?: boolean; square?: boolean } = {}): CheckedMatrix {
  const t = toTensor(x, argName);
  const owned = t !== x;
  try {
    checkNdim(t.shape, opts.allowVector ? [1, 2] : 2, argName);
    if (t.shape.some((d) => d === 0)) throw new ShapeError(`${argName} must not be empty; got shape ${describe(t.shape)}`);
    if (opts.square && t.shape[0] !== t.shape[1]) throw new ShapeError(`${argName} must be square; got shape ${describe(t.shape)}`);
    assertFinite(t, argName);
  } catch (err) {
    if (owned) t.dispose();
    throw err;
  }
  return { t: t as tf.Tensor2D, owned };
}

/** `undefined` or a positive integer, else a RankError naming `argName`. */
export function checkOptionalRank(value: unknown, argName: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RankError(`${argName} must be a positive integer (or undefined for min(m, n)); got ${describe(value)}`);
  }
  return value;
}
