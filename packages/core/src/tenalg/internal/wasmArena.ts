/**
 * The host float64 kernels compiled ahead of time to WebAssembly (issue 9, small problems).
 * JavaScript loops run in V8's interpreter until they are hot enough to be optimised, which
 * made a first CP-ALS of a 20^3 tensor several times slower than later ones; a wasm module
 * is compiled at load (Liftoff) and its first call already runs machine code. The kernels'
 * source is AssemblyScript in `packages/core/wasm/` (built by `pnpm build:wasm`); the module
 * is below 4 KiB, so browsers allow compiling it synchronously on the main thread.
 *
 * A `WasmArena` is one instance of the module with its own memory: callers lay out their
 * float64 matrices in it (`f64` view, byte offsets) and call the exports.
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

let scratch: WasmArena | undefined;

/**
 * A process-wide arena for one-off kernel calls on caller-owned arrays (copied in and out).
 * Synchronous callers only: the contents do not survive the next call.
 */
export function scratchArena(bytes: number): WasmArena {
  if (!scratch) scratch = new WasmArena(bytes);
  else scratch.reserve(bytes);
  return scratch;
}
