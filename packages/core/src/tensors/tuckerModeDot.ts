/** n-mode product of a Tucker tensor in factored form: TensorLy 0.9 `tucker_mode_dot`. */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { modeDot } from '../tenalg/index.js';
import { TuckerTensor, checkTuckerArg, type TuckerTensorLike } from './tucker.js';

/** Options of {@link tuckerModeDot}. */
export interface TuckerModeDotOptions {
  /** With a vector, keep the mode as a `(1, R_mode)` factor instead of dropping it. */
  keepDim?: boolean;
}

const TUCKER_MODE_DOT_OPTIONS = optionKeys<TuckerModeDotOptions>()('keepDim');

/**
 * `T x_mode M` for a Tucker tensor `[[G; U_0, ..., U_{N-1}]]` without forming `T` (TensorLy
 * `tucker_mode_dot`): a matrix `(J, I_mode)` replaces `U_mode` by `M U_mode`; a vector
 * `(I_mode,)` contracts the mode into the core, `G x_mode (v U_mode)`, and drops the factor
 * (with `keepDim`, `U_mode` becomes the `(1, R_mode)` row `v U_mode`). Returns a new
 * TuckerTensor. Deviations: TensorLy prints "contracting mode" and, with `keep_dim`, stores
 * a 1-D factor that its own validator rejects; neither happens here.
 *
 * @throws ShapeError when the matrix or vector does not fit the mode; ModeError;
 *   ArgumentError/ShapeError for a malformed or disposed `tucker` or bad options
 */
export function tuckerModeDot(tucker: TuckerTensorLike, matrixOrVector: TensorLike, mode: number, options: TuckerModeDotOptions | null = {}): TuckerTensor {
  const opts = checkOptions(options, TUCKER_MODE_DOT_OPTIONS, 'tuckerModeDot');
  checkTuckerArg(tucker, 'tucker');
  const keepDim = opts.keepDim ?? false;
  if (typeof keepDim !== 'boolean') throw new ArgumentError(`keepDim must be a boolean; got ${describe(keepDim)}`);
  const { core, factors } = tf.tidy(() => {
    const core0 = toTensor(tucker.core, 'tucker.core');
    const fs = tucker.factors.map((f, i) => toTensor(f, `tucker.factors[${i}]`) as tf.Tensor2D);
    const m = checkMode(mode, fs.length, 'mode');
    const size = fs[m].shape[0];
    const mv = toTensor(matrixOrVector, 'matrixOrVector');
    if (mv.rank === 2) {
      if (mv.shape[1] !== size) throw new ShapeError(`matrixOrVector must be (J, ${size}) for mode ${m}; got shape ${describe(mv.shape)}`);
      const out = fs.map((f, i) => (i === m ? (tf.matMul(mv, f) as tf.Tensor2D) : tf.clone(f)));
      return { core: tf.clone(core0), factors: out };
    }
    if (mv.rank !== 1) throw new ShapeError(`matrixOrVector must be a matrix or a vector; got shape ${describe(mv.shape)}`);
    if (mv.shape[0] !== size) throw new ShapeError(`matrixOrVector must have length ${size} for mode ${m}; got ${mv.shape[0]}`);
    const row = tf.matMul(tf.reshape(mv, [1, -1]), fs[m]) as tf.Tensor2D;
    if (keepDim) return { core: tf.clone(core0), factors: fs.map((f, i) => (i === m ? row : tf.clone(f))) };
    if (fs.length <= 2) throw new ShapeError('contracting a mode of an order-2 Tucker tensor leaves a single factor; use keepDim: true');
    return { core: modeDot(core0, tf.reshape(row, [-1]), m), factors: fs.filter((_, i) => i !== m).map((f) => tf.clone(f)) };
  });
  return new TuckerTensor(core, factors);
}
