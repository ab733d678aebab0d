/**
 * The public, checked face of the host <-> backend transfers in `backend/transfer.ts`.
 * Inside Tenfold the unchecked versions are used on values already validated; callers from
 * outside get typed errors naming the argument instead of raw tfjs errors.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import * as raw from '../backend/transfer.js';
import type { HostMatrix } from '../backend/transfer.js';
import { checkAllocation } from '../checks/limits.js';
import { checkFiniteIfEnabled } from '../checks/finite.js';

function checkTensor(t: unknown, argName: string): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  if (t.dtype === 'string' || t.dtype === 'complex64') throw new ArgumentError(`${argName} must be a real tensor; got dtype '${t.dtype}'`);
  checkFiniteIfEnabled(t, argName);
  return t;
}

/**
 * Download a 2-D tensor as a float64 host matrix (one sync).
 *
 * @throws ArgumentError when `tensor` is not a live real tf.Tensor
 * @throws ShapeError when it is not 2-D
 */
export function toHostMatrix(tensor: tf.Tensor): HostMatrix {
  const t = checkTensor(tensor, 'tensor');
  if (t.rank !== 2) throw new ShapeError(`tensor must be 2-D; got shape ${describe(t.shape)}`);
  return raw.toHostMatrix(t);
}

/**
 * Upload a float64 host matrix `{ rows, cols, data }` as a float32 tensor.
 *
 * @throws ArgumentError when `matrix` is not a HostMatrix
 * @throws ShapeError when `data` does not hold rows * cols entries, or the matrix is too large
 */
export function fromHostMatrix(matrix: HostMatrix): tf.Tensor2D {
  if (typeof matrix !== 'object' || matrix === null || matrix instanceof tf.Tensor || !('data' in matrix) || !('rows' in matrix) || !('cols' in matrix)) {
    throw new ArgumentError(`matrix must be a HostMatrix { rows, cols, data }; got ${describe(matrix)}`);
  }
  const { rows, cols, data } = matrix;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`matrix.rows and matrix.cols must be non-negative integers; got ${describe(rows)} x ${describe(cols)}`);
  }
  checkAllocation(rows * cols, `matrix of ${rows} x ${cols}`);
  if (!(Array.isArray(data) || ArrayBuffer.isView(data)) || (data as ArrayLike<number>).length !== rows * cols) {
    throw new ShapeError(`matrix.data must hold rows * cols = ${rows * cols} numbers; got ${describe(data)}${ArrayBuffer.isView(data) ? ` of length ${(data as Float64Array).length}` : ''}`);
  }
  return raw.fromHostMatrix(matrix);
}

/**
 * Download any tensor as a flat float64 array in C order (one sync).
 *
 * @throws ArgumentError when `tensor` is not a live real tf.Tensor
 */
export function toHost64(tensor: tf.Tensor): Float64Array {
  return raw.toHost64(checkTensor(tensor, 'tensor'));
}

/**
 * Download a float32 tensor into a caller-owned buffer (one sync); see the unchecked
 * `backend/transfer.ts: readFloat32Into`.
 *
 * @throws ArgumentError when `t` is not a live real tf.Tensor or `out` is not a Float32Array
 * @throws ShapeError when `out` is shorter than `t.size`
 */
export function readFloat32Into(t: tf.Tensor, out: Float32Array): Float32Array {
  const x = checkTensor(t, 't');
  if (!(out instanceof Float32Array)) throw new ArgumentError(`readFloat32Into: out must be a Float32Array; got ${describe(out)}`);
  return raw.readFloat32Into(x, out);
}
