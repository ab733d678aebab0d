/**
 * The parameters of a tensorized weight as plain tensors, and the pure (differentiable)
 * functions over them: reconstruction, layer indexing. `TensorizedTensor` owns them as
 * tf.Variables; `FactorizedDense` reads them from its tfjs-layers weights; both run the
 * same code below and the contraction plans of `../linear/plan.ts`.
 */
import { ArgumentError, ModeError, ShapeError, describe, tf } from '@tenfold/core';
import { checkKind, checkLayerIndex, checkLive, checkParamsObject, checkParsedShape, checkResolvedRank, checkShapesFit } from '../internal/paramChecks.js';
import { type ParsedTensorizedShape, flatShape, matrixShape, prod } from './shape.js';

export type Factorization = 'cp' | 'tucker' | 'blocktt' | 'dense';
export const FACTORIZATIONS: readonly Factorization[] = ['cp', 'tucker', 'blocktt', 'dense'];

/** Parse a factorization name case-insensitively ('CP', 'Tucker', 'BlockTT', 'Dense'). */
export function parseFactorization(name: unknown, argName = 'factorization'): Factorization {
  const lower = typeof name === 'string' ? name.toLowerCase() : undefined;
  if (lower === undefined || !(FACTORIZATIONS as readonly string[]).includes(lower)) {
    throw new ArgumentError(
      `${argName} must be one of 'cp', 'tucker', 'blocktt', 'dense' (case-insensitive; tltorch has no 'tt'/'ttm' tensorized matrix: use 'blocktt'); got ${describe(name)}`,
    );
  }
  return lower as Factorization;
}

/**
 * CP over the flattened shape (batch..., out..., in...): `weights (R)`, `factors[k] (I_k, R)`.
 * W[i_0..i_N] = sum_r w_r prod_k F_k[i_k, r].
 */
export interface CpParams {
  kind: 'cp';
  weights: tf.Tensor;
  factors: tf.Tensor[];
}
/** Tucker over the flattened shape: `core (R_0..R_N)`, `factors[k] (I_k, R_k)`. W = core x_k F_k. */
export interface TuckerParams {
  kind: 'tucker';
  core: tf.Tensor;
  factors: tf.Tensor[];
}
/**
 * Block-TT (TT-matrix): `cores[k] (r_k, batch..., out_k, in_k, r_{k+1})`, r_0 = r_n = 1; a
 * batch mode is replicated in every core (tltorch's BlockTT), so layer b of the weight is
 * the TT-matrix with cores `cores[k][:, b]`.
 */
export interface BlockTtParams {
  kind: 'blocktt';
  cores: tf.Tensor[];
}
/** Dense: the matrix itself, `(batch..., out, in)`. */
export interface DenseParams {
  kind: 'dense';
  matrix: tf.Tensor;
}
export type FactorParams = CpParams | TuckerParams | BlockTtParams | DenseParams;

/** The tensors of `p`, in a fixed order (the order of `paramShapes`, used for serialization). */
export function paramList(p: FactorParams): tf.Tensor[] {
  checkParamsObject(p);
  switch (p.kind) {
    case 'cp':
      return [p.weights, ...p.factors];
    case 'tucker':
      return [p.core, ...p.factors];
    case 'blocktt':
      return [...p.cores];
    case 'dense':
      return [p.matrix];
  }
}

/** Inverse of `paramList`. */
export function paramsFromList(kind: Factorization, list: tf.Tensor[]): FactorParams {
  checkKind(kind);
  const need = kind === 'dense' ? '1' : kind === 'blocktt' ? 'at least 1' : 'at least 2';
  const n = Array.isArray(list) ? list.length : -1;
  if (n < 0 || (kind === 'dense' ? n !== 1 : n < (kind === 'blocktt' ? 1 : 2))) {
    throw new ArgumentError(`list of '${kind}' parameters must be an array of ${need} tensors; got ${describe(list)}`);
  }
  list.forEach((t, k) => {
    if (!(t instanceof tf.Tensor)) throw new ArgumentError(`list[${k}] must be a tf.Tensor; got ${describe(t)}`);
  });
  switch (kind) {
    case 'cp':
      return { kind, weights: list[0], factors: list.slice(1) };
    case 'tucker':
      return { kind, core: list[0], factors: list.slice(1) };
    case 'blocktt':
      return { kind, cores: list.slice() };
    case 'dense':
      return { kind, matrix: list[0] };
  }
}

/** Resolved rank: R for CP, per-mode ranks for Tucker, the TT rank (with boundary 1s) for BlockTT, null for dense. */
export type ResolvedRank = number | number[] | null;

