/**
 * A matrix (batch..., out, in) decomposed into tensorized parameters at a resolved rank,
 * as tltorch's `TensorizedTensor.from_matrix` / `init_from_matrix`: CP by parafac with
 * l2Reg 1e-5, Tucker by tucker, BlockTT by tensorTrainMatrix, dense by a copy.
 */
import { ArgumentError, RankError, ShapeError, assertFinite, describe, tensorTrainMatrix, tf, toTensor, type TensorLike } from '@tenfold/core';
import { CPTensor } from '../factorized/cpTensor.js';
import { TuckerTensor } from '../factorized/tuckerTensor.js';
import { type ParsedTensorizedShape, flatShape, matrixShape, prod } from './shape.js';
import { type FactorParams, type Factorization, type ResolvedRank, parseFactorization } from './params.js';
import { sameShape } from '../internal/paramChecks.js';

/** Decomposition options passed to parafac / tucker / tensorTrainMatrix (camelCase TensorLy names). */
export type DecompositionOptions = Record<string, unknown>;

/** The `decomposition` options object (its keys are checked by parafac / tucker / tensorTrainMatrix). */
export function checkDecomposition(d: unknown): void {
  if (d !== undefined && d !== null && (typeof d !== 'object' || Array.isArray(d))) {
    throw new ArgumentError(`decomposition must be an options object for parafac / tucker / tensorTrainMatrix; got ${describe(d)}`);
  }
}

/** Decompose a matrix (batch..., out, in) into `kind` parameters at a resolved rank. */
export function decomposeMatrix(matrix: TensorLike, kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank, decomposition: DecompositionOptions): FactorParams {
  kind = parseFactorization(kind);
  checkDecomposition(decomposition);
  if (kind === 'cp' && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 1)) throw new RankError(`rank of a 'cp' decomposition must be a positive integer; got ${describe(rank)}`);
  decomposition = decomposition ?? {};
  const m = toTensor(matrix, 'matrix');
  const owned = m !== matrix;
  try {
    const want = matrixShape(s);
    if (!sameShape(m.shape, want)) {
      throw new ShapeError(`matrix must have shape ${describe(want)} (batch..., out, in) for tensorized shape ${describe([...s.batch, s.out, s.in])}; got ${describe(m.shape)}`);
    }
    assertFinite(m, 'matrix');
    const fs = flatShape(s);
    switch (kind) {
      case 'dense':
        return { kind, matrix: tf.clone(m) };
      case 'cp':
      case 'tucker': {
        // The same decomposition as the factorized tensors' (CP: parafac with l2Reg 1e-5).
        const t = m.reshape(fs);
        try {
          return kind === 'cp' ? CPTensor.decompose(t, rank, decomposition) : TuckerTensor.decompose(t, rank, decomposition);
        } finally {
          t.dispose();
        }
      }
      case 'blocktt':
        return decomposeBlockTt(m, s, rank as number[], decomposition);
    }
    throw new ArgumentError(`unknown factorization ${describe(kind)}`);
  } finally {
    if (owned) m.dispose();
  }
}

/**
 * Block-TT from a matrix. Without batch modes this is TensorLy's `tensor_train_matrix` of the
 * (out..., in...) tensor. With batch modes (joint layers), the batch is merged into the first
 * row mode, the TT-matrix is computed, and the batch index is split back out of core 0 while
 * the other cores are replicated along it; this represents every layer exactly as the TT-SVD
 * of the merged tensor does (tltorch's own init cannot handle the batch mode).
 */
function decomposeBlockTt(m: tf.Tensor, s: ParsedTensorizedShape, rank: number[], decomposition: DecompositionOptions): FactorParams {
  const b = prod(s.batch);
  const rows = [b * s.out[0], ...s.out.slice(1)];
  const t = m.reshape([...rows, ...s.in]);
  let tt: { dispose(): void } & Record<string, unknown>;
  try {
    tt = tensorTrainMatrix(t, rank, decomposition) as never;
  } finally {
    t.dispose();
  }
  const raw = ((tt as { cores?: tf.Tensor[] }).cores ?? (tt as { factors?: tf.Tensor[] }).factors) as tf.Tensor[];
  const cores = tf.tidy(() =>
    raw.map((c, k) => {
      const [r0, , inK, r1] = c.shape as [number, number, number, number];
      if (s.batch.length === 0) return tf.clone(c);
      if (k === 0) return c.reshape([r0, ...s.batch, s.out[0], inK, r1]);
      const ones = s.batch.map(() => 1);
      return tf.tile(c.reshape([r0, ...ones, s.out[k], inK, r1]), [1, ...s.batch, 1, 1, 1]);
    }),
  );
  tt.dispose();
  return { kind: 'blocktt', cores };
}
