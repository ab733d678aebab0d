/**
 * Conv decompositions (CP: 4 convs, Tucker-2: 3 convs), plain conv specs and their evaluation.
 */
export { cpConv2d, tucker2Conv2d } from './decompositions.js';
export type { ConvDecompositionOptions, CpConv2dOptions, Tucker2Conv2dOptions } from './decompositions.js';
export { applyConvSequence, disposeConvSpecs } from './sequence.js';
export type { ConvSpec } from './sequence.js';
export { kernelFromTfjs, kernelToTfjs, resolveConvWeight, tfjsToTorchKernelPerm, toChannelsFirst, toChannelsLast, torchToTfjsKernelPerm } from './layout.js';
export type { KernelLayout } from './layout.js';
export { convGeometry, convOutputSize, resolvePadding } from './geometry.js';
export type { ConvGeometry, ConvPadding, ExplicitPadding2D, IntPair } from './geometry.js';
export { FactorizedConv, SubFactorizedConv } from './factorizedConv.js';
export type { FactorizedConvImplementation, FactorizedConvOptions } from './factorizedConv.js';
export type { ConvLike, ConvSpecLike, FromConvListOptions, FromConvOptions } from './factorizedConvFrom.js';
export type { ConvFlops, ConvImplementation } from './factorizedConvForward.js';
export type { ConvLayerGeometry } from './factorizedConvSpec.js';
export type { ConvPaddingNd } from './geometry.js';
