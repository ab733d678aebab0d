/**
 * Seeded random numbers and random (factorized) tensors, mirroring TensorLy 0.9
 * `tensorly/random/base.py`. Values are generated on the host, so a seed gives the same
 * tensor on every backend.
 */
export { createRng, toRng, uniformTensor, normalTensor, type Rng, type Seed } from '../base/rng.js';
export {
  randomTensor,
  randomCp,
  randomTucker,
  randomTt,
  randomTtMatrix,
  randomTr,
  type RandomOptions,
  type RandomFactorizedOptions,
  type RandomCpOptions,
  type RandomTuckerOptions,
  type RandomTtOptions,
  type RandomTrOptions,
} from './generators.js';
export { randomParafac2, type RandomParafac2Options } from './parafac2.js';
