/**
 * The host float64 kernels compiled ahead of time to WebAssembly (issue 9, small problems).
 * JavaScript loops run in V8's interpreter until they are hot enough to be optimised, which
 * made a first CP-ALS of a 20^3 tensor several times slower than later ones; a wasm module
 * is compiled at load (Liftoff) and its first call already runs machine code. The kernels'
 * source is AssemblyScript in `packages/core/wasm/` (built by `pnpm build:wasm`); the module
 * is below 4 KiB, so browsers allow compiling it synchronously on the main thread.
 *
 * A `WasmArena` is one instance of the module with its own memory: callers lay out their
 * float64 matrices in it (`f64` view, byte offsets) and call the exports. One arena serves
 * the process (`claimArena`).
 */
import { MTTKRP_WASM_BASE64 } from './mttkrpWasmBinary.js';

/** The kernels (byte offsets into the arena's memory; see packages/core/wasm/mttkrp.ts). */
export interface HostKernelExports {
  contractLast(t: number, L: number, K: number, c: number, R: number, out: number): void;
  contractLead(t: number, L: number, K: number, q: number, R: number, out: number): void;
  khatriRaoCols(factors: number, shape: number, n: number, skip: number, R: number, rows: number, q: number): void;
  contractSkip(p: number, A: number, I: number, B: number, q: number, R: number, out: number): void;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const text = atob(MTTKRP_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

export class WasmArena {
  readonly kernels: HostKernelExports;
  private readonly memory: WebAssembly.Memory;
  private view: Float64Array;

  /** An arena of at least `bytes` bytes. */
  constructor(bytes: number) {
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    const instance = new WebAssembly.Instance(kernelModule(), { env: { memory: this.memory } });
    this.kernels = instance.exports as unknown as HostKernelExports;
    this.view = new Float64Array(this.memory.buffer);
  }

  /** The memory as float64 (index = byte offset / 8); valid until the next `reserve`. */
  get f64(): Float64Array {
    return this.view;
  }

  /** The memory as int32 (index = byte offset / 4). */
  i32(): Int32Array {
    return new Int32Array(this.memory.buffer);
  }

  /** Grow to at least `bytes` bytes (views taken before are detached). */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.view = new Float64Array(this.memory.buffer);
  }
}

let shared: WasmArena | undefined;
let owner: object | null = null;

/**
 * The process-wide arena (one memory and instance: creating a `WebAssembly.Memory` and an
 * instance per call cost ~3 ms). `claim` makes `user` its owner with at least `bytes` bytes
 * and says whether the contents are still the ones `user` left (false when another user
 * wrote in between or the memory grew, so `user` must lay its data out again). Synchronous
 * callers only; JavaScript is single-threaded, so a user's kernel calls are never interleaved
 * with another's.
 */
export function claimArena(user: object, bytes: number): { arena: WasmArena; kept: boolean } {
  if (!shared) shared = new WasmArena(bytes);
  const before = shared.f64;
  shared.reserve(bytes);
  const kept = owner === user && shared.f64 === before;
  owner = user;
  return { arena: shared, kept };
}
