/**
 * Sign normalisation and component matching of CP tensors: TensorLy 0.9 `cp_flip_sign` and
 * `cp_permute_factors` (`cp_tensor.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, TenfoldError, checkMode, describe } from '../errors/index.js';
import { congruenceMatch } from './internal/congruence.js';
import { CPTensor, checkCpArg, cpNormalize, type CPTensorLike } from './cp.js';

/** Options of {@link cpFlipSign}. */
export interface CpFlipSignOptions {
  /** The mode that receives the signs (default 0). */
  mode?: number;
  /** The column summary whose sign is moved (default: the mean). */
  func?: (column: tf.Tensor2D) => tf.Tensor;
}

const CP_FLIP_SIGN_OPTIONS = optionKeys<CpFlipSignOptions>()('mode', 'func');

/**
 * CP tensor with the signs moved into one mode (TensorLy `cp_flip_sign`): for every other
 * factor, each column is multiplied by the sign of its summary (`'mean'` by default, or
 * `'sum'`/`'median'`... given as a function of the column), and `mode` receives the same
 * signs, so the model is unchanged; negative weights are made positive the same way.
 * Returns a new CPTensor.
 *
 * @throws ModeError for a mode out of range; ArgumentError/ShapeError for a malformed or
 *   disposed `cp` or bad options; NonFiniteError for NaN in `cp` when `setFiniteChecks` is on
 */
export function cpFlipSign(cp: CPTensorLike, options: CpFlipSignOptions | null = {}): CPTensor {
  const opts = checkOptions(options, CP_FLIP_SIGN_OPTIONS, 'cpFlipSign');
  const { shape } = checkCpArg(cp, 'cp');
  const func = opts.func ?? ((f: tf.Tensor2D) => tf.mean(f, 0));
  if (typeof func !== 'function') throw new ArgumentError(`func must be a function of a factor returning one value per column; got ${describe(func)}`);
  checkMode(opts.mode ?? 0, shape.length, 'mode');
  const { weights, factors } = tf.tidy(() => {
    const src = cp instanceof CPTensor ? cp : new CPTensor(cp.weights ? tf.clone(cp.weights as tf.Tensor) : null, cp.factors.map((f) => (f instanceof tf.Tensor ? tf.clone(f) : f)));
    const mode = checkMode(opts.mode ?? 0, src.factors.length, 'mode');
    const fs: tf.Tensor2D[] = src.factors.map((f) => tf.clone(f));
    for (let j = 0; j < fs.length; j++) {
      if (j === mode) continue;
      const signs = tf.reshape(tf.sign(func(fs[j])), [1, -1]);
      fs[mode] = tf.mul(fs[mode], signs);
      fs[j] = tf.mul(fs[j], signs);
    }
    fs[mode] = tf.mul(fs[mode], tf.reshape(tf.sign(src.weights), [1, -1]));
    const w = tf.abs(src.weights) as tf.Tensor1D;
    if (src !== cp) src.dispose();
    return { weights: w, factors: fs };
  });
  return new CPTensor(weights, factors);
}

/**
 * Reorder the components of `others` to match `reference` (TensorLy `cp_permute_factors`):
 * the assignment maximising the congruence of the normalised factors (Hungarian algorithm,
 * the kernel of metrics' `congruenceCoefficient`, ./internal/congruence.ts) gives `permutation[r]` = the component of the other model
 * put at position r. Returns new CPTensors.
 *
 * @throws ShapeError when the models differ in shape or rank; ArgumentError for a malformed
 *   or disposed model; NonFiniteError for NaN in `reference` or `others` (checked on entry)
 */
export function cpPermuteFactors(reference: CPTensorLike, others: CPTensorLike | readonly CPTensorLike[]): { tensors: CPTensor[]; permutations: number[][] } {
  const ref0 = checkCpArg(reference, 'reference', 'always');
  if (others === null || others === undefined) throw new ArgumentError(`others must be a CP tensor or a list of CP tensors; got ${describe(others)}`);
  const isList = Array.isArray(others);
  const list = isList ? (others as readonly CPTensorLike[]) : [others as CPTensorLike];
  if (list.length === 0) throw new ArgumentError('others must hold at least one CP tensor; got an empty list');
  list.forEach((o, i) => {
    const name = isList ? `others[${i}]` : 'others';
    let info: { shape: number[]; rank: number };
    try {
      info = checkCpArg(o, name, 'always');
    } catch (err) {
      // Keep the argument's name in the message whatever check failed.
      if (err instanceof TenfoldError && !err.message.includes(name)) err.message = `${name}: ${err.message}`;
      throw err;
    }
    if (info.rank !== ref0.rank || info.shape.length !== ref0.shape.length || info.shape.some((d, k) => d !== ref0.shape[k])) {
      throw new ShapeError(`${name} must have the shape ${describe(ref0.shape)} and rank ${ref0.rank} of reference; got shape ${describe(info.shape)} and rank ${info.rank}`);
    }
  });
  const ref = cpNormalize(reference);
  const tensors: CPTensor[] = [];
  const permutations: number[][] = [];
  try {
    for (const o of list) {
      const n = cpNormalize(o);
      let perm: number[];
      try {
        perm = congruenceMatch(ref.factors, n.factors, true).permutation;
      } finally {
        n.dispose();
      }
      const { w, fs } = tf.tidy(() => {
        const idx = tf.tensor1d(perm, 'int32');
        const src = o.weights === null || o.weights === undefined ? null : (o.weights as tf.Tensor);
        const w = src ? tf.gather(src, idx) : tf.ones([perm.length]);
        return { w: w as tf.Tensor1D, fs: o.factors.map((f) => tf.gather(f as tf.Tensor, idx, 1) as tf.Tensor2D) };
      });
      tensors.push(new CPTensor(w, fs));
      permutations.push(perm);
    }
    return { tensors, permutations };
  } catch (err) {
    tensors.forEach((t) => t.dispose());
    throw err;
  } finally {
    ref.dispose();
  }
}
