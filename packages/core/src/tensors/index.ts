/**
 * Factorized tensors (CP, Tucker, TT, TT-matrix, TR) and rank resolution, mirroring TensorLy 0.9
 * (`cp_tensor.py`, `tucker_tensor.py`, `tt_tensor.py`, `tt_matrix.py`, `tr_tensor.py`).
 */
export { OwnsTensors } from './internal/ownedTensors.js';
export {
  roundHalfEven,
  parseRank,
  validateCpRank,
  validateTuckerRank,
  validateTtRank,
  validateTtMatrixRank,
  validateTrRank,
  type RankSpec,
  type Rounding,
  type ParsedRank,
  type RankOptions,
  type TuckerRankOptions,
  type TtRankOptions,
} from './ranks.js';
export {
  CPTensor,
  cpToTensor,
  cpToUnfolded,
  cpToVec,
  cpNorm,
  cpNormalize,
  cpModeDot,
  validateCpTensor,
  type CPTensorLike,
  type CpToTensorOptions,
  type CpModeDotOptions,
} from './cp.js';
export {
  TuckerTensor,
  tuckerToTensor,
  tuckerToUnfolded,
  tuckerToVec,
  tuckerNorm,
  tuckerNormalize,
  validateTuckerTensor,
  type TuckerTensorLike,
  type TuckerToTensorOptions,
} from './tucker.js';
export { TTTensor, ttToTensor, ttToUnfolded, ttToVec, ttNorm, padTtRank, validateTtTensor, type TTTensorLike, type PadTtRankOptions } from './tt.js';
export {
  TTMatrix,
  ttMatrixToTensor,
  ttMatrixToMatrix,
  ttMatrixToUnfolded,
  ttMatrixToVec,
  ttMatrixNorm,
  validateTtMatrix,
  type TTMatrixLike,
} from './ttMatrix.js';
export { TRTensor, trToTensor, trToUnfolded, trToVec, validateTrTensor, type TRTensorLike } from './tr.js';
export {
  Parafac2Tensor,
  parafac2ToSlice,
  parafac2ToSlices,
  parafac2ToTensor,
  parafac2ToUnfolded,
  parafac2ToVec,
  applyParafac2Projections,
  parafac2Normalise,
  validateParafac2Tensor,
  type Parafac2TensorLike,
  type Parafac2Evolving,
} from './parafac2.js';
export { cpFlipSign, cpPermuteFactors, type CpFlipSignOptions } from './cpFlipSign.js';
export { tuckerModeDot, type TuckerModeDotOptions } from './tuckerModeDot.js';
