/**
 * Reductions the decompositions need in float64: downloads of small device matrices, Gram
 * matrices `F^T F`, dot products and squared norms. Small operands are read back and summed
 * on the host in float64 (the error identity of CP-ALS subtracts nearly equal numbers);
 * large ones are reduced on the backend first. Thresholds: backend/placement.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { readSync, readScalar } from '../../backend/transfer.js';
import type { HostMatrix } from '../../backend/transfer.js';
import { gramToHost } from '../../linalg/engine.js';
import { HOST_DOT_MAX, HOST_GRAM_WORK, HOST_SQNORM_MAX } from '../../backend/placement.js';

/** Download a 2-D tensor as a float64 host matrix (one sync). */
export function toHost(t: tf.Tensor): HostMatrix {
  const [rows, cols] = t.shape.length === 2 ? (t.shape as [number, number]) : [t.shape[0] ?? 1, 1];
  return { rows, cols, data: Float64Array.from(readSync(t)) };
}

/** `F^T F` computed on the backend, downloaded in float64 (one sync). */
export function gramHost(f: tf.Tensor2D): HostMatrix {
  const [rows, r] = f.shape;
  if (rows * r * r <= HOST_GRAM_WORK) {
    // Small factors: download and accumulate in float64 (the error identity of CP-ALS
    // subtracts nearly equal numbers, so float32 Grams would dominate its rounding).
    const d = readSync(f);
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

/** `sum(a * b)` of two same-shape device matrices, accumulated in float64 on the host when small. */
export function dot64(a: tf.Tensor, b: tf.Tensor): number {
  if (a.size <= HOST_DOT_MAX) {
    const x = readSync(a);
    const y = readSync(b);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
  return tf.tidy(() => readScalar(tf.sum(tf.mul(a, b))));
}

/**
 * Squared Frobenius norm: float32 partial sums of 256 squares on the backend, added in
 * float64 on the host (downloading a large tensor is far slower than this reduction, and
 * 256-term float32 sums keep the relative rounding near 1e-6 at worst).
 */
export function sqNorm64(t: tf.Tensor): number {
  const n = t.size;
  if (n <= HOST_SQNORM_MAX) {
    const d = readSync(t);
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
    return s;
  }
  const parts = tf.tidy(() => {
    const flat = tf.reshape(t, [-1]);
    const padded = n % 256 === 0 ? flat : tf.pad(flat, [[0, 256 - (n % 256)]]);
    return tf.sum(tf.square(tf.reshape(padded, [-1, 256])), 1);
  });
  const d = readSync(parts);
  parts.dispose();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s;
}
