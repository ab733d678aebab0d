/**
 * The worker thread: runs one command's computation and posts progress, then the result or
 * the error, to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CommandResult, SerializedError, WorkerInput, WorkerMessage } from './protocol.js';
import { makeContext } from './context.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

function serialize(err: unknown): SerializedError {
  if (err instanceof Error) {
    // TenfoldError subclasses all descend from TenfoldError; test the chain by name so the
    // check does not need core loaded (it may be the import that failed).
    let tenfold = false;
    for (let p = Object.getPrototypeOf(err); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) if (p.constructor?.name === 'TenfoldError') tenfold = true;
    return { name: err.name === 'Error' ? err.constructor.name : err.name, message: err.message, stack: err.stack, tenfold };
  }
  return { name: 'Error', message: String(err), tenfold: false };
}

// tfjs' cpu backend greets Node users on its first tensor ("Hi, looks like you are running
// TensorFlow.js in Node.js ..."): not the CLI's output. Drop exactly that message.
const warn = console.warn.bind(console);
console.warn = (...msg: unknown[]) => {
  if (typeof msg[0] === 'string' && msg[0].includes('Hi, looks like you are running TensorFlow.js in Node.js')) return;
  warn(...msg);
};

async function main(): Promise<void> {
  try {
    const ctx = makeContext((record) => post({ type: 'progress', record }), new Int32Array(input.abortFlag), input.outDir);
    const { COMMANDS } = await import('../commands/index.js');
    const result: CommandResult = await COMMANDS[input.command](input.args, ctx);
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'error', error: serialize(err) });
  }
}

await main();
