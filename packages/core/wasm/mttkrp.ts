// AssemblyScript source of the host MTTKRP kernels (see src/tenalg/internal/mttkrpHost.ts and hostContractions.ts).
// Compiled ahead of time by `pnpm build:wasm` (scripts/build-wasm.mjs) into
// src/tenalg/internal/mttkrpWasmBinary.ts, so a first call runs compiled code instead of
// waiting for V8 to tier up JavaScript loops (issue 9, "small problems").
//
// Every pointer is a byte offset into the imported memory; matrices are float64. Each
// output element is a sum started at 0 and accumulated in increasing order of the
// contracted index, exactly as the JavaScript kernels did (bit-identical results; wasm
// has no implicit fused multiply-add).

// @ts-nocheck — AssemblyScript, not TypeScript (load/store/usize are its builtins).

/**
 * out[f, r] = sum_k t[f, k] c[r, k]: t row-major L x K, c R rows of K, out R rows of L
 * (column-major L x R). Two rows of t times up to four ranks per pass.
 */
export function contractLast(t: usize, L: i32, K: i32, c: usize, R: i32, out: usize): void {
  const L2 = L - (L % 2);
  const Kb = <usize>K << 3;
  const Lb = <usize>L << 3;
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = min(4, R - r0);
    const c0 = c + <usize>r0 * Kb;
    const c1 = c0 + Kb;
    const c2 = c1 + Kb;
    const c3 = c2 + Kb;
    const ob0 = out + <usize>r0 * Lb;
    if (rb == 4) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = t + <usize>f * Kb;
        const b1 = b0 + Kb;
        let a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0;
        for (let k: usize = 0; k < Kb; k += 8) {
          const v = load<f64>(b0 + k);
          const w = load<f64>(b1 + k);
          const x0 = load<f64>(c0 + k), x1 = load<f64>(c1 + k), x2 = load<f64>(c2 + k), x3 = load<f64>(c3 + k);
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = ob0 + (<usize>f << 3);
        store<f64>(o, a0); store<f64>(o + Lb, a1); store<f64>(o + 2 * Lb, a2); store<f64>(o + 3 * Lb, a3);
        store<f64>(o + 8, e0); store<f64>(o + Lb + 8, e1); store<f64>(o + 2 * Lb + 8, e2); store<f64>(o + 3 * Lb + 8, e3);
      }
    } else if (rb == 3) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = t + <usize>f * Kb;
        const b1 = b0 + Kb;
        let a0 = 0.0, a1 = 0.0, a2 = 0.0, e0 = 0.0, e1 = 0.0, e2 = 0.0;
        for (let k: usize = 0; k < Kb; k += 8) {
          const v = load<f64>(b0 + k);
          const w = load<f64>(b1 + k);
          const x0 = load<f64>(c0 + k), x1 = load<f64>(c1 + k), x2 = load<f64>(c2 + k);
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = ob0 + (<usize>f << 3);
        store<f64>(o, a0); store<f64>(o + Lb, a1); store<f64>(o + 2 * Lb, a2);
        store<f64>(o + 8, e0); store<f64>(o + Lb + 8, e1); store<f64>(o + 2 * Lb + 8, e2);
      }
    } else if (rb == 2) {
      for (let f = 0; f < L2; f += 2) {
        const b0 = t + <usize>f * Kb;
        const b1 = b0 + Kb;
        let a0 = 0.0, a1 = 0.0, e0 = 0.0, e1 = 0.0;
        for (let k: usize = 0; k < Kb; k += 8) {
          const v = load<f64>(b0 + k);
          const w = load<f64>(b1 + k);
          const x0 = load<f64>(c0 + k), x1 = load<f64>(c1 + k);
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = ob0 + (<usize>f << 3);
        store<f64>(o, a0); store<f64>(o + Lb, a1);
        store<f64>(o + 8, e0); store<f64>(o + Lb + 8, e1);
      }
    } else {
      for (let f = 0; f < L2; f += 2) {
        const b0 = t + <usize>f * Kb;
        const b1 = b0 + Kb;
        let a0 = 0.0, e0 = 0.0;
        for (let k: usize = 0; k < Kb; k += 8) {
          const x0 = load<f64>(c0 + k);
          a0 += load<f64>(b0 + k) * x0;
          e0 += load<f64>(b1 + k) * x0;
        }
        const o = ob0 + (<usize>f << 3);
        store<f64>(o, a0);
        store<f64>(o + 8, e0);
      }
    }
  }
  for (let f = L2; f < L; f++) {
    const b = t + <usize>f * Kb;
    for (let r = 0; r < R; r++) {
      const cr = c + <usize>r * Kb;
      let a = 0.0;
      for (let k: usize = 0; k < Kb; k += 8) a += load<f64>(b + k) * load<f64>(cr + k);
      store<f64>(out + ((<usize>r * <usize>L + <usize>f) << 3), a);
    }
  }
}

