/**
 * The worker thread: runs one command's computation and posts progress, then the result or
 * the error, to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type CommandResult, type WorkerInput, type WorkerMessage } from './protocol.js';
import { makeContext } from './context.js';
import { COMMANDS } from '../commands/index.js';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

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
    // Only the command's own modules (rank does not load the decompositions, ...).
    const [compute, { ready }] = await Promise.all([COMMANDS[input.command](), import('@tenfold/core')]);
    // Importing core started the backend choice (wasm by default); compute on the chosen one.
    await ready();
    const result: CommandResult = await compute(input.args, ctx);
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'error', error: serializeError(err) });
  }
}

await main();
