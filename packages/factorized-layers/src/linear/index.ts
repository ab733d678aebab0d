export * from './plan.js';
export * from './factorizedLinear.js';
