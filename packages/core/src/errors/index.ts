/**
 * Typed errors. Every check runs before any work starts, and every message names the
 * argument, what was expected and what was given.
 */
export class TenfoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or matrix has the wrong shape or number of dimensions. */
export class ShapeError extends TenfoldError {}
/** A mode (axis) index is out of range. */
export class ModeError extends TenfoldError {}
/** A rank is not positive, too large, or malformed. */
export class RankError extends TenfoldError {}
/** An option or argument has an invalid value (unknown method, bad type, ...). */
export class ArgumentError extends TenfoldError {}
/** The input holds NaN or Inf. */
export class NonFiniteError extends TenfoldError {}
/** A backend cannot be initialised. */
export class BackendError extends TenfoldError {}
/** A valid request that this implementation does not support (yet). */
export class NotSupportedError extends TenfoldError {}
/** The caller's AbortSignal fired; whatever the call had built was disposed. */
export class AbortedError extends TenfoldError {}

/** Render a value for an error message, compactly. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && value !== null && 'shape' in value) {
    const shape = (value as { shape: unknown }).shape;
    return `a tensor of shape ${describe(shape)}`;
  }
  return typeof value;
}

/** Normalise a (possibly negative) mode into [0, ndim) or throw a ModeError naming `argName`. */
export function checkMode(mode: number, ndim: number, argName = 'mode'): number {
  if (typeof ndim !== 'number' || !Number.isInteger(ndim) || ndim < 0) throw new ArgumentError(`ndim must be a non-negative integer; got ${describe(ndim)}`);
  if (!Number.isInteger(mode) || mode < -ndim || mode >= ndim) {
    throw new ModeError(`${argName} must be an integer in [${-ndim}, ${ndim - 1}] for a ${ndim}-D tensor; got ${describe(mode)}`);
  }
  return mode < 0 ? mode + ndim : mode;
}

/** Throw a RankError unless `value` is a positive integer. */
export function checkPositiveInt(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RankError(`${argName} must be a positive integer; got ${describe(value)}`);
  }
  return value;
}

/** Throw a ShapeError unless `shape` has `ndim` dimensions. */
export function checkNdim(shape: readonly number[], ndim: number | number[], argName: string): void {
  const allowed = Array.isArray(ndim) ? ndim : [ndim];
  if (!Array.isArray(shape)) throw new ShapeError(`${argName} must have a shape (an array); got ${describe(shape)}`);
  if (!allowed.includes(shape.length)) {
    throw new ShapeError(`${argName} must be ${allowed.join(' or ')}-D; got shape ${describe([...shape])}`);
  }
}
