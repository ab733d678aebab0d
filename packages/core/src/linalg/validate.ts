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

/** A non-negative integer option, else an ArgumentError naming it. */
export function checkNonNegativeInt(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ArgumentError(`${argName} must be a non-negative integer; got ${describe(value)}`);
  }
  return value;
}

/** A boolean option, else an ArgumentError naming it. */
export function checkBoolean(value: unknown, argName: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${argName} must be a boolean; got ${describe(value)}`);
  return value;
}

/** Reject option keys we do not know (a typo such as `n_iter` would otherwise be ignored silently). */
export function checkOptionKeys(opts: object, allowed: readonly string[], fnName: string): void {
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new ArgumentError(`${fnName}: unknown option '${key}'; expected one of ${allowed.map((k) => `'${k}'`).join(', ')}`);
    }
  }
}
