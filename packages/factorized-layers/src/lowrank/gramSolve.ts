/**
 * Least squares through the normal equations: the big products (Gram matrices, right-hand
 * sides) run on the backend as matmuls, the small symmetric system is solved on the host in
 * float64 by Cholesky. When the Gram matrix is numerically singular (a rank-deficient
 * design, e.g. a ReLU unit that never fires), the caller's fallback runs core's
 * minimum-norm `lstsq` on the original system instead, so the answer is always the
 * minimum-norm least-squares solution. Internal.
 */
import { TenfoldError, hostCholesky, lstsq, tf } from '@tenfold/core';

/**
 * Smallest pivot, relative to the largest diagonal entry, that we trust in a Gram matrix
 * formed in float32 (its entries carry ~1e-7 relative rounding; a pivot below this means
 * cond(A) above ~300, where the normal equations lose float32's digits).
 */
const PIVOT_RTOL = 1e-5;

/**
 * The lower Cholesky factor of `G` (`n x n`, row-major) in float64 (core's `hostCholesky`),
 * or null when a pivot falls below `PIVOT_RTOL * max(diag G)` (or G is not finite).
 */
function choleskyFactor(g: Float64Array, n: number): Float64Array | null {
  try {
    return hostCholesky({ rows: n, cols: n, data: g }, { pivotRtol: PIVOT_RTOL }).data;
  } catch (e) {
    if (e instanceof TenfoldError) return null;
    throw e;
  }
}

/**
 * Solve `G X = C` for symmetric positive definite `G` (`n x n`, row-major) and `C`
 * (`n x m`) in float64 by Cholesky. Returns null when a pivot falls below
 * `PIVOT_RTOL * max(diag G)`.
 */
export function choleskySolveHost(g: Float64Array, n: number, c: Float64Array, m: number): Float64Array | null {
  const L = choleskyFactor(g, n);
  if (!L) return null;
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
 * Cholesky factor `G = L Lᵀ` in float64 and the inverse `L⁻¹` (lower triangular, row-major).
 * Returns null on a pivot below `PIVOT_RTOL * max(diag G)`.
 */
export function choleskyInverseFactorHost(g: Float64Array, n: number): Float64Array | null {
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const L = choleskyFactor(g, n);
  if (!L) return null;
  // Z = L⁻¹, row by row: Z[i, :i+1] = (e_i - Σ_{k<i} L[i,k] Z[k, :]) / L[i,i] (Z[k] is zero past k).
  const Z = eye;
  for (let i = 0; i < n; i++) {
    const zi = i * n;
    for (let k = 0; k < i; k++) {
      const f = L[i * n + k];
      if (f === 0) continue;
      const zk = k * n;
      for (let col = 0; col <= k; col++) Z[zi + col] -= f * Z[zk + col];
    }
    const inv = 1 / L[i * n + i];
    for (let col = 0; col <= i; col++) Z[zi + col] *= inv;
  }
  return Z;
}

/**
 * Above this many multiply-adds (`n² m`) for the host triangular solves, the solve moves to
 * the backend: the host only factors `G` and inverts `L` (`n³ / 3`), and
 * `X = L⁻ᵀ (L⁻¹ C)` runs as two backend matmuls.
 */
const HOST_SOLVE_LIMIT = 16e6;

/**
 * Solve `gram Z = rhs` for a symmetric positive definite `gram` (float64 Cholesky on the host;
 * large right-hand sides go through `L⁻¹` on the backend). Returns null when `gram` is
 * numerically singular. Call inside `tf.tidy`.
 */
export function solveSpd(gram: tf.Tensor2D, rhs: tf.Tensor2D): tf.Tensor2D | null {
  const n = gram.shape[0];
  const m = rhs.shape[1];
  if (n * n * m <= HOST_SOLVE_LIMIT) {
    const sol = choleskySolveHost(Float64Array.from(gram.dataSync()), n, Float64Array.from(rhs.dataSync()), m);
    return sol ? tf.tensor2d(Float32Array.from(sol), [n, m]) : null;
  }
  const linv = choleskyInverseFactorHost(Float64Array.from(gram.dataSync()), n);
  if (!linv) return null;
  const li = tf.tensor2d(Float32Array.from(linv), [n, n]);
  return tf.matMul(tf.transpose(li), tf.matMul(li, rhs)) as tf.Tensor2D;
}

/**
 * `argmin_X ||A X - B||_F` (minimum norm) given `gram = Aᵀ A` and `rhs = Aᵀ B` on the backend.
 * `fallback()` returns `[A, B]` when the Gram route is not trustworthy. Call inside `tf.tidy`.
 */
export function lstsqFromGram(gram: tf.Tensor2D, rhs: tf.Tensor2D, fallback: () => [tf.Tensor2D, tf.Tensor2D]): tf.Tensor2D {
  const sol = solveSpd(gram, rhs);
  if (sol) return sol;
  const [a, b] = fallback();
  return lstsq(a, b) as tf.Tensor2D;
}

/**
 * Minimum-norm `lstsq(A, B)` for `A` (`N x D`): tall (`N >= D`) through `AᵀA` (or the given
 * precomputed `gram = AᵀA`, `rhs = AᵀB`), wide (`N < D`) through `A Aᵀ`:
 * `X = Aᵀ (A Aᵀ)⁻¹ B`, which is the minimum-norm solution when `A` has full row rank.
 * Rank-deficient cases fall back to core's SVD-based `lstsq`. Call inside `tf.tidy`.
 */
export function minNormLstsq(a: tf.Tensor2D, b: tf.Tensor2D, gram?: tf.Tensor2D | null, rhs?: tf.Tensor2D | null): tf.Tensor2D {
  const [n, d] = a.shape;
  if (n >= d) return lstsqFromGram(gram ?? tMatMul(a, a), rhs ?? tMatMul(a, b), () => [a, b]);
  const z = solveSpd(matMulT(a, a), b);
  return z ? tMatMul(a, z) : (lstsq(a, b) as tf.Tensor2D);
}

/** `aᵀ b` with an explicit transpose: tfjs-wasm's `transposeA` path is ~7x slower. */
export function tMatMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.transpose(a), b);
}

/** `a bᵀ` with an explicit transpose: tfjs-wasm's `transposeB` path is ~7x slower. */
export function matMulT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, tf.transpose(b));
}
