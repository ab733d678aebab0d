/**
 * Least squares through the normal equations: the big products (Gram matrices, right-hand
 * sides) run on the backend as matmuls, the small symmetric system is solved on the host in
 * float64 by Cholesky. When the Gram matrix is numerically singular (a rank-deficient
 * design, e.g. a ReLU unit that never fires), the caller's fallback runs core's
 * minimum-norm `lstsq` on the original system instead, so the answer is always the
 * minimum-norm least-squares solution. Internal.
 */
import * as tf from '@tensorflow/tfjs';
import { lstsq } from '@tenfold/core';

/**
 * Smallest pivot, relative to the largest diagonal entry, that we trust in a Gram matrix
 * formed in float32 (its entries carry ~1e-7 relative rounding; a pivot below this means
 * cond(A) above ~300, where the normal equations lose float32's digits).
 */
const PIVOT_RTOL = 1e-5;

/**
 * Solve `G X = C` for symmetric positive definite `G` (`n x n`, row-major) and `C`
 * (`n x m`) in float64 by Cholesky. Returns null when a pivot falls below
 * `PIVOT_RTOL * max(diag G)`.
 */
export function choleskySolveHost(g: Float64Array, n: number, c: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(g);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, L[i * n + i]);
  if (!(maxDiag > 0) || !Number.isFinite(maxDiag)) return null;
  const tol = PIVOT_RTOL * maxDiag;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = L[rj + j];
    for (let k = 0; k < j; k++) d -= L[rj + k] * L[rj + k];
    if (!(d > tol)) return null;
    d = Math.sqrt(d);
    L[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = L[ri + j];
      for (let k = 0; k < j; k++) s -= L[ri + k] * L[rj + k];
      L[ri + j] = s / d;
    }
  }
  const X = new Float64Array(c);
  // Forward: L Z = C.
  for (let i = 0; i < n; i++) {
    const xi = i * m;
    for (let k = 0; k < i; k++) {
      const f = L[i * n + k];
      if (f === 0) continue;
      const xk = k * m;
      for (let col = 0; col < m; col++) X[xi + col] -= f * X[xk + col];
    }
    const inv = 1 / L[i * n + i];
    for (let col = 0; col < m; col++) X[xi + col] *= inv;
  }
  // Backward: Lᵀ X = Z.
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * m;
    for (let k = i + 1; k < n; k++) {
      const f = L[k * n + i];
      if (f === 0) continue;
      const xk = k * m;
      for (let col = 0; col < m; col++) X[xi + col] -= f * X[xk + col];
    }
    const inv = 1 / L[i * n + i];
    for (let col = 0; col < m; col++) X[xi + col] *= inv;
  }
  return X;
}

/**
 * `argmin_X ||A X - B||_F` (minimum norm) given `gram = Aᵀ A` and `rhs = Aᵀ B` on the backend.
 * `fallback()` returns `[A, B]` when the Gram route is not trustworthy. Call inside `tf.tidy`.
 */
export function lstsqFromGram(gram: tf.Tensor2D, rhs: tf.Tensor2D, fallback: () => [tf.Tensor2D, tf.Tensor2D]): tf.Tensor2D {
  const n = gram.shape[0];
  const m = rhs.shape[1];
  const sol = choleskySolveHost(Float64Array.from(gram.dataSync()), n, Float64Array.from(rhs.dataSync()), m);
  if (sol) return tf.tensor2d(Float32Array.from(sol), [n, m]);
  const [a, b] = fallback();
  return lstsq(a, b) as tf.Tensor2D;
}
