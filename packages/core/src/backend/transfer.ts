/**
 * Host <-> device transfers. Small dense problems (R x R systems, the small SVD inside a
 * randomized or Gram SVD, EVBMF on singular values) run on the host in float64; these
 * helpers are the only place data crosses.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../errors/index.js';

/** A dense row-major float64 matrix on the host. */
export interface HostMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Download a 2-D tensor as a float64 host matrix (one sync). */
export function toHostMatrix(t: tf.Tensor): HostMatrix {
  if (t.rank !== 2) throw new Error(`toHostMatrix expects a 2-D tensor; got rank ${t.rank}`);
  return { rows: t.shape[0] as number, cols: t.shape[1] as number, data: Float64Array.from(t.dataSync()) };
}

/** Upload a float64 host matrix as a float32 tensor. */
export function fromHostMatrix(m: HostMatrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

/** Download any tensor as a flat float64 array (one sync). */
export function toHost64(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

/**
 * Download a float32 tensor into a caller-owned buffer (one sync), for loops that read a large
 * tensor every iteration. On wasm it copies straight out of the module's heap: `dataSync`
 * allocates a fresh ArrayBuffer per call, and for tens of MB that allocation (zero-fill and
 * page faults) costs 10-20x the copy. Elsewhere it falls back to `dataSync`.
 */
export function readFloat32Into(t: tf.Tensor, out: Float32Array): Float32Array {
  if (out.length < t.size) throw new ShapeError(`readFloat32Into: out holds ${out.length} values, the tensor t has ${t.size}`);
  const backend = tf.engine().backend as unknown as {
    dataIdMap?: { get(id: object): { memoryOffset?: number } | undefined };
    wasm?: { HEAPU8: Uint8Array };
  };
  if (t.dtype === 'float32' && tf.getBackend() === 'wasm' && backend.wasm && backend.dataIdMap) {
    const offset = backend.dataIdMap.get(t.dataId)?.memoryOffset;
    if (offset !== undefined) {
      out.set(new Float32Array(backend.wasm.HEAPU8.buffer, offset, t.size));
      return out;
    }
  }
  out.set(t.dataSync() as Float32Array);
  return out;
}

/**
 * Read a tensor's values back (one sync): the typed array tfjs returns, not a copy (do not
 * mutate it). Every read-back in decomposition, tenalg, tensors, metrics, random, proximal
 * and regression goes through here or the helpers above (test/architecture/readback.test.ts).
 */
export function readSync(t: tf.Tensor): Float32Array | Int32Array | Uint8Array {
  return t.dataSync() as Float32Array | Int32Array | Uint8Array;
}

/** The first value of a tensor (one sync), e.g. a scalar reduction. */
export function readScalar(t: tf.Tensor): number {
  return t.dataSync()[0] as number;
}
