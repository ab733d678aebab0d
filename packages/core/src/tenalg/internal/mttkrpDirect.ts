/**
 * The direct MTTKRP on the backend, without argument checks (one of the three variants
 * behind tenalg's one entry, ../mttkrp.ts):
 *
 *   M = unfold(T, n) @ khatriRao(F, skipMatrix: n)
 *   i.e. M[i_n, r] = sum_{i_k, k != n} T[i_0, ..., i_{N-1}] * prod_{k != n} F_k[i_k, r]
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
 *    index `r`: `(a, I_k, b, R) * (1, I_k, 1, R)` summed over `I_k`.
 *
 * Intermediates are freed step by step, so the peak is about two blocks.
 */
import * as tf from '@tensorflow/tfjs';
import { prod } from '../../base/internal/shapeHelpers.js';

/** `unfold(x, m) @ khatriRao(fs, skip m)`, `(I_m, R)`; inputs already checked. */
export function directMttkrp(x: tf.Tensor, fs: readonly tf.Tensor2D[], m: number): tf.Tensor2D {
  return tf.tidy(() => {
    const shape = x.shape;
    const n = shape.length;
    const r = fs[0].shape[1];
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
    return tf.reshape(cur, [shape[m], r]) as tf.Tensor2D;
  });
}
