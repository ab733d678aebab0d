/**
 * CP (CANDECOMP/PARAFAC, Kruskal) tensors: `T = sum_r w_r a^(0)_r o a^(1)_r o ... o a^(N-1)_r`
 * with factors `F_k` of shape `(I_k, R)` and weights `w` of shape `(R,)`
 * (Kolda & Bader, "Tensor Decompositions and Applications", SIAM Review 2009, §3).
 * Mirrors TensorLy 0.9 `tensorly/cp_tensor.py`.
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { checkLiveTensor, checkLiveTensors } from './internal/ownedTensors.js';
import { assertFinite, checkFiniteIfEnabled, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, RankError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { khatriRao } from '../tenalg/index.js';
import { OwnsTensors, adopt, checkList, safeColumnNorms } from './internal/ownedTensors.js';

/** Anything with CP weights and factors: a {@link CPTensor} or a plain `{ weights, factors }`. */
export interface CPTensorLike {
  /** `(R,)`; `null`/absent means all ones. */
  weights?: TensorLike | null;
  /** `N` matrices of shape `(I_k, R)`. */
  factors: readonly TensorLike[];
}

/**
 * Check factor and weight shapes; returns `{ shape, rank }`. Throws a ShapeError that names
 * the offending factor.
 */
export function validateCpTensor(weights: tf.Tensor | null, factors: readonly tf.Tensor[]): { shape: number[]; rank: number } {
  checkLiveTensors(factors, 'factors');
  if (weights !== null && weights !== undefined) checkLiveTensor(weights, 'weights');
  if (factors.length < 1) throw new ArgumentError(`factors must hold at least one matrix; got ${factors.length}`);
  factors.forEach((f, i) => {
    if (f.rank !== 2) throw new ShapeError(`factors[${i}] must be a matrix (I_${i}, R); got shape ${describe(f.shape)}`);
  });
  const rank = factors[0].shape[1] as number;
  if (rank < 1) throw new RankError(`the CP rank (columns of factors[0]) must be at least 1; got shape ${describe(factors[0].shape)}`);
  factors.forEach((f, i) => {
    if (f.shape[1] !== rank) {
      throw new ShapeError(`factors[${i}] must have R = ${rank} columns like factors[0]; got shape ${describe(f.shape)}`);
    }
  });
  if (weights !== null && (weights.rank !== 1 || weights.shape[0] !== rank)) {
    throw new ShapeError(`weights must be a vector of length R = ${rank}; got shape ${describe(weights.shape)}`);
  }
  return { shape: factors.map((f) => f.shape[0] as number), rank };
}

/** Convert a CPTensorLike inside a tidy (no ownership taken). */
function readCp(cp: CPTensorLike, argName = 'cp'): { weights: tf.Tensor1D; factors: tf.Tensor2D[]; shape: number[]; rank: number } {
  if (typeof cp !== 'object' || cp === null || !('factors' in cp)) {
    throw new ArgumentError(`${argName} must be a CPTensor or {weights, factors}; got ${describe(cp)}`);
  }
  if (cp instanceof CPTensor) cp.assertAlive(argName);
  const factors = checkList(cp.factors, `${argName}.factors`, 1).map((f, i) => toTensor(f as TensorLike, `${argName}.factors[${i}]`)) as tf.Tensor2D[];
  const w = cp.weights === undefined || cp.weights === null ? null : toTensor(cp.weights, `${argName}.weights`);
  const { shape, rank } = validateCpTensor(w, factors);
  return { weights: (w ?? tf.ones([rank])) as tf.Tensor1D, factors, shape, rank };
}

/**
 * Entry check of a CP argument named `argName`: an object with live, well-formed factors
 * (and weights), and finite entries: always with `finite: 'always'` (metrics and
 * diagnostics), else only when `setFiniteChecks` is on. Keeps no tensor.
 *
 * @throws ArgumentError, ShapeError, RankError, NonFiniteError naming `argName`
 */
export function checkCpArg(cp: CPTensorLike, argName: string, finite: 'always' | 'ifEnabled' = 'ifEnabled'): { shape: number[]; rank: number } {
  return tf.tidy(() => {
    const { weights, factors, shape, rank } = readCp(cp, argName);
    const check = finite === 'always' ? assertFinite : checkFiniteIfEnabled;
    factors.forEach((f, i) => check(f, `${argName}.factors[${i}]`));
    if (cp.weights !== null && cp.weights !== undefined) check(weights, `${argName}.weights`);
    return { shape, rank };
  });
}

export interface CpToTensorOptions {
  /** A tensor of the full shape multiplied into the result (TensorLy's `mask`). */
  mask?: TensorLike | null;
}

const CP_TO_TENSOR_OPTIONS = optionKeys<CpToTensorOptions>()('mask');

