export * from './factorizedDense.js';
