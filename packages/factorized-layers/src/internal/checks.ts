/**
 * Argument and option checks of @tenfold/factorized-layers: core's checks kit
 * (`packages/core/src/checks/`, rules in docs/fidelity/inputs.md), re-exported so that the
 * package has one implementation, plus the few package-specific helpers core does not
 * have, written on top of it. `null`/`undefined` options mean defaults, a non-object is an
 * ArgumentError, unknown keys are rejected; sizes are checked before anything is allocated
 * (core's `maxElements()`, `setMaxElements` / `TENFOLD_MAX_ELEMENTS`); NaN/Inf in tensors a
 * function factorizes or stores is a NonFiniteError naming the argument, while forward
 * passes propagate NaN as tf layers do (`checkFiniteIfEnabled`, core's `setFiniteChecks`).
 */
import { ArgumentError, ShapeError, TenfoldError, checkAllocation, describe, elementCount } from '@tenfold/core';

export {
  MAX_ITERATIONS,
  assertFinite,
  checkAllocation,
  checkBoolOption,
  checkFiniteIfEnabled,
  checkIntOption,
  checkNumberOption,
  checkOptions,
  optionKeys,
  elementCount,
  maxElements,
  checkProgress,
  checkSignal,
  StepProgress,
} from '@tenfold/core';
export type { ProgressCallback, ProgressRecord } from '@tenfold/core';

type ErrorCtor = new (message: string) => TenfoldError;

/** An optional seed: undefined (or null) or a safe integer. @throws ArgumentError naming `name` */
export function checkSeed(value: unknown, name = 'seed'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ArgumentError(`${name} must be a safe integer; got ${describe(value)}`);
  return value;
}

/** Check every shape of a list against core's element limit (`what` names the request). */
export function checkAllocations(shapes: readonly number[][], what: string, ErrorClass: ErrorCtor = ShapeError): void {
  for (const sh of shapes) checkAllocation(elementCount(sh), `${what} (a tensor of shape ${describe(sh)})`, ErrorClass);
}
