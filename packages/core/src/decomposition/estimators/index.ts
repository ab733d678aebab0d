/** Estimator classes over the decomposition functions (TensorLy's scikit-style classes). */
export { Estimator, type Fitted, type Disposable } from './base.js';
export {
  CP,
  RandomizedCP,
  NonNegativeCP,
  NonNegativeCPHals,
  CPPower,
  SymmetricCP,
  Tucker,
  NonNegativeTucker,
  NonNegativeTuckerHals,
  TensorTrain,
  TensorTrainMatrix,
  type OwnedSymmetricCp,
} from './classes.js';
export { TensorRing, TensorRingALS, TensorRingALSSampled, Parafac2, ConstrainedCP } from './classes2.js';
