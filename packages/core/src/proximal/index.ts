/**
 * Proximal operators and the small solvers built on them (TensorLy 0.9
 * `tenalg/proximal.py`, `solvers/admm.py`, `solvers/nnls.py::hals_nnls`): they feed
 * `robustPca` and `constrainedParafac`. See docs/guide-decompositions.md.
 */
export { type Constraint, type ConstraintType } from './constraint.js';
export {
  softThresholding,
  hardThresholding,
  proximalOperator,
  simplexProx,
  softSparsityProx,
  smoothnessProx,
  monotonicityProx,
  unimodalityProx,
  l2Prox,
  l2SquareProx,
  normalizedSparsityProx,
  type MonotonicityProxOptions,
} from './operators.js';
export { svdThresholding, procrustes } from './svdThresholding.js';
export { admm, type AdmmOptions, type AdmmResult } from './admm.js';
export { halsNnls, type HalsNnlsOptions } from './halsNnls.js';
