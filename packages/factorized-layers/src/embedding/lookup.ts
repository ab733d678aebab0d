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
 * so a batch of B rows costs O(B (sum_k v_k R + D R)) (CP) instead of the O(V D R) of a full
 * reconstruction. Factor rows are picked by one-hot matmuls (`oneHot(digits) @ F`), not
 * `tf.gather`: the factors are tiny (v_k rows), and gather's gradient needs
 * UnsortedSegmentSum, which the wasm backend lacks. The dense case (a baseline) gathers,
 * with a one-hot gradient.
 *
 * Reference: Hrinchuk et al., "Tensorized Embedding Layers", Findings of EMNLP 2020;
 * Yin et al., "TT-Rec", MLSys 2021; tltorch 0.5 `FactorizedEmbedding.forward`.
 */
import { ArgumentError, ShapeError, describe, tf } from '@tenfold/core';
import { type FactorParams, khatriRaoOf } from '../tensorized/params.js';
import { type ParsedTensorizedShape, prod } from '../tensorized/shape.js';

/**
 * Mixed-radix digits of flat int32 indices (B) for radices `sizes` (first digit slowest):
 * one int32 (B) tensor per radix.
 */
export function mixedRadixDigits(indices: tf.Tensor, sizes: readonly number[]): tf.Tensor[] {
  return tf.tidy(() => {
    const out: tf.Tensor[] = new Array(sizes.length);
    let rest = indices;
    for (let k = sizes.length - 1; k >= 0; k--) {
      const s = tf.scalar(sizes[k], 'int32');
      out[k] = tf.mod(rest, s);
      rest = tf.floorDiv(rest, s);
    }
    return out;
  });
}

/** Rows `digits` (B) of a matrix F (I, C): oneHot(digits, I) @ F -> (B, C). Differentiable in F. */
function pickRows(f: tf.Tensor, digits: tf.Tensor): tf.Tensor {
  const rows = f.reshape([f.shape[0], -1]);
  // tf.oneHot needs a depth >= 2; a mode of size 1 has only row 0.
  if (f.shape[0] === 1) return tf.tile(rows, [digits.shape[0], 1]);
  return tf.matMul(tf.oneHot(digits, f.shape[0]).toFloat(), rows);
}

/**
 * Rows of a dense (V, D) matrix: tf.gather forward; the gradient (a scatter-add) as
 * oneHot(indices)^T @ dy, since gather's own gradient needs UnsortedSegmentSum (not on wasm).
 */
function gatherRows(matrix: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  const V = matrix.shape[0];
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [m, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([indices]);
    return {
      value: tf.gather(m, indices),
      // The saved indices: the caller's tensor may be disposed before the backward pass.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => (V === 1 ? tf.sum(dy, 0, true) : tf.matMul(tf.oneHot(saved[0], V).toFloat(), dy, true, false)),
    };
  });
  return f(matrix) as tf.Tensor;
}

/**
 * Rows `indices` (int32, 1-D, values in [0, V)) of the (V, D) table that unbatched
 * parameters `p` over shape `s` (out = vocabulary digits, in = embedding digits) represent,
 * as a (B, D) tensor. Indices are not range-checked here (the callers check them on the host).
 * @throws ShapeError when `s` has a batch (layer) mode (index the layer first) or `indices` is not 1-D int32
 */
export function lookupRows(p: FactorParams, s: ParsedTensorizedShape, indices: tf.Tensor): tf.Tensor {
  if (s.batch.length !== 0) throw new ShapeError(`lookupRows: shape with batch modes ${describe(s.batch)}; index the layer first (indexLayer)`);
  if (!(indices instanceof tf.Tensor) || indices.rank !== 1 || indices.dtype !== 'int32') {
    throw new ShapeError(`indices must be a 1-D int32 tensor; got ${indices instanceof tf.Tensor ? `${indices.dtype} of shape ${describe(indices.shape)}` : describe(indices)}`);
  }
  const D = prod(s.in);
  const B = indices.shape[0];
  return tf.tidy(() => {
    if (p.kind === 'dense') return gatherRows(p.matrix, indices);
    const digits = mixedRadixDigits(indices, s.out);
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
        const rIn = p.core.shape.slice(n);
        // Contract the vocabulary modes of the core with the picked factor rows.
        let t = tf.matMul(pickRows(p.factors[0], digits[0]), p.core.reshape([rOut[0], -1])); // (B, rest)
        for (let k = 1; k < n; k++) {
          const a = pickRows(p.factors[k], digits[k]).reshape([B, 1, rOut[k]]);
          t = tf.matMul(a, t.reshape([B, rOut[k], -1])).reshape([B, -1]);
        }
        // Then the embedding modes: contract the last mode and rotate the new one to the front,
        // so each step is one matmul and one 2-D transpose; ends as (d_1..d_m, B).
        const dims = [B, ...rIn];
        for (let k = rIn.length - 1; k >= 0; k--) {
          const g = p.factors[n + k];
          t = tf.transpose(tf.matMul(t.reshape([-1, dims[dims.length - 1]]), g, false, true));
          dims.pop();
        }
        return tf.transpose(t.reshape([D, B]));
      }
      case 'blocktt': {
        // Core k (r_k, v_k, d_k, r_{k+1}): pick the v_k slice per row -> (B, r_k, d_k r_{k+1}).
        let acc: tf.Tensor | null = null; // (B, d_1..d_k, r_{k+1})
        for (let k = 0; k < n; k++) {
          const c = p.cores[k];
          const [r0, v, d, r1] = c.shape as [number, number, number, number];
          const g = pickRows(tf.transpose(c, [1, 0, 2, 3]).reshape([v, -1]), digits[k]); // (B, r0 d r1)
          acc = acc === null ? g.reshape([B, d, r1]) : tf.matMul(acc, g.reshape([B, r0, d * r1])).reshape([B, -1, r1]);
        }
        return (acc as tf.Tensor).reshape([B, D]);
      }
    }
    throw new ArgumentError(`unknown parameter kind ${describe((p as { kind: unknown }).kind)}`);
  });
}
