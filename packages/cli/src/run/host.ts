/**
 * The main-thread side of a command: check --out, start the worker, draw the progress bar,
 * turn SIGINT into an abort, move the output into place, print the result and pick the exit
 * code (0 ok, 1 user error, 2 internal error, 130 interrupted).
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type cliProgress from 'cli-progress';
import { checkOutTarget, commitTempDir, discardTempDir, makeTempDir } from './atomic.js';
import { EXIT, serializeError, type CommandName, type CommandResult, type SerializedError, type WorkerMessage } from './protocol.js';

export interface HostOptions {
  json: boolean;
  debug: boolean;
  /** The output directory, or null when the command writes nothing. */
  out: string | null;
  force: boolean;
}

/** Print a failure: the typed error's message, the stack only with --debug. */
export function printError(err: SerializedError, debug: boolean): void {
  if (err.tenfold) process.stderr.write(`tenfold: ${err.name}: ${err.message}\n`);
  else process.stderr.write(`tenfold: internal error (${err.name}): ${err.message.split('\n')[0].slice(0, 400)}\n${debug ? '' : 'Run again with --debug for the stack trace.\n'}`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
}

function showBar(json: boolean): boolean {
  if (process.env.TENFOLD_PROGRESS === '1') return true;
  if (process.env.TENFOLD_PROGRESS === '0') return false;
  return !json && process.stderr.isTTY === true;
}

function printResult(result: CommandResult, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text.endsWith('\n') ? result.text : `${result.text}\n`);
}

/**
 * Run a command that writes nothing and needs no backend (`info`) on the main thread: no
 * worker start, no second tfjs load, no wasm init.
 */
export async function runInProcess(command: CommandName, args: Record<string, unknown>, opts: HostOptions): Promise<number> {
  // Set before core is first imported: its entry would otherwise start the wasm backend.
  process.env.TENFOLD_NO_AUTO_INIT = '1';
  try {
    const { COMMANDS } = await import('../commands/index.js');
    const compute = await COMMANDS[command]();
    // No progress, nothing to interrupt, no output directory.
    printResult(await compute(args, { onProgress: () => undefined, signal: new AbortController().signal, throwIfInterrupted: () => undefined, outDir: null }), opts.json);
    return EXIT.ok;
  } catch (err) {
    const e = serializeError(err);
    printError(e, opts.debug);
    return e.tenfold ? EXIT.user : EXIT.internal;
  }
}

/** Run `command` in a worker; resolves to the exit code. */
export async function runInWorker(command: CommandName, args: Record<string, unknown>, opts: HostOptions): Promise<number> {
  if (opts.out !== null) {
    const why = checkOutTarget(opts.out, opts.force);
    if (why) {
      printError({ name: 'ArgumentError', message: why, tenfold: true }, false);
      return EXIT.user;
    }
  }
  // The bar library only when a bar is drawn (start-up cost).
  const Bars = showBar(opts.json) ? (await import('cli-progress')).default : null;
  const tmp = opts.out !== null ? makeTempDir(opts.out) : null;
  const abortFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(abortFlag);
  const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));
  const worker = new Worker(workerFile, { workerData: { command, args, outDir: tmp, abortFlag }, stderr: false, stdout: false });
  let bar: cliProgress.SingleBar | null = null;
  let barTask = '';
  let interrupts = 0;
  let killTimer: NodeJS.Timeout | null = null;
  const onSigint = () => {
    interrupts++;
    Atomics.store(flag, 0, 1);
    if (interrupts === 1) {
      bar?.stop();
      bar = null;
      process.stderr.write('tenfold: interrupting (Ctrl-C again to stop at once)...\n');
      // A computation with no progress step for a while is stopped hard.
      killTimer = setTimeout(() => void worker.terminate(), 5000);
    } else void worker.terminate();
  };
  process.on('SIGINT', onSigint);
  const outcome = await new Promise<{ result?: CommandResult; error?: SerializedError; interrupted?: boolean }>((resolve) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        if (!Bars || interrupts > 0) return;
        const r = m.record;
        const total = r.total ?? Math.max(r.step, 1);
        if (!bar || barTask !== `${r.task}/${total}`) {
          bar?.stop();
          barTask = `${r.task}/${total}`;
          bar = new Bars.SingleBar(
            { format: '{task} [{bar}] {value}/{total} | {stage}error {err} | ETA {eta_formatted}', stream: process.stderr, noTTYOutput: process.env.TENFOLD_PROGRESS === '1', notTTYSchedule: 200, hideCursor: false, clearOnComplete: false },
            Bars.Presets.shades_classic,
          );
          bar.start(total, r.step, { task: r.task, stage: '', err: '-' });
        }
        bar.update(r.step, { err: r.error !== undefined ? r.error.toExponential(3) : '-', stage: r.stage ? `${r.stage} | ` : '' });
      } else if (m.type === 'done') resolve({ result: m.result });
      else resolve({ error: m.error });
    });
    worker.on('error', (e) => resolve({ error: { name: e.name, message: e.message, stack: e.stack, tenfold: false } }));
    worker.on('exit', () => resolve({ interrupted: true }));
  });
  (bar as cliProgress.SingleBar | null)?.stop();
  process.off('SIGINT', onSigint);
  if (killTimer) clearTimeout(killTimer);
  await worker.terminate();
  if (outcome.result) {
    if (tmp !== null && opts.out !== null) commitTempDir(tmp, opts.out);
    printResult(outcome.result, opts.json);
    return EXIT.ok;
  }
  discardTempDir(tmp);
  if (outcome.interrupted || interrupts > 0) {
    process.stderr.write(`tenfold: interrupted${opts.out ? `; '${path.resolve(opts.out)}' was not written` : ''}\n`);
    return EXIT.interrupted;
  }
  printError(outcome.error!, opts.debug);
  return outcome.error!.tenfold ? EXIT.user : EXIT.internal;
}
