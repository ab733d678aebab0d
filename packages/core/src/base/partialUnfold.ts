import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { moveaxis, notInput, prod } from './internal/shapeHelpers.js';
import { checkIntOption } from '../checks/index.js';

export interface PartialUnfoldOptions {
  /** The mode to unfold, counted among the non-skipped dims (default 0). */
  mode?: number;
  /** Number of leading dims left untouched (default 1: dim 0 indexes samples). */
  skipBegin?: number;
  /** Number of trailing dims left untouched (default 0). */
  skipEnd?: number;
  /** Flatten each sample's unfolding into one vector (default false). */
  ravelTensors?: boolean;
}

const PARTIAL_UNFOLD_OPTIONS = optionKeys<PartialUnfoldOptions>()('mode', 'skipBegin', 'skipEnd', 'ravelTensors');

/** Validate skipBegin / skipEnd against `ndim`; shared with partialFold and the vec variants. */
export function checkSkips(ndim: number, skipBegin: unknown, skipEnd: unknown): { sb: number; se: number; inner: number } {
  const sb = checkIntOption(skipBegin, 'skipBegin', 0);
  const se = checkIntOption(skipEnd, 'skipEnd', 0);
  const inner = ndim - sb - se;
  if (inner < 1) {
    throw new ShapeError(`skipBegin (${sb}) + skipEnd (${se}) must leave at least 1 of the tensor's ${ndim} dims to unfold; got ${inner < 0 ? 'more skipped dims than dims' : 'none'}`);
  }
  return { sb, se, inner };
}

/**
 * Partial unfolding: every sample is unfolded, where the samples are indexed by the first
 * `skipBegin` and the last `skipEnd` dims. With `mode` counted among the remaining dims,
 *
 *   partialUnfold(T) = reshape(moveaxis(T, skipBegin + mode, skipBegin),
 *                              [...shape[:skipBegin], shape[skipBegin + mode], -1, ...shape[-skipEnd:]])
 *
 * and with `ravelTensors` the two middle entries become a single `-1`.
 * Mirrors `tensorly.base.partial_unfold`. One deliberate difference: TensorLy lists the
 * trailing skipped dims in reverse order (`shape[-1], shape[-2], ...`), which scrambles the
 * data when `skipEnd >= 2` and those dims differ; here they keep their order (see
 * docs/fidelity/tenalg.md). For `skipEnd <= 1` the two agree.
 *
 * @throws ShapeError when the skips leave no dim; ModeError for a mode out of range;
 *   ArgumentError for a non-integer skip
 */
export function partialUnfold(t: TensorLike, options: PartialUnfoldOptions = {}): tf.Tensor {
  const { mode = 0, skipBegin = 1, skipEnd = 0, ravelTensors = false } = checkOptions(options, PARTIAL_UNFOLD_OPTIONS, 'partialUnfold');
  if (typeof ravelTensors !== 'boolean') throw new ArgumentError(`ravelTensors must be a boolean; got ${describe(ravelTensors)}`);
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    const { sb, se, inner } = checkSkips(x.rank, skipBegin, skipEnd);
    const m = checkMode(mode, inner, 'mode');
    const shape = x.shape;
    const begin = shape.slice(0, sb);
    const end = shape.slice(shape.length - se);
    const unfolded = shape.slice(sb, sb + inner);
    const others = prod(unfolded.filter((_, i) => i !== m));
    const middle = ravelTensors ? [prod(unfolded)] : [unfolded[m], others];
    return notInput(tf.reshape(moveaxis(x, sb + m, sb), [...begin, ...middle, ...end]), x);
  });
}
