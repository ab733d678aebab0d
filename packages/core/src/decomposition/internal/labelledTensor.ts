/**
 * Tensors whose axes carry mode labels, for chains of mode products in the fewest
 * transposes (Tucker / HOOI / non-negative Tucker; see ./tuckerCore.ts).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * A tensor whose axes carry mode labels, for chains of mode products `X x_k U_k^T`
 * contracted in the order that needs the fewest transposes (the last axis contracts with a
 * plain matmul, the first with `U^T @ X`; a middle one is moved last first).
 */
export interface Labelled {
  t: tf.Tensor;
  /** labels[p] = the mode of axis p (k >= 0: original size; ~k < 0: contracted to rank). */
  labels: number[];
}

/** Contract the axis of mode `mode` with `u` (I x r): the axis becomes size r, label ~mode. Disposes nothing. */
export function contractAxis(x: Labelled, mode: number, u: tf.Tensor2D, ut?: tf.Tensor2D): Labelled {
  const p = x.labels.indexOf(mode);
  if (p < 0) throw new Error(`internal: mode ${mode} not in labels ${x.labels}`);
  const shape = x.t.shape;
  const nd = shape.length;
  const I = shape[p];
  const r = u.shape[1];
  return tf.tidy(() => {
    if (p === nd - 1) {
      const out = tf.matMul(tf.reshape(x.t, [-1, I]), u);
      return { t: tf.reshape(out, [...shape.slice(0, nd - 1), r]), labels: [...x.labels.slice(0, nd - 1), ~mode] };
    }
    if (p === 0) {
      const uT = ut ?? tf.transpose(u);
      const out = tf.matMul(uT as tf.Tensor2D, tf.reshape(x.t, [I, -1]));
      return { t: tf.reshape(out, [r, ...shape.slice(1)]), labels: [~mode, ...x.labels.slice(1)] };
    }
    const perm = [...Array(nd).keys()].filter((i) => i !== p);
    perm.push(p);
    const moved = tf.transpose(x.t, perm);
    const out = tf.matMul(tf.reshape(moved, [-1, I]), u);
    const newShape = perm.slice(0, nd - 1).map((i) => shape[i]);
    return { t: tf.reshape(out, [...newShape, r]), labels: [...perm.slice(0, nd - 1).map((i) => x.labels[i]), ~mode] };
  }) as Labelled;
}

/** Permute a labelled tensor so that its labels follow `order`. */
export function arrange(x: Labelled, order: number[]): tf.Tensor {
  const perm = order.map((l) => x.labels.indexOf(l));
  if (perm.some((p) => p < 0)) throw new Error(`internal: labels ${x.labels} do not cover ${order}`);
  if (perm.every((p, i) => p === i)) return tf.clone(x.t);
  return tf.transpose(x.t, perm);
}

/** The mode-`mode` unfolding (rows = that axis; the column order is the remaining axes in place). */
export function unfoldingOf(x: Labelled, mode: number): tf.Tensor2D {
  const p = x.labels.indexOf(mode);
  const I = x.t.shape[p];
  return tf.tidy(() => {
    if (p === 0) return tf.reshape(x.t, [I, -1]) as tf.Tensor2D;
    const nd = x.t.shape.length;
    const perm = [p, ...[...Array(nd).keys()].filter((i) => i !== p)];
    return tf.reshape(tf.transpose(x.t, perm), [I, -1]) as tf.Tensor2D;
  });
}