/**
 * The full tensor of a CP decomposition (TensorLy `cp_to_tensor`):
 * `fold((F_0 * w) @ khatriRao(F_1, ..., F_{N-1})^T, 0, shape)`, one matmul on the backend.
 * A 1-factor CP gives `sum_r w_r F_0[:, r]`. With `mask`, the result is multiplied
 * element-wise by the mask (the entries TensorLy's masked Khatri–Rao product keeps).
 */
export function cpToTensor(cp: CPTensorLike, options: CpToTensorOptions = {}): tf.Tensor {
  options = checkOptions(options, CP_TO_TENSOR_OPTIONS, 'cpToTensor');
  return tf.tidy(() => {
    const { weights, factors, shape } = readCp(cp);
    let full: tf.Tensor;
    if (factors.length === 1) {
      full = tf.sum(tf.mul(factors[0], weights), 1);
    } else {
      const kr = khatriRao(factors, { skipMatrix: 0 });
      full = tf.reshape(tf.matMul(tf.mul(factors[0], weights), tf.transpose(kr)), shape);
    }
    if (options.mask !== undefined && options.mask !== null) {
      const mask = toTensor(options.mask, 'mask');
      if (mask.shape.length !== shape.length || mask.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError(`mask must have the shape of the tensor ${describe(shape)}; got ${describe(mask.shape)}`);
      }
      full = tf.mul(full, mask);
    }
    return full;
  });
}

/**
 * Mode-`mode` unfolding of a CP tensor without forming the tensor first (TensorLy
 * `cp_to_unfolded`): `unfold(T, m) = (F_m * w) @ khatriRao(F, skipMatrix: m)^T`.
 */
export function cpToUnfolded(cp: CPTensorLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { weights, factors, shape } = readCp(cp);
    const m = checkMode(mode, shape.length, 'mode');
    if (factors.length === 1) return tf.reshape(tf.sum(tf.mul(factors[0], weights), 1), [shape[0], 1]);
    const kr = khatriRao(factors, { skipMatrix: m });
    return tf.matMul(tf.mul(factors[m], weights), tf.transpose(kr));
  });
}

/** The vectorised (C-order) CP tensor (TensorLy `cp_to_vec`). */
export function cpToVec(cp: CPTensorLike): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(cpToTensor(cp), [-1]) as tf.Tensor1D);
}

/**
 * Frobenius norm of a CP tensor without forming it (TensorLy `cp_norm`):
 * `||T||^2 = sum_{r,s} w_r w_s prod_k (F_k^T F_k)[r, s]`. The R x R Gram matrices are
 * multiplied on the backend; the final sum runs on the host in float64 (one sync).
 */
export function cpNorm(cp: CPTensorLike): number {
  const m = tf.tidy(() => {
    const { weights, factors } = readCp(cp);
    let g: tf.Tensor = tf.outerProduct(weights, weights);
    for (const f of factors) g = tf.mul(g, tf.matMul(tf.transpose(f), f));
    return g;
  });
  const data = readSync(m);
  m.dispose();
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i];
  // Float32 cancellation can leave a tiny negative sum for a (near) zero tensor.
  return Math.sqrt(Math.max(s, 0));
}

/**
 * Normalised CP tensor (TensorLy `cp_normalize`): the first factor absorbs the weights,
 * then every factor's columns are scaled to unit norm and the norms multiply into the
 * weights; zero columns are divided by 1. Returns a new CPTensor (the input is untouched;
 * TensorLy's `CPTensor.normalize()` mutates in place).
 */
export function cpNormalize(cp: CPTensorLike): CPTensor {
  const { weights, factors } = tf.tidy(() => {
    const { weights: w0, factors: fs } = readCp(cp);
    let weights: tf.Tensor1D = w0;
    const out: tf.Tensor2D[] = [];
    fs.forEach((f0, i) => {
      let f: tf.Tensor2D = f0;
      if (i === 0) {
        f = tf.mul(f, weights);
        weights = tf.onesLike(weights);
      }
      const { scales, safe } = safeColumnNorms(f);
      weights = tf.mul(weights, scales);
      out.push(tf.div(f, tf.reshape(safe, [1, -1])));
    });
    return { weights, factors: out };
  });
  return new CPTensor(weights, factors);
}

export interface CpModeDotOptions {
  /** With a vector, keep the contracted mode as a size-1 mode instead of removing it. */
  keepDim?: boolean;
}

const CP_MODE_DOT_OPTIONS = optionKeys<CpModeDotOptions>()('keepDim');

/**
 * n-mode product of a CP tensor with a matrix `(J, I_mode)` or a vector `(I_mode,)`
 * (TensorLy `cp_mode_dot`), in factored form:
 * a matrix replaces `F_mode` by `M @ F_mode`; a vector contracts the mode, and the row
 * `v @ F_mode` multiplies factor `max(mode - 1, 0)` of the remaining ones (with `keepDim`,
 * `F_mode` becomes the `(1, R)` row instead). Returns a new CPTensor (TensorLy mutates its
 * input unless `copy=True`).
 */
