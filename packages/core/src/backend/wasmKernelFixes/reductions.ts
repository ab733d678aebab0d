/**
 * Reductions over an empty axis. tfjs-backend-wasm 4.22's `Sum`, `Prod`, `Mean`, `Max`,
 * `Min`, `All` and `Any` allocate their output and, when the input has no elements,
 * return it unwritten: `sum(zeros([3, 0]), 1)` gives whatever the heap held.
 *
 * Fix: when the input is empty but the output is not, answer without the kernel: the
 * identity of the operation (sum 0, prod 1, all true, any false), NaN for mean (0/0, as
 * numpy and torch), and a `BackendError` for max and min, which have no value on an
 * empty set (numpy and torch raise too). Note cpu 4.22 differs on mean (0), all (false),
 * max/min (NaN); those are cpu's own quirks, not followed here.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors/index.js';
import { type KernelFn, filled, sizeOf, wrapWasmKernel } from './wasmBackend.js';

/** Value of each reduction over an empty set; null where there is none. */
const EMPTY_VALUE: Record<string, { value: number | null; dtype?: tf.DataType }> = {
  Sum: { value: 0 },
  Prod: { value: 1 },
  Mean: { value: Number.NaN, dtype: 'float32' },
  All: { value: 1, dtype: 'bool' },
  Any: { value: 0, dtype: 'bool' },
  Max: { value: null },
  Min: { value: null },
};

/** Names of the wasm kernels this module fixes. */
export const REDUCTIONS_FIXED = Object.keys(EMPTY_VALUE);

/** Shape of the reduction of `shape` over `axes`. */
function reducedShape(shape: readonly number[], axes: number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

const fixReduction = (name: string) => (original: KernelFn): KernelFn => (args) => {
  const { x } = args.inputs;
  if (sizeOf(x.shape) !== 0) return original(args);
  const axis = (args.attrs.axis ?? args.attrs.reductionIndices) as number | number[] | undefined;
  const axes = axis == null ? x.shape.map((_, i) => i) : tf.util.parseAxisParam(axis, x.shape);
  const outShape = reducedShape(x.shape, axes, Boolean(args.attrs.keepDims));
  if (sizeOf(outShape) === 0) return original(args);
  const { value, dtype } = EMPTY_VALUE[name];
  if (value === null) {
    throw new BackendError(`${name.toLowerCase()} over an empty axis has no value: input has shape [${x.shape.join(', ')}] and axes [${axes.join(', ')}] include a dimension of size 0`);
  }
  return filled(args.backend, outShape, dtype ?? x.dtype, value);
};

/** Install the empty-reduction fixes (idempotent). */
export function fixReductionKernels(): void {
  for (const name of REDUCTIONS_FIXED) wrapWasmKernel(name, fixReduction(name));
}
