export { FactorizedEmbedding, SubFactorizedEmbedding, resolveEmbeddingShape, checkIndices, type FactorizedEmbeddingOptions, type FromEmbeddingOptions } from './factorizedEmbedding.js';
