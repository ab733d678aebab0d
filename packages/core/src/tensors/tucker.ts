/**
 * Tucker tensors: `T = G x_0 U_0 x_1 U_1 ... x_{N-1} U_{N-1}` with a core `G` of shape
 * `(R_0, ..., R_{N-1})` and factors `U_k` of shape `(I_k, R_k)`
 * (Tucker, Psychometrika 1966; Kolda & Bader, SIAM Review 2009, §4).
 * Mirrors TensorLy 0.9 `tensorly/tucker_tensor.py`.
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { checkLiveTensor, checkLiveTensors } from './internal/ownedTensors.js';
import { checkFiniteIfEnabled, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { unfold } from '../base/index.js';
import { multiModeDot } from '../tenalg/index.js';
import { OwnsTensors, adopt, checkList, safeColumnNorms } from './internal/ownedTensors.js';

/** Anything with a Tucker core and factors: a {@link TuckerTensor} or a plain `{ core, factors }`. */
export interface TuckerTensorLike {
  core: TensorLike;
  factors: readonly TensorLike[];
}

/**
 * Check a Tucker core and its factors: at least two factors (as TensorLy requires), one
 * per core mode, factor `k` of shape `(I_k, R_k)` with `R_k = core.shape[k]`.
 * Returns `{ shape, rank }`.
 */
export function validateTuckerTensor(core: tf.Tensor, factors: readonly tf.Tensor[]): { shape: number[]; rank: number[] } {
  checkLiveTensor(core, 'core');
  checkLiveTensors(factors, 'factors');
  if (factors.length < 2) {
    throw new ShapeError(`a Tucker tensor needs a core and at least two factors (TensorLy's rule); got ${factors.length} factor(s)`);
  }
  if (core.rank !== factors.length) {
    throw new ShapeError(`core must have one mode per factor (${factors.length}); got shape ${describe(core.shape)}`);
  }
  factors.forEach((f, i) => {
    if (f.rank !== 2) throw new ShapeError(`factors[${i}] must be a matrix (I_${i}, R_${i}); got shape ${describe(f.shape)}`);
    if (f.shape[1] !== core.shape[i]) {
      throw new ShapeError(`factors[${i}] of shape ${describe(f.shape)} must have core.shape[${i}] = ${core.shape[i]} columns`);
    }
  });
  return { shape: factors.map((f) => f.shape[0]), rank: [...core.shape] };
}

function readTucker(tk: TuckerTensorLike, argName = 'tucker', validate = true): { core: tf.Tensor; factors: tf.Tensor2D[] } {
  if (typeof tk !== 'object' || tk === null || !('core' in tk) || !('factors' in tk)) {
    throw new ArgumentError(`${argName} must be a TuckerTensor or {core, factors}; got ${describe(tk)}`);
  }
  if (tk instanceof TuckerTensor) tk.assertAlive(argName);
  const core = toTensor(tk.core, `${argName}.core`);
  const factors = checkList(tk.factors, `${argName}.factors`, 1).map((f, i) => toTensor(f as TensorLike, `${argName}.factors[${i}]`)) as tf.Tensor2D[];
  if (validate) validateTuckerTensor(core, factors);
  return { core, factors };
}

/**
 * Entry check of a Tucker argument named `argName`: an object with a live, well-formed core
 * and factors, finite when `setFiniteChecks` is on. Keeps no tensor.
 *
 * @throws ArgumentError, ShapeError, NonFiniteError naming `argName`
 */
export function checkTuckerArg(tk: TuckerTensorLike, argName: string): void {
  tf.tidy(() => {
    const { core, factors } = readTucker(tk, argName);
    checkFiniteIfEnabled(core, `${argName}.core`);
    factors.forEach((f, i) => checkFiniteIfEnabled(f, `${argName}.factors[${i}]`));
  });
}

export interface TuckerToTensorOptions {
  /** Index of a factor not to apply (that mode keeps the core's size). */
  skipFactor?: number | null;
  /** The factors are given as `(R_k, I_k)` and applied transposed. */
  transposeFactors?: boolean;
}

const TUCKER_TO_TENSOR_OPTIONS = optionKeys<TuckerToTensorOptions>()('skipFactor', 'transposeFactors');

/**
 * The full tensor of a Tucker decomposition (TensorLy `tucker_to_tensor`):
 * `multiModeDot(core, factors, { skip: skipFactor, transpose: transposeFactors })`.
 */
export function tuckerToTensor(tk: TuckerTensorLike, options: TuckerToTensorOptions = {}): tf.Tensor {
  const { skipFactor = null, transposeFactors = false } = checkOptions(options, TUCKER_TO_TENSOR_OPTIONS, 'tuckerToTensor');
  if (typeof transposeFactors !== 'boolean') throw new ArgumentError(`transposeFactors must be a boolean; got ${describe(transposeFactors)}`);
  return tf.tidy(() => {
    const { core, factors } = readTucker(tk, 'tucker', !transposeFactors);
    if (transposeFactors) {
      // Factors are (R_k, I_k): check the transposed layout.
      validateTuckerTensor(core, factors.map((f) => (f.rank === 2 ? tf.transpose(f) : f)));
    }
    let skip: number | null = null;
    if (skipFactor !== null && skipFactor !== undefined) skip = checkMode(skipFactor, factors.length, 'skipFactor');
    return multiModeDot(core, factors, { skip, transpose: transposeFactors });
  });
}

