/**
 * Mode-product chains for Tucker: contract a set of modes with `U_k^T` (or expand with
 * `U_k`) in the order that needs the fewest / smallest transposes.
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../../backend/transfer.js';
import { qrUnchecked } from '../../linalg/host.js';
import type { Rng } from '../../base/rng.js';
import { arrange, contractAxis, type Labelled } from './labelledTensor.js';
import { hostZeros } from '../../linalg/host.js';

/**
 * `X x_{k in modes} U_k^T` for a labelled tensor (U_k: I_k x r_k). The last axis contracts
 * with a plain matmul and the first with `U^T @ X`; otherwise the pending mode with the
 * largest axis goes first (shrinking the tensor early). Returns a new labelled tensor.
 */
export function contractModes(x: Labelled, pending: Map<number, tf.Tensor2D>): Labelled {
  let cur = x;
  const todo = new Map(pending);
  while (todo.size > 0) {
    const labels = cur.labels;
    const lastL = labels[labels.length - 1];
    const firstL = labels[0];
    let pick: number;
    if (todo.has(lastL)) pick = lastL;
    else if (todo.has(firstL)) pick = firstL;
    else {
      pick = -1;
      let best = -1;
      for (const m of todo.keys()) {
        const size = cur.t.shape[labels.indexOf(m)];
        if (size > best) {
          best = size;
          pick = m;
        }
      }
    }
    const next = contractAxis(cur, pick, todo.get(pick) as tf.Tensor2D);
    if (cur !== x) cur.t.dispose();
    cur = next;
    todo.delete(pick);
  }
  if (cur === x) return { t: tf.clone(x.t), labels: [...x.labels] };
  return cur;
}

/** `core x_{k in modes} U_k` (expansion back to full size), arranged in mode order 0..N-1. */
export function expand(core: tf.Tensor, factors: readonly tf.Tensor2D[], modes: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const N = core.rank;
    const labels = [...Array(N).keys()];
    let cur: Labelled = { t: core, labels };
    modes.forEach((m, i) => {
      const uT = tf.transpose(factors[i]) as tf.Tensor2D;
      const next = contractAxis(cur, m, uT);
      cur = { t: next.t, labels: next.labels.map((l) => (l === ~m ? m : l)) };
    });
    return arrange(cur, labels);
  });
}

/** `core = T x_{k in modes} U_k^T`, in mode order, a new tensor. */
export function projectCore(t: tf.Tensor, factors: readonly tf.Tensor2D[], modes: readonly number[]): tf.Tensor {
  const N = t.rank;
  const labels = [...Array(N).keys()];
  const pending = new Map<number, tf.Tensor2D>();
  modes.forEach((m, i) => pending.set(m, factors[i]));
  const y = contractModes({ t, labels }, pending);
  const order = labels.map((l) => (modes.includes(l) ? ~l : l));
  const out = arrange(y, order);
  y.t.dispose();
  return out;
}

/**
 * Complete `u` (m x c, orthonormal columns) to `k` orthonormal columns with random
 * directions (Householder QR of [u | G]); used when an unfolding has fewer than the
 * requested number of singular vectors (TensorLy would return arbitrary null-space vectors).
 */
export function completeBasis(u: HostMatrix, k: number, rng: Rng): HostMatrix {
  const m = u.rows;
  const c = u.cols;
  if (c >= k) return u;
  const a = hostZeros(m, k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < c; j++) a.data[i * k + j] = u.data[i * c + j];
    for (let j = c; j < k; j++) a.data[i * k + j] = rng.normal();
  }
  const { q } = qrUnchecked(a);
  // Householder QR with diag(R) >= 0 reproduces u's columns exactly (up to rounding).
  return q;
}
