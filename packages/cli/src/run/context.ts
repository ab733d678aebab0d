/**
 * What a command's computation receives in the worker: a progress callback, an abort signal
 * (aborted when SIGINT reaches the main thread) and the directory to write into.
 */
import { AbortedError, type ProgressCallback, type ProgressRecord } from '@tenfold/core';

export interface ComputeContext {
  /** Forwarded to the main thread's progress bar; also where a pending SIGINT turns into `abort()`. */
  onProgress: ProgressCallback;
  signal: AbortSignal;
  /** Throws AbortedError if SIGINT arrived (polls the shared flag). */
  throwIfInterrupted(): void;
  /** Directory to write files into (the temporary sibling of --out), or null when there is no output. */
  outDir: string | null;
}

export function makeContext(post: (r: ProgressRecord) => void, flag: Int32Array, outDir: string | null): ComputeContext {
  const controller = new AbortController();
  const poll = () => {
    if (!controller.signal.aborted && Atomics.load(flag, 0) === 1) controller.abort(new AbortedError('interrupted by SIGINT'));
  };
  const throwIfInterrupted = () => {
    poll();
    if (controller.signal.aborted) throw new AbortedError('interrupted by SIGINT; nothing was written');
  };
  const onProgress: ProgressCallback = (r) => {
    post(r);
    poll();
  };
  return {
    onProgress,
    signal: controller.signal,
    throwIfInterrupted,
    outDir,
  };
}
