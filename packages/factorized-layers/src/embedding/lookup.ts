/**
 * Row lookup in a tensorized (V, D) table without reconstructing it. The table is tensorized
 * to (v_1..v_n, d_1..d_m) (tltorch's `TensorizedTensor` over `(tensorized_num_embeddings,
 * tensorized_embedding_dim)`); a row index v has mixed-radix digits (v_1..v_n), first digit
 * slowest (C order), and row v is
 *
 *   CP:      E[v, :] = ((w * prod_k F_k[v_k, :]) @ khatriRao(G_1..G_m)^T)
 *   Tucker:  E[v, :] = (core x_1 F_1[v_1, :] ... x_n F_n[v_n, :]) x_{n+1} G_1 ... x_{n+m} G_m
 *   BlockTT: E[v, (d_1..d_m)] = C_1[:, v_1, d_1, :] C_2[:, v_2, d_2, :] ... C_n[:, v_n, d_n, :]
 *
 * so a batch of B rows costs O(B (n R + D R)) (CP) instead of the O(V D R) of a full
 * reconstruction. Factor rows are picked by one-hot matmuls (`oneHot(digits) @ F`; factors
 * have few rows), block-TT cores after the first by grouping rows per digit (`ttStep`); no
 * tf.gather (its gradient needs UnsortedSegmentSum, which the wasm backend lacks, and it is
 * slow on wide rows there). The indices (B ints) are read to the host once for the digits.
 *
 * Reference: Hrinchuk et al., "Tensorized Embedding Layers", Findings of EMNLP 2020;
 * Yin et al., "TT-Rec", MLSys 2021; tltorch 0.5 `FactorizedEmbedding.forward`.
 */
import { ArgumentError, ShapeError, describe, tf, toHost64 } from '@tenfold/core';
import { type FactorParams, khatriRaoOf } from '../tensorized/params.js';
import { type ParsedTensorizedShape, prod } from '../tensorized/shape.js';

/**
 * Mixed-radix digits of flat indices for radices `sizes` (first digit slowest), on the host:
 * one Int32Array (B) per radix.
 */
export function mixedRadixDigits(indices: ArrayLike<number>, sizes: readonly number[]): Int32Array[] {
  const out = sizes.map(() => new Int32Array(indices.length));
  for (let b = 0; b < indices.length; b++) {
    let rest = indices[b];
    for (let k = sizes.length - 1; k >= 0; k--) {
      out[k][b] = rest % sizes[k];
      rest = Math.floor(rest / sizes[k]);
    }
  }
  return out;
}

/** Rows `digits` (B) of a matrix F (I, C): oneHot(digits, I) @ F -> (B, C); differentiable in F. */
function pickRows(f: tf.Tensor, digits: Int32Array): tf.Tensor {
  const rows = f.reshape([f.shape[0], -1]);
  // tf.oneHot needs a depth >= 2; a mode of size 1 has only row 0.
  if (f.shape[0] === 1) return tf.tile(rows, [digits.length, 1]);
  return tf.matMul(tf.oneHot(tf.tensor1d(digits, 'int32'), f.shape[0]).toFloat(), rows);
}

/** Largest per-row core pick (B r d r' floats) formed whole; above it rows are grouped by digit. */
const PICK_LIMIT = 2 ** 22;

/**
 * One block-TT step for all rows: acc (B, W, r) times core (r, v, d, r') at each row's digit
 * -> (B, W d, r'). Rows are grouped by digit into v padded slots of n_max rows: with Q the
 * (v n_max, B) 0/1 matrix placing row b in the next slot of its digit's group,
 *
 *   out = Q^T [ (Q acc) reshaped (v, n_max W, r)  @  core as (v, r, d r') ]   (one batched matmul)
 *
 * so nothing of size B r d r' is formed and the kernel count does not grow with v. (A
 * one-hot pick of the core per row would build exactly that tensor; tf.gather, tf.concat and
 * slices of wide tensors are slow on wasm.) Differentiable: matmuls and a transpose only.
 */
function ttStep(acc: tf.Tensor, core: tf.Tensor, digits: Int32Array): tf.Tensor {
  const [B, W, r] = acc.shape as [number, number, number];
  const [, v, d, r1] = core.shape as [number, number, number, number];
  const counts = new Int32Array(v);
  digits.forEach((u) => counts[u]++);
  const nMax = Math.max(...counts);
  const seen = new Int32Array(v);
  const slot = Int32Array.from(digits, (u) => u * nMax + seen[u]++); // row b -> its slot
  const Q = tf.transpose(tf.oneHot(tf.tensor1d(slot, 'int32'), v * nMax).toFloat()); // (v nMax, B)
  const grouped = tf.matMul(Q, acc.reshape([B, W * r])).reshape([v, nMax * W, r]);
  const byDigit = tf.transpose(core, [1, 0, 2, 3]).reshape([v, r, d * r1]);
  const y = tf.matMul(grouped, byDigit).reshape([v * nMax, W * d * r1]);
  return tf.matMul(Q, y, true, false).reshape([B, W * d, r1]);
}