/**
 * out[k, r] = sum_f t[f, k] q[r, f]: t row-major L x K, q R rows of L, out K x R row-major.
 * Two columns of t times up to four ranks per pass.
 */
export function contractLead(t: usize, L: i32, K: i32, q: usize, R: i32, out: usize): void {
  const K2 = K - (K % 2);
  const Kb = <usize>K << 3;
  const Lb = <usize>L << 3;
  const Rb = <usize>R << 3;
  for (let r0 = 0; r0 < R; r0 += 4) {
    const rb = min(4, R - r0);
    const q0 = q + <usize>r0 * Lb;
    const q1 = q0 + Lb;
    const q2 = q1 + Lb;
    const q3 = q2 + Lb;
    if (rb == 4) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, e0 = 0.0, e1 = 0.0, e2 = 0.0, e3 = 0.0;
        let b = t + (<usize>k << 3);
        for (let f: usize = 0; f < Lb; f += 8, b += Kb) {
          const v = load<f64>(b);
          const w = load<f64>(b + 8);
          const x0 = load<f64>(q0 + f), x1 = load<f64>(q1 + f), x2 = load<f64>(q2 + f), x3 = load<f64>(q3 + f);
          a0 += v * x0; a1 += v * x1; a2 += v * x2; a3 += v * x3;
          e0 += w * x0; e1 += w * x1; e2 += w * x2; e3 += w * x3;
        }
        const o = out + <usize>k * Rb + (<usize>r0 << 3);
        store<f64>(o, a0); store<f64>(o + 8, a1); store<f64>(o + 16, a2); store<f64>(o + 24, a3);
        store<f64>(o + Rb, e0); store<f64>(o + Rb + 8, e1); store<f64>(o + Rb + 16, e2); store<f64>(o + Rb + 24, e3);
      }
    } else if (rb == 3) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0.0, a1 = 0.0, a2 = 0.0, e0 = 0.0, e1 = 0.0, e2 = 0.0;
        let b = t + (<usize>k << 3);
        for (let f: usize = 0; f < Lb; f += 8, b += Kb) {
          const v = load<f64>(b);
          const w = load<f64>(b + 8);
          const x0 = load<f64>(q0 + f), x1 = load<f64>(q1 + f), x2 = load<f64>(q2 + f);
          a0 += v * x0; a1 += v * x1; a2 += v * x2;
          e0 += w * x0; e1 += w * x1; e2 += w * x2;
        }
        const o = out + <usize>k * Rb + (<usize>r0 << 3);
        store<f64>(o, a0); store<f64>(o + 8, a1); store<f64>(o + 16, a2);
        store<f64>(o + Rb, e0); store<f64>(o + Rb + 8, e1); store<f64>(o + Rb + 16, e2);
      }
    } else if (rb == 2) {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0.0, a1 = 0.0, e0 = 0.0, e1 = 0.0;
        let b = t + (<usize>k << 3);
        for (let f: usize = 0; f < Lb; f += 8, b += Kb) {
          const v = load<f64>(b);
          const w = load<f64>(b + 8);
          const x0 = load<f64>(q0 + f), x1 = load<f64>(q1 + f);
          a0 += v * x0; a1 += v * x1;
          e0 += w * x0; e1 += w * x1;
        }
        const o = out + <usize>k * Rb + (<usize>r0 << 3);
        store<f64>(o, a0); store<f64>(o + 8, a1);
        store<f64>(o + Rb, e0); store<f64>(o + Rb + 8, e1);
      }
    } else {
      for (let k = 0; k < K2; k += 2) {
        let a0 = 0.0, e0 = 0.0;
        let b = t + (<usize>k << 3);
        for (let f: usize = 0; f < Lb; f += 8, b += Kb) {
          const x0 = load<f64>(q0 + f);
          a0 += load<f64>(b) * x0;
          e0 += load<f64>(b + 8) * x0;
        }
        const o = out + <usize>k * Rb + (<usize>r0 << 3);
        store<f64>(o, a0);
        store<f64>(o + Rb, e0);
      }
    }
  }
  for (let k = K2; k < K; k++) {
    for (let r = 0; r < R; r++) {
      const qr = q + <usize>r * Lb;
      let a = 0.0;
      let b = t + (<usize>k << 3);
      for (let f: usize = 0; f < Lb; f += 8, b += Kb) a += load<f64>(b) * load<f64>(qr + f);
      store<f64>(out + <usize>k * Rb + (<usize>r << 3), a);
    }
  }
}

