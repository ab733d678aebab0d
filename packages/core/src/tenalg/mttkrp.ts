import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { prod, shapeStr } from '../base/internal/shapeHelpers.js';

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
 * 1. one plain matmul contracts a mode `e != n` with its factor and appends the rank axis:
 *    `(P, I_e) @ F_e`. The last mode needs no copy of the tensor; another mode is moved
 *    last by one transpose. `e` minimises the footprint `[copy] size(T) + size(T) / I_e * R`
 *    (usually the last mode; a large mode instead when the last one is small against `R`);
 * 2. every other mode, largest first so that the block shrinks fastest, is contracted by a
 *    broadcast product with its factor and a sum over that mode, keeping the shared rank
 *    index `r`: `(a, I_k, b, R) * (1, I_k, 1, R)` summed over `I_k`;
 * 3. the weights scale the columns of the `(I_n, R)` result.
 *
 * Intermediates are freed step by step, so the peak is about two blocks.
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

    // Step 1: one plain matmul contracts mode e with its factor and appends the rank axis.
    // The last mode needs no copy ((P, I_last) @ F_last); any other mode is first moved last
    // by one transpose of the tensor. Pick e for the smallest footprint:
    // (copy ? size : 0) + size / I_e * R.
    const size = prod(shape);
    let e = -1;
    let best = Infinity;
    for (let k = 0; k < n; k++) {
      if (k === m) continue;
      const cost = (k === n - 1 ? 0 : size) + (size / shape[k]) * r;
      if (cost < best) {
        best = cost;
        e = k;
      }
    }
    const rem = shape.map((_, k) => k).filter((k) => k !== e);
    let cur = tf.tidy(() => {
      const moved = e === n - 1 ? x : tf.transpose(x, [...rem, e]);
      return tf.matMul(tf.reshape(moved, [size / shape[e], shape[e]]), fs[e]);
    });
    // Step 2: the block is now (rem..., R) in C order. Contract the other modes one at a
    // time, largest first so that the block shrinks fastest, by a broadcast product with the
    // factor and a sum over that mode: (a, I_k, b, R) * (1, I_k, 1, R) -> sum over axis 1.
    // Each step frees the previous block, so the peak is about two blocks.
    while (rem.length > 1) {
      let pos = -1;
      for (let i = 0; i < rem.length; i++) {
        if (rem[i] !== m && (pos < 0 || shape[rem[i]] > shape[rem[pos]])) pos = i;
      }
      const k = rem[pos];
      const a = prod(rem.slice(0, pos).map((q) => shape[q]));
      const b = prod(rem.slice(pos + 1).map((q) => shape[q]));
      const d = shape[k];
      const f = fs[k];
      const prev = cur;
      cur = tf.tidy(() => tf.sum(tf.mul(tf.reshape(prev, [a, d, b, r]), tf.reshape(f, [1, d, 1, r])), 1));
      prev.dispose();
      rem.splice(pos, 1);
    }
    cur = tf.reshape(cur, [shape[m], r]);
    if (w) cur = tf.mul(cur, tf.reshape(w, [1, r]));
    return cur as tf.Tensor2D;
  });
}
