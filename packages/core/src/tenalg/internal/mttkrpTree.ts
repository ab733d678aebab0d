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
 * `unfolding_dot_khatri_rao` without weights). One of the three MTTKRP variants of tenalg
 * (see ../mttkrp.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { prod } from '../../base/internal/shapeHelpers.js';
import { khatriRaoCols, khatriRaoRows } from './khatriRaoKernels.js';

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
  private t2T: tf.Tensor2D | null = null;
  private src: tf.Tensor | null = null;
  private pl: tf.Tensor | null = null;
  private pr: tf.Tensor | null = null;

  constructor(shape: readonly number[]) {
    this.shape = [...shape];
    this.h = splitPoint(shape);
  }

  /**
   * Start a sweep on tensor `t` (not owned). Drops the partials of the previous sweep. The
   * matrix view of `t` is kept while `t` stays the same: wasm's matmul packs its right
   * operand once per tensor, so a fresh view every sweep would repack the whole tensor.
   */
  begin(t: tf.Tensor): void {
    this.end();
    if (this.src !== t || !this.t2) {
      this.t2?.dispose();
      this.t2T?.dispose();
      this.t2T = null;
      const pL = prod(this.shape.slice(0, this.h));
      this.t2 = tf.reshape(t, [pL, -1]) as tf.Tensor2D;
      this.src = t;
    } else if (!this.t2T && this.t2.shape[1] > 4 * this.t2.shape[0]) {
      // Same tensor for a second sweep: materialise T2^T once. XNNPACK's product
      // (R, L) @ (L, wide) runs ~3x slower than (wide, L) @ (L, R) on the same data.
      this.t2T = tf.transpose(this.t2) as tf.Tensor2D;
    }
  }

  /** Dispose the partials of the sweep. */
  end(): void {
    for (const x of [this.pl, this.pr]) if (x && !x.isDisposed) x.dispose();
    this.pl = this.pr = null;
  }

  /** Dispose everything (call once when done). */
  release(): void {
    this.end();
    if (this.t2 && !this.t2.isDisposed) this.t2.dispose();
    if (this.t2T && !this.t2T.isDisposed) this.t2T.dispose();
    this.t2 = this.t2T = null;
    this.src = null;
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
    const t2 = this.t2;
    return tf.tidy(() => {
      if (mode < h) {
        if (!this.pl) {
          // (prod I_left, R) -> (R, prod I_left): the in-group products are batched over R.
          const pl = tf.matMul(t2, khatriRaoRows(factors.slice(h) as tf.Tensor2D[]));
          this.pl = tf.keep(h === 1 ? pl : tf.transpose(pl));
        }
        if (h === 1) return tf.clone(this.pl) as tf.Tensor2D;
        return groupMttkrp(this.pl, this.shape.slice(0, h), factors.slice(0, h), mode);
      }
      if (!this.pr) {
        if (this.t2T) {
          this.pr = tf.keep(tf.transpose(tf.matMul(this.t2T, khatriRaoRows(factors.slice(0, h) as tf.Tensor2D[]))));
        } else {
          const leftT = factors.slice(0, h).map((f) => tf.transpose(f) as tf.Tensor2D);
          this.pr = tf.keep(tf.matMul(khatriRaoCols(leftT), t2));
        }
      }
      if (N - h === 1) return tf.transpose(this.pr) as tf.Tensor2D;
      return groupMttkrp(this.pr, this.shape.slice(h), factors.slice(h), mode - h);
    });
  }
}

/**
 * MTTKRP of a group's mode `local` from the group's partial `p` = (R, prod I_group):
 * with B / A the sizes of the group's modes before / after `local`,
 * `M^T = (W_B (R,1,B) @ p (R,B,I*A)) (R,I,A) @ W_A (R,A,1)` — two products batched over R,
 * no transpose of the partial.
 */
function groupMttkrp(p: tf.Tensor, groupShape: readonly number[], groupFactors: readonly tf.Tensor2D[], local: number): tf.Tensor2D {
  const R = p.shape[0];
  const I = groupShape[local];
  const B = prod(groupShape.slice(0, local));
  const A = prod(groupShape.slice(local + 1));
  let x: tf.Tensor = tf.reshape(p, [R, B, I * A]);
  // Test the mode's position, not B / A > 1: a size-1 mode still carries its factor's value.
  if (local > 0) {
    const wB = khatriRaoCols(groupFactors.slice(0, local).map((f) => tf.transpose(f) as tf.Tensor2D));
    x = tf.matMul(tf.reshape(wB, [R, 1, B]), x);
  }
  x = tf.reshape(x, [R, I, A]);
  if (local < groupShape.length - 1) {
    const wA = khatriRaoCols(groupFactors.slice(local + 1).map((f) => tf.transpose(f) as tf.Tensor2D));
    x = tf.matMul(x, tf.reshape(wA, [R, A, 1]));
  }
  return tf.transpose(tf.reshape(x, [R, I])) as tf.Tensor2D;
}

/** One MTTKRP from scratch (no reuse), e.g. for a line-search trial point. */
export function mttkrpOnce(t: tf.Tensor, factors: readonly tf.Tensor2D[], mode: number): tf.Tensor2D {
  const tree = new MttkrpTree(t.shape);
  tree.begin(t);
  try {
    return tree.mttkrp(factors, mode);
  } finally {
    tree.release();
  }
}
