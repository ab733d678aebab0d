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
let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

async function tryImport(pkg: string): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const spec: string = pkg;
    await import(spec);
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
    const why = await tryImport('@tensorflow/tfjs-backend-wasm');
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
  const forced = name ?? (process.env.TENFOLD_BACKEND as BackendName | undefined) ?? undefined;
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
        if (!process.env.TENFOLD_QUIET) {
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

/** What Tenfold runs on. Before `initBackend`, reports tfjs's current backend. */
export function backendInfo(): BackendInfo {
  if (info && info.name === tf.getBackend()) return { ...info, skipped: [...info.skipped] };
  const name = tf.getBackend();
  return { name, isGpu: false, tfjsVersion: tf.version_core, provider: name === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : `tfjs '${name}' backend`, skipped: [] };
}

export { tf };
export { installWasmKernelFixes, WASM_FIXED_KERNELS } from './wasmKernelFixes/index.js';
export { requestWasmThreads, wasmThreadsCount } from './wasmThreads.js';
