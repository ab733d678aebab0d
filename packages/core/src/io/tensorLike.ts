/**
 * `TensorLike`: everything a public function accepts as a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { checkFiniteIfEnabled } from '../checks/finite.js';
import { checkAllocation, checkShape } from '../checks/limits.js';

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
  if (x instanceof tf.Tensor) throw new ArgumentError(`${argName} must be a host array (nested array, {data, shape} or ndarray), not a tf.Tensor`);
  if (typeof x === 'number') return { shape: [], data: Float64Array.of(x) };
  if (Array.isArray(x)) return flattenNested(x, argName);
  if (isNdArray(x)) {
    checkShape(x.shape, `${argName}.shape`);
    return { shape: [...x.shape], data: flattenNdArray(x) };
  }
  if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const { data, shape } = x as TypedTensorLike;
    const s = checkShape(shape, `${argName}.shape`);
    if (!(Array.isArray(data) || ArrayBuffer.isView(data)) || data.length !== sizeOf(s)) {
      const got = Array.isArray(data) || ArrayBuffer.isView(data) ? `data of length ${(data as ArrayLike<number>).length}` : `data ${describe(data)}`;
      throw new ShapeError(`${argName}: ${got} does not fit shape ${describe(shape)}`);
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
    if (x.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
    if (x.dtype === 'float32') {
      checkFiniteIfEnabled(x, argName);
      return x;
    }
    if (x.dtype === 'int32' || x.dtype === 'bool') return x.toFloat();
    throw new ArgumentError(`${argName} must be a real tensor (float32 or int32); got dtype '${x.dtype}'`);
  }
  const { shape, data } = toHostArray(x, argName);
  const t = tf.tensor(Float32Array.from(data), shape, 'float32');
  try {
    checkFiniteIfEnabled(t, argName);
  } catch (err) {
    t.dispose();
    throw err;
  }
  return t;
}

// assertFinite lives in the checks kit; re-exported here where it always was.
export { assertFinite } from '../checks/finite.js';

/** Product of a shape's entries. */
export function sizeOf(shape: readonly number[]): number {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`shape must be an array of non-negative integers; got ${describe(shape)}`);
  }
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