/** Shapes of the parameters, in `paramList` order, for a shape and resolved rank. */
export function paramShapes(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank): number[][] {
  checkKind(kind);
  checkParsedShape(s);
  checkResolvedRank(kind, s, rank);
  const fs = flatShape(s);
  switch (kind) {
    case 'cp': {
      const r = rank as number;
      return [[r], ...fs.map((d) => [d, r])];
    }
    case 'tucker': {
      const r = rank as number[];
      return [[...r], ...fs.map((d, k) => [d, r[k]])];
    }
    case 'blocktt': {
      const r = rank as number[];
      return s.out.map((o, k) => [r[k], ...s.batch, o, s.in[k], r[k + 1]]);
    }
    case 'dense':
      return [matrixShape(s)];
  }
}

/**
 * Khatri-Rao product of `(I_k, R)` matrices with TensorLy's row order (the first matrix
 * varies slowest): row (i_0, ..., i_K) = prod_k A_k[i_k, :]. Built by broadcasting.
 */
export function khatriRaoOf(mats: tf.Tensor[]): tf.Tensor {
  if (!Array.isArray(mats) || mats.length === 0) throw new ArgumentError(`mats must be a non-empty array of matrices; got ${describe(mats)}`);
  mats.forEach((m, k) => {
    checkLive(m, `mats[${k}]`);
    if (m.rank !== 2) throw new ShapeError(`mats[${k}] must be a matrix (I_k, R); got shape ${describe(m.shape)}`);
  });
  const r0 = mats[0].shape[1];
  if (mats.some((m) => m.shape[1] !== r0)) {
    throw new ShapeError(`mats must all have the same number of columns; got shapes ${describe(mats.map((m) => m.shape))}`);
  }
  return tf.tidy(() => {
    let acc = mats[0];
    for (let k = 1; k < mats.length; k++) {
      const [i, r] = acc.shape as [number, number];
      const j = mats[k].shape[0];
      acc = tf.mul(acc.reshape([i, 1, r]), mats[k].reshape([1, j, r])).reshape([i * j, r]);
    }
    return mats.length === 1 ? tf.clone(acc) : acc;
  });
}

/**
 * Mode products `core x_0 F_0 x_1 F_1 ...` (factors `(I_k, R_k)`), contracting the last mode
 * each time and rotating the new mode to the front, so every step is one plain matmul and
 * one 2-D transpose; after N steps the modes are back in order.
 */
export function multiModeProduct(core: tf.Tensor, factors: tf.Tensor[]): tf.Tensor {
  checkLive(core, 'core');
  if (!Array.isArray(factors) || factors.length !== core.rank) {
    throw new ShapeError(`factors must be ${core.rank} matrices (one per mode of core, shape ${describe(core.shape)}); got ${Array.isArray(factors) ? `${factors.length}` : describe(factors)}`);
  }
  factors.forEach((f, k) => {
    checkLive(f, `factors[${k}]`);
    if (f.rank !== 2 || f.shape[1] !== core.shape[k]) {
      throw new ShapeError(`factors[${k}] must be a matrix (I_${k}, ${core.shape[k]}) to multiply mode ${k} of core; got shape ${describe(f.shape)}`);
    }
  });
  return tf.tidy(() => {
    const n = factors.length;
    let t = core;
    const dims = [...core.shape];
    for (let k = n - 1; k >= 0; k--) {
      const d = dims[k];
      const m = tf.matMul(t.reshape([-1, d]), tf.transpose(factors[k]));
      t = tf.transpose(m);
      dims[k] = factors[k].shape[0];
    }
    return t.reshape(dims);
  });
}

/**
 * Full tensor over the flattened shape (batch..., out..., in...) from the parameters.
 * CP: `(F_0 * w) @ khatriRao(F_1..)^T`; Tucker: the mode products; BlockTT: the TT-matrix
 * chain, per batch index; dense: a reshape.
 */
export function paramsToTensor(p: FactorParams, s: ParsedTensorizedShape): tf.Tensor {
  checkParamsFit(p, s);
  const fs = flatShape(s);
  return tf.tidy(() => {
    switch (p.kind) {
      case 'cp': {
        if (p.factors.length === 1) return tf.sum(tf.mul(p.factors[0], p.weights), 1).reshape(fs);
        const kr = khatriRaoOf(p.factors.slice(1));
        return tf.matMul(tf.mul(p.factors[0], p.weights), kr, false, true).reshape(fs);
      }
      case 'tucker':
        return multiModeProduct(p.core, p.factors).reshape(fs);
      case 'dense':
        return p.matrix.reshape(fs);
      case 'blocktt': {
        if (s.batch.length === 0) return blockTtToTensor(p.cores, s.out, s.in);
        const layers: tf.Tensor[] = [];
        for (let b = 0; b < s.batch[0]; b++) {
          const sub = indexLayer(p, s, b);
          layers.push(paramsToTensor(sub.params, sub.shape));
        }
        return tf.stack(layers).reshape(fs);
      }
    }
  });
}

