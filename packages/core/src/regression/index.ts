/** Low-rank tensor regression (TensorLy 0.9 `tensorly/regression`): CP and Tucker regressors. */
export { cpRegression, CPRegressor, type CpRegressionOptions, type CpRegressionResult } from './cpRegression.js';
export { tuckerRegression, TuckerRegressor, type TuckerRegressionOptions, type TuckerRegressionResult } from './tuckerRegression.js';
