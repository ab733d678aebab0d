/**
 * Tensorized shapes: how a weight matrix (out, in), or a stack of them (nLayers, out, in),
 * is viewed as a higher-order tensor (nLayers?, out_1..out_n, in_1..in_m).
 *
 * `factorize`, `mergeInts` and `getTensorizedShape` follow tltorch 0.5
 * (`tltorch/utils/tensorize_shape.py`) exactly; `validateBlockTtRank` follows
 * `tltorch/factorized_tensors/tensorized_matrices.py::validate_block_tt_rank`.
 */
import { ArgumentError, ShapeError, checkAllocation, checkOptions, describe, validateTtRank } from '@tenfold/core';
import { checkParsedShape } from '../internal/paramChecks.js';
import { optionKeys } from '../internal/checks.js';

/** Rank of a tensorized weight: TensorLy's RankSpec ('same' = 1.0, integer, fraction, list). */
export type TensorizedRank = 'same' | number | number[] | { fraction: number };

/**
 * A tensorized shape in tltorch's notation: leading integers are batch ("regular") modes
 * such as `nLayers`, then two tuples, the row (out) and column (in) tensorizations:
 * `[[4, 4], [3, 3]]` or `[2, [4, 4], [3, 3]]`.
 */
export type TensorizedShape = readonly (number | readonly number[])[];

/** A tensorized shape split into its parts. */
export interface ParsedTensorizedShape {
  /** Batch modes (e.g. `[nLayers]`), possibly empty. */
  batch: number[];
  /** Row (output) tensorization. */
  out: number[];
  /** Column (input) tensorization. */
  in: number[];
}

function isPosInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Validate and split a tensorized shape. Throws a ShapeError naming `argName` unless it is
 * zero or more positive integers followed by exactly two non-empty lists of positive integers.
 */
export function parseTensorizedShape(shape: TensorizedShape, argName = 'tensorizedShape'): ParsedTensorizedShape {
  if (!Array.isArray(shape) || shape.length < 2) {
    throw new ShapeError(`${argName} must be [...batchModes, outTensorized[], inTensorized[]]; got ${describe(shape)}`);
  }
  const out = shape[shape.length - 2];
  const inn = shape[shape.length - 1];
  const batch = shape.slice(0, -2);
  const okTuple = (t: unknown): t is number[] => Array.isArray(t) && t.length > 0 && t.every(isPosInt);
  if (!okTuple(out) || !okTuple(inn) || !batch.every(isPosInt)) {
    throw new ShapeError(
      `${argName} must be positive-integer batch modes followed by two non-empty lists of positive integers (out, in); got ${describe(shape)}`,
    );
  }
  const flat = [...(batch as number[]), ...out, ...inn];
  // The weight it describes must fit before anyone allocates it (or its factors).
  checkAllocation(prod(flat), `${argName} ${describe(shape)}`, ShapeError);
  return { batch: [...(batch as number[])], out: [...out], in: [...inn] };
}

/** Flattened tensor shape (batch..., out..., in...): tltorch's `tensor_shape`. */
export function flatShape(s: ParsedTensorizedShape): number[] {
  checkParsedShape(s);
  return [...s.batch, ...s.out, ...s.in];
}

/** Matrix shape (batch..., out, in): tltorch's `shape`. */
export function matrixShape(s: ParsedTensorizedShape): number[] {
  checkParsedShape(s);
  return [...s.batch, prod(s.out), prod(s.in)];
}

