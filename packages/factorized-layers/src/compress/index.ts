/**
 * compressModel: factorize the Dense / Conv1D-3D / Embedding layers of any tfjs LayersModel, with a
 * per-layer report, rank guards and a parameter / FLOP budget.
 */
export { compressModel } from './compressModel.js';
export type {
  CalibrationOptions,
  CompressFactorization,
  CompressLayerReport,
  CompressModelOptions,
  CompressRank,
  CompressResult,
  CompressSummary,
  CompressTransfer,
  LayerCompressOptions,
} from './types.js';
