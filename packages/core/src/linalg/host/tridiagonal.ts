/**
 * The one Householder tridiagonalisation of Tenfold's symmetric eigensolvers (Golub & Van
 * Loan, "Matrix Computations", 4th ed., Alg. 8.3.1; LAPACK dsytd2): Q^T A Q = T with
 * Q = H_0 H_1 ... H_{n-3}, one fused pass over the trailing upper triangle per step (the
 * rank-2 update of step k and the symmetric mat-vec of step k+1 share the pass, halving
 * memory traffic). The reflectors are kept in A's rows, so a caller either back-transforms a
 * few vectors (`symmetricEigen`'s top-k) or forms Q (`formQ`, for `hostEigh`'s full
 * eigendecomposition, where tql2 then accumulates its rotations into Q).
 */

/**
 * In-place Householder tridiagonalisation of the upper triangle. On return d (diagonal),
 * e (super-diagonal), and for each step s a reflector H_s = I - beta_s u_s u_s^T with u_s
 * stored in a[s, s+1..n-1] (u_s[s+1] = 1 is not normalised away; it is stored as computed).
 */
export function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array, beta: Float64Array): void {
  // Entries far from 1 (below 2^-300 or above 2^300): products such as A u leave float64's
  // normal range. Scale by a power of two (exact, so the reflectors are those of A) and
  // scale d and e back; inputs of ordinary size are not touched (same bits as before).
  let amax = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) amax = Math.max(amax, Math.abs(a[i * n + j]));
  if (amax > 0 && amax < Infinity && (amax < 2 ** -300 || amax > 2 ** 300)) {
    const c = 2 ** -Math.round(Math.log2(amax));
    for (let i = 0; i < a.length; i++) a[i] *= c;
    tridiagonalizeScaled(a, n, d, e, beta);
    for (let i = 0; i < n; i++) d[i] /= c;
    for (let i = 0; i < n - 1; i++) e[i] /= c;
    return;
  }
  tridiagonalizeScaled(a, n, d, e, beta);
}

