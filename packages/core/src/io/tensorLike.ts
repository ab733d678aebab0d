/**
 * `TensorLike`: everything a public function accepts as a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, ShapeError, describe } from '../errors/index.js';

/** Minimal structural type of a scijs `ndarray`. */
export interface NdArrayLike {
  data: ArrayLike<number>;
  shape: number[];
  stride: number[];
  offset: number;
}

export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | Uint8ClampedArray;

/** A flat typed (or plain) array in C order, with its shape. */
export interface TypedTensorLike {
  data: TypedArray | number[];
  shape: number[];
}

export type NestedArray = number | NestedArray[];

export type TensorLike = tf.Tensor | NestedArray | TypedTensorLike | NdArrayLike;

export function isNdArray(x: unknown): x is NdArrayLike {
  return typeof x === 'object' && x !== null && 'stride' in x && 'offset' in x && 'shape' in x && 'data' in x;
}

/** A dense row-major float64 array on the host, of any order. */
export interface HostArray {
  shape: number[];
  data: Float64Array;
}

/** Flatten a scijs ndarray view (any strides and offset) in C order. */
function flattenNdArray(x: NdArrayLike): Float64Array {
  const { shape, stride, offset, data } = x;
  const out = new Float64Array(sizeOf(shape));
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let p = offset;
    for (let d = 0; d < shape.length; d++) p += idx[d] * stride[d];
    out[flat] = data[p];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** The shape of a nested array, checking it is rectangular with numeric leaves, and its C-order data. */
function flattenNested(x: NestedArray[], argName: string): HostArray {
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ShapeError(`${argName}${path} must be a number; got ${describe(node)}`);
      data[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`${argName} must be a rectangular nested array of shape ${describe(shape)}; ${argName}${path} has ${Array.isArray(node) ? `length ${node.length}` : describe(node)}`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(x, 0, '');
  return { shape, data };
}

/**
 * Read a host-side TensorLike (number, nested array, `{ data, shape }`, ndarray) into a
 * float64 C-order array, without rounding to float32. Throws a ShapeError for ragged
 * arrays or data that does not fit its shape.
 */
export function toHostArray(x: Exclude<TensorLike, tf.Tensor>, argName = 'tensor'): HostArray {
  if (typeof x === 'number') return { shape: [], data: Float64Array.of(x) };
  if (Array.isArray(x)) return flattenNested(x, argName);
  if (isNdArray(x)) return { shape: [...x.shape], data: flattenNdArray(x) };
  if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const { data, shape } = x as TypedTensorLike;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || data.length !== sizeOf(shape)) {
      throw new ShapeError(`${argName}: data of length ${data.length} does not fit shape ${describe(shape)}`);
    }
    return { shape: [...shape], data: Float64Array.from(data as ArrayLike<number>) };
  }
  throw new ArgumentError(`${argName} must be a TensorLike (tf.Tensor, nested array, {data, shape} or ndarray); got ${describe(x)}`);
}

/**
 * Convert `x` to a float32 tf.Tensor. A tf.Tensor input is returned as is (not copied),
 * so call this inside `tf.tidy` and never dispose its result unless you created it.
 * int32 tensors are cast to float32 (a new tensor).
 */
export function toTensor(x: TensorLike, argName = 'tensor'): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new ArgumentError(`${argName} is a disposed tensor`);
    if (x.dtype === 'float32') return x;
    if (x.dtype === 'int32' || x.dtype === 'bool') return x.toFloat();
    throw new ArgumentError(`${argName} must be a real tensor (float32 or int32); got dtype '${x.dtype}'`);
  }
  const { shape, data } = toHostArray(x, argName);
  return tf.tensor(Float32Array.from(data), shape, 'float32');
}

/** Throw a NonFiniteError naming `argName` if `t` holds NaN or Inf. Costs one host sync. */
export function assertFinite(t: tf.Tensor, argName = 'tensor'): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))).dataSync()[0]);
  if (bad) throw new NonFiniteError(`${argName} must be finite; it holds NaN or Inf (shape ${describe(t.shape)})`);
}

/** Product of a shape's entries. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
