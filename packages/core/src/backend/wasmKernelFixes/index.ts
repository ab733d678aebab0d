/**
 * Fixes for tfjs-backend-wasm 4.22 kernels that return garbage (a buffer they never
 * wrote) or trap, installed process-wide by re-registering the wasm kernels with wrappers
 * when `initBackend` activates wasm. Every caller in the process, Tenfold's own code,
 * tfjs-layers and user code, gets the fixed kernels. The common path (dense tensors of
 * rank <= 6) goes straight to the original kernel after one shape check.
 * See docs/fidelity/engine.md for the list, reproductions and measured costs.
 */
import { ELEMENTWISE_FIXED, fixElementwiseKernels } from './elementwise.js';
import { EMPTY_SHAPES_FIXED, fixEmptyShapeKernels } from './emptyShapes.js';
import { fixMatMulKernels } from './matMul.js';
import { fixPadKernel } from './pad.js';
import { REDUCTIONS_FIXED, fixReductionKernels } from './reductions.js';

/** The wasm kernels that are wrapped. */
export const WASM_FIXED_KERNELS: readonly string[] = [
  'BatchMatMul',
  '_FusedMatMul',
  ...ELEMENTWISE_FIXED,
  'PadV2',
  ...REDUCTIONS_FIXED,
  ...EMPTY_SHAPES_FIXED,
];

/**
 * Install every wasm kernel fix (idempotent; a no-op for kernels wasm does not register).
 * Call after `@tensorflow/tfjs-backend-wasm` is imported; `initBackend` does.
 */
export function installWasmKernelFixes(): void {
  fixMatMulKernels();
  fixElementwiseKernels();
  fixPadKernel();
  fixReductionKernels();
  fixEmptyShapeKernels();
}

export { collapseBroadcast } from './broadcast.js';
export { collapsePadding } from './pad.js';