function tridiagonalizeScaled(a: Float64Array, n: number, d: Float64Array, e: Float64Array, beta: Float64Array): void {
  if (n === 0) return;
  if (n <= 2) {
    // Already tridiagonal: no reflector (beta stays 0, so the back-transform is the identity).
    d[0] = a[0];
    if (n === 2) {
      d[1] = a[3];
      e[0] = a[1];
    }
    return;
  }
  const p = new Float64Array(n);
  const w = new Float64Array(n);
  let u = new Float64Array(n);
  let uNext = new Float64Array(n);
  let haveReflector = false;

  // Householder vector of row k's part j >= k+1; writes u into `out`, returns beta and sets e[k].
  const reflect = (k: number, out: Float64Array): number => {
    const off = k * n;
    let scale = 0;
    for (let j = k + 1; j < n; j++) scale = Math.max(scale, Math.abs(a[off + j]));
    out.fill(0);
    if (scale === 0) {
      e[k] = 0;
      return 0;
    }
    let nrm2 = 0;
    for (let j = k + 1; j < n; j++) {
      const v = a[off + j] / scale;
      nrm2 += v * v;
    }
    const x0 = a[off + k + 1];
    const alpha = -(x0 >= 0 ? 1 : -1) * scale * Math.sqrt(nrm2);
    for (let j = k + 1; j < n; j++) out[j] = a[off + j];
    out[k + 1] -= alpha;
    let uu = 0;
    for (let j = k + 1; j < n; j++) uu += out[j] * out[j];
    e[k] = alpha;
    if (uu === 0) return 0;
    for (let j = k + 1; j < n; j++) a[off + j] = out[j]; // keep u_k for the back-transform
    return 2 / uu;
  };

  // Step 0: reflector from row 0, plain symmetric mat-vec over the trailing block.
  d[0] = a[0];
  beta[0] = reflect(0, u);
  haveReflector = beta[0] !== 0;
  if (haveReflector) symvUpper(a, n, 1, u, p);
  for (let k = 0; k < n - 2; k++) {
    // w = beta p - (beta^2/2)(u^T p) u, the rank-2 correction of step k.
    const bk = beta[k];
    if (bk !== 0) {
      let up = 0;
      for (let j = k + 1; j < n; j++) up += u[j] * p[j];
      // beta = 2 / |u|^2 squared overflows for tiny inputs (|u| ~ 1e-80 gives beta^2 = Inf and
      // Inf * 0 = NaN downstream); only then associate the other way (same bits otherwise).
      const bb = bk * bk;
      const kk = bb < Infinity ? 0.5 * bb * up : 0.5 * bk * (bk * up);
      for (let j = k + 1; j < n; j++) w[j] = bk * p[j] - kk * u[j];
    }
    // Update row k+1 (the first row of the trailing block) and read d[k+1].
    const r1 = (k + 1) * n;
    if (bk !== 0) {
      const ui = u[k + 1];
      const wi = w[k + 1];
      for (let j = k + 1; j < n; j++) a[r1 + j] -= ui * w[j] + wi * u[j];
    }
    d[k + 1] = a[r1 + k + 1];
    // Next reflector from the updated row k+1.
    const bNext = k + 1 < n - 2 ? reflect(k + 1, uNext) : 0;
    if (k + 1 < n - 2) beta[k + 1] = bNext;
    else e[k + 1] = a[r1 + k + 2];
    // Fused pass over rows i >= k+2: apply step k's update, accumulate p' = A' uNext. Two
    // rows per sweep, so the vectors are read once per pair (the pass is memory-bound).
    if (bk === 0) w.fill(0); // u is zero too: the update is a no-op
    p.fill(0, k + 2);
    let i = k + 2;
    for (; i + 1 < n; i += 2) {
      const r0 = i * n;
      const r1b = r0 + n;
      const u0 = u[i];
      const w0 = w[i];
      const v0 = uNext[i];
      const u1 = u[i + 1];
      const w1 = w[i + 1];
      const v1 = uNext[i + 1];
      const a00 = a[r0 + i] - (u0 * w0 + w0 * u0);
      const a01 = a[r0 + i + 1] - (u0 * w1 + w0 * u1);
      const a11 = a[r1b + i + 1] - (u1 * w1 + w1 * u1);
      a[r0 + i] = a00;
      a[r0 + i + 1] = a01;
      a[r1b + i + 1] = a11;
      let acc0 = a00 * v0 + a01 * v1;
      let acc1 = a01 * v0 + a11 * v1;
      for (let j = i + 2; j < n; j++) {
        const wj = w[j];
        const uj = u[j];
        const vj = uNext[j];
        const x = a[r0 + j] - (u0 * wj + w0 * uj);
        const y = a[r1b + j] - (u1 * wj + w1 * uj);
        a[r0 + j] = x;
        a[r1b + j] = y;
        acc0 += x * vj;
        acc1 += y * vj;
        p[j] += x * v0 + y * v1;
      }
      p[i] += acc0;
      p[i + 1] += acc1;
    }
    if (i < n) {
      // The last row alone (only its diagonal is left).
      const ri = i * n + i;
      const aii = a[ri] - 2 * u[i] * w[i];
      a[ri] = aii;
      p[i] += aii * uNext[i];
    }
    const t = u;
    u = uNext;
    uNext = t;
  }
  d[n - 1] = a[(n - 1) * n + n - 1];
  e[n - 1] = 0;
}

/** p[i] = sum_j A[i, j] u[j] over the trailing block i, j >= from, from the upper triangle. */
function symvUpper(a: Float64Array, n: number, from: number, u: Float64Array, p: Float64Array): void {
  p.fill(0, from);
  for (let i = from; i < n; i++) {
    const ri = i * n;
    const ui = u[i];
    let acc = a[ri + i] * ui;
    for (let j = i + 1; j < n; j++) {
      const v = a[ri + j];
      acc += v * u[j];
      p[j] += v * ui;
    }
    p[i] += acc;
  }
}

/**
 * Q = H_0 H_1 ... H_{n-3} from the reflectors `tridiagonalize` left in `refl` (H_s =
 * I - beta_s u_s u_s^T, u_s in refl[s, s+1..n-1]), returned transposed (row c holds column c
 * of Q, the layout of the QL iteration's eigenvector accumulation). Backward accumulation:
 * Q <- H_s Q from s = n-3 down, touching only columns and rows > s, 4/3 n^3 flops.
 */
export function formQ(refl: Float64Array, beta: Float64Array, n: number): Float64Array {
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let s = n - 3; s >= 0; s--) {
    const b = beta[s];
    if (b === 0) continue;
    const off = s * n;
    for (let c = s + 1; c < n; c++) {
      const oc = c * n;
      let dot = 0;
      for (let r = s + 1; r < n; r++) dot += refl[off + r] * qt[oc + r];
      dot *= b;
      if (dot === 0) continue;
      for (let r = s + 1; r < n; r++) qt[oc + r] -= dot * refl[off + r];
    }
  }
  return qt;
}
