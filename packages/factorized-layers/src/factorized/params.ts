/**
 * The parameters of a (non-tensorized) factorized tensor as plain tensors, and the pure,
 * differentiable functions over them: parameter shapes for a rank, reconstruction, indexing
 * of the first mode. `FactorizedTensor` owns them as tf.Variables; `FactorizedConv` and the
 * tfjs `FactorizedConvND` layers read them inside `tf.tidy` and run the same code.
 *
 * Mirrors tltorch 0.5 `factorized_tensors/factorized_tensors.py` (`CPTensor`,
 * `TuckerTensor`, `TTTensor`, `DenseTensor`); reconstruction goes through core's
 * `cpToTensor` / `tuckerToTensor` / `ttToTensor` (TensorLy's formulas).
 */
import { ArgumentError, ModeError, ShapeError, cpToTensor, describe, tf, ttToTensor, tuckerToTensor } from '@tenfold/core';

export type TensorFactorization = 'cp' | 'tucker' | 'tt' | 'dense';
export const TENSOR_FACTORIZATIONS: readonly TensorFactorization[] = ['cp', 'tucker', 'tt', 'dense'];

/** CP: `weights (R)`, `factors[k] (I_k, R)`; T = sum_r w_r F_0[:, r] o ... o F_{N-1}[:, r]. */
export interface CpFactors {
  kind: 'cp';
  weights: tf.Tensor;
  factors: tf.Tensor[];
}
/** Tucker: `core (R_0..R_{N-1})`, `factors[k] (I_k, R_k)`; T = core x_0 F_0 ... x_{N-1} F_{N-1}. */
export interface TuckerFactors {
  kind: 'tucker';
  core: tf.Tensor;
  factors: tf.Tensor[];
}
/** TT: `factors[k] (r_k, I_k, r_{k+1})`, r_0 = r_N = 1. */
export interface TtFactors {
  kind: 'tt';
  factors: tf.Tensor[];
}
/** Dense: the tensor itself. */
export interface DenseFactors {
  kind: 'dense';
  tensor: tf.Tensor;
}
export type FactorizedParams = CpFactors | TuckerFactors | TtFactors | DenseFactors;

/** Resolved rank: R (CP), per-mode ranks (Tucker), `(1, r_1, ..., 1)` (TT), null (dense). */
export type FactorizedRank = number | number[] | null;

/** Parse a factorization name case-insensitively ('CP', 'Tucker', 'TT', 'Dense'). @throws ArgumentError */
export function parseTensorFactorization(name: unknown, argName = 'factorization'): TensorFactorization {
  const lower = typeof name === 'string' ? name.toLowerCase() : undefined;
  if (lower === undefined || !(TENSOR_FACTORIZATIONS as readonly string[]).includes(lower)) {
    throw new ArgumentError(`${argName} must be one of 'cp', 'tucker', 'tt', 'dense' (case-insensitive); got ${describe(name)}`);
  }
  return lower as TensorFactorization;
}

/** The tensors of `p` in a fixed order (CP: weights, factors; Tucker: core, factors; TT: cores; dense: tensor). */
export function factorizedParamList(p: FactorizedParams): tf.Tensor[] {
  switch (p.kind) {
    case 'cp':
      return [p.weights, ...p.factors];
    case 'tucker':
      return [p.core, ...p.factors];
    case 'tt':
      return [...p.factors];
    case 'dense':
      return [p.tensor];
  }
}

/** Inverse of `factorizedParamList`. @throws ArgumentError for a wrong count */
export function factorizedParamsFromList(kind: TensorFactorization, list: tf.Tensor[]): FactorizedParams {
  const min = kind === 'dense' ? 1 : kind === 'tt' ? 1 : 2;
  if (!Array.isArray(list) || list.length < min || (kind === 'dense' && list.length !== 1)) {
    throw new ArgumentError(`list of '${kind}' parameters must hold ${kind === 'dense' ? 'one tensor' : `at least ${min} tensors`}; got ${describe(list)}`);
  }
  switch (kind) {
    case 'cp':
      return { kind, weights: list[0], factors: list.slice(1) };
    case 'tucker':
      return { kind, core: list[0], factors: list.slice(1) };
    case 'tt':
      return { kind, factors: list.slice() };
    case 'dense':
      return { kind, tensor: list[0] };
  }
}

/** Shapes of the parameters (in `factorizedParamList` order) of a tensor of `shape` at a resolved rank. */
export function factorizedParamShapes(kind: TensorFactorization, shape: readonly number[], rank: FactorizedRank): number[][] {
  switch (kind) {
    case 'cp':
      return [[rank as number], ...shape.map((d) => [d, rank as number])];
    case 'tucker':
      return [[...(rank as number[])], ...shape.map((d, k) => [d, (rank as number[])[k]])];
    case 'tt':
      return shape.map((d, k) => [(rank as number[])[k], d, (rank as number[])[k + 1]]);
    case 'dense':
      return [[...shape]];
  }
}

