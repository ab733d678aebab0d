export * from './factorizedDense.js';
export * from './factorizedEmbeddingLayer.js';
export * from './trlLayer.js';
export * from './tclLayer.js';
