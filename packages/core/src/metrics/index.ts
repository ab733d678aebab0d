/** Metrics of TensorLy 0.9 (`tensorly/metrics`): MSE, RMSE and the congruence coefficient. */
export { mse, rmse, congruenceCoefficient, type MatrixOrList, type CongruenceOptions, type CongruenceResult } from './metrics.js';
export { linearSumAssignment } from './hungarian.js';
