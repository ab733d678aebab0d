/**
 * Square roots of loss Hessians with respect to a network's output, after curvlinops'
 * `loss_hessian_matrix_sqrt` (used by KFAC-style curvature approximations).
 */
import { tf } from '@tenfold/core';
import { ArgumentError, NotSupportedError, ShapeError, assertFinite, describe, toTensor, type TensorLike } from '@tenfold/core';
import { checkOptions, optionKeys } from '../internal/checks.js';

/** Losses with a closed-form Hessian square root. */
export type HessianLoss = 'mse' | 'crossEntropy' | 'bce';

export interface LossHessianOptions {
  /** `'mse'` (MSELoss), `'crossEntropy'` (CrossEntropyLoss on logits) or `'bce'` (BCEWithLogitsLoss). */
  loss: HessianLoss;
  /** `'mean'` (default, as in torch) or `'sum'`. */
  reduction?: 'mean' | 'sum';
}

const LOSS_HESSIAN_OPTIONS = optionKeys<LossHessianOptions>()('loss', 'reduction');

/**
 * The matrix square root `S` (`[C, C]`) of the loss Hessian at one datum:
 * `S Sᵀ = ∇²_f ℓ(f, y)` for the output `f` (`[1, C]`) and its target.
 *
 * - `'mse'`: `ℓ = c Σ (f_i - y_i)²`, `S = √(2c) I`, with `c = 1` for `'sum'`, `1/C` for `'mean'`.
 * - `'crossEntropy'`: `p = softmax(f)`, `∇²ℓ = diag(p) - p pᵀ`, `S_ij = δ_ij √p_i - p_i √p_j`
 *   (`c = 1` for either reduction, since the batch is one datum).
 * - `'bce'` (with logits): binary targets only, `S = √c diag(√(σ(f)(1 - σ(f))))`, `c` as for MSE.
 *
 * Mirrors curvlinops `kfac_utils.loss_hessian_matrix_sqrt` (see Martens & Grosse 2015;
 * Dangel et al. 2020, eqs. (5), (6)). The target of `'crossEntropy'` is a class index of
 * shape `[1]`; the other losses take a `[1, C]` target.
 */
export function lossHessianSqrt(output: TensorLike, target: TensorLike, opts: LossHessianOptions): tf.Tensor2D {
  const o = checkOptions<Partial<LossHessianOptions>>(opts, LOSS_HESSIAN_OPTIONS, 'lossHessianSqrt', 'opts');
  if (o.loss === undefined) throw new ArgumentError(`lossHessianSqrt: opts.loss is required ('mse', 'crossEntropy' or 'bce'); got ${describe(opts)}`);
  return tf.tidy(() => {
    const f = toTensor(output, 'output') as tf.Tensor2D;
    const y = toTensor(target, 'target');
    if (f.rank !== 2 || f.shape[0] !== 1) {
      throw new ShapeError(`output must be 2-D with shape [1, C] (one datum); got shape ${describe(f.shape)}`);
    }
    if (y.rank < 1 || y.shape[0] !== 1) {
      throw new ShapeError(`target must have batch size 1 (leading dimension 1); got shape ${describe(y.shape)}`);
    }
    // The Hessian is evaluated at f: NaN/Inf there has no meaning (one host sync).
    assertFinite(f, 'output');
    assertFinite(y, 'target');
    const reduction = o.reduction ?? 'mean';
    if (reduction !== 'mean' && reduction !== 'sum') {
      throw new ArgumentError(`opts.reduction must be 'mean' or 'sum'; got ${describe(reduction)}`);
    }
    const loss = o.loss;
    const c = f.shape[1];
    if ((loss === 'mse' || loss === 'bce') && (y.rank !== 2 || y.shape[1] !== c)) {
      throw new ShapeError(`target must have the shape of output [1, ${c}] for loss '${loss}'; got shape ${describe(y.shape)}`);
    }
    if (loss === 'crossEntropy') {
      if (y.rank !== 1) throw new ShapeError(`target must be a class index of shape [1] for loss 'crossEntropy'; got shape ${describe(y.shape)}`);
      const k = y.dataSync()[0];
      if (!Number.isInteger(k) || k < 0 || k >= c) throw new ArgumentError(`target must be a class index in [0, ${c - 1}] for loss 'crossEntropy'; got ${describe(k)}`);
    }
    const scale = reduction === 'sum' ? 1 : 1 / c;
    if (loss === 'mse') {
      return tf.mul(tf.eye(c), Math.sqrt(2 * scale)) as tf.Tensor2D;
    }
    if (loss === 'crossEntropy') {
      const p = tf.reshape(tf.softmax(f), [c]) as tf.Tensor1D;
      const pSqrt = tf.sqrt(p);
      // S_ij = δ_ij √p_i - p_i √p_j
      return tf.sub(tf.diag(pSqrt), tf.outerProduct(p, pSqrt)) as tf.Tensor2D;
    }
    if (loss === 'bce') {
      const values = y.dataSync();
      const bad = Array.from(values).filter((v) => v !== 0 && v !== 1);
      if (bad.length > 0) {
        throw new NotSupportedError(`target must be binary (0 or 1) for loss 'bce'; got values ${describe([...new Set(bad)].slice(0, 5))}`);
      }
      const s = tf.reshape(tf.sigmoid(f), [c]);
      return tf.diag(tf.mul(tf.sqrt(tf.mul(s, tf.sub(1, s))), Math.sqrt(scale))) as tf.Tensor2D;
    }
    throw new NotSupportedError(`opts.loss must be 'mse', 'crossEntropy' or 'bce'; got ${describe(loss)}`);
  });
}
