/**
 * Opt-in multi-threaded wasm under Node: `TENFOLD_WASM_THREADS=2` (or `initBackend` after
 * `requestWasmThreads(2)`) runs tfjs-backend-wasm's threaded SIMD build, so XNNPACK's matmuls
 * and convolutions use more than one core.
 *
 * tfjs-backend-wasm 4.22 does not support this under Node; four things stand in the way, each
 * worked around here and nowhere else:
 * 1. tfjs hard-wires the flag `WASM_HAS_MULTITHREAD_SUPPORT` to false under Node (tfjs issue
 *    #3830): it is set to true before the backend initialises.
 * 2. Emscripten hands its pthread worker script over as a `blob:` URL, which Node's
 *    `worker_threads` cannot load: `Blob` / `URL.createObjectURL` are patched, during
 *    initialisation only, to write the script to a temp file (removed at exit).
 * 3. The worker then imports the module factory from a Blob made of `factory.toString()` of
 *    the rollup bundle, whose Node requires are renamed (`require$$0` ...): the worker loads the
 *    package's own unbundled `wasm-out/tfjs-backend-wasm-threaded-simd.js` instead.
 * 4. backend.cc caps the XNNPACK pool at `emscripten_num_logical_cores() / 2` ("2 hyperthreads
 *    per core"), which under Node is `os.cpus().length / 2`: 1 on a 2-core machine, whatever
 *    `setThreadsCount` says. `os.cpus()` reports the cores twice while the module starts.
 *
 * Node built-ins are imported dynamically, through a variable specifier, so the main entry stays
 * bundleable for browsers (where this path never runs).
 *
 * It stays opt-in: the pool's workers cost ~40 MB and start-up time, and the tests run
 * single-threaded so their numbers do not depend on scheduling.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../errors/index.js';

let requested: number | null = null;

/** Ask for `threads` XNNPACK threads (1..8) when the wasm backend next initialises. */
export function requestWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new ArgumentError(`threads must be an integer in [1, 8]; got ${describe(threads)}`);
  }
  requested = threads;
}

/** The requested thread count: `requestWasmThreads`, else `TENFOLD_WASM_THREADS`, else 1. */
export function wasmThreadsRequested(): number {
  if (requested !== null) return requested;
  const env = process.env.TENFOLD_WASM_THREADS;
  if (env === undefined || env === '') return 1;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > 8) {
    throw new ArgumentError(`TENFOLD_WASM_THREADS must be an integer in [1, 8]; got ${describe(env)}`);
  }
  return n;
}

type NodeRequire = ((id: string) => any) & { resolve(id: string): string };

/** Node's `require`, resolved from this module, without a static `node:` import. */
async function nodeRequire(): Promise<NodeRequire> {
  const spec: string = 'node:module';
  const { createRequire } = (await import(spec)) as { createRequire(url: string): NodeRequire };
  return createRequire(import.meta.url);
}

interface WasmModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/**
 * Prepare the threaded build; returns a function that undoes the temporary patches and must be
 * called once the backend has initialised (whether or not it succeeded).
 */
export async function prepareWasmThreads(threads: number): Promise<() => void> {
  const req = await nodeRequire();
  const fs = req('node:fs');
  const os = req('node:os');
  const path = req('node:path');
  const wasm = req('@tensorflow/tfjs-backend-wasm') as WasmModule;
  const unbundled = req.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-wasm-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

  const texts = new WeakMap<object, string>();
  const NativeBlob = globalThis.Blob;
  class TextBlob extends NativeBlob {
    constructor(parts: BlobPart[], opts?: BlobPropertyBag) {
      super(parts, opts);
      if (parts.every((p) => typeof p === 'string')) texts.set(this, parts.join(''));
    }
  }
  const nativeCreate = URL.createObjectURL;
  let n = 0;
  const createObjectURL = (b: Blob): string => {
    const text = texts.get(b);
    if (text === undefined) return nativeCreate.call(URL, b);
    const file = path.join(dir, `worker${n++}.js`);
    // Inside the worker, the factory Blob must resolve to the unbundled factory (point 3).
    fs.writeFileSync(file, `URL.createObjectURL = () => ${JSON.stringify(unbundled)};\n${text}`);
    return file;
  };
  const osModule = os as { cpus(): unknown[] };
  const nativeCpus = osModule.cpus;

  globalThis.Blob = TextBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  osModule.cpus = () => {
    const c = nativeCpus.call(osModule);
    return [...c, ...c];
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    globalThis.Blob = NativeBlob;
    URL.createObjectURL = nativeCreate;
    osModule.cpus = nativeCpus;
    unrefPoolWorkers();
  };
}

/**
 * XNNPACK's pool threads run for the life of the module and Emscripten keeps a `ref` on each
 * running worker, so a script would never exit: drop those refs (the main thread waits for the
 * pool synchronously, so the event loop does not need them).
 */
function unrefPoolWorkers(): void {
  if (tf.getBackend() !== 'wasm') return;
  const module = (tf.backend() as unknown as { wasm?: { PThread?: { runningWorkers?: { unref?(): void }[]; unusedWorkers?: { unref?(): void }[] } } }).wasm;
  for (const w of [...(module?.PThread?.runningWorkers ?? []), ...(module?.PThread?.unusedWorkers ?? [])]) w.unref?.();
}

/** XNNPACK's thread count of the running wasm backend (1 unless threads were requested; 0 off wasm). */
export function wasmThreadsCount(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?(): number } } };
  return backend.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}
