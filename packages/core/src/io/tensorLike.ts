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

function ndarrayToTensor(x: NdArrayLike): tf.Tensor {
  const { shape, stride, offset, data } = x;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let p = offset;
    for (let d = 0; d < shape.length; d++) p += idx[d] * stride[d];
    out[flat] = data[p];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return tf.tensor(out, [...shape], 'float32');
}

/** Throw a ShapeError unless a nested array is rectangular with numeric leaves. */
function checkRectangular(x: NestedArray[], argName: string): void {
  const shape: number[] = [];
  for (let level: unknown = x; Array.isArray(level); level = level[0]) shape.push(level.length);
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ShapeError(`${argName}${path} must be a number; got ${describe(node)}`);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`${argName} must be a rectangular nested array of shape ${describe(shape)}; ${argName}${path} has ${Array.isArray(node) ? `length ${node.length}` : describe(node)}`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(x, 0, '');
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
  if (typeof x === 'number') return tf.scalar(x, 'float32');
  if (Array.isArray(x)) {
    checkRectangular(x, argName);
    try {
      return tf.tensor(x as number[], undefined, 'float32');
    } catch (err) {
      throw new ShapeError(`${argName} must be a rectangular nested array of numbers: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (isNdArray(x)) return ndarrayToTensor(x);
  if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const { data, shape } = x as TypedTensorLike;
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0) || data.length !== size) {
      throw new ShapeError(`${argName}: data of length ${data.length} does not fit shape ${describe(shape)}`);
    }
    const f32 = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    return tf.tensor(f32, [...shape], 'float32');
  }
  throw new ArgumentError(`${argName} must be a TensorLike (tf.Tensor, nested array, {data, shape} or ndarray); got ${describe(x)}`);
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
