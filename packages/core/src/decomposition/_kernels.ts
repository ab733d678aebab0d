/**
 * Private kernels of the decompositions: transposition-free matmuls, Khatri–Rao products,
 * Gram matrices and small dense inverses. The truncated SVD of the SVD inits / HOOI / TT-SVD
 * is linalg's `truncatedSvdHost`. Big work stays on the backend as plain matmuls; the small
 * dense problems (R x R systems) run on the host in float64.
 *
 * Measured on the wasm backend (tfjs 4.22): a matmul with `transposeA`/`transposeB` runs
 * ~10x slower than the same product on a materialised transpose (2.9 vs 26 GFLOP/s), so
 * every product here is written without the flags.
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import { hostEye, solveOrPinv } from '../linalg/host.js';
import { gramToHost } from '../linalg/engine.js';
import { usesExactSvd } from '../linalg/truncatedSvdHost.js';
import { fromHostMatrix } from '../backend/transfer.js';

export function prod(a: readonly number[]): number {
  let p = 1;
  for (const v of a) p *= v;
  return p;
}

/** `a @ b` with optional transposes, materialised (see the module note). */
export function mm(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.tidy(() => {
    const a2 = (transposeA ? tf.transpose(a as tf.Tensor2D) : a) as tf.Tensor2D;
    const b2 = (transposeB ? tf.transpose(b as tf.Tensor2D) : b) as tf.Tensor2D;
    return tf.matMul(a2, b2);
  });
}

/** Download a 2-D tensor as a float64 host matrix (one sync). */
export function toHost(t: tf.Tensor): HostMatrix {
  const [rows, cols] = t.shape.length === 2 ? (t.shape as [number, number]) : [t.shape[0] ?? 1, 1];
  return { rows, cols, data: Float64Array.from(t.dataSync()) };
}

/** `F^T F` computed on the backend, downloaded in float64 (one sync). */
export function gramHost(f: tf.Tensor2D): HostMatrix {
  const [rows, r] = f.shape;
  if (rows * r * r <= HOST_GRAM_WORK) {
    // Small factors: download and accumulate in float64 (the error identity of CP-ALS
    // subtracts nearly equal numbers, so float32 Grams would dominate its rounding).
    const d = f.dataSync();
    const g = new Float64Array(r * r);
    // Upper triangle, four rows per pass: a quarter of the loads and stores of g.
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const o0 = i * r;
      const o1 = o0 + r;
      const o2 = o1 + r;
      const o3 = o2 + r;
      for (let a = 0; a < r; a++) {
        const v0 = d[o0 + a];
        const v1 = d[o1 + a];
        const v2 = d[o2 + a];
        const v3 = d[o3 + a];
        const ga = a * r;
        for (let b = a; b < r; b++) g[ga + b] += v0 * d[o0 + b] + v1 * d[o1 + b] + v2 * d[o2 + b] + v3 * d[o3 + b];
      }
    }
    for (; i < rows; i++) {
      const o = i * r;
      for (let a = 0; a < r; a++) {
        const va = d[o + a];
        if (va === 0) continue;
        for (let b = a; b < r; b++) g[a * r + b] += va * d[o + b];
      }
    }
    for (let a = 0; a < r; a++) for (let b = 0; b < a; b++) g[a * r + b] = g[b * r + a];
    return { rows: r, cols: r, data: g };
  }
  return gramToHost(f);
}

/** Work (I R^2) up to which a Gram is accumulated on the host in float64. */
const HOST_GRAM_WORK = 4e6;

/** `sum(a * b)` of two same-shape device matrices, accumulated in float64 on the host when small. */
export function dot64(a: tf.Tensor, b: tf.Tensor): number {
  if (a.size <= 1e6) {
    const x = a.dataSync();
    const y = b.dataSync();
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
  return tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]);
}

/** Host inverse threshold: above it the R x R inverse is built on the backend by blocks. */
const HOST_INVERSE_MAX = 256;

/**
 * The inverse of a small square host matrix, as a float32 tensor. Up to 256 x 256 it is
 * LU with partial pivoting in float64 (numpy's `solve` semantics: only an exactly zero
 * pivot fails). Larger ones (CP ranks in the thousands) use block inversion through the
 * Schur complement, the leaves inverted on the host and the O(R^3) products on the
 * backend, so a rank-2291 step costs seconds, not minutes.
 */
