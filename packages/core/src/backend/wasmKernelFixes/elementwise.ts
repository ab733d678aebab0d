/**
 * Elementwise binary kernels of tfjs-backend-wasm 4.22 that go through XNNPACK's
 * `xnn_*_nd_f32` operators, which take at most 6 dims (XNN_MAX_TENSOR_DIMS). At rank >= 7
 * setup fails (`XNN status for xnn_setup_*_nd_f32 is not successful. Got status 4` on the
 * console) and the kernel returns its output buffer unwritten: garbage, not an error.
 * Found by comparing every wasm binary kernel with cpu at ranks 7 and 8: `Add`, `Sub`,
 * `Multiply`, `RealDiv`, `SquaredDifference` (Maximum, Minimum, Pow, comparisons and the
 * logical ops are right). Scalar operands go the same way (`mul(x, 2)` on a 7-D x).
 *
 * Fix: merge adjacent axes that broadcast the same way; what then has <= 6 dims (every
 * same-shape, scalar or one-sided broadcast) runs on the original kernel as a view, and
 * the rest (7+ alternating broadcast groups) on a strided loop. Inputs of rank <= 6 go
 * straight through: one comparison on the common path.
 *
 * `Prelu` has a different bug: the wasm kernel treats alpha as one weight per channel of
 * the last axis and ignores any other broadcast (wrong numbers, and the output keeps
 * x's shape where alpha would broadcast x). Shapes other than that go to the loop.
 */
import * as tf from '@tensorflow/tfjs';
import { broadcastLoop, collapseBroadcast, type Collapsed } from './broadcast.js';
import { type KernelArgs, type KernelFn, sizeOf, view, wrapWasmKernel } from './wasmBackend.js';

/** The most dims an XNNPACK nd operator accepts. */
export const XNN_MAX_DIMS = 6;

const BINARY: Record<string, (x: number, y: number) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Multiply: (x, y) => x * y,
  RealDiv: (x, y) => x / y,
  SquaredDifference: (x, y) => (x - y) * (x - y),
};

/** Names of the wasm kernels this module fixes. */
export const ELEMENTWISE_FIXED = [...Object.keys(BINARY), 'Prelu'];

function looped(args: KernelArgs, x: tf.TensorInfo, y: tf.TensorInfo, c: Collapsed, outShape: number[], dtype: tf.DataType, f: (x: number, y: number) => number): tf.TensorInfo {
  const { backend } = args;
  const out = backend.makeOutput(outShape, dtype);
  broadcastLoop(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(y), backend.typedArrayFromHeap(out), c, f);
  return out;
}

function fixBinary(f: (x: number, y: number) => number): (original: KernelFn) => KernelFn {
  return (original) => (args) => {
    const { a, b } = args.inputs;
    if (a.shape.length <= XNN_MAX_DIMS && b.shape.length <= XNN_MAX_DIMS) return original(args);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (sizeOf(outShape) === 0) return original(args);
    const c = collapseBroadcast(a.shape, b.shape, outShape);
    if (c.out.length <= XNN_MAX_DIMS) {
      const out = original({ ...args, inputs: { ...args.inputs, a: view(a, c.a), b: view(b, c.b) } }) as tf.TensorInfo;
      return { ...out, shape: outShape };
    }
    return looped(args, a, b, c, outShape, a.dtype, f);
  };
}

const prelu = (x: number, alpha: number): number => (x < 0 ? alpha * x : x);

/** Prelu: the wasm kernel is right only when alpha's non-1 dims are exactly x's trailing dims. */
const fixPrelu = (original: KernelFn): KernelFn => (args) => {
  const { x, alpha } = args.inputs;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(x.shape, alpha.shape);
  if (sizeOf(outShape) === 0) return args.backend.makeOutput(outShape, 'float32');
  const c = collapseBroadcast(x.shape, alpha.shape, outShape);
  const xFull = c.a.every((d, i) => d === c.out[i]);
  const channelsOnly = c.b.every((d, i) => d === 1 || i === c.b.length - 1);
  if (xFull && channelsOnly && outShape.length === x.shape.length) return original(args);
  return looped(args, x, alpha, c, outShape, 'float32', prelu);
};

/** Install the elementwise fixes (idempotent). */
export function fixElementwiseKernels(): void {
  for (const [name, f] of Object.entries(BINARY)) wrapWasmKernel(name, fixBinary(f));
  wrapWasmKernel('Prelu', fixPrelu);
}