/** The rank the parameters carry. */
export function rankOfParams(p: FactorizedParams): FactorizedRank {
  switch (p.kind) {
    case 'cp':
      return p.weights.shape[0];
    case 'tucker':
      return [...p.core.shape];
    case 'tt':
      return [...p.factors.map((f) => f.shape[0]), 1];
    case 'dense':
      return null;
  }
}

/** The full shape the parameters represent. */
export function shapeOfParams(p: FactorizedParams): number[] {
  switch (p.kind) {
    case 'cp':
    case 'tucker':
      return p.factors.map((f) => f.shape[0]);
    case 'tt':
      return p.factors.map((f) => f.shape[1] as number);
    case 'dense':
      return [...p.tensor.shape] as number[];
  }
}

/** The full tensor (TensorLy's `cp_to_tensor` / `tucker_to_tensor` / `tt_to_tensor`); differentiable. */
export function factorizedToTensor(p: FactorizedParams): tf.Tensor {
  switch (p.kind) {
    case 'cp':
      return cpToTensor({ weights: p.weights, factors: p.factors });
    case 'tucker':
      // An order-1 Tucker tensor (a joint layer's last mode) is F_0 core; TensorLy wants >= 2 factors.
      if (p.factors.length === 1) return tf.tidy(() => tf.reshape(tf.matMul(p.factors[0], tf.reshape(p.core, [-1, 1])), [-1]));
      return tuckerToTensor({ core: p.core, factors: p.factors });
    case 'tt':
      return ttToTensor(p.factors);
    case 'dense':
      return tf.clone(p.tensor);
  }
}

/** Row `i` of `t` along `axis`, the axis dropped; tf.slice (its gradient is a pad) rather than gather. */
function sliceAxis(t: tf.Tensor, axis: number, i: number): tf.Tensor {
  const begin = t.shape.map((_, k) => (k === axis ? i : 0));
  const size = t.shape.map((d, k) => (k === axis ? 1 : d));
  return tf.reshape(tf.slice(t, begin, size), t.shape.filter((_, k) => k !== axis));
}

/**
 * Index `i` of the first mode, the mode dropped (tltorch `tensor[i]`, used for layer `i` of a
 * joint parametrisation): CP multiplies `F_0[i, :]` into the weights; Tucker contracts
 * `core x_0 F_0[i, :]`; TT contracts `G_0[:, i, :]` (1 x r_1) into core 1; dense slices.
 * New tensors, differentiable; call inside `tf.tidy` when the result is temporary.
 * @throws ModeError for an order-1 tensor or an index out of range
 */
export function indexFirstMode(p: FactorizedParams, i: number): FactorizedParams {
  const shape = shapeOfParams(p);
  if (shape.length < 2) throw new ModeError(`cannot index the first mode of an order-${shape.length} factorized tensor (nothing would be left)`);
  if (!Number.isInteger(i) || i < 0 || i >= shape[0]) throw new ModeError(`index must be an integer in [0, ${shape[0] - 1}]; got ${describe(i)}`);
  return tf.tidy(() => {
    switch (p.kind) {
      case 'cp':
        return { kind: 'cp', weights: tf.mul(p.weights, sliceAxis(p.factors[0], 0, i)), factors: p.factors.slice(1).map((f) => tf.clone(f)) };
      case 'tucker': {
        const r0 = p.core.shape[0];
        const core = tf.reshape(tf.matMul(tf.reshape(sliceAxis(p.factors[0], 0, i), [1, r0]), tf.reshape(p.core, [r0, -1])), p.core.shape.slice(1));
        return { kind: 'tucker', core, factors: p.factors.slice(1).map((f) => tf.clone(f)) };
      }
      case 'tt': {
        const r1 = p.factors[0].shape[2] as number;
        const g = tf.reshape(sliceAxis(p.factors[0], 1, i), [1, r1]);
        const next = p.factors[1];
        const merged = tf.reshape(tf.matMul(g, tf.reshape(next, [r1, -1])), [1, next.shape[1] as number, next.shape[2] as number]);
        return { kind: 'tt', factors: [merged, ...p.factors.slice(2).map((f) => tf.clone(f))] };
      }
      case 'dense':
        return { kind: 'dense', tensor: sliceAxis(p.tensor, 0, i) };
    }
  }) as FactorizedParams;
}

/** Parameters whose shapes are `want`, else a ShapeError naming `argName`. */
export function checkParamShapes(list: tf.Tensor[], want: number[][], argName: string): void {
  const ok = list.length === want.length && list.every((t, k) => t.shape.length === want[k].length && t.shape.every((d, j) => d === want[k][j]));
  if (!ok) throw new ShapeError(`${argName} must have shapes ${describe(want)}; got ${describe(list.map((t) => t.shape))}`);
}