/** Product of a list of finite numbers (1 for []). @throws ArgumentError naming `xs` */
export function prod(xs: readonly number[]): number {
  if (!Array.isArray(xs) || !xs.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ArgumentError(`xs must be an array of finite numbers; got ${describe(xs)}`);
  }
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/**
 * tltorch `factorize(value, min_value=2, remaining=-1)`: split `value` by its smallest
 * divisors `>= minValue` (at most `remaining` splits; -1 = unlimited). Returns `[value]`
 * when `value <= minValue`, when no split is left, or when no divisor up to sqrt(value) exists.
 */
export function factorize(value: number, minValue = 2, remaining = -1): number[] {
  // A safe integer bounds the divisor search at sqrt(2^53) ~ 9.5e7 steps (1e300 would never end).
  if (!isPosInt(value) || value > Number.MAX_SAFE_INTEGER) throw new ArgumentError(`value must be a positive safe integer; got ${describe(value)}`);
  if (!isPosInt(minValue)) throw new ArgumentError(`minValue must be a positive integer; got ${describe(minValue)}`);
  if (!Number.isInteger(remaining) || remaining < -1) throw new ArgumentError(`remaining must be an integer (-1 = unlimited); got ${describe(remaining)}`);
  const out: number[] = [];
  let v = value;
  let rem = remaining;
  // Iterative form of tltorch's recursion: each level splits off one divisor.
  for (;;) {
    if (v <= minValue || rem === 0) break;
    const lim = Math.floor(Math.sqrt(v));
    let found = 0;
    for (let i = minValue; i <= lim; i++) {
      if (v % i === 0) {
        found = i;
        break;
      }
    }
    if (!found) break;
    out.push(found);
    v /= found;
    rem -= 1;
  }
  out.push(v);
  return out;
}

/**
 * tltorch `merge_ints(values, size)`: sort ascending, then repeatedly replace the two
 * smallest values by their product (inserted in sorted position, `insort_left`) until
 * `size` values remain. Returns an ascending list.
 */
export function mergeInts(values: readonly number[], size: number): number[] {
  if (!Array.isArray(values) || !values.every(isPosInt)) {
    throw new ArgumentError(`values must be a list of positive integers; got ${describe(values)}`);
  }
  if (!isPosInt(size)) throw new ArgumentError(`size must be a positive integer; got ${describe(size)}`);
  if (values.length <= 1) return [...values];
  const v = [...values].sort((a, b) => a - b);
  while (v.length > size) {
    const a = v.shift() as number;
    const b = v.shift() as number;
    const p = a * b;
    let pos = 0;
    while (pos < v.length && v[pos] < p) pos++; // insort_left: before equal values
    v.splice(pos, 0, p);
  }
  return v;
}

const TENSORIZED_SHAPE_OPTIONS = optionKeys<NonNullable<Parameters<typeof getTensorizedShape>[2]>>()('order', 'minDim');

/**
 * tltorch `get_tensorized_shape(in_features, out_features, order=None, min_dim=2)`:
 * factorize `inFeatures` fully, `outFeatures` into at most `len(in) + 1` factors, then merge
 * each list down to `min(order, len(in), len(out))` factors.
 *
 * @returns `[inTensorized, outTensorized]` (ascending tuples), in tltorch's order.
 * @example getTensorizedShape(1024, 1024, { order: 3 }) // [[4, 16, 16], [4, 16, 16]]
 */
export function getTensorizedShape(
  inFeatures: number,
  outFeatures: number,
  opts: { order?: number | null; minDim?: number } | null = {},
): [number[], number[]] {
  opts = checkOptions(opts, TENSORIZED_SHAPE_OPTIONS, 'getTensorizedShape');
  // A safe integer bounds factorize's divisor search (1e300 would never end).
  const isSafe = (v: unknown) => isPosInt(v) && v <= Number.MAX_SAFE_INTEGER;
  if (!isSafe(inFeatures)) throw new ArgumentError(`inFeatures must be a positive safe integer; got ${describe(inFeatures)}`);
  if (!isSafe(outFeatures)) throw new ArgumentError(`outFeatures must be a positive safe integer; got ${describe(outFeatures)}`);
  const order = opts.order ?? null;
  if (order !== null && !isPosInt(order)) throw new ArgumentError(`order must be a positive integer or null; got ${describe(order)}`);
  const minDim = opts.minDim ?? 2;
  if (!isPosInt(minDim)) throw new ArgumentError(`minDim must be a positive integer; got ${describe(minDim)}`);
  let inTen = factorize(inFeatures, minDim);
  let outTen = factorize(outFeatures, minDim, inTen.length);
  const mergeSize = Math.min(order ?? Infinity, inTen.length, outTen.length);
  if (inTen.length > mergeSize) inTen = mergeInts(inTen, mergeSize);
  if (outTen.length > mergeSize) outTen = mergeInts(outTen, mergeSize);
  return [inTen, outTen];
}

/**
 * tltorch `validate_block_tt_rank(tensorized_shape, rank)`: the block-TT (TT-matrix) rank of
 * a tensorized shape. Core k merges the k-th size of every mode (a batch mode counts in
 * every core): `merged_k = prod(batch) * out_k * in_k`, then TensorLy's
 * `validate_tt_rank(merged, rank)`. Requires `len(out) == len(in)`.
 * @example validateBlockTtRank([[4, 4], [3, 3]], 'same') // [1, 3, 1]
 */
export function validateBlockTtRank(tensorizedShape: TensorizedShape, rank: TensorizedRank = 'same'): number[] {
  const s = parseTensorizedShape(tensorizedShape);
  if (s.out.length !== s.in.length) {
    throw new ShapeError(
      `tensorizedShape: BlockTT needs as many out as in tensorized modes (one core per pair); got out ${describe(s.out)} and in ${describe(s.in)}`,
    );
  }
  const b = prod(s.batch);
  const merged = s.out.map((o, k) => b * o * s.in[k]);
  return [...validateTtRank(merged, rank)];
}
