/**
 * Progress reporting: the one record every long-running Tenfold routine (decompositions,
 * factorizeMatrix, compressModel, EVBMF over many layers, rank sweeps, the CLI) hands to an
 * `onProgress` option, and the small clock that builds it. Cancellation goes through the
 * `signal` option (`checkSignal` / `throwIfAborted` in ./options.ts): a cancelled call disposes
 * what it built and throws `AbortedError`.
 */
import { ArgumentError, describe } from '../errors/index.js';

/** What an `onProgress` callback receives: once before the first step, then after each step. */
export interface ProgressRecord {
  /** Which routine reports (e.g. 'parafac', 'tucker', 'compressModel'). */
  readonly task: string;
  /** Steps done so far: 0 before the first, then 1, 2, ... (iterations, sweeps, layers). */
  readonly step: number;
  /** The number of steps if known in advance (an iteration cap is an upper bound, so it counts). */
  readonly total?: number;
  /** The routine's current error figure (relative reconstruction error for decompositions), if any. */
  readonly error?: number;
  /** Seconds since the routine started. */
  readonly elapsed: number;
  /** A short label of the current stage or item (a layer name, 'init'), if any. */
  readonly stage?: string;
}

/** Receives progress records. Its return value is ignored: stop early with `signal` or `callback`. */
export type ProgressCallback = (record: ProgressRecord) => void;

/** An `onProgress` option: a function or undefined. */
export function checkProgress(value: unknown, name = 'onProgress'): ProgressCallback | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw new ArgumentError(`${name} must be a function (record) => void; got ${describe(value)}`);
  return value as ProgressCallback;
}

/**
 * A clock bound to one call: `report(step, extra)` builds the record and calls the user's
 * callback if there is one; without one it costs a branch.
 */
export class ProgressReporter {
  private readonly start = performance.now();
  constructor(
    private readonly task: string,
    private readonly onProgress: ProgressCallback | undefined,
    private readonly total?: number,
  ) {}

  get active(): boolean {
    return this.onProgress !== undefined;
  }

  report(step: number, extra: { error?: number; stage?: string; total?: number } = {}): void {
    if (!this.onProgress) return;
    const total = extra.total ?? this.total;
    this.onProgress({
      task: this.task,
      step,
      ...(total !== undefined ? { total } : {}),
      ...(extra.error !== undefined ? { error: extra.error } : {}),
      elapsed: (performance.now() - this.start) / 1000,
      ...(extra.stage !== undefined ? { stage: extra.stage } : {}),
    });
  }
}
