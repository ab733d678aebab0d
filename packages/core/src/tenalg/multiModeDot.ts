import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ModeError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { notInput } from '../base/internal/shapeHelpers.js';
import { modeDotRaw } from './modeDot.js';
import { toTensorList } from './internal/toTensorList.js';

export interface MultiModeDotOptions {
  /** The mode of each matrix or vector (default `[0, 1, ..., list.length - 1]`). */
  modes?: readonly number[];
  /** Index, into the list *sorted by mode*, of one entry to leave out (default none). */
  skip?: number | null;
  /** Apply the transpose of every matrix (vectors are unaffected; default false). */
  transpose?: boolean;
}

const MULTI_MODE_DOT_OPTIONS = optionKeys<MultiModeDotOptions>()('modes', 'skip', 'transpose');

/**
 * A chain of n-mode products `T x_{m_0} M_0 x_{m_1} M_1 ...`, mirroring
 * `tensorly.tenalg.multi_mode_dot` exactly:
 *
 * - the `(matrix, mode)` pairs are stably sorted by mode and applied in that order;
 * - `skip` is an index into that *sorted* list;
 * - a vector contracts its mode away, so the modes of later entries, which refer to the
 *   original tensor, are decremented by the number of vectors applied before them;
 * - `transpose` applies `M^T` for every matrix (so each is `(I_mode, J)`).
 *
 * Used by Tucker reconstruction (`T = G x_0 U_0 x_1 U_1 ...`, Kolda & Bader 2009, §4).
 *
 * @throws ArgumentError when `modes` has a different length or `skip` is not a valid
 *   index; ModeError for a mode out of range; ShapeError when a matrix does not fit
 */
export function multiModeDot(t: TensorLike, matricesOrVectors: readonly TensorLike[], options: MultiModeDotOptions = {}): tf.Tensor {
  const { modes, skip = null, transpose = false } = checkOptions(options, MULTI_MODE_DOT_OPTIONS, 'multiModeDot');
  if (typeof transpose !== 'boolean') throw new ArgumentError(`transpose must be a boolean; got ${describe(transpose)}`);
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    const list = toTensorList(matricesOrVectors, 'matricesOrVectors', 0);
    const n = list.length;
    if (modes !== undefined && modes !== null && (!Array.isArray(modes) || modes.length !== n)) {
      throw new ArgumentError(`modes must be an array with one mode per matrix (${n}); got ${describe(modes)}`);
    }
    const given = modes ?? list.map((_, i) => i);
    if (x.rank < 1 && n > 0) throw new ShapeError(`tensor must have at least 1 dimension; got a scalar`);
    const normalised = given.map((m, i) => checkMode(m, x.rank, `modes[${i}]`));
    if (skip !== null && skip !== undefined && (!Number.isInteger(skip) || skip < 0 || skip >= n)) {
      throw new ArgumentError(`skip must be an index into the ${n} entries sorted by mode, an integer in [0, ${n - 1}], or null; got ${describe(skip)}`);
    }
    // Array.prototype.sort is stable (ES2019), as Python's sorted is.
    const order = list.map((_, i) => i).sort((a, b) => normalised[a] - normalised[b]);
    let res = x;
    let decrement = 0;
    order.forEach((idx, pos) => {
      if (pos === skip) return;
      const mv = list[idx];
      const mode = normalised[idx] - decrement;
      const label = `matricesOrVectors[${idx}]`;
      if (mode >= res.rank) {
        // Only reachable when a vector removed a mode that a later entry repeats.
        throw new ModeError(`${label} targets mode ${normalised[idx]}, which is mode ${mode} after ${decrement} vector contraction(s); the tensor has only ${res.rank} modes left`);
      }
      res = modeDotRaw(res, mv, mode, transpose && mv.rank === 2, label);
      if (mv.rank === 1) decrement += 1;
    });
    return notInput(res, x);
  });
}

