/**
 * Stretch of issue 9: can tfjs-backend-wasm 4.22's threaded SIMD build run under Node?
 * `npx tsx benchmarks/real-weights/threads.ts` reports how far it gets. Not part of the suite.
 *
 * Steps forced here: (1) the flag WASM_HAS_MULTITHREAD_SUPPORT, which tfjs hard-wires to false
 * under Node (tfjs issue #3830); (2) the pthread worker script, which tfjs hands to
 * emscripten as a `blob:` URL that Node's worker_threads cannot load: Blob and
 * URL.createObjectURL are patched to write it to a temp file instead.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// tfjs and the wasm backend as @tenfold/core resolves them (the root has no wasm dependency).
const coreRequire = createRequire(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'core', 'package.json'));
const tf = coreRequire('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');

const texts = new WeakMap<object, string>();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfwasm-'));
let mainScript: string | null = null;
const NativeBlob = globalThis.Blob;
class TextBlob extends NativeBlob {
  constructor(parts: BlobPart[], opts?: BlobPropertyBag) {
    super(parts, opts);
    if (parts.every((p) => typeof p === 'string')) {
      const text = parts.join('');
      texts.set(this, text);
      // The threaded module's factory, posted to each pthread worker as a Blob: keep a file copy.
      if (text.startsWith('var WasmBackendModuleThreadedSimd')) {
        mainScript = path.join(tmp, 'main.js');
        // The bundler renamed the factory's Node requires (tf-backend-wasm.node.js lines 20-23).
        const requires = "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os'), commonjsGlobal = globalThis;\n";
        fs.writeFileSync(mainScript, requires + text);
      }
    }
  }
}
globalThis.Blob = TextBlob as typeof Blob;
const nativeCreate = URL.createObjectURL.bind(URL);
URL.createObjectURL = (b: Blob): string => {
  const text = texts.get(b);
  if (text === undefined) return nativeCreate(b);
  const file = path.join(tmp, 'worker.js');
  // Node's worker_threads cannot read a blob: URL either: load the factory from its file copy.
  const patched = mainScript
    ? text.replace('var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)', `importScripts(${JSON.stringify(mainScript)})`)
    : text;
  fs.writeFileSync(file, patched);
  return file;
};
const wasmModule = coreRequire('@tensorflow/tfjs-backend-wasm') as { setThreadsCount(n: number): void; getThreadsCount(): number };
// tfjs defaults to half the logical cores (1 here); use them all (THREADS_COUNT overrides).
wasmModule.setThreadsCount(Number(process.env.THREADS_COUNT ?? os.cpus().length));
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', process.env.THREADS !== '0');
const t0 = performance.now();
try {
  await tf.setBackend('wasm');
  await tf.ready();
  process.stdout.write(`backend ${tf.getBackend()} ready in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  process.stdout.write(`threads: ${wasmModule.getThreadsCount()}\n`);
  const a = tf.randomNormal([1024, 1024]);
  // Correctness against a float64 product of a few entries.
  const ad = a.arraySync() as number[][];
  const p = tf.matMul(a, a).arraySync() as number[][];
  let worst = 0;
  for (const [i, j] of [[0, 0], [17, 1000], [1023, 511]]) {
    let acc = 0;
    for (let k = 0; k < 1024; k++) acc += ad[i][k] * ad[k][j];
    worst = Math.max(worst, Math.abs(acc - p[i][j]));
  }
  process.stdout.write(`max |error| vs float64 on 3 entries: ${worst.toExponential(2)}\n`);
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    tf.matMul(a, a).dataSync();
    process.stdout.write(`matmul 1024: ${((performance.now() - s) / 1000).toFixed(3)} s\n`);
  }
} catch (err) {
  process.stdout.write(`failed: ${err instanceof Error ? err.stack : String(err)}\n`);
}
process.exit(0);
