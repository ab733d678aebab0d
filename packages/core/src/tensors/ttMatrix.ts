/**
 * TT-matrices (matrix product operators): cores `G_k` of shape `(r_k, left_k, right_k, r_{k+1})`
 * with `r_0 = r_N = 1`, representing the tensor of shape `(left_0..left_{N-1}, right_0..right_{N-1})`,
 * i.e. the matrix `(prod left) x (prod right)` (Oseledets, "Approximation of
 * 2^d x 2^d matrices using tensor decomposition", SIAM J. Matrix Anal. Appl. 2010).
 * Mirrors TensorLy 0.9 `tensorly/tt_matrix.py`.
 */
import * as tf from '@tensorflow/tfjs';
import { readScalar } from '../backend/transfer.js';
import { checkLiveTensors } from './internal/ownedTensors.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { unfold } from '../base/index.js';
import { checkList, prod } from './internal/ownedTensors.js';
import { CoreChain } from './internal/coreChain.js';
import { chainNormSquared, leftOrthonormalize, ttChain } from './tt.js';

/** TT-matrix cores: a {@link TTMatrix} or a plain list of `(r_k, left_k, right_k, r_{k+1})` tensors. */
export type TTMatrixLike = TTMatrix | readonly TensorLike[];

/**
 * Check TT-matrix cores: 4-D, consecutive ranks equal, `r_0 = r_N = 1`. Returns the left
 * (row) shape, right (column) shape, full shape `(left..., right...)` and rank (length N+1).
 */
export function validateTtMatrix(cores: readonly tf.Tensor[], argName = 'cores'): { leftShape: number[]; rightShape: number[]; shape: number[]; rank: number[] } {
  checkLiveTensors(cores, argName);
  if (cores.length < 1) throw new ArgumentError(`${argName} must hold at least one core; got 0`);
  cores.forEach((c, i) => {
    if (c.rank !== 4) throw new ShapeError(`${argName}[${i}] must be 4-D (r_${i}, left_${i}, right_${i}, r_${i + 1}); got shape ${describe(c.shape)}`);
    if (i > 0 && cores[i - 1].shape[3] !== c.shape[0]) {
      throw new ShapeError(`consecutive TT-matrix ranks must match: ${argName}[${i - 1}].shape[3] = ${cores[i - 1].shape[3]} but ${argName}[${i}].shape[0] = ${c.shape[0]}`);
    }
  });
  if (cores[0].shape[0] !== 1) throw new ShapeError(`boundary condition: ${argName}[0].shape[0] must be 1; got shape ${describe(cores[0].shape)}`);
  const last = cores[cores.length - 1];
  if (last.shape[3] !== 1) throw new ShapeError(`boundary condition: ${argName}[${cores.length - 1}].shape[3] must be 1; got shape ${describe(last.shape)}`);
  const leftShape = cores.map((c) => c.shape[1] as number);
  const rightShape = cores.map((c) => c.shape[2] as number);
  return { leftShape, rightShape, shape: [...leftShape, ...rightShape], rank: [...cores.map((c) => c.shape[0] as number), 1] };
}

function coresOf(ttm: TTMatrixLike, argName: string): readonly TensorLike[] {
  if (ttm instanceof TTMatrix) {
    ttm.assertAlive(argName);
    return ttm.cores;
  }
  return checkList(ttm, argName, 1) as TensorLike[];
}

function readTtm(ttm: TTMatrixLike, argName = 'cores') {
  const cores = coresOf(ttm, argName).map((c, i) => toTensor(c, `${argName}[${i}]`)) as tf.Tensor4D[];
  const info = validateTtMatrix(cores, argName);
  return { cores, ...info };
}

/** The cores with their (left, right) modes merged: `(r_k, left_k right_k, r_{k+1})`. */
function merged(cores: readonly tf.Tensor4D[]): tf.Tensor3D[] {
  return cores.map((c) => tf.reshape(c, [c.shape[0], c.shape[1] * c.shape[2], c.shape[3]]));
}

/**
 * The full tensor of a TT-matrix, of shape `(left_0, ..., left_{N-1}, right_0, ..., right_{N-1})`
 * (TensorLy `tt_matrix_to_tensor`): the TT chain over merged `(left_k right_k)` modes, then
 * the interleaved `(left_0, right_0, left_1, ...)` axes are put in (left..., right...) order.
 */
