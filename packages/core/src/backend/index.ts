/**
 * Backend selection. Tenfold runs on whatever TensorFlow.js backend is best here:
 * `tensorflow` through `@tensorflow/tfjs-node-gpu` (CUDA), then through
 * `@tensorflow/tfjs-node` (native CPU), then `wasm` (its binary ships inside the npm
 * package, so it works offline), then `cpu`. `TENFOLD_BACKEND` forces one.
 *
 * Host <-> device transfers live in `./transfer`.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, BackendError, describe } from '../errors/index.js';
import { installWasmKernelFixes } from './wasmKernelFixes/index.js';
import { prepareWasmThreads, wasmThreadsRequested } from './wasmThreads.js';
import { env, withoutNewProcessListeners } from './runtime.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** The active tfjs backend name. */
  name: string;
  /** True when the active backend runs on a GPU (tfjs-node-gpu). */
  isGpu: boolean;
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string;
  /** The npm package that provides the backend. */
  provider: string;
  /** Why preferred backends were skipped, in order of preference. */
  skipped: string[];
}

const KNOWN: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const INFLIGHT = Symbol.for('@tenfold/core:backend-build');
let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

async function tryImport(pkg: string): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const spec: string = pkg;
    await withoutNewProcessListeners(() => import(spec));
    return null;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return `${pkg}: ${msg.slice(0, 160)}`;
  }
}

async function activate(name: BackendName, skipped: string[]): Promise<BackendInfo | null> {
  let provider = '@tensorflow/tfjs-backend-cpu';
  let isGpu = false;
  if (name === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      const why = await tryImport(pkg);
      if (why === null && tf.findBackend('tensorflow') !== null) {
        provider = pkg;
        isGpu = pkg.endsWith('-gpu');
        break;
      }
      skipped.push(why ?? `${pkg}: imported but registered no 'tensorflow' backend`);
    }
    if (tf.findBackend('tensorflow') === null) return null;
  } else if (name === 'wasm') {
    // Already imported by the app (a browser bundle, with setWasmPaths) or by an earlier call.
    const why = tf.findBackendFactory('wasm') !== null ? null : await tryImport('@tensorflow/tfjs-backend-wasm');
    if (why !== null) {
      skipped.push(why);
      return null;
    }
    provider = '@tensorflow/tfjs-backend-wasm';
    installWasmKernelFixes();
  }
  const threads = name === 'wasm' ? wasmThreadsRequested() : 1;
  const restore = threads > 1 ? await prepareWasmThreads(threads) : null;
  let ok = false;
  try {
    await preinitialize(name);
    ok = await tf.setBackend(name);
    if (ok && restore) await tf.ready();
  } catch (err) {
    skipped.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  } finally {
    restore?.();
  }
  if (!ok) {
    skipped.push(`${name}: tf.setBackend returned false`);
    return null;
  }
  await tf.ready();
  return { name: tf.getBackend(), isGpu, tfjsVersion: tf.version_core, provider, skipped: [...skipped] };
}

/**
 * Build an async backend (wasm compiles its module) while the current one stays active,
 * then register the finished instance, so `tf.setBackend` switches in one synchronous step.
 * Calling `tf.setBackend('wasm')` directly would leave tfjs without a usable backend until
 * the compile ends: every op in between throws "Backend 'wasm' has not yet been initialized".
 * The emscripten glue also adds process-wide 'uncaughtException'/'unhandledRejection'
 * listeners that rethrow from its minified source (Node then prints ~39 KB of it above any
 * uncaught error); they only matter to emscripten programs that call exit(), so they are
 * removed again.
 */
async function preinitialize(name: BackendName): Promise<void> {
  // Not tf.findBackend: for an async backend that starts tfjs's own init and blocks every op.
  const registry = (tf.engine() as unknown as { registry?: Record<string, unknown> }).registry;
  if (registry === undefined || registry[name] !== undefined) return;
  // Shared through globalThis: the ESM and CommonJS builds of Tenfold, both loaded in one
  // process, share tfjs and must not build (and then dispose) two wasm modules.
  const g = globalThis as unknown as Record<symbol, Map<string, Promise<void>> | undefined>;
  const inflight = (g[INFLIGHT] ??= new Map());
  let job = inflight.get(name);
  if (job === undefined) {
    job = build(name, registry).finally(() => inflight.delete(name));
    inflight.set(name, job);
  }
  await job;
}

async function build(name: BackendName, registry: Record<string, unknown>): Promise<void> {
  let factory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;
  try {
    factory = tf.findBackendFactory(name);
  } catch {
    return;
  }
  if (factory === null) return;
  const made = factory;
  const backend = await withoutNewProcessListeners(async () => made());
  if (registry[name] !== undefined) {
    // Someone else (tf.setBackend directly) finished first; keep theirs.
    backend.dispose();
    return;
  }
  tf.removeBackend(name);
  tf.registerBackend(name, () => backend, name === 'wasm' ? 2 : 1);
}

