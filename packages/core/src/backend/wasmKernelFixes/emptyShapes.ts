/**
 * tfjs-backend-wasm 4.22 kernels that mishandle tensors with a dimension of size 0:
 *
 * - `Transpose` of an empty tensor traps in wasm (`RuntimeError: divide by zero`) for some
 *   permutations, e.g. `transpose(zeros([0, 4, 5]), [0, 2, 1])`. An empty tensor has nothing
 *   to move: the fix returns an empty output of the permuted shape.
 * - `GatherV2` from an empty tensor returns its flattened 4-D working shape
 *   (`gather(zeros([0, 3]), [1, 0], 1)` gives shape [1, 0, 2, 1] instead of [0, 2]).
 * - `Conv2D` / `FusedConv2D` with 0 input channels return the output unwritten; the sum
 *   over no channels is 0, so the fix answers zeros (then bias and activation when fused).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedEpilogue } from './activation.js';
import { type KernelFn, filled, sizeOf, view, wrapWasmKernel } from './wasmBackend.js';

const fixTranspose = (original: KernelFn): KernelFn => (args) => {
  const { x } = args.inputs;
  if (sizeOf(x.shape) !== 0) return original(args);
  const perm = args.attrs.perm as number[];
  return args.backend.makeOutput(perm.map((p) => x.shape[p]), x.dtype);
};

const fixGather = (original: KernelFn): KernelFn => (args) => {
  const { x, indices } = args.inputs;
  if (sizeOf(x.shape) !== 0) return original(args);
  const out = original(args) as tf.TensorInfo; // still validates the indices
  const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as tf.Tensor, indices as tf.Tensor, axis, Number(args.attrs.batchDims ?? 0));
  return view(out, info.outputShape);
};

const fixConv = (fused: boolean) => (original: KernelFn): KernelFn => (args) => {
  const { x, filter } = args.inputs;
  if (x.shape[3] !== 0) return original(args);
  const a = args.attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    a.strides as [number, number],
    a.dilations as [number, number],
    a.pad as 'valid',
    a.dimRoundingMode as 'floor' | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat((a.dataFormat as 'NHWC') ?? 'NHWC'),
  );
  const out = filled(args.backend, info.outShape, 'float32', 0);
  if (fused && sizeOf(info.outShape) > 0) fusedEpilogue(args, out);
  return out;
};

/** Names of the wasm kernels this module fixes. */
export const EMPTY_SHAPES_FIXED = ['Transpose', 'GatherV2', 'Conv2D', 'FusedConv2D'];

/** Install the empty-shape fixes (idempotent). */
export function fixEmptyShapeKernels(): void {
  wrapWasmKernel('Transpose', fixTranspose);
  wrapWasmKernel('GatherV2', fixGather);
  wrapWasmKernel('Conv2D', fixConv(false));
  wrapWasmKernel('FusedConv2D', fixConv(true));
}
