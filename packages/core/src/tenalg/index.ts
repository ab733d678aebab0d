/**
 * Tensor algebra of TensorLy (`tensorly/tenalg/core_tenalg`): n-mode products,
 * Khatri–Rao and Kronecker products, outer and inner products, contractions, MTTKRP and
 * the entry-wise norm. See CONVENTIONS.md §1.3.
 */
export { modeDot, type ModeDotOptions } from './modeDot.js';
export { multiModeDot, type MultiModeDotOptions } from './multiModeDot.js';
export { khatriRao, type KhatriRaoOptions } from './khatriRao.js';
export { kronecker, type KroneckerOptions } from './kronecker.js';
export { outer, batchedOuter } from './outer.js';
export { inner } from './inner.js';
export { tensordot, type ContractionModes, type ModeList } from './tensordot.js';
export { mttkrp, type MttkrpMethod, type MttkrpOptions } from './mttkrp.js';
export { norm, type NormOrder } from './norm.js';
export { higherOrderMoment } from './higherOrderMoment.js';
export { sampleKhatriRao, type SampleKhatriRaoOptions, type SampledKhatriRao } from './sampleKhatriRao.js';