export function ttMatrixToTensor(ttm: TTMatrixLike): tf.Tensor {
  return tf.tidy(() => {
    const { cores, leftShape, rightShape } = readTtm(ttm);
    const n = cores.length;
    const interleaved = leftShape.flatMap((l, i) => [l, rightShape[i]]);
    const full = tf.reshape(ttChain(merged(cores)), interleaved);
    const order = [...Array.from({ length: n }, (_, i) => 2 * i), ...Array.from({ length: n }, (_, i) => 2 * i + 1)];
    return tf.transpose(full, order);
  });
}

/** The TT-matrix as a `(prod left, prod right)` matrix (TensorLy `tt_matrix_to_matrix`). */
export function ttMatrixToMatrix(ttm: TTMatrixLike): tf.Tensor2D {
  return tf.tidy(() => {
    const full = ttMatrixToTensor(ttm);
    const n = full.rank / 2;
    return tf.reshape(full, [prod(full.shape.slice(0, n)), -1]) as tf.Tensor2D;
  });
}

/** Mode-`mode` unfolding of the full TT-matrix tensor (TensorLy `tt_matrix_to_unfolded`). */
export function ttMatrixToUnfolded(ttm: TTMatrixLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const full = ttMatrixToTensor(ttm);
    return unfold(full, checkMode(mode, full.rank, 'mode'));
  });
}

/** The vectorised full TT-matrix tensor (TensorLy `tt_matrix_to_vec`). */
export function ttMatrixToVec(ttm: TTMatrixLike): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(ttMatrixToTensor(ttm), [-1]) as tf.Tensor1D);
}

/** Frobenius norm of a TT-matrix by Gram contraction over the merged cores (one sync). */
export function ttMatrixNorm(ttm: TTMatrixLike): number {
  const s = tf.tidy(() => chainNormSquared(merged(readTtm(ttm).cores)));
  const v = readScalar(s);
  s.dispose();
  return Math.sqrt(Math.max(v, 0));
}

/**
 * A TT-matrix that owns its cores (TensorLy `TTMatrix`).
 * `new TTMatrix(cores)` takes ownership of the given tf.Tensors.
 */
export class TTMatrix extends CoreChain<tf.Tensor4D> {
  // shape `(left_0, ..., left_{N-1}, right_0, ..., right_{N-1})`; rank `(1, r_1, ..., r_{N-1}, 1)`.
  /** Row dimensions `(left_0, ..., left_{N-1})`. */
  readonly leftShape: number[];
  /** Column dimensions `(right_0, ..., right_{N-1})`. */
  readonly rightShape: number[];
  protected readonly kind = 'TTMatrix';
  protected readonly defaultArgName = 'ttMatrix';

  constructor(cores: readonly TensorLike[]) {
    super(cores, 1, (ts) => validateTtMatrix(ts));
    this.leftShape = this.cores.map((c) => c.shape[1]);
    this.rightShape = this.cores.map((c) => c.shape[2]);
  }

  toTensor(): tf.Tensor {
    return ttMatrixToTensor(this);
  }

  toMatrix(): tf.Tensor2D {
    return ttMatrixToMatrix(this);
  }

  toUnfolded(mode: number): tf.Tensor2D {
    return ttMatrixToUnfolded(this, mode);
  }

  toVec(): tf.Tensor1D {
    return ttMatrixToVec(this);
  }

  /** Frobenius norm by Gram contraction ({@link ttMatrixNorm}). */
  norm(): number {
    return ttMatrixNorm(this);
  }

  /**
   * A new TTMatrix in left-canonical form (QR sweep over the merged cores) representing
   * the same matrix; ranks can shrink to `min(r_k left_k right_k, r_{k+1})`.
   */
  normalize(): TTMatrix {
    this.assertAlive();
    return new TTMatrix(
      tf.tidy(() => {
        const orth = leftOrthonormalize(merged(this.cores));
        return orth.map((c, k) => tf.reshape(c, [c.shape[0], this.leftShape[k], this.rightShape[k], c.shape[2]]));
      }),
    );
  }
}
