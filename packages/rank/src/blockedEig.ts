/**
 * Blocked Householder tridiagonalisation of a large symmetric matrix that lives on the
 * backend (LAPACK dsytrd / dlatrd; Golub & Van Loan, "Matrix Computations", 4th ed., §8.3.1
 * and the blocked variant of Dongarra, Sorensen & Hammarling, 1989).
 *
 * Why: a 4096 x 4096 Gram matrix needs ~(4/3) n^3 = 9e10 flops to tridiagonalise. On the
 * host in JS that is minutes; here half of them (the rank-2b trailing updates) are backend
 * matmuls, and the other half (one symmetric mat-vec per column) are backend mat-vecs, while
 * the host only forms the reflectors and the small panel corrections in float64.
 *
 * Panel of b columns starting at p0, with T = A[p0:, p0:] as it stood at the panel's start:
 * for each column j the current column is T's column minus the panel's pending rank-2
 * corrections V W^T + W V^T; its reflector v gives p = beta (T v - V (W^T v) - W (V^T v)),
 * w = p - (beta/2)(p^T v) v; after the panel, T <- T - V W^T - W V^T on the backend.
 * Accuracy is that of float32 arithmetic on ||A|| (the Gram matrix itself is float32).
 */
import { tf } from '@tenfold/core';
import { eigenFromTridiagonal, type SymmetricEigen } from './symeig.js';

/** Eigenvalues of the symmetric n x n backend tensor `g` (not disposed), vectors on demand. */
export function blockedSymmetricEigen(g: tf.Tensor2D, block = 32): SymmetricEigen {
  const n = g.shape[0];
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const beta = new Float64Array(n);
  const refl = new Float64Array(n * n); // u_s in row s, columns s+1..n-1
  let T: tf.Tensor2D = tf.clone(g);
  try {
    for (let p0 = 0; p0 < n; p0 += block) {
      const m = n - p0;
      const bb = Math.min(block, n - p0);
      // Block-start columns p0..p0+bb-1 of T (rows p0..n-1), row-major m x bb.
      const panel = tf.tidy(() => tf.slice(T, [0, 0], [m, bb]));
      const cols = panel.dataSync();
      panel.dispose();
      const V: Float64Array[] = [];
      const W: Float64Array[] = [];
      for (let jj = 0; jj < bb; jj++) {
        const j = p0 + jj;
        // Current column j (rows j..n-1), local index i - p0.
        const x = new Float64Array(n);
        for (let i = j; i < n; i++) {
          let v = cols[(i - p0) * bb + jj];
          for (let c = 0; c < V.length; c++) v -= V[c][i] * W[c][j] + W[c][i] * V[c][j];
          x[i] = v;
        }
        d[j] = x[j];
        if (j >= n - 2) {
          if (j === n - 2) e[j] = x[n - 1];
          continue;
        }
        // Householder reflector of x[j+1..n-1] (same convention as the host solver).
        let scale = 0;
        for (let i = j + 1; i < n; i++) scale = Math.max(scale, Math.abs(x[i]));
        const u = new Float64Array(n);
        if (scale === 0) {
          e[j] = 0;
          continue;
        }
        let nrm2 = 0;
        for (let i = j + 1; i < n; i++) nrm2 += (x[i] / scale) ** 2;
        const alpha = -(x[j + 1] >= 0 ? 1 : -1) * scale * Math.sqrt(nrm2);
        for (let i = j + 1; i < n; i++) u[i] = x[i];
        u[j + 1] -= alpha;
        let uu = 0;
        for (let i = j + 1; i < n; i++) uu += u[i] * u[i];
        e[j] = alpha;
        if (uu === 0) continue;
        const b = 2 / uu;
        beta[j] = b;
        refl.set(u.subarray(j + 1), j * n + j + 1);
        // y = T u on the backend (u is zero above j+1), as the row u^T T: T is symmetric,
        // and tfjs-wasm's row-times-matrix kernel is ~3x faster than matrix-times-column.
        const uLocal = new Float32Array(m);
        for (let i = j + 1; i < n; i++) uLocal[i - p0] = u[i];
        const y = tf.tidy(() => tf.matMul(tf.tensor2d(uLocal, [1, m]), T).dataSync());
        // Panel corrections: (V W^T + W V^T) u.
        const wu = V.map((_, c) => dotFrom(W[c], u, j + 1, n));
        const vu = V.map((_, c) => dotFrom(V[c], u, j + 1, n));
        const p = new Float64Array(n);
        for (let i = j + 1; i < n; i++) {
          let v = y[i - p0];
          for (let c = 0; c < V.length; c++) v -= V[c][i] * wu[c] + W[c][i] * vu[c];
          p[i] = b * v;
        }
        const k = 0.5 * b * dotFrom(p, u, j + 1, n);
        const w = new Float64Array(n);
        for (let i = j + 1; i < n; i++) w[i] = p[i] - k * u[i];
        V.push(u);
        W.push(w);
      }
      if (bb === m) break;
      // Trailing update on the backend, only for the block the next panel works on:
      // T[bb:, bb:] - [V W] [W V]^T (one matmul with inner size 2 * panel width).
      const r = m - bb;
      const k2 = 2 * V.length;
      const VW = new Float32Array(r * k2);
      const WV = new Float32Array(r * k2);
      for (let c = 0; c < V.length; c++) {
        for (let i = 0; i < r; i++) {
          const gi = p0 + bb + i;
          VW[i * k2 + c] = V[c][gi];
          VW[i * k2 + V.length + c] = W[c][gi];
          WV[i * k2 + c] = W[c][gi];
          WV[i * k2 + V.length + c] = V[c][gi];
        }
      }
      const next: tf.Tensor2D = tf.tidy(() => {
        const t22 = tf.slice(T, [bb, bb], [r, r]);
        if (k2 === 0) return t22 as tf.Tensor2D;
        return tf.sub(t22, tf.matMul(tf.tensor2d(VW, [r, k2]), tf.tensor2d(WV, [r, k2]), false, true)) as tf.Tensor2D;
      });
      T.dispose();
      T = next;
    }
  } finally {
    T.dispose();
  }
  return eigenFromTridiagonal(d, e, refl, beta, n);
}

function dotFrom(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * b[i];
  return s;
}
