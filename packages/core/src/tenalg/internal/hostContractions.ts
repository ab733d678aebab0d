/**
 * Host (float64) contraction kernels of a row-major L x K matrix with a column-major factor
 * block, shared by the host MTTKRP (./mttkrpHost.ts) and PARAFAC2's Procrustes step
 * (decomposition/parafac2Procrustes.ts).
 *
 * Every output element is a sum started at 0 and accumulated in increasing order
 * of the contracted index, as in the direct MTTKRP; the blocking only keeps several of
 * those sums in registers at once (the short `for r < R` loops were the bottleneck).
 */

/**
 * `out[f, r] = sum_k t[f, k] c[r, k]` for a row-major L x K `t` and a column-major
 * (R x K rows) `c`; `out` is L x R row-major. Two rows of t times up to four ranks per pass.
 */
export function contractLast(t: Float64Array, L: number, K: number, c: Float64Array, R: number, out: Float64Array): void {
  const L2 = L - (L % 2);
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = Math.min(4, R - r0);
    const c0 = r0 * K;
    const c1 = c0 + K;
    const c2 = c1 + K;
    const c3 = c2 + K;
    if (rb === 4) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k], x2 = c[c2 + k], x3 = c[c3 + k];
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1; out[o + 2 * L] = a2; out[o + 3 * L] = a3;
        out[o + 1] = e0; out[o + L + 1] = e1; out[o + 2 * L + 1] = e2; out[o + 3 * L + 1] = e3;
      }
    } else if (rb === 3) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, a2 = 0, e0 = 0, e1 = 0, e2 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k], x2 = c[c2 + k];
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1; out[o + 2 * L] = a2;
        out[o + 1] = e0; out[o + L + 1] = e1; out[o + 2 * L + 1] = e2;
      }
    } else if (rb === 2) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, a1 = 0, e0 = 0, e1 = 0;
        for (let k = 0; k < K; k++) {
          const v = t[b0 + k];
          const w = t[b1 + k];
          const x0 = c[c0 + k], x1 = c[c1 + k];
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = r0 * L + f;
        out[o] = a0; out[o + L] = a1;
        out[o + 1] = e0; out[o + L + 1] = e1;
      }
    } else {
      for (let f = 0; f < L2; f += 2) {
        const b0 = f * K;
        const b1 = b0 + K;
        let a0 = 0, e0 = 0;
        for (let k = 0; k < K; k++) {
          const x0 = c[c0 + k];
          a0 += t[b0 + k] * x0;
          e0 += t[b1 + k] * x0;
        }
        const o = r0 * L + f;
        out[o] = a0;
        out[o + 1] = e0;
      }
    }
  }
  for (let f = L2; f < L; f++) {
    const b = f * K;
    for (let r = 0; r < R; r++) {
      const cr = r * K;
      let a = 0;
      for (let k = 0; k < K; k++) a += t[b + k] * c[cr + k];
      out[r * L + f] = a;
    }
  }
}

/**
 * `out[k, r] = sum_f t[f, k] q[r, f]` for a row-major L x K `t` and a column-major
 * (R x L rows) `q`; `out` is K x R row-major. Two columns of t times up to four ranks per pass.
 */
export function contractLead(t: Float64Array, L: number, K: number, q: Float64Array, R: number, out: Float64Array): void {
  const K2 = K - (K % 2);
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = Math.min(4, R - r0);
    const q0 = r0 * L;
    const q1 = q0 + L;
    const q2 = q1 + L;
    const q3 = q2 + L;
    if (rb === 4) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f], x2 = q[q2 + f], x3 = q[q3 + f];
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
        out[o + R] = e0; out[o + R + 1] = e1; out[o + R + 2] = e2; out[o + R + 3] = e3;
      }
    } else if (rb === 3) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, a2 = 0, e0 = 0, e1 = 0, e2 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f], x2 = q[q2 + f];
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2;
        out[o + R] = e0; out[o + R + 1] = e1; out[o + R + 2] = e2;
      }
    } else if (rb === 2) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, a1 = 0, e0 = 0, e1 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const v = t[b];
          const w = t[b + 1];
          const x0 = q[q0 + f], x1 = q[q1 + f];
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = k * R + r0;
        out[o] = a0; out[o + 1] = a1;
        out[o + R] = e0; out[o + R + 1] = e1;
      }
    } else {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0, e0 = 0;
        for (let f = 0, b = k; f < L; f++, b += K) {
          const x0 = q[q0 + f];
          a0 += t[b] * x0;
          e0 += t[b + 1] * x0;
        }
        const o = k * R + r0;
        out[o] = a0;
        out[o + R] = e0;
      }
    }
  }
  for (let k = K2; k < K; k++) {
    for (let r = 0; r < R; r++) {
      const qr = r * L;
      let a = 0;
      for (let f = 0, b = k; f < L; f++, b += K) a += t[b] * q[qr + f];
      out[k * R + r] = a;
    }
  }
}