/** Mode-`mode` unfolding of a Tucker tensor (TensorLy `tucker_to_unfolded`). */
export function tuckerToUnfolded(tk: TuckerTensorLike, mode: number, options: TuckerToTensorOptions = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const full = tuckerToTensor(tk, options);
    return unfold(full, checkMode(mode, full.rank, 'mode'));
  });
}

/** The vectorised Tucker tensor, `kron(U_0, ..., U_{N-1}) @ vec(core)` (TensorLy `tucker_to_vec`). */
export function tuckerToVec(tk: TuckerTensorLike, options: TuckerToTensorOptions = {}): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(tuckerToTensor(tk, options), [-1]) as tf.Tensor1D);
}

/**
 * Frobenius norm of a Tucker tensor without forming it, exact for any factors (not only
 * orthonormal ones): `||T||^2 = <G x_0 U_0^T U_0 ... x_{N-1} U_{N-1}^T U_{N-1}, G>`, with the
 * R_k x R_k Gram matrices. The final inner product is summed on the host in float64.
 */
export function tuckerNorm(tk: TuckerTensorLike): number {
  const prodT = tf.tidy(() => {
    const { core, factors } = readTucker(tk);
    const grams = factors.map((f) => tf.matMul(tf.transpose(f), f));
    return tf.mul(multiModeDot(core, grams), core);
  });
  const data = readSync(prodT);
  prodT.dispose();
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i];
  return Math.sqrt(Math.max(s, 0));
}

/**
 * Normalised Tucker tensor (TensorLy `tucker_normalize`): every factor's columns are
 * scaled to unit norm and the norms are absorbed into the core along that mode (zero
 * columns are divided by 1). Returns a new TuckerTensor representing the same tensor.
 */
export function tuckerNormalize(tk: TuckerTensorLike): TuckerTensor {
  const { core, factors } = tf.tidy(() => {
    const { core: c0, factors: fs } = readTucker(tk);
    let core = c0;
    const out: tf.Tensor2D[] = [];
    fs.forEach((f, i) => {
      const { scales, safe } = safeColumnNorms(f);
      const bshape = new Array<number>(core.rank).fill(1);
      bshape[i] = -1;
      core = tf.mul(core, tf.reshape(scales, bshape));
      out.push(tf.div(f, tf.reshape(safe, [1, -1])));
    });
    return { core: core === c0 ? tf.clone(core) : core, factors: out };
  });
  return new TuckerTensor(core, factors);
}

/**
 * A Tucker tensor that owns its core and factors (TensorLy `TuckerTensor`).
 * `new TuckerTensor(core, factors)` takes ownership of the given tf.Tensors.
 */
export class TuckerTensor extends OwnsTensors implements TuckerTensorLike {
  readonly core: tf.Tensor;
  readonly factors: tf.Tensor2D[];
  /** `(I_0, ..., I_{N-1})`. */
  readonly shape: number[];
  /** `(R_0, ..., R_{N-1})`, the core's shape. */
  readonly rank: number[];
  protected readonly kind = 'TuckerTensor';
  protected readonly defaultArgName = 'tucker';

  constructor(core: TensorLike, factors: readonly TensorLike[]) {
    super();
    checkList(factors, 'factors', 1);
    const inputs = [{ value: core, name: 'core' }, ...factors.map((f, i) => ({ value: f, name: `factors[${i}]` }))];
    const built = adopt(inputs, (ts) => {
      const fs = ts.slice(1) as tf.Tensor2D[];
      const info = validateTuckerTensor(ts[0], fs);
      return { core: ts[0], fs, ...info };
    });
    this.core = built.core;
    this.factors = built.fs;
    this.shape = built.shape;
    this.rank = built.rank;
  }

  toTensor(options: TuckerToTensorOptions = {}): tf.Tensor {
    return tuckerToTensor(this, options);
  }

  toUnfolded(mode: number): tf.Tensor2D {
    return tuckerToUnfolded(this, mode);
  }

  toVec(): tf.Tensor1D {
    return tuckerToVec(this);
  }

  /** Exact Frobenius norm from Gram matrices ({@link tuckerNorm}). */
  norm(): number {
    return tuckerNorm(this);
  }

  /** A new TuckerTensor with unit-norm factor columns ({@link tuckerNormalize}). */
  normalize(): TuckerTensor {
    return tuckerNormalize(this);
  }

  clone(): TuckerTensor {
    this.assertAlive();
    return new TuckerTensor(tf.clone(this.core), this.factors.map((f) => tf.clone(f)));
  }

  protected ownedTensors(): tf.Tensor[] {
    return [this.core, ...this.factors];
  }
}
