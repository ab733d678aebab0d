export * from './factorizedEmbedding.js';
export { lookupRows, mixedRadixDigits } from './lookup.js';
