/**
 * A fix for three properties of tfjs-backend-wasm 4.22's matmul kernels (`BatchMatMul` and
 * `_FusedMatMul`), installed once when the wasm backend is activated:
 *
 * 1. Correctness. XNNPACK's packed-weights operator is cached under the data id of `b`
 *    alone, not its shape, and `reshape` shares data ids. A tensor used as `b` under one
 *    shape and later, reshaped, under another silently reuses the stale operator: wrong
 *    numbers, or a wasm abort that leaves the heap corrupted.
 *    (Reproduced: `matMul(ones([3,4]), b)` with b 4x6, then `matMul(ones([2,6]), b.reshape([6,4]))` aborts.)
 * 2. Speed. Only a matmul without transpose flags runs on XNNPACK; transpose flags fall
 *    back to a naive loop 20-50x slower.
 *
 * The wrapper remembers the shape under which each data id was first used as `b` (the
 * shape its cached operator was built for). A `b` seen before under another shape, or one
 * that must be transposed, is replaced by a fresh copy (its own data id, disposed right
 * after the call, which also drops the operator cached for it), with the transpose
 * materialised in the copy, so every call is correct and takes the fast path. A `b` under
 * its first shape goes through untouched and keeps XNNPACK's packed weights between calls.
 * Every matmul in the process goes through it, including tfjs-layers' and user code's.
 *
 * 3. Empty inner dimension. `matMul(ones([3, 0]), ones([0, 5]))` returns its 3x5 output
 *    unwritten (garbage). The product over an empty inner dimension is the zero matrix, so
 *    the wrapper answers zeros (plus bias and activation for `_FusedMatMul`) itself; an
 *    empty output is answered without XNNPACK too (which otherwise logs a failed
 *    `xnn_create_fully_connected_nc_f32`).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedEpilogue } from './activation.js';
import { type KernelArgs, type WasmBackendLike, filled, sizeOf } from './wasmBackend.js';


/** Copy `x` into a new wasm buffer, transposing its last two dims when asked. */
function freshCopy(backend: WasmBackendLike, x: tf.TensorInfo, transpose: boolean): tf.TensorInfo {
  const shape = x.shape;
  const r = shape.length;
  const rows = shape[r - 2];
  const cols = shape[r - 1];
  const outShape = transpose ? [...shape.slice(0, r - 2), cols, rows] : [...shape];
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (!transpose) {
    dst.set(src);
    return out;
  }
  const block = rows * cols;
  const batches = block === 0 ? 0 : src.length / block;
  for (let b = 0; b < batches; b++) {
    const base = b * block;
    for (let i = 0; i < rows; i++) {
      const rowBase = base + i * cols;
      for (let j = 0; j < cols; j++) dst[base + j * rows + i] = src[rowBase + j];
    }
  }
  return out;
}

/**
 * The product when a dimension is 0, without the kernel: an empty output, or the zero
 * matrix (with the fused epilogue) when only the inner dimension is 0; else null.
 */
function emptyProduct(args: KernelArgs): tf.TensorInfo | null {
  const { a, b } = args.inputs;
  const ta = Boolean(args.attrs.transposeA);
  const tb = Boolean(args.attrs.transposeB);
  const ra = a.shape.length;
  const rb = b.shape.length;
  const inner = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  if (inner !== 0 && sizeOf(a.shape) !== 0 && sizeOf(b.shape) !== 0) return null;
  const batch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...batch, ta ? a.shape[ra - 1] : a.shape[ra - 2], tb ? b.shape[rb - 2] : b.shape[rb - 1]];
  const out = filled(args.backend, outShape, 'float32', 0);
  if (sizeOf(outShape) > 0) fusedEpilogue(args, out);
  return out;
}

let patched = false;
/** The shape each data id had when first used as an untransposed `b`. */
const firstShapeAsB = new WeakMap<object, string>();

/** Whether `b` can go to XNNPACK as is: its cached operator (if any) was built for this shape. */
function usableAsIs(b: tf.TensorInfo): boolean {
  const key = b.shape.join(',');
  const seen = firstShapeAsB.get(b.dataId);
  if (seen === undefined) {
    firstShapeAsB.set(b.dataId, key);
    return true;
  }
  return seen === key;
}

/** Wrap the wasm matmul kernels (idempotent). Call after the wasm backend is registered. */
export function fixMatMulKernels(): void {
  if (patched) return;
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (!original) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({
      ...original,
      kernelFunc: (args) => {
        const empty = emptyProduct(args as unknown as KernelArgs);
        if (empty) return empty;
        const backend = args.backend as unknown as WasmBackendLike;
        const inputs = args.inputs as Record<string, tf.TensorInfo>;
        const attrs = args.attrs as Record<string, unknown>;
        const temps: tf.TensorInfo[] = [];
        let a = inputs.a;
        if (attrs.transposeA) {
          a = freshCopy(backend, a, true);
          temps.push(a);
        }
        let b = inputs.b;
        if (attrs.transposeB || !usableAsIs(b)) {
          b = freshCopy(backend, b, Boolean(attrs.transposeB));
          temps.push(b);
        }
        try {
          return original.kernelFunc({
            ...args,
            inputs: { ...inputs, a, b },
            attrs: { ...attrs, transposeA: false, transposeB: false },
          } as typeof args);
        } finally {
          for (const t of temps) backend.disposeData(t.dataId);
        }
      },
    });
  }
  patched = true;
}