/** Unbatched TT-matrix cores (r_k, out_k, in_k, r_{k+1}) -> tensor (out..., in...). */
function blockTtToTensor(cores: tf.Tensor[], out: number[], inn: number[]): tf.Tensor {
  const n = cores.length;
  let acc = cores[0].reshape([-1, cores[0].shape[3] as number]);
  for (let k = 1; k < n; k++) {
    const r = cores[k].shape[0] as number;
    acc = tf.matMul(acc, cores[k].reshape([r, -1])).reshape([-1, cores[k].shape[3] as number]);
  }
  // acc is (o_0, i_0, o_1, i_1, ...): interleaved; bring the out modes first.
  const inter: number[] = [];
  for (let k = 0; k < n; k++) inter.push(out[k], inn[k]);
  const perm = [...out.map((_, k) => 2 * k), ...inn.map((_, k) => 2 * k + 1)];
  return tf.transpose(acc.reshape(inter), perm);
}

/** The weight matrix (batch..., out, in). */
export function paramsToMatrix(p: FactorParams, s: ParsedTensorizedShape): tf.Tensor {
  checkParamsFit(p, s);
  return tf.tidy(() => paramsToTensor(p, s).reshape(matrixShape(s)));
}

/**
 * Index the first batch mode (a layer of a joint parametrisation), as tltorch's
 * `weight(indices)`: CP multiplies the layer factor's row into the weights and drops the
 * mode; Tucker contracts `core x_0 F_layer[i, :]`; BlockTT takes `[:, i]` of every core;
 * dense takes `matrix[i]`. The result shares nothing (new tensors, differentiable).
 */
export function indexLayer(p: FactorParams, s: ParsedTensorizedShape, i: number): { params: FactorParams; shape: ParsedTensorizedShape } {
  checkParamsFit(p, s);
  if (s.batch.length === 0) throw new ModeError(`shape ${describe(s)} has no batch (layer) mode to index`);
  checkLayerIndex(i, s.batch[0], 'i');
  const shape: ParsedTensorizedShape = { batch: s.batch.slice(1), out: [...s.out], in: [...s.in] };
  // tf.slice rather than tf.gather: gather's gradient needs UnsortedSegmentSum, which the
  // wasm backend lacks; slice's gradient is a pad.
  const row = (t: tf.Tensor, axis: number): tf.Tensor => {
    const begin = t.shape.map((_, k) => (k === axis ? i : 0));
    const size = t.shape.map((d, k) => (k === axis ? 1 : d));
    return tf.slice(t, begin, size).reshape(t.shape.filter((_, k) => k !== axis));
  };
  const list = tf.tidy((): tf.Tensor[] => {
    switch (p.kind) {
      case 'cp':
        return [tf.mul(p.weights, row(p.factors[0], 0)), ...p.factors.slice(1).map((f) => tf.clone(f))];
      case 'tucker': {
        const r0 = p.core.shape[0];
        const core = tf.matMul(row(p.factors[0], 0).reshape([1, r0]), p.core.reshape([r0, -1])).reshape(p.core.shape.slice(1));
        return [core, ...p.factors.slice(1).map((f) => tf.clone(f))];
      }
      case 'blocktt':
        return p.cores.map((c) => row(c, 1));
      case 'dense':
        return [row(p.matrix, 0)];
    }
  });
  return { params: paramsFromList(p.kind, list), shape };
}

/** Number of parameters of a factorization (batch modes included). */
export function paramCountOf(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank): number {
  checkKind(kind);
  return paramShapes(kind, s, rank).reduce((a, sh) => a + prod(sh), 0);
}

/**
 * The rank that parameters carry (R, core shape, TT rank with boundary 1s, null).
 * @throws ArgumentError when `p` is not a parameter object of live tensors
 */
export function rankFromParams(p: FactorParams): ResolvedRank {
  checkParamsObject(p);
  switch (p.kind) {
    case 'cp':
      return p.weights.shape[0];
    case 'tucker':
      return [...p.core.shape];
    case 'blocktt':
      return [...p.cores.map((c) => c.shape[0]), 1];
    case 'dense':
      return null;
  }
}

/**
 * Parameters that fit shape `s`: a live parameter object whose tensors have the shapes
 * `paramShapes(kind, s, rank)` for the rank they carry.
 * @throws ArgumentError (not parameters, dead tensors), ShapeError (another shape)
 */
function checkParamsFit(p: FactorParams, s: ParsedTensorizedShape): void {
  checkParamsObject(p);
  checkParsedShape(s);
  const got = paramList(p).map((t) => t.shape);
  const rank = rankFromParams(p);
  let want: number[][] | null = null;
  try {
    want = paramShapes(p.kind, s, rank);
  } catch {
    want = null; // the rank they carry does not fit this shape: reported below
  }
  checkShapesFit(got, want ?? [], 'params', `'${p.kind}' parameters of shape ${describe(flatShape(s))}`);
}
