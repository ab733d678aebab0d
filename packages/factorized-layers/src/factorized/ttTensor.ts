/**
 * `TTTensor`: a trainable tensor-train, cores `(r_k, I_k, r_{k+1})` with r_0 = r_N = 1,
 * T[i_0..i_{N-1}] = G_0[:, i_0, :] ... G_{N-1}[:, i_{N-1}, :] (Oseledets 2011). tltorch 0.5
 * `TTTensor`: decomposed by `tensor_train` (TT-SVD; the rank is refreshed from the cores),
 * drawn with cores N(0, (std / sqrt(prod r_k))^(1/N)) (tltorch omits the square root).
 */
import { tensorTrain, tf, type TensorTrainOptions } from '@tenfold/core';
import { FactorizedTensor, type TensorDecompositionOptions } from './factorizedTensor.js';
import type { FactorizedRank, TtFactors } from './params.js';

export class TTTensor extends FactorizedTensor {
  readonly factorization = 'tt' as const;
  protected readonly kind = 'TTTensor';

  get factors(): tf.Variable[] {
    return (this.params as TtFactors).factors as tf.Variable[];
  }

  /** @internal TT-SVD at the resolved rank (each bond capped at its unfolding's size). */
  static decompose(t: tf.Tensor, rank: FactorizedRank, decomposition: TensorDecompositionOptions): TtFactors {
    const tt = tensorTrain(t, rank as number[], decomposition as TensorTrainOptions);
    const out: TtFactors = { kind: 'tt', factors: tt.factors.map((f) => tf.clone(f)) };
    tt.dispose();
    return out;
  }
}
FactorizedTensor.register('tt', TTTensor);
