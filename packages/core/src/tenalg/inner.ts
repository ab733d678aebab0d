import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { prod, shapeStr } from '../base/internal/shapeHelpers.js';

/**
 * Generalised inner product, mirroring `tensorly.tenalg.inner`:
 *
 * - `nModes` omitted: `<A, B> = sum(A * B)` over tensors of equal shape (a scalar tensor);
 * - `nModes = n`: the last `n` modes of `a` are contracted with the first `n` of `b`,
 *   giving shape `(...shape(a)[:-n], ...shape(b)[n:])` — one matmul on the backend.
 *
 * Returns a tensor (a scalar tensor in the first case) so that the value can stay on the
 * backend. `nModes = 0` is the outer product (TensorLy's `shape[:-0]` slip makes it fail
 * there; docs/fidelity/tenalg.md).
 *
 * @throws ShapeError when the shapes differ (no `nModes`) or the contracted dims differ;
 *   ArgumentError when `nModes` is not an integer in [0, min(ndim)]
 */
export function inner(a: TensorLike, b: TensorLike, nModes?: number | null): tf.Tensor {
  return tf.tidy(() => {
    const x = toTensor(a, 'a');
    const y = toTensor(b, 'b');
    if (nModes === undefined || nModes === null) {
      if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) {
        throw new ShapeError(`a and b must have the same shape for the full inner product; got ${shapeStr(x.shape)} and ${shapeStr(y.shape)}`);
      }
      return tf.sum(tf.mul(x, y));
    }
    if (!Number.isInteger(nModes) || nModes < 0 || nModes > Math.min(x.rank, y.rank)) {
      throw new ArgumentError(`nModes must be an integer in [0, ${Math.min(x.rank, y.rank)}] for tensors of shapes ${shapeStr(x.shape)} and ${shapeStr(y.shape)}; got ${describe(nModes)}`);
    }
    const common = x.shape.slice(x.rank - nModes);
    const head = y.shape.slice(0, nModes);
    if (common.some((d, i) => d !== head[i])) {
      throw new ShapeError(`the last ${nModes} dims of a (${shapeStr(common)}, shape ${shapeStr(x.shape)}) must equal the first ${nModes} dims of b (${shapeStr(head)}, shape ${shapeStr(y.shape)})`);
    }
    const freeA = x.shape.slice(0, x.rank - nModes);
    const freeB = y.shape.slice(nModes);
    const c = prod(common);
    const out = tf.matMul(tf.reshape(x, [prod(freeA), c]), tf.reshape(y, [c, prod(freeB)]));
    return tf.reshape(out, [...freeA, ...freeB]);
  });
}
