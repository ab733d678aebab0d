/**
 * The per-call hooks of an iterative routine: its `onProgress` records and its `signal`
 * checks in one object, so every loop reports and cancels the same way (guide:
 * docs/guide-progress.md). `begin()` before the first step, `step(k, error)` after step k.
 */
import { checkSignal, throwIfAborted } from './options.js';
import { ProgressReporter, checkProgress, type ProgressCallback } from './progress.js';

export class StepProgress {
  private readonly reporter: ProgressReporter;
  readonly signal: AbortSignal | undefined;

  /** @throws ArgumentError for a non-function onProgress or a non-signal signal. */
  constructor(
    readonly task: string,
    onProgress: ProgressCallback | undefined,
    signal: AbortSignal | undefined,
    total?: number,
  ) {
    this.reporter = new ProgressReporter(task, checkProgress(onProgress), total);
    this.signal = checkSignal(signal);
  }

  /**
   * Check `opts.onProgress` (a function or absent) and `opts.signal` (an AbortSignal or
   * absent) and bind them to one call; `total` is the step cap (the iteration limit).
   * @throws ArgumentError for a non-function onProgress or a non-signal signal.
   */
  static from(task: string, opts: { onProgress?: unknown; signal?: unknown }, total?: number): StepProgress {
    return new StepProgress(task, opts.onProgress as ProgressCallback | undefined, opts.signal as AbortSignal | undefined, total);
  }

  /** Whether a callback listens (then a routine may report what it already has). */
  get active(): boolean {
    return this.reporter.active;
  }

  /** Throw `AbortedError` if the signal has fired. */
  check(): void {
    throwIfAborted(this.signal, this.task);
  }

  /** Before the first step: check the signal, report step 0, check again (an abort from inside onProgress stops here). */
  begin(error?: number, stage?: string): void {
    this.check();
    this.reporter.report(0, { error, stage });
    this.check();
  }

  /** After step `k` (1-based): report it, then check the signal. */
  step(k: number, error?: number, stage?: string): void {
    this.reporter.report(k, { error, stage });
    this.check();
  }
}
