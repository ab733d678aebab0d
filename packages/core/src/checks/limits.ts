/**
 * Size limits, checked before anything is allocated (see docs/fidelity/inputs.md).
 *
 * - One tensor may hold at most `maxElements()` entries: 2^28 (1 GiB of float32) by
 *   default, `TENFOLD_MAX_ELEMENTS` or `setMaxElements` to change it (at most 2^31 - 1, the
 *   largest typed array tfjs can index).
 * - An iteration count may be at most MAX_ITERATIONS = 10^7.
 */
import { ArgumentError, ShapeError, TenfoldError, describe } from '../errors/index.js';

/** The hard ceiling: tfjs indexes tensors with int32. */
export const MAX_ELEMENTS_CEILING = 2 ** 31 - 1;
/** The default per-tensor limit: 2^28 float32 entries = 1 GiB. */
export const DEFAULT_MAX_ELEMENTS = 2 ** 28;
/** Iteration counts above this are refused (10^7 sweeps of even a 2x2x2 ALS take minutes). */
export const MAX_ITERATIONS = 10_000_000;

function fromEnv(): number {
  const raw = typeof process !== 'undefined' ? process.env?.TENFOLD_MAX_ELEMENTS : undefined;
  if (raw === undefined || raw === '') return DEFAULT_MAX_ELEMENTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_ELEMENTS_CEILING) {
    throw new ArgumentError(`TENFOLD_MAX_ELEMENTS must be an integer in [1, ${MAX_ELEMENTS_CEILING}]; got ${describe(raw)}`);
  }
  return n;
}

let maxElementsValue: number | null = null;

/** The current per-tensor element limit. */
export function maxElements(): number {
  if (maxElementsValue === null) maxElementsValue = fromEnv();
  return maxElementsValue;
}

/** Set the per-tensor element limit (an integer in [1, 2^31 - 1]); returns the previous one. */
export function setMaxElements(n: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_ELEMENTS_CEILING) {
    throw new ArgumentError(`maxElements must be an integer in [1, ${MAX_ELEMENTS_CEILING}]; got ${describe(n)}`);
  }
  const prev = maxElements();
  maxElementsValue = n;
  return prev;
}

type ErrorCtor = new (message: string) => TenfoldError;

/**
 * Throw before allocating when a tensor of `elements` entries would not fit the limit. The
 * message names what was asked for (`what`, e.g. "rank 1000000000 factors of shape [3, 4, 5]")
 * and the size in elements and bytes (float32).
 *
 * @param elements the number of entries the call would allocate in one tensor
 * @param what the argument or request responsible, for the message
 * @param ErrorClass the error to throw (ShapeError by default; RankError for ranks)
 * @throws ShapeError (or `ErrorClass`) when `elements` exceeds `maxElements()`
 */
export function checkAllocation(elements: number, what: string, ErrorClass: ErrorCtor = ShapeError): void {
  const limit = maxElements();
  if (!(elements <= limit)) {
    const bytes = elements * 4;
    const gib = bytes / 2 ** 30;
    throw new ErrorClass(
      `${what} needs a tensor of ${Number.isFinite(elements) ? elements.toExponential(3) : describe(elements)} elements (${gib >= 0.01 ? `${gib.toFixed(2)} GiB` : `${bytes} bytes`} of float32); the limit is ${limit} elements (setMaxElements / TENFOLD_MAX_ELEMENTS)`,
    );
  }
}

/** Product of a shape's entries (1 for []); a ShapeError for anything but non-negative integers. */
export function elementCount(shape: readonly number[]): number {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`shape must be an array of non-negative integers; got ${describe(shape)}`);
  }
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Check a shape argument: an array of non-negative integers whose product fits the limit.
 * Returns a copy.
 *
 * @throws ShapeError naming `argName` for anything else, or when the tensor would be too large
 */
export function checkShape(shape: unknown, argName = 'shape', opts: { allowEmpty?: boolean } = {}): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${argName} must be an array of non-negative integers; got ${describe(shape)}`);
  }
  if (opts.allowEmpty === false && shape.some((d) => d === 0)) {
    throw new ShapeError(`${argName} must have no zero dimension; got ${describe(shape)}`);
  }
  checkAllocation(elementCount(shape), `${argName} ${describe(shape)}`);
  return [...(shape as number[])];
}
