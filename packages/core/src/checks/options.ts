/**
 * The one options rule of Tenfold (every package): `null` and `undefined` mean "all
 * defaults"; anything else that is not a plain object is an ArgumentError; keys the function
 * does not know are an ArgumentError naming the key (a typo such as `nIter` for `nIterMax`
 * would otherwise be ignored silently). A key whose value is `undefined` counts as absent.
 * Option values are checked by the typed helpers below, each naming the option.
 */
import { AbortedError, ArgumentError, describe } from '../errors/index.js';
import { MAX_ITERATIONS } from './limits.js';

/**
 * Check an options argument and return it as a non-null object (`{}` for null/undefined).
 *
 * @param opts the caller's options argument
 * @param known the option names the function accepts
 * @param fnName the public function's name, used in messages
 * @param argName the parameter's name in messages (default 'options')
 * @throws ArgumentError when `opts` is not an object, or holds an unknown key
 */
export function checkOptions<T extends object>(opts: T | null | undefined, known: readonly string[], fnName: string, argName = 'options'): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts) || opts instanceof Promise || ArrayBuffer.isView(opts)) {
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

/** The keys of `T` that a list `K` leaves out (`never` when it lists them all). */
export type MissingOptionKeys<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;

/**
 * The accepted-key list of an options type, checked both ways by the compiler: the list
 * comes from the type, so it cannot drift from it. `optionKeys<ParafacOptions>()('nIterMax',
 * ...)` fails to compile when a listed key is not a key of the type (naming it) or when a
 * key of the type is left out (naming the missing key). Pass the result to `checkOptions`.
 */
export function optionKeys<T extends object>(): <const K extends readonly (keyof T & string)[]>(
  ...keys: [MissingOptionKeys<T, K>] extends [never] ? K : { error: 'option keys missing from the list'; missing: MissingOptionKeys<T, K> }[]
) => K {
  return (...keys) => keys as never;
}

/** An integer option >= min (and <= max when given). */
export function checkIntOption(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${name} must be an integer ${range}; got ${describe(value)}`);
  }
  return value;
}

/**
 * An iteration count: an integer in [min, MAX_ITERATIONS]. A count is work the caller asks
 * for, so any count up to the limit runs (stop it early with `tol`, `callback` or `signal`);
 * above the limit it is refused as absurd (see docs/fidelity/inputs.md).
 */
export function checkIterations(value: unknown, name: string, min = 0): number {
  return checkIntOption(value, name, min, MAX_ITERATIONS);
}

/** A finite number option >= min. */
export function checkNumberOption(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(`${name} must be a finite number >= ${min}; got ${describe(value)}`);
  }
  return value;
}

/** A boolean option. */
export function checkBoolOption(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${name} must be true or false; got ${describe(value)}`);
  return value;
}

/** One of a fixed set of strings. */
export function checkEnumOption<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ArgumentError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${describe(value)}`);
  }
  return value as T;
}

/** A callback option: a function or undefined. */
export function checkCallback(value: unknown, name = 'callback'): void {
  if (value !== undefined && value !== null && typeof value !== 'function') throw new ArgumentError(`${name} must be a function; got ${describe(value)}`);
}

/** A `signal` option: an AbortSignal or undefined. */
export function checkSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || typeof (value as AbortSignal).aborted !== 'boolean') {
    throw new ArgumentError(`${name} must be an AbortSignal; got ${describe(value)}`);
  }
  return value as AbortSignal;
}

/**
 * Throw `AbortedError` if the signal has fired. Iterative methods call this once per
 * iteration (and before starting); the caller disposes what it built before rethrowing.
 */
export function throwIfAborted(signal: AbortSignal | undefined, fnName: string): void {
  if (signal?.aborted) throw new AbortedError(`${fnName}: aborted by the caller's signal`);
}
