/**
 * The checks kit: the one set of argument and option checks every Tenfold package uses
 * (sibling packages import it from `@tenfold/core`). Rules in docs/fidelity/inputs.md.
 */
export {
  checkOptions,
  optionKeys,
  type MissingOptionKeys,
  checkIntOption,
  checkIterations,
  checkNumberOption,
  checkBoolOption,
  checkEnumOption,
  checkCallback,
  checkSignal,
  throwIfAborted,
} from './options.js';
export {
  MAX_ELEMENTS_CEILING,
  DEFAULT_MAX_ELEMENTS,
  MAX_ITERATIONS,
  maxElements,
  setMaxElements,
  checkAllocation,
  checkShape,
  elementCount,
} from './limits.js';
export { assertFinite, checkFiniteIfEnabled, finiteChecksEnabled, setFiniteChecks } from './finite.js';
export { checkProgress, ProgressReporter, type ProgressRecord, type ProgressCallback } from './progress.js';
export { StepProgress } from './steps.js';
