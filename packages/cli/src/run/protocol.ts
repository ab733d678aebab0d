/**
 * Messages between the `tenfold` main thread (argument parsing, progress bar, SIGINT, atomic
 * output) and the worker thread that runs the computation. The computation runs in a worker
 * because tfjs calls are synchronous: a SIGINT handler on the main thread stays responsive and
 * raises a shared flag that the worker turns into `AbortController.abort()` at its next
 * progress step.
 */
import type { ProgressRecord } from '@tenfold/core';

export type CommandName = 'decompose' | 'rank' | 'compress' | 'sweep' | 'info';

export interface WorkerInput {
  command: CommandName;
  args: Record<string, unknown>;
  /** Where the command writes its files (the temporary sibling of --out), or null. */
  outDir: string | null;
  /** Int32Array over it: [0] = 1 once SIGINT arrived. */
  abortFlag: SharedArrayBuffer;
}

/** What a command returns: a JSON-able summary (printed by --json) and its human text. */
export interface CommandResult {
  json: unknown;
  text: string;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** True for TenfoldError subclasses (user errors: exit code 1). */
  tenfold: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; record: ProgressRecord }
  | { type: 'done'; result: CommandResult }
  | { type: 'error'; error: SerializedError };

/** Exit codes. */
export const EXIT = { ok: 0, user: 1, internal: 2, interrupted: 130 } as const;

/** An error as the main thread prints it; TenfoldError subclasses (user errors) are marked. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    // TenfoldError subclasses all descend from TenfoldError; test the chain by name so the
    // check does not need core loaded (it may be the import that failed).
    let tenfold = false;
    for (let p = Object.getPrototypeOf(err); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) if (p.constructor?.name === 'TenfoldError') tenfold = true;
    return { name: err.name === 'Error' ? err.constructor.name : err.name, message: err.message, stack: err.stack, tenfold };
  }
  return { name: 'Error', message: String(err), tenfold: false };
}

/** Commands that run on the main thread: they read headers only, so need no worker and no backend. */
export const IN_PROCESS: readonly CommandName[] = ['info'];
