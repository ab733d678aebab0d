/** Metrics of TensorLy 0.9 (`tensorly/metrics`): MSE, RMSE and the congruence coefficient. */
export { mse, rmse, congruenceCoefficient, type MatrixOrList, type CongruenceOptions, type CongruenceResult } from './metrics.js';
export { linearSumAssignment } from '../base/internal/hungarian.js';
export { coreConsistency, explainedVariance, type CoreConsistencyOptions, type CoreConsistencyResult } from './coreConsistency.js';
export { factorMatchScore, type FactorMatchScoreOptions, type FactorMatchScoreResult } from './factorMatchScore.js';
export { correlationIndex, type CorrelationIndexMethod, type CorrelationIndexOptions } from './correlationIndex.js';
export { vonneumannEntropy, ttVonneumannEntropy, tensorTrainVonneumannEntropy, cpVonneumannEntropy } from './entropy.js';