/**
 * The Khatri-Rao product of the factors of modes 0..n-1 with mode `skip` left out (a column
 * of ones in its place), R columns of `rows` entries into q (column-major). `factors` holds n
 * byte offsets (i32) of the row-major I_k x R factors, `shape` the n sizes (i32). Products are
 * taken left to right, as the direct MTTKRP does (the ones are exact).
 */
export function khatriRaoCols(factors: usize, shape: usize, n: i32, skip: i32, R: i32, rows: i32, q: usize): void {
  const Rb = <usize>R << 3;
  for (let r = 0; r < R; r++) {
    const col = q + ((<usize>r * <usize>rows) << 3);
    let len: usize = 1;
    store<f64>(col, 1.0);
    for (let k = 0; k < n; k++) {
      const I = <usize>load<i32>(shape + (<usize>k << 2));
      // Expand in place from the end: row a becomes rows a*I .. a*I + I - 1.
      if (k == skip) {
        for (let a = <isize>len - 1; a >= 0; a--) {
          const v = load<f64>(col + (<usize>a << 3));
          const o = col + ((<usize>a * I) << 3);
          for (let i: usize = 0; i < I; i++) store<f64>(o + (i << 3), v);
        }
      } else {
        const d = <usize>load<i32>(factors + (<usize>k << 2)) + (<usize>r << 3);
        for (let a = <isize>len - 1; a >= 0; a--) {
          const v = load<f64>(col + (<usize>a << 3));
          const o = col + ((<usize>a * I) << 3);
          for (let i: usize = 0; i < I; i++) store<f64>(o + (i << 3), v * load<f64>(d + i * Rb));
        }
      }
      len *= I;
    }
  }
}

/**
 * out[i, r] = sum_{a, b} p[r, (a, i, b)] q[r, (a, i, b)] (p and q R rows of A I B, out I x R
 * row-major), summed in increasing order of (a, b).
 */
export function contractSkip(p: usize, A: i32, I: i32, B: i32, q: usize, R: i32, out: usize): void {
  const rows = <usize>A * <usize>I * <usize>B;
  const Rb = <usize>R << 3;
  memory.fill(out, 0, <usize>I * Rb);
  for (let r = 0; r < R; r++) {
    const col = (<usize>r * rows) << 3;
    for (let a = 0; a < A; a++) {
      for (let i = 0; i < I; i++) {
        const f0 = col + ((<usize>(a * I + i) * <usize>B) << 3);
        const at = out + <usize>i * Rb + (<usize>r << 3);
        let s = load<f64>(at);
        const pf = p + f0;
        const qf = q + f0;
        for (let f: usize = 0, end = <usize>B << 3; f < end; f += 8) s += load<f64>(pf + f) * load<f64>(qf + f);
        store<f64>(at, s);
      }
    }
  }
}
