/**
 * Option checks of @tenfold/rank: a thin local stand-in for core's checks kit
 * (`checkOptions` on branch bad-input-core), same name and rule, for the integrator to point
 * at `@tenfold/core`. `null`/`undefined` options mean defaults, a non-object is an
 * ArgumentError, unknown keys are rejected.
 */
import { ArgumentError, describe } from '@tenfold/core';

export function checkOptions<T extends object>(opts: T | null | undefined, known: readonly string[], fnName: string, argName = 'options'): T {
  if (opts === undefined || opts === null) return {} as T;
  if (typeof opts !== 'object' || Array.isArray(opts) || ArrayBuffer.isView(opts)) {
    throw new ArgumentError(`${fnName}: ${argName} must be an object (or null/undefined for defaults); got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if ((opts as Record<string, unknown>)[key] === undefined) continue;
    if (!known.includes(key)) {
      throw new ArgumentError(`${fnName}: unknown option '${key}' in ${argName}; expected one of ${known.map((k) => `'${k}'`).join(', ')}`);
    }
  }
  return opts;
}
