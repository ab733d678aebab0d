/**
 * 2-D convolution geometry: kernel / stride / dilation pairs, padding resolution and output
 * sizes, in the PyTorch (NCHW, weight `(out, in/groups, kh, kw)`) convention.
 *
 * This is the one place where a padding spec ('valid', 'same', an int, an `[h, w]` pair or
 * an asymmetric `[[top, bottom], [left, right]]`) becomes explicit per-side integers.
 */
import { ArgumentError, NotSupportedError, ShapeError, checkOptions, describe } from '@tenfold/core';
import { optionKeys } from '../internal/checks.js';

/** An integer or an `[h, w]` pair (PyTorch's `_pair`). */
export type IntPair = number | [number, number];

/**
 * Padding of a 2-D convolution: `'valid'` (none), `'same'` (TensorFlow's rule, equal to
 * PyTorch's at stride 1), an int, `[ph, pw]` (symmetric per dimension) or
 * `[[top, bottom], [left, right]]` (asymmetric, kept as is).
 */
export type ConvPadding = number | [number, number] | [[number, number], [number, number]] | 'valid' | 'same';

/** Explicit per-side padding `[[top, bottom], [left, right]]`. */
export type ExplicitPadding2D = [[number, number], [number, number]];

/** Normalise an int or pair into `[h, w]`, checking each entry is an integer >= `min`. */
export function toPair(value: IntPair | undefined, argName: string, fallback: number, min = 1): [number, number] {
  const v = value ?? fallback;
  const pair: unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [v];
  if (pair.length !== 2 || !pair.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= min)) {
    throw new ArgumentError(`${argName} must be an integer >= ${min} or a pair of them; got ${describe(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/**
 * Resolve `padding` into explicit `[[top, bottom], [left, right]]`.
 *
 * `'same'` follows TensorFlow: with `O = ceil(I / s)`, the total padding is
 * `max((O - 1) s + (k - 1) d + 1 - I, 0)`, split with the extra pixel at the end. At stride 1
 * this is PyTorch's / einconv's `'same'` and does not depend on `I`; with stride > 1 the input
 * size `inputHW` is needed.
 */
export function resolvePadding(
  padding: ConvPadding | undefined,
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
  inputHW?: [number, number],
  argName = 'padding',
): ExplicitPadding2D {
  checkIntPair(kernel, 'kernel', 1);
  checkIntPair(stride, 'stride', 1);
  checkIntPair(dilation, 'dilation', 1);
  if (inputHW !== undefined) checkIntPair(inputHW, 'inputHW', 0);
  const p = padding ?? 0;
  if (p === 'valid') return [[0, 0], [0, 0]];
  if (p === 'same') {
    const out: [number, number][] = [];
    for (let i = 0; i < 2; i++) {
      const span = (kernel[i] - 1) * dilation[i] + 1;
      let total: number;
      if (stride[i] === 1) total = span - 1;
      else {
        if (!inputHW) {
          throw new ArgumentError(`${argName} 'same' with stride ${stride[i]} > 1 needs the input size; none was given`);
        }
        const o = Math.ceil(inputHW[i] / stride[i]);
        total = Math.max((o - 1) * stride[i] + span - inputHW[i], 0);
      }
      const before = Math.floor(total / 2);
      out.push([before, total - before]);
    }
    return [out[0], out[1]];
  }
  if (typeof p === 'string') {
    throw new NotSupportedError(`${argName} must be 'valid', 'same', an int, [ph, pw] or [[top, bottom], [left, right]]; got ${describe(p)}`);
  }
  const isNonNegInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (isNonNegInt(p)) return [[p as number, p as number], [p as number, p as number]];
  if (Array.isArray(p) && p.length === 2) {
    if (p.every(isNonNegInt)) {
      const [ph, pw] = p as [number, number];
      return [[ph, ph], [pw, pw]];
    }
    if (p.every((q) => Array.isArray(q) && q.length === 2 && q.every(isNonNegInt))) {
      const [[t, b], [l, r]] = p as ExplicitPadding2D;
      return [[t, b], [l, r]];
    }
  }
  throw new ArgumentError(`${argName} must be 'valid', 'same', a non-negative int, [ph, pw] or [[top, bottom], [left, right]]; got ${describe(p)}`);
}

/** An `[h, w]` pair of integers >= min, else an ArgumentError naming it. */
function checkIntPair(v: unknown, argName: string, min: number): void {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= min)) {
    throw new ArgumentError(`${argName} must be a pair of integers >= ${min}; got ${describe(v)}`);
  }
}

/** An integer >= min, else an ArgumentError naming it. */
function checkInt(v: unknown, argName: string, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ArgumentError(`${argName} must be an integer >= ${min}; got ${describe(v)}`);
}

/**
 * Output size along one dimension: `floor((I + pb + pa - d (k - 1) - 1) / s) + 1`.
 * @throws ArgumentError naming the argument that is not a (non-negative / positive) integer
 */
export function convOutputSize(input: number, kernel: number, stride: number, dilation: number, pad: [number, number]): number {
  checkInt(input, 'input', 0);
  checkInt(kernel, 'kernel', 1);
  checkInt(stride, 'stride', 1);
  checkInt(dilation, 'dilation', 1);
  checkIntPair(pad, 'pad', 0);
  return Math.floor((input + pad[0] + pad[1] - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Fully resolved geometry of one 2-D convolution. */
export interface ConvGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: ExplicitPadding2D;
  /** Output height and width. */
  out: [number, number];
}

const CONV_GEOMETRY_OPTIONS = optionKeys<NonNullable<Parameters<typeof convGeometry>[2]>>()('stride', 'padding', 'dilation');

/** Resolve and check a convolution's geometry for an input of spatial size `inputHW`. */
export function convGeometry(
  inputHW: [number, number],
  kernel: IntPair,
  opts: { stride?: IntPair; padding?: ConvPadding; dilation?: IntPair } | null,
  argPrefix = '',
): ConvGeometry {
  opts = checkOptions(opts, CONV_GEOMETRY_OPTIONS, 'convGeometry', argPrefix ? argPrefix.replace(/\.$/, '') : 'options');
  checkIntPair(inputHW, 'inputHW', 0);
  const k = toPair(kernel, `${argPrefix}kernelSize`, 1);
  const stride = toPair(opts.stride, `${argPrefix}stride`, 1);
  const dilation = toPair(opts.dilation, `${argPrefix}dilation`, 1);
  const padding = resolvePadding(opts.padding, k, stride, dilation, inputHW, `${argPrefix}padding`);
  const out: [number, number] = [
    convOutputSize(inputHW[0], k[0], stride[0], dilation[0], padding[0]),
    convOutputSize(inputHW[1], k[1], stride[1], dilation[1], padding[1]),
  ];
  if (out[0] < 1 || out[1] < 1) {
    throw new ShapeError(
      `the input of spatial size ${describe(inputHW)} is too small for kernel ${describe(k)} with dilation ${describe(dilation)} and padding ${describe(padding)}: output size would be ${describe(out)}`,
    );
  }
  return { kernel: k, stride, dilation, padding, out };
}

/**
 * Padding of an N-D convolution: `'valid'`, `'same'` (TensorFlow's rule, see
 * `resolvePadding`), an int (every side), one int per spatial dim (symmetric), or one
 * `[before, after]` pair per spatial dim (asymmetric).
 */
export type ConvPaddingNd = number | number[] | [number, number][] | 'valid' | 'same';

/** An int or one int per dim -> a tuple of `n` integers >= min. @throws ArgumentError naming `argName` */
export function toTuple(value: number | readonly number[] | undefined, n: number, argName: string, fallback: number, min = 1): number[] {
  const v = value ?? fallback;
  const t: unknown[] = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? [...v] : [v];
  if (t.length !== n || !t.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= min)) {
    throw new ArgumentError(`${argName} must be an integer >= ${min} or a list of ${n} of them; got ${describe(value)}`);
  }
  return t as number[];
}

/**
 * Resolve an N-D padding into `[before, after]` per spatial dim. `'same'` with a stride > 1
 * needs `inputSize` (TensorFlow's rule: total `max((ceil(I/s) - 1) s + (k - 1) d + 1 - I, 0)`,
 * the extra pixel after).
 * @throws ArgumentError (malformed), NotSupportedError (an unknown string)
 */
export function resolvePaddingNd(
  padding: ConvPaddingNd | undefined,
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  inputSize?: readonly number[],
  argName = 'padding',
): [number, number][] {
  const n = kernel.length;
  const p = padding ?? 0;
  if (p === 'valid') return kernel.map(() => [0, 0]);
  if (p === 'same') {
    return kernel.map((k, i) => {
      const span = (k - 1) * dilation[i] + 1;
      let total = span - 1;
      if (stride[i] > 1) {
        if (!inputSize) throw new ArgumentError(`${argName} 'same' with stride ${stride[i]} > 1 needs the input size; none was given`);
        total = Math.max((Math.ceil(inputSize[i] / stride[i]) - 1) * stride[i] + span - inputSize[i], 0);
      }
      const before = Math.floor(total / 2);
      return [before, total - before] as [number, number];
    });
  }
  if (typeof p === 'string') throw new NotSupportedError(`${argName} must be 'valid', 'same', an int, ${n} ints or ${n} [before, after] pairs; got ${describe(p)}`);
  const isNonNegInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  if (isNonNegInt(p)) return kernel.map(() => [p as number, p as number]);
  if (Array.isArray(p) && p.length === n) {
    if (p.every(isNonNegInt)) return (p as number[]).map((v) => [v, v]);
    if (p.every((q) => Array.isArray(q) && q.length === 2 && q.every(isNonNegInt))) return (p as [number, number][]).map(([a, b]) => [a, b]);
  }
  throw new ArgumentError(`${argName} must be 'valid', 'same', a non-negative int, ${n} of them or ${n} [before, after] pairs; got ${describe(p)}`);
}
