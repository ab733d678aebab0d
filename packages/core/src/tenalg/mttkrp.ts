import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { prod, shapeStr } from '../base/internal.js';
import { matmul2d } from './internal.js';

/**
 * Matricized tensor times Khatri–Rao product (MTTKRP), the core of CP-ALS:
 *
 *   mttkrp(T, w, F, n) = unfold(T, n) @ khatriRao(F, { weights: w, skipMatrix: n })
 *   i.e. M[i_n, r] = w_r * sum_{i_k, k != n} T[i_0, ..., i_{N-1}] * prod_{k != n} F_k[i_k, r]
 *
 * Mirrors `tensorly.tenalg.unfolding_dot_khatri_rao` (Kolda & Bader 2009, §3.4; Phan,
 * Tichavský & Cichocki 2013 for the contraction-order idea), but never forms the
 * `(prod_{k != n} I_k) x R` Khatri–Rao product nor the unfolding:
 *
 * 1. one plain matmul contracts the last mode with its factor, in place:
 *    `(P, I_last) @ F_last` (when `n` is the last mode: `(I_0, Q)^T @ F_0`, after one
 *    transpose), which adds the rank axis;
 * 2. every other mode, again taken from the outer ends of the remaining block (larger
 *    first, so intermediates shrink fastest), is contracted by a broadcast product with
 *    its factor and a sum over that mode, keeping the shared rank index `r`;
 * 3. the weights scale the columns of the `(I_n, R)` result.
 *
 * The tensor is never transposed unless `n` is the last mode, and the largest intermediate
 * is `size(T) / I_e * R` for the first contracted mode `e`.
 *
 * @param t tensor with at least 2 modes
 * @param weights `(R,)` column weights, or null for ones
 * @param factors one `(I_k, R)` matrix per mode (the one at `mode` is not used, but must
 *   have the right shape)
 * @param mode the mode that is left out (negative counts from the end)
 * @returns `(I_mode, R)`
 * @throws ShapeError for a tensor with fewer than 2 modes, a factor of the wrong shape or
 *   weights of the wrong length; ArgumentError when `factors` is not one per mode;
 *   ModeError for a mode out of range
 */
export function mttkrp(t: TensorLike, weights: TensorLike | null, factors: readonly TensorLike[], mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    const shape = x.shape;
    const n = shape.length;
    if (n < 2) throw new ShapeError(`tensor must have at least 2 modes for an MTTKRP; got shape ${shapeStr(shape)}`);
    const m = checkMode(mode, n, 'mode');
    if (!Array.isArray(factors) || factors.length !== n) {
      throw new ArgumentError(`factors must hold one matrix per mode of the tensor (${n}, shape ${shapeStr(shape)}); got ${Array.isArray(factors) ? `${factors.length} matrices` : describe(factors)}`);
    }
    const fs = factors.map((f, k) => toTensor(f, `factors[${k}]`));
    fs.forEach((f, k) => {
      if (f.rank !== 2) throw new ShapeError(`factors[${k}] must be a matrix (I_${k}, R); got shape ${shapeStr(f.shape)}`);
    });
    const r = fs[0].shape[1] as number;
    fs.forEach((f, k) => {
      if (f.shape[0] !== shape[k] || f.shape[1] !== r) {
        throw new ShapeError(`factors[${k}] must have shape [${shape[k]}, ${r}] (dim ${k} of the tensor of shape ${shapeStr(shape)}, and the rank of factors[0]); got ${shapeStr(f.shape)}`);
      }
    });
    let w: tf.Tensor | null = null;
    if (weights !== null && weights !== undefined) {
      w = toTensor(weights, 'weights');
      if (w.size !== r || w.rank > 2) throw new ShapeError(`weights must have one entry per column of the factors (${r}); got shape ${shapeStr(w.shape)}`);
    }

    // The current block holds modes lo..hi (original order, C layout), then (after step 1)
    // the rank axis last.
    let lo = 0;
    let hi = n - 1;
    const pickHigh = () => (lo === m ? true : hi === m ? false : shape[hi] >= shape[lo]);
    let cur: tf.Tensor;
    if (m !== n - 1) {
      // Trailing mode: (P, I_last) @ F_last, with no copy of the tensor.
      cur = matmul2d(tf.reshape(x, [prod(shape.slice(0, hi)), shape[hi]]), fs[hi]);
      hi--;
    } else {
      // mode is the last one, so every contracted mode leads: one transpose of the tensor,
      // then (Q, I_0) @ F_0. (A transposed-operand matmul would avoid the copy but runs on
      // the wasm backend's slow path; see matmul2d.)
      const q = prod(shape.slice(1));
      cur = matmul2d(tf.transpose(tf.reshape(x, [shape[0], q])), fs[0]);
      lo++;
    }
    while (lo < m || hi > m) {
      if (pickHigh()) {
        const p = prod(shape.slice(lo, hi));
        const prodHi = tf.mul(tf.reshape(cur, [p, shape[hi], r]), tf.reshape(fs[hi], [1, shape[hi], r]));
        cur = tf.sum(prodHi, 1);
        hi--;
      } else {
        const q = prod(shape.slice(lo + 1, hi + 1));
        const prodLo = tf.mul(tf.reshape(cur, [shape[lo], q, r]), tf.reshape(fs[lo], [shape[lo], 1, r]));
        cur = tf.sum(prodLo, 0);
        lo++;
      }
    }
    cur = tf.reshape(cur, [shape[m], r]);
    if (w) cur = tf.mul(cur, tf.reshape(w, [1, r]));
    return cur as tf.Tensor2D;
  });
}
