/**
 * The slice of tfjs-backend-wasm's backend object the kernel fixes use, and the one way
 * they replace a registered wasm kernel. A fix wraps the original kernel: the common
 * case goes straight through, the broken case is handled before (or instead of) it.
 */
import * as tf from '@tensorflow/tfjs';

/** What the fixes need of `BackendWasm` (tfjs-backend-wasm 4.22). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

/** The arguments every kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  attrs: Record<string, unknown>;
  backend: WasmBackendLike;
}

export type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

const wrapped = new Set<string>();

/**
 * Re-register the wasm kernel `kernelName` as `wrap(original)` (once per process; later
 * calls are no-ops). Keeps the original `setupFunc`, so it works before and after the
 * wasm backend is initialised. Returns false when wasm has no such kernel.
 */
export function wrapWasmKernel(kernelName: string, wrap: (original: KernelFn) => KernelFn): boolean {
  if (wrapped.has(kernelName)) return true;
  const config = tf.getKernel(kernelName, 'wasm');
  if (!config) return false;
  const original = config.kernelFunc as unknown as KernelFn;
  const fixed = wrap(original);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: fixed as unknown as tf.KernelFunc });
  wrapped.add(kernelName);
  return true;
}

/** A view of `x` under another shape of the same size (shares the buffer, like reshape). */
export function view(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** A new output of `shape` with every element set to `value`. */
export function filled(backend: WasmBackendLike, shape: number[], dtype: tf.DataType, value: number): tf.TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  if (sizeOf(shape) > 0) backend.typedArrayFromHeap(out).fill(value);
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
