/**
 * Argument and option checks of @tenfold/rank: core's checks kit (`packages/core/src/checks/`,
 * rules in docs/fidelity/inputs.md), re-exported so the package has one implementation, plus
 * the few checks of the spectral helpers' plain-number arguments built on it.
 */
import { ArgumentError, NonFiniteError, checkIntOption, describe } from '@tenfold/core';

export {
  checkOptions,
  optionKeys,
  checkIntOption,
  checkIterations,
  checkNumberOption,
  checkBoolOption,
  checkEnumOption,
  checkCallback,
  checkSignal,
  throwIfAborted,
  checkProgress,
  StepProgress,
} from '@tenfold/core';
export type { ProgressCallback, ProgressRecord } from '@tenfold/core';

/** A positive finite number (sigma2, cacb, xatol, ...), naming the argument. */
export function checkPositive(value: unknown, name: string, fnName?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new ArgumentError(`${fnName ? `${fnName}: ` : ''}${name} must be a positive finite number; got ${describe(value)}`);
  }
  return value;
}

/** The sizes of an oriented L x M problem: positive integers with L <= M. */
export function checkProblemSize(L: unknown, M: unknown, fnName: string): { L: number; M: number } {
  checkIntOption(L, `${fnName}: L`, 1);
  checkIntOption(M, `${fnName}: M`, 1);
  if ((L as number) > (M as number)) {
    throw new ArgumentError(`${fnName}: L must be at most M (orient Y so that L <= M, as evbmf does); got L = ${L}, M = ${M}`);
  }
  return { L: L as number, M: M as number };
}

/**
 * A spectrum argument: a non-empty Float64Array (or array) of at most L finite, non-negative
 * values in descending order. Returned as a Float64Array (a copy only for plain arrays).
 */
export function checkSingularValues(s: unknown, L: number, fnName: string, name = 's'): Float64Array {
  const ok = s instanceof Float64Array || (Array.isArray(s) && s.every((v) => typeof v === 'number'));
  if (!ok) throw new ArgumentError(`${fnName}: ${name} must be a Float64Array of singular values; got ${describe(s)}`);
  const arr = s instanceof Float64Array ? s : Float64Array.from(s as number[]);
  if (arr.length === 0 || arr.length > L) {
    throw new ArgumentError(`${fnName}: ${name} must hold between 1 and L = ${L} singular values; got ${arr.length}`);
  }
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (!Number.isFinite(v)) throw new NonFiniteError(`${fnName}: ${name} must be finite; it holds ${v} at index ${i}`);
    if (v < 0) throw new ArgumentError(`${fnName}: ${name} must be non-negative; it holds ${v} at index ${i}`);
    if (i > 0 && v > arr[i - 1]) throw new ArgumentError(`${fnName}: ${name} must be in descending order; ${name}[${i}] = ${v} > ${name}[${i - 1}] = ${arr[i - 1]}`);
  }
  return arr;
}

/** A residual energy: a finite number >= 0. */
export function checkResidual(residual: unknown, fnName: string): number {
  if (typeof residual !== 'number' || !Number.isFinite(residual) || residual < 0) {
    throw new ArgumentError(`${fnName}: residual must be a finite number >= 0 (sum(Y^2) - sum(s^2)); got ${describe(residual)}`);
  }
  return residual;
}
