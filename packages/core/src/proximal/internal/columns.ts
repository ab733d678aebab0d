/**
 * Float64 host kernels of the column-wise proximal operators (TensorLy 0.9
 * `tenalg/proximal.py`): Euclidean projections of each column of a row-major I x R matrix
 * onto the simplex, the l1 ball, non-decreasing and unimodal vectors, and the banded solve of
 * the smoothness penalty. Each is the exact minimiser of its problem.
 */
import type { HostMatrix } from '../../backend/transfer.js';

/** Copy column `c` of a row-major matrix. */
export function getColumn(m: HostMatrix, c: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + c];
  return out;
}

/** Apply `f` to every column of `m`, returning a new matrix. */
export function mapColumns(m: HostMatrix, f: (v: Float64Array) => Float64Array): HostMatrix {
  const out: HostMatrix = { rows: m.rows, cols: m.cols, data: new Float64Array(m.data.length) };
  for (let c = 0; c < m.cols; c++) {
    const v = f(getColumn(m, c));
    for (let i = 0; i < m.rows; i++) out.data[i * m.cols + c] = v[i];
  }
  return out;
}

/**
 * Projection onto the scaled simplex `{v >= 0, sum v = t}` (Duchi, Shalev-Shwartz, Singer &
 * Chandra, "Efficient projections onto the l1-ball for learning in high dimensions", ICML
 * 2008, Fig. 1): sort descending, `theta = (sum_{j<=rho} u_j - t) / rho` with rho the largest
 * index where `u_rho > (sum_{j<=rho} u_j - t) / rho`, then `max(v - theta, 0)`.
 */
export function projectSimplex(v: Float64Array, t: number): Float64Array {
  const u = Float64Array.from(v).sort().reverse();
  let cum = 0;
  let theta = 0;
  for (let k = 0; k < u.length; k++) {
    cum += u[k];
    const cand = (cum - t) / (k + 1);
    if (u[k] > cand) theta = cand;
  }
  return v.map((x) => Math.max(x - theta, 0));
}

/**
 * Projection onto the l1 ball `{||v||_1 <= t}` (Duchi et al. 2008, §4): v itself when
 * inside, else `sign(v) * projectSimplex(|v|, t)`.
 */
export function projectL1Ball(v: Float64Array, t: number): Float64Array {
  let l1 = 0;
  for (const x of v) l1 += Math.abs(x);
  if (l1 <= t) return Float64Array.from(v);
  const p = projectSimplex(v.map(Math.abs), t);
  return p.map((x, i) => x * Math.sign(v[i]));
}

/**
 * Isotonic regression by pool-adjacent-violators (Barlow et al. 1972; Best & Chakravarti
 * 1990): the projection of v onto non-decreasing vectors, `argmin ||x - v||^2` s.t.
 * `x_0 <= ... <= x_{n-1}`. `errors` (optional, length n) receives the squared error of the
 * fit of every prefix v[0..i] (the stack keeps each pooled block's sum of squares).
 */
export function isotonicIncreasing(v: Float64Array, errors?: Float64Array): Float64Array {
  const n = v.length;
  const sum = new Float64Array(n);
  const sq = new Float64Array(n);
  const cnt = new Int32Array(n);
  let top = -1;
  let err = 0;
  const blockErr = (b: number): number => Math.max(sq[b] - (sum[b] * sum[b]) / cnt[b], 0);
  for (let i = 0; i < n; i++) {
    top++;
    sum[top] = v[i];
    sq[top] = v[i] * v[i];
    cnt[top] = 1;
    // err is the sum of the stacked blocks' errors; a one-element block adds 0.
    while (top > 0 && sum[top - 1] / cnt[top - 1] > sum[top] / cnt[top]) {
      err -= blockErr(top - 1) + blockErr(top);
      sum[top - 1] += sum[top];
      sq[top - 1] += sq[top];
      cnt[top - 1] += cnt[top];
      top--;
      err += blockErr(top);
    }
    if (errors) errors[i] = err;
  }
  const out = new Float64Array(n);
  let pos = 0;
  for (let b = 0; b <= top; b++) {
    const mean = sum[b] / cnt[b];
    for (let j = 0; j < cnt[b]; j++) out[pos++] = mean;
  }
  return out;
}

/** Projection onto non-increasing vectors: isotonic regression of the reversed vector. */
export function isotonicDecreasing(v: Float64Array): Float64Array {
  return isotonicIncreasing(Float64Array.from(v).reverse()).reverse();
}

/**
 * Unimodal regression (Stout, "Unimodal regression via prefix isotonic regression", CSDA
 * 2008): every unimodal vector is non-decreasing on [0, p] and non-increasing on (p, n) for
 * some p, and any such pair of fits is unimodal, so the projection is the best split of a
 * prefix isotonic fit and a suffix antitonic fit: `p* = argmin_p E_inc(0..p) + E_dec(p+1..)`.
 */
export function projectUnimodal(v: Float64Array): Float64Array {
  const n = v.length;
  if (n <= 2) return Float64Array.from(v);
  const pre = new Float64Array(n);
  isotonicIncreasing(v, pre);
  const sufRev = new Float64Array(n);
  isotonicIncreasing(Float64Array.from(v).reverse(), sufRev);
  // suffix error of v[p+1..n-1] = sufRev[n - 2 - p] (p < n - 1); 0 for p = n - 1.
  let best = -1;
  let bestErr = Infinity;
  for (let p = 0; p < n; p++) {
    const e = pre[p] + (p < n - 1 ? sufRev[n - 2 - p] : 0);
    if (e < bestErr) {
      bestErr = e;
      best = p;
    }
  }
  const out = new Float64Array(n);
  out.set(isotonicIncreasing(v.subarray(0, best + 1)), 0);
  if (best < n - 1) out.set(isotonicDecreasing(v.subarray(best + 1)), best + 1);
  return out;
}

/**
 * Solve `(I + r T) x = b` with T = tridiag(-1, 2, -1) (the smoothness penalty's normal
 * matrix) by the Thomas algorithm: the matrix is symmetric, strictly diagonally dominant,
 * so elimination without pivoting is stable. O(n) per column.
 */
export function smoothnessSolve(b: Float64Array, r: number): Float64Array {
  const n = b.length;
  const diag = 1 + 2 * r;
  const off = -r;
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  let denom = diag;
  c[0] = off / denom;
  d[0] = b[0] / denom;
  for (let i = 1; i < n; i++) {
    denom = diag - off * c[i - 1];
    c[i] = off / denom;
    d[i] = (b[i] - off * d[i - 1]) / denom;
  }
  const x = new Float64Array(n);
  x[n - 1] = d[n - 1];
  for (let i = n - 2; i >= 0; i--) x[i] = d[i] - c[i] * x[i + 1];
  return x;
}

/**
 * Keep the `k` entries of largest magnitude of the whole array (ties to the lower index),
 * zero the rest: the projection onto `{||x||_0 <= k}`.
 */
export function hardThreshold(data: Float64Array, k: number): Float64Array {
  const out = new Float64Array(data.length);
  if (k <= 0) return out;
  if (k >= data.length) return Float64Array.from(data);
  const idx = Array.from({ length: data.length }, (_, i) => i);
  idx.sort((a, b) => Math.abs(data[b]) - Math.abs(data[a]) || a - b);
  for (let j = 0; j < k; j++) out[idx[j]] = data[idx[j]];
  return out;
}
