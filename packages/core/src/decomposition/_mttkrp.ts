/**
 * MTTKRP for CP sweeps by a two-level dimension tree (Phan, Tichavský & Cichocki, "Fast
 * alternating LS algorithms for high order CANDECOMP/PARAFAC tensor factorizations",
 * IEEE TSP 2013; Kaya & Uçar 2018).
 *
 * The modes are split into a left group [0, h) and a right group [h, N). With the tensor
 * viewed as the matrix T2 = (prod I_left, prod I_right) (a free C-order reshape):
 *
 * - P_L = T2 @ KR(F_h, ..., F_{N-1})          (prod I_left, R)
 * - P_R = KR(F_0, ..., F_{h-1})^T @ T2        (R, prod I_right)
 *
 * and the MTTKRP of a mode in a group contracts that group's partial with the group's other
 * factors (an element-wise product and a sum over prod I_group * R entries, cheap). A full
 * sweep thus costs two products with the tensor instead of N, neither needs a transpose of
 * the tensor, and the Khatri–Rao product of all other factors is never formed. ALS order is
 * kept exactly: P_L is formed at the start of the sweep (from the not-yet-updated right
 * factors) and P_R after the left modes are updated.
 *
 * `mttkrp(T, F, m) = unfold(T, m) @ khatri_rao(F, skip_matrix=m)` (TensorLy
 * `unfolding_dot_khatri_rao` without weights).
 */
import * as tf from '@tensorflow/tfjs';
import { khatriRaoCols, khatriRaoRows, prod } from './_kernels.js';

/** The split point h minimising the partials' size (prod I_left + prod I_right). */
export function splitPoint(shape: readonly number[]): number {
  let best = 1;
  let bestCost = Infinity;
  for (let h = 1; h < shape.length; h++) {
    const cost = prod(shape.slice(0, h)) + prod(shape.slice(h));
    if (cost < bestCost) {
      bestCost = cost;
      best = h;
    }
  }
  return best;
}

export class MttkrpTree {
  readonly shape: number[];
  readonly h: number;
  private t2: tf.Tensor2D | null = null;
  private pl: tf.Tensor | null = null;
  private pr: tf.Tensor | null = null;

  constructor(shape: readonly number[]) {
    this.shape = [...shape];
    this.h = splitPoint(shape);
  }

  /** Start a sweep on tensor `t` (not owned). Drops the partials of the previous sweep. */
  begin(t: tf.Tensor): void {
    this.end();
    const pL = prod(this.shape.slice(0, this.h));
    this.t2 = tf.reshape(t, [pL, -1]) as tf.Tensor2D;
  }

  /** Dispose the partials. */
  end(): void {
    for (const x of [this.t2, this.pl, this.pr]) if (x && !x.isDisposed) x.dispose();
    this.t2 = this.pl = this.pr = null;
  }

  /**
   * MTTKRP of `mode` with the current `factors` (I_mode x R), a new tensor. Modes must be
   * requested in ascending order within a sweep (ALS order); the partial of a group is
   * formed at the group's first request.
   */
  mttkrp(factors: readonly tf.Tensor2D[], mode: number): tf.Tensor2D {
    if (!this.t2) throw new Error('internal: MttkrpTree.begin was not called');
    const N = this.shape.length;
    const h = this.h;
    const R = factors[0].shape[1];
    const t2 = this.t2;
    return tf.tidy(() => {
      if (mode < h) {
        if (!this.pl) this.pl = tf.keep(tf.matMul(t2, khatriRaoRows(factors.slice(h) as tf.Tensor2D[])));
        if (h === 1) return tf.clone(this.pl) as tf.Tensor2D;
        const left = this.shape.slice(0, h);
        const others = [...Array(h).keys()].filter((k) => k !== mode);
        const p = tf.reshape(this.pl, [...left, R]);
        // Layout (I_m, R, others): the reduction runs over the last axis (fast on wasm).
        const moved = tf.reshape(transposeIfNeeded(p, [mode, h, ...others]), [left[mode], R, -1]);
        const wT = khatriRaoCols(others.map((k) => tf.transpose(factors[k]) as tf.Tensor2D));
        return tf.sum(tf.mul(moved, tf.reshape(wT, [1, R, -1])), 2) as tf.Tensor2D;
      }
      if (!this.pr) {
        const leftT = factors.slice(0, h).map((f) => tf.transpose(f) as tf.Tensor2D);
        this.pr = tf.keep(tf.matMul(khatriRaoCols(leftT), t2));
      }
      if (N - h === 1) return tf.transpose(this.pr) as tf.Tensor2D;
      const right = this.shape.slice(h);
      const local = mode - h;
      const others = [...Array(N - h).keys()].filter((k) => k !== local);
      const p = tf.reshape(this.pr, [R, ...right]);
      const perm = [0, local + 1, ...others.map((k) => k + 1)];
      const moved = tf.reshape(transposeIfNeeded(p, perm), [R, right[local], -1]);
      const wT = khatriRaoCols(others.map((k) => tf.transpose(factors[h + k]) as tf.Tensor2D));
      const m = tf.sum(tf.mul(moved, tf.reshape(wT, [R, 1, -1])), 2);
      return tf.transpose(m) as tf.Tensor2D;
    });
  }
}

/** `tf.transpose` that skips the copy for the identity permutation. */
function transposeIfNeeded(x: tf.Tensor, perm: number[]): tf.Tensor {
  return perm.every((p, i) => p === i) ? x : tf.transpose(x, perm);
}

/** One MTTKRP from scratch (no reuse), e.g. for a line-search trial point. */
export function mttkrpOnce(t: tf.Tensor, factors: readonly tf.Tensor2D[], mode: number): tf.Tensor2D {
  const tree = new MttkrpTree(t.shape);
  tree.begin(t);
  try {
    return tree.mttkrp(factors, mode);
  } finally {
    tree.end();
  }
}