/**
 * Make tfjs's cpu backend active now if no backend is, so synchronous Tenfold and tfjs calls
 * work while `initBackend` is still loading a faster one (tfjs would otherwise pick the
 * highest-priority registered backend, wasm, and throw until it is compiled).
 */
function ensureSyncBackend(): void {
  if (tf.engine().backendName == null && tf.findBackendFactory('cpu') !== null) void tf.setBackend('cpu');
}

const INSTALL_HINT: Record<BackendName, string> = {
  tensorflow:
    "install '@tensorflow/tfjs-node-gpu' (CUDA) or '@tensorflow/tfjs-node' (CPU); their install step downloads libtensorflow, so it needs network access",
  wasm: "install '@tensorflow/tfjs-backend-wasm' (a dependency of @tenfold/core; reinstall it)",
  cpu: "install '@tensorflow/tfjs' (a dependency of @tenfold/core; reinstall it)",
};

/**
 * Select and initialise the backend. With `name` (or `TENFOLD_BACKEND`) that backend is
 * required and a `BackendError` says how to install it when it cannot start; without,
 * the first that works of tensorflow (GPU, then CPU), wasm, cpu.
 * Safe to call repeatedly; a call without a name after a successful one is a no-op.
 */
export async function initBackend(name?: BackendName): Promise<BackendInfo> {
  ensureSyncBackend();
  const forced = name ?? (env('TENFOLD_BACKEND') as BackendName | undefined) ?? undefined;
  if (forced !== undefined && forced !== ('' as string) && !KNOWN.includes(forced)) {
    throw new ArgumentError(`backend must be one of ${KNOWN.map((k) => `'${k}'`).join(', ')}; got ${describe(forced)} (from ${name ? 'the name argument' : 'TENFOLD_BACKEND'})`);
  }
  if (info && (!forced || info.name === forced)) return info;
  if (pending && !forced) return pending;
  const run = async (): Promise<BackendInfo> => {
    const skipped: string[] = [];
    const order: BackendName[] = forced ? [forced] : ['tensorflow', 'wasm', 'cpu'];
    for (const candidate of order) {
      const got = await activate(candidate, skipped);
      if (got) {
        info = got;
        if (!env('TENFOLD_QUIET') && typeof process !== 'undefined' && process.stderr) {
          const fallback = got.skipped.length ? ` (skipped: ${got.skipped.map((s) => s.split(':')[0]).join(', ')})` : '';
          process.stderr.write(`[tenfold] backend: ${got.name}${got.isGpu ? ' (GPU)' : ''} via ${got.provider}${fallback}\n`);
        }
        return got;
      }
    }
    if (forced) {
      throw new BackendError(`backend '${forced}' is not available: ${skipped.join('; ')}. To use it, ${INSTALL_HINT[forced]}.`);
    }
    throw new BackendError(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
  };
  pending = run();
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

let readyPromise: Promise<BackendInfo> | null = null;

/**
 * Resolve when the backend Tenfold chose (see `initBackend`) is active, with what it is.
 * Importing `@tenfold/core` starts that choice without waiting for it (no top-level await,
 * so the package also loads through `require`). Until it resolves, tfjs's `cpu` backend
 * is active: synchronous calls work and give cpu results; tensors made then move to the
 * faster backend on first use after the switch. Await `ready()` once before timing or
 * comparing results. Rejects with a `BackendError` when a forced backend
 * (`TENFOLD_BACKEND`) cannot start; `cpu` then stays active.
 * With `TENFOLD_NO_AUTO_INIT=1` the first `ready()` call starts the choice.
 * @throws BackendError (as a rejection) when no backend, or not the forced one, can start.
 */
export function ready(): Promise<BackendInfo> {
  if (readyPromise === null) {
    readyPromise = initBackend();
    // A rejection is reported to whoever awaits ready(), not as an unhandled rejection.
    readyPromise.catch(() => undefined);
  }
  // After a later initBackend(name), report what is active now.
  return readyPromise.then(() => backendInfo());
}

/** Start `ready()` unless TENFOLD_NO_AUTO_INIT is set; what the package entry does on import. */
export function autoInit(): void {
  if (env('TENFOLD_NO_AUTO_INIT')) return;
  ready().catch((err: unknown) => {
    if (env('TENFOLD_QUIET') || typeof process === 'undefined' || !process.stderr) return;
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    process.stderr.write(`[tenfold] backend: staying on ${tf.getBackend()} (${msg})\n`);
  });
}

/** What Tenfold runs on. Before `initBackend`, reports tfjs's current backend. */
export function backendInfo(): BackendInfo {
  if (info && info.name === tf.getBackend()) return { ...info, skipped: [...info.skipped] };
  const name = tf.getBackend();
  return { name, isGpu: false, tfjsVersion: tf.version_core, provider: name === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : `tfjs '${name}' backend`, skipped: [] };
}

export { tf };
export { installWasmKernelFixes, WASM_FIXED_KERNELS } from './wasmKernelFixes/index.js';
export { requestWasmThreads, wasmThreadsCount } from './wasmThreads.js';
