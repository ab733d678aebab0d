/**
 * Argument and option checks of @tenfold/factorized-layers.
 *
 * A thin local stand-in for core's checks kit (`checkOptions`, `checkAllocation`,
 * `checkFiniteIfEnabled`, ... on branch bad-input-core), with the same names and rules, so
 * that the integrator can point these imports at `@tenfold/core` and delete this file.
 * Rules (docs/fidelity/factorized-linear.md, "Bad input"): `null`/`undefined` options mean
 * defaults, a non-object is an ArgumentError, unknown keys are rejected; sizes are checked
 * before anything is allocated; NaN/Inf in tensors that a function factorizes or stores is a
 * NonFiniteError naming the argument, while forward passes propagate NaN as tf layers do.
 */
import { ArgumentError, NonFiniteError, ShapeError, TenfoldError, assertFinite, describe, tf } from '@tenfold/core';

/**
 * Check an options argument and return it as a non-null object (`{}` for null/undefined).
 * @throws ArgumentError when `opts` is not a plain object, or holds a key not in `known`
 */
export function checkOptions<T extends object>(opts: T | null | undefined, known: readonly string[], fnName: string, argName = 'options'): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts) || opts instanceof tf.Tensor || ArrayBuffer.isView(opts)) {
    throw new ArgumentError(`${fnName}: ${argName} must be an object (or null/undefined for defaults); got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if ((opts as Record<string, unknown>)[key] === undefined) continue;
    if (!known.includes(key)) {
      const expected = known.length ? `expected one of ${known.map((k) => `'${k}'`).join(', ')}` : 'it takes no options';
      throw new ArgumentError(`${fnName}: unknown option '${key}' in ${argName}; ${expected}`);
    }
  }
  return opts;
}

/** An integer in [min, max]. */
export function checkIntOption(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER, ErrorClass: ErrorCtor = ArgumentError): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ErrorClass(`${name} must be an integer ${range}; got ${describe(value)}`);
  }
  return value;
}

/** A finite number >= min. */
export function checkNumberOption(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(`${name} must be a finite number >= ${min}; got ${describe(value)}`);
  }
  return value;
}

export function checkBoolOption(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${name} must be true or false; got ${describe(value)}`);
  return value;
}

/** An optional seed: undefined or a safe integer. */
export function checkSeed(value: unknown, name = 'seed'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ArgumentError(`${name} must be a safe integer; got ${describe(value)}`);
  return value;
}

/** Iteration counts above this are refused (as core's MAX_ITERATIONS). */
export const MAX_ITERATIONS = 10_000_000;

/** The per-tensor element limit: 2^28 float32 entries = 1 GiB (core's DEFAULT_MAX_ELEMENTS). */
export const MAX_ELEMENTS = 2 ** 28;

type ErrorCtor = new (message: string) => TenfoldError;

/** Product of a shape's entries (1 for []). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Throw before allocating a tensor of `elements` entries above the limit; `what` names the
 * request (e.g. "nLayers 1000000000: the bias of shape [1000000000, 16]").
 */
export function checkAllocation(elements: number, what: string, ErrorClass: ErrorCtor = ShapeError): void {
  if (!(elements <= MAX_ELEMENTS)) {
    const gib = (elements * 4) / 2 ** 30;
    throw new ErrorClass(
      `${what} needs a tensor of ${Number.isFinite(elements) ? elements.toExponential(3) : describe(elements)} elements (${gib.toFixed(2)} GiB of float32); the limit is ${MAX_ELEMENTS} elements`,
    );
  }
}

/** Check every shape of a list against the limit (`what` names the request). */
export function checkAllocations(shapes: readonly number[][], what: string, ErrorClass: ErrorCtor = ShapeError): void {
  for (const sh of shapes) checkAllocation(elementCount(sh), `${what} (a tensor of shape ${describe(sh)})`, ErrorClass);
}

/** A live tf.Tensor (not disposed), else an ArgumentError naming it. */
export function checkLiveTensor(t: unknown, argName: string): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} is a disposed tensor`);
  return t;
}

/** NaN/Inf check on entry (one host sync): a NonFiniteError naming the argument. */
export { assertFinite };

/**
 * Forward passes propagate NaN and Inf as tf layers do (a check is a host sync per call);
 * `TENFOLD_CHECK_FINITE=1` turns on entry checks for debugging (core's `setFiniteChecks`).
 */
export function checkFiniteIfEnabled(t: tf.Tensor, argName: string): void {
  const env = typeof process !== 'undefined' ? process.env?.TENFOLD_CHECK_FINITE : undefined;
  if (env === '1' || env === 'true') assertFinite(t, argName);
}

/** A finite number; NonFiniteError for NaN/Inf, ArgumentError for a non-number. */
export function checkFiniteNumber(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new ArgumentError(`${name} must be a number; got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new NonFiniteError(`${name} must be finite; got ${describe(value)}`);
  return value;
}