export function cpModeDot(cp: CPTensorLike, matrixOrVector: TensorLike, mode: number, options: CpModeDotOptions = {}): CPTensor {
  const { keepDim = false } = checkOptions(options, CP_MODE_DOT_OPTIONS, 'cpModeDot');
  if (typeof keepDim !== 'boolean') throw new ArgumentError(`keepDim must be a boolean; got ${describe(keepDim)}`);
  const { weights, factors } = tf.tidy(() => {
    const { weights, factors, shape } = readCp(cp);
    const m = checkMode(mode, shape.length, 'mode');
    const mv = toTensor(matrixOrVector, 'matrixOrVector');
    const fs: tf.Tensor2D[] = [...factors];
    if (mv.rank === 2) {
      if (mv.shape[1] !== shape[m]) {
        throw new ShapeError(`matrixOrVector of shape ${describe(mv.shape)} must be (J, ${shape[m]}) to multiply mode ${m} of a CP tensor of shape ${describe(shape)}`);
      }
      fs[m] = tf.matMul(mv, fs[m]);
    } else if (mv.rank === 1) {
      if (mv.shape[0] !== shape[m]) {
        throw new ShapeError(`matrixOrVector is a vector of length ${mv.shape[0]}; mode ${m} of the CP tensor of shape ${describe(shape)} needs ${shape[m]}`);
      }
      const row = tf.matMul(tf.reshape(mv, [1, -1]), fs[m]) as tf.Tensor2D; // (1, R)
      if (keepDim) {
        fs[m] = row;
      } else {
        if (fs.length === 1) {
          throw new ShapeError(`contracting the only mode of an order-1 CP tensor leaves no factor; use keepDim: true`);
        }
        fs.splice(m, 1);
        const target = Math.max(m - 1, 0);
        fs[target] = tf.mul(fs[target], row);
      }
    } else {
      throw new ShapeError(`matrixOrVector must be a matrix or a vector; got shape ${describe(mv.shape)}`);
    }
    // Copy what is passed through unchanged so the result owns all its tensors.
    return { weights: tf.clone(weights), factors: fs.map((f) => (factors.includes(f) ? tf.clone(f) : f)) };
  });
  return new CPTensor(weights, factors);
}

/**
 * A CP tensor that owns its weights and factors (TensorLy `CPTensor`).
 * `new CPTensor(weights | null, factors)` takes ownership of the given tf.Tensors (they
 * are disposed by `dispose()`); other TensorLikes are converted. `null` weights are ones.
 */
export class CPTensor extends OwnsTensors implements CPTensorLike {
  readonly weights: tf.Tensor1D;
  readonly factors: tf.Tensor2D[];
  /** `(I_0, ..., I_{N-1})`. */
  readonly shape: number[];
  /** The number of components R. */
  readonly rank: number;
  protected readonly kind = 'CPTensor';
  protected readonly defaultArgName = 'cp';

  constructor(weights: TensorLike | null, factors: readonly TensorLike[]) {
    super();
    checkList(factors, 'factors', 1);
    const inputs = factors.map((f, i) => ({ value: f, name: `factors[${i}]` }));
    if (weights !== null && weights !== undefined) inputs.push({ value: weights, name: 'weights' });
    const built = adopt(inputs, (ts) => {
      const fs = ts.slice(0, factors.length) as tf.Tensor2D[];
      const w = weights !== null && weights !== undefined ? (ts[factors.length] as tf.Tensor1D) : null;
      const info = validateCpTensor(w, fs);
      return { fs, w, ...info };
    });
    this.factors = built.fs;
    this.weights = built.w ?? (tf.ones([built.rank]) as tf.Tensor1D);
    this.shape = built.shape;
    this.rank = built.rank;
  }

  /** The full tensor ({@link cpToTensor}). */
  toTensor(options: CpToTensorOptions = {}): tf.Tensor {
    return cpToTensor(this, options);
  }

  /** The mode-`mode` unfolding ({@link cpToUnfolded}). */
  toUnfolded(mode: number): tf.Tensor2D {
    return cpToUnfolded(this, mode);
  }

  /** The vectorised tensor ({@link cpToVec}). */
  toVec(): tf.Tensor1D {
    return cpToVec(this);
  }

  /** Frobenius norm without forming the tensor ({@link cpNorm}). */
  norm(): number {
    return cpNorm(this);
  }

  /** A new, normalised CPTensor ({@link cpNormalize}); this one is unchanged. */
  normalize(): CPTensor {
    return cpNormalize(this);
  }

  /** n-mode product in factored form ({@link cpModeDot}); returns a new CPTensor. */
  modeDot(matrixOrVector: TensorLike, mode: number, options: CpModeDotOptions = {}): CPTensor {
    return cpModeDot(this, matrixOrVector, mode, options);
  }

  /** A deep copy that owns new tensors. */
  clone(): CPTensor {
    this.assertAlive();
    return new CPTensor(tf.clone(this.weights), this.factors.map((f) => tf.clone(f)));
  }

  protected ownedTensors(): tf.Tensor[] {
    return [this.weights, ...this.factors];
  }
}
