export * from './factorizedDense.js';
export type { DecomposedConvArgs } from './decomposedConvBase.js';
export { CpConv2D } from './cpConv2d.js';
export type { CpConv2DArgs, CpFromConvOptions } from './cpConv2d.js';
export { Tucker2Conv2D } from './tucker2Conv2d.js';
export type { Tucker2Conv2DArgs, Tucker2FromConvOptions } from './tucker2Conv2d.js';