/**
 * Rows `indices` (B) of a matrix (I, C) -> (B, C): tf.gather forward; the gradient (a
 * scatter-add) as oneHot(indices)^T @ dy, since gather's own gradient needs
 * UnsortedSegmentSum, which the wasm backend lacks.
 */
function gatherRows(matrix: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  const rows = matrix.reshape([matrix.shape[0], -1]);
  const V = rows.shape[0];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [m, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([indices]);
    return {
      value: tf.gather(m, indices),
      // The saved indices: the caller's tensor may be disposed before the backward pass.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => (V === 1 ? tf.sum(dy, 0, true) : tf.matMul(tf.oneHot(saved[0], V).toFloat(), dy, true, false)),
    };
  });
  return f(rows) as tf.Tensor;
}

/**
 * Rows `indices` (int32, 1-D, values in [0, V)) of the (V, D) table that unbatched
 * parameters `p` over shape `s` (out = vocabulary digits, in = embedding digits) represent,
 * as a (B, D) tensor. Indices are not range-checked here (the callers check them on the host).
 * `pickLimit` (tests): block-TT cores whose per-row picks exceed it are grouped by digit.
 * @throws ShapeError when `s` has a batch (layer) mode (index the layer first) or `indices` is not 1-D int32
 */
export function lookupRows(p: FactorParams, s: ParsedTensorizedShape, indices: tf.Tensor, pickLimit = PICK_LIMIT): tf.Tensor {
  if (s.batch.length !== 0) throw new ShapeError(`lookupRows: shape with batch modes ${describe(s.batch)}; index the layer first (indexLayer)`);
  if (!(indices instanceof tf.Tensor) || indices.rank !== 1 || indices.dtype !== 'int32') {
    throw new ShapeError(`indices must be a 1-D int32 tensor; got ${indices instanceof tf.Tensor ? `${indices.dtype} of shape ${describe(indices.shape)}` : describe(indices)}`);
  }
  const D = prod(s.in);
  const B = indices.shape[0];
  return tf.tidy(() => {
    if (p.kind === 'dense') return gatherRows(p.matrix, indices);
    const digits = mixedRadixDigits(toHost64(indices), s.out); // B ints: one small read
    const n = s.out.length;
    switch (p.kind) {
      case 'cp': {
        let a = tf.mul(pickRows(p.factors[0], digits[0]), p.weights); // (B, R)
        for (let k = 1; k < n; k++) a = tf.mul(a, pickRows(p.factors[k], digits[k]));
        const kr = khatriRaoOf(p.factors.slice(n)); // (D, R): the embedding side only
        return tf.matMul(a, kr, false, true);
      }
      case 'tucker': {
        const rOut = p.core.shape.slice(0, n);
        // The embedding side first, once per call and independent of B:
        // core x_{n+1} G_1 ... x_{n+m} G_m -> (R_1..R_n, D), by rotating mode products
        // (contract the last mode, bring the new one to the front; one matmul + one 2-D
        // transpose per step), so no per-row tensor is larger than R_2..R_n x D.
        let c: tf.Tensor = p.core;
        const dims = [...p.core.shape];
        for (let k = p.factors.length - 1; k >= n; k--) {
          c = tf.transpose(tf.matMul(c.reshape([-1, dims[dims.length - 1]]), p.factors[k], false, true));
          dims.pop();
        }
        // now (d_1..d_m, R_1..R_n) flattened: bring D last.
        const rProd = prod(rOut);
        c = tf.transpose(c.reshape([D, rProd])); // (R_1..R_n, D)
        // Then the vocabulary modes with the picked factor rows.
        let t = tf.matMul(pickRows(p.factors[0], digits[0]), c.reshape([rOut[0], -1])); // (B, R_2..R_n D)
        for (let k = 1; k < n; k++) {
          const a = pickRows(p.factors[k], digits[k]).reshape([B, 1, rOut[k]]);
          t = tf.matMul(a, t.reshape([B, rOut[k], -1])).reshape([B, -1]);
        }
        return t.reshape([B, D]);
      }
      case 'blocktt': {
        // Core 0 (1, v_1, d_1, r_1): pick the v_1 slice per row -> (B, d_1, r_1); then one
        // grouped step per further core.
        const c0 = p.cores[0];
        const [, v0, d0, r1] = c0.shape as [number, number, number, number];
        let acc = pickRows(tf.transpose(c0, [1, 0, 2, 3]).reshape([v0, -1]), digits[0]).reshape([B, d0, r1]);
        for (let k = 1; k < n; k++) {
          const c = p.cores[k];
          const [r, v, d, r2] = c.shape as [number, number, number, number];
          if (B * r * d * r2 <= pickLimit) {
            // Small slices (e.g. the last core, r' = 1): pick each row's slice and batch-multiply;
            // one kernel per core instead of a few per digit value.
            const g = pickRows(tf.transpose(c, [1, 0, 2, 3]).reshape([v, -1]), digits[k]).reshape([B, r, d * r2]);
            const W = acc.shape[1] as number;
            acc = tf.matMul(acc, g).reshape([B, W * d, r2]);
          } else acc = ttStep(acc, c, digits[k]);
        }
        return acc.reshape([B, D]);
      }
    }
    throw new ArgumentError(`unknown parameter kind ${describe((p as { kind: unknown }).kind)}`);
  });
}
