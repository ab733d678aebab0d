/**
 * @tenfold/core — TensorLy's tensor algebra and decompositions on TensorFlow.js.
 *
 * Importing this module starts selecting the backend (see `initBackend`): the native
 * TensorFlow binding where it is installed, else wasm, else cpu. It does not wait (no
 * top-level await, so `require('@tenfold/core')` works): `await ready()` before timing or
 * comparing results; until then tfjs's cpu backend is active. Set TENFOLD_NO_AUTO_INIT=1
 * to skip that and call `initBackend()` yourself.
 *
 * @packageDocumentation
 * @module @tenfold/core
 */
import { autoInit } from './backend/index.js';

export { tf, initBackend, ready, backendInfo, installWasmKernelFixes, WASM_FIXED_KERNELS, requestWasmThreads, wasmThreadsCount } from './backend/index.js';
export type { BackendInfo, BackendName } from './backend/index.js';
export { tidyObject } from './backend/tidyObject.js';
/** Placement thresholds the rank package routes by (one definition each, with its reason, in backend/placement.ts). */
export { EVBMF_HOST_SVD_LIMIT, EVBMF_EXACT_SVD_LIMIT, TWO_STAGE_MIN_SIZE, GRAM_TAIL_TOLERANCE } from './backend/placement.js';
export type { HostMatrix } from './backend/transfer.js';
export { toHostMatrix, fromHostMatrix, toHost64, readFloat32Into } from './io/transfer.js';
export * from './checks/index.js';
export * from './errors/index.js';
export * from './io/index.js';
export * from './base/index.js';
export * from './tenalg/index.js';
export * from './linalg/index.js';
export * from './proximal/index.js';
export * from './tensors/index.js';
export * from './decomposition/index.js';
export * from './random/index.js';
export * from './metrics/index.js';
export * from './regression/index.js';

autoInit();