export function inverseToDevice(a: HostMatrix): tf.Tensor2D {
  const n = a.rows;
  if (n <= HOST_INVERSE_MAX) return fromHostMatrix(solveOrPinv(a, hostEye(n)));
  return tf.tidy(() => blockInverse(fromHostMatrix(a)));
}

function blockInverse(a: tf.Tensor2D): tf.Tensor2D {
  const n = a.shape[0];
  if (n <= HOST_INVERSE_MAX) {
    const h = toHost(a);
    return fromHostMatrix(solveOrPinv(h, hostEye(n)));
  }
  const h = Math.floor(n / 2);
  const A = tf.slice(a, [0, 0], [h, h]);
  const B = tf.slice(a, [0, h], [h, n - h]);
  const C = tf.slice(a, [h, 0], [n - h, h]);
  const D = tf.slice(a, [h, h], [n - h, n - h]);
  const Ai = blockInverse(A);
  const AiB = tf.matMul(Ai, B);
  const CAi = tf.matMul(C, Ai);
  const S = tf.sub(D, tf.matMul(C, AiB));
  const Si = blockInverse(S as tf.Tensor2D);
  const top = tf.concat([tf.add(Ai, tf.matMul(tf.matMul(AiB, Si), CAi)), tf.neg(tf.matMul(AiB, Si))], 1);
  const bottom = tf.concat([tf.neg(tf.matMul(Si, CAi)), Si], 1);
  return tf.concat([top, bottom], 0) as tf.Tensor2D;
}

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

/** TensorLy's `unfold(t, mode)`: moveaxis(mode, 0) then C-order reshape. */
export function unfoldT(t: tf.Tensor, mode: number): tf.Tensor2D {
  return unfoldingOf({ t, labels: [...Array(t.rank).keys()] }, mode);
}

/**
 * `unfold(t, mode)` and its transpose for a Gram product, with one transpose of the tensor
 * for the first and last modes (the other operand is a free reshape).
 */
export function unfoldWithTranspose(t: tf.Tensor, mode: number): { y: tf.Tensor2D; yT: tf.Tensor2D } {
  const nd = t.rank;
  const I = t.shape[mode];
  return tf.tidy(() => {
    if (mode === nd - 1 && nd > 1) {
      const yT = tf.reshape(t, [-1, I]) as tf.Tensor2D;
      return { y: tf.transpose(yT) as tf.Tensor2D, yT };
    }
    const y = unfoldT(t, mode);
    return { y, yT: tf.transpose(y) as tf.Tensor2D };
  });
}

/** The unfolding for `truncatedSvdHost`, with its transpose when the Gram route will need it. */
export function unfoldForSvd(t: tf.Tensor, mode: number, method: 'truncated' | 'randomized' | 'gram'): { y: tf.Tensor2D; yT?: tf.Tensor2D } {
  const I = t.shape[mode];
  if (usesExactSvd(I, t.size / I, method)) return { y: unfoldT(t, mode) };
  return unfoldWithTranspose(t, mode);
}

/** Inverse of `unfoldT`. */
export function foldT(m: tf.Tensor, mode: number, shape: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const moved = [shape[mode], ...shape.filter((_, i) => i !== mode)];
    const t = tf.reshape(m, moved);
    if (mode === 0) return t;
    const nd = shape.length;
    // Axis 0 goes back to position `mode`.
    const perm: number[] = [];
    for (let i = 0; i < nd; i++) perm.push(i === mode ? 0 : i < mode ? i + 1 : i);
    return tf.transpose(t, perm);
  });
}

/**
 * Squared Frobenius norm: float32 partial sums of 256 squares on the backend, added in
 * float64 on the host (downloading a large tensor is far slower than this reduction, and
 * 256-term float32 sums keep the relative rounding near 1e-6 at worst).
 */
export function sqNorm64(t: tf.Tensor): number {
  const n = t.size;
  if (n <= 65536) {
    const d = t.dataSync();
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
    return s;
  }
  const parts = tf.tidy(() => {
    const flat = tf.reshape(t, [-1]);
    const padded = n % 256 === 0 ? flat : tf.pad(flat, [[0, 256 - (n % 256)]]);
    return tf.sum(tf.square(tf.reshape(padded, [-1, 256])), 1);
  });
  const d = parts.dataSync();
  parts.dispose();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s;
}
