export * from './factorizedDense.js';
export { FactorizedConv1D, FactorizedConv2D, FactorizedConv3D, FactorizedConvND } from './factorizedConv.js';
export type { FactorizedConvLayerArgs } from './factorizedConv.js';
