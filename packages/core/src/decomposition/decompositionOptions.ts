/**
 * The options object of each factorization's decomposition, by the factorization's name (the
 * names of tltorch and `@tenfold/factorized-layers`): what `parafac`, `tucker`,
 * `tensorTrain` / `tensorTrainMatrix` and `tensorRing` accept, typed, so that a caller that
 * passes a decomposition's options through (e.g. `FactorizedTensor.fromTensor(t, { decomposition })`)
 * needs no cast at the package boundary. Each options type is also the schema of that
 * function's accepted keys (`optionKeys<ParafacOptions>()(...)` in its file; the compiler
 * rejects a list that drifts from the type).
 */
import type { ParafacOptions } from './cp.js';
import type { TuckerOptions } from './tucker.js';
import type { TensorTrainOptions } from './tt.js';
import type { TensorRingOptions } from './trSvd.js';

export interface DecompositionOptionsMap {
  /** `parafac` (CP-ALS). */
  cp: ParafacOptions;
  /** `tucker` (HOOI). */
  tucker: TuckerOptions;
  /** `tensorTrain` (TT-SVD). */
  tt: TensorTrainOptions;
  /** `tensorTrainMatrix` (TT-SVD of the matrix's tensorization; tltorch's BlockTT). */
  blocktt: TensorTrainOptions;
  /** `tensorRing` (TR-SVD). */
  tr: TensorRingOptions;
}

/** The decomposition options of factorization `K` (of any factorization without `K`). */
export type DecompositionOptions<K extends keyof DecompositionOptionsMap = keyof DecompositionOptionsMap> = DecompositionOptionsMap[K];
