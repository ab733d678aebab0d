/**
 * `CPTensor`: a trainable CP-factorized tensor, `weights (R)` and `factors[k] (I_k, R)`,
 * T = sum_r w_r F_0[:, r] o ... o F_{N-1}[:, r] (Kolda & Bader 2009, §3). tltorch 0.5
 * `CPTensor`: decomposed by `parafac(t, R, { l2Reg: 1e-5 })` (its `init_from_tensor`),
 * drawn with weights 1 and factors N(0, (std / sqrt(R))^(1/N)).
 */
import { parafac, tf, type CPTensor as CoreCPTensor, type ParafacOptions } from '@tenfold/core';
import { FactorizedTensor, type TensorDecompositionOptions } from './factorizedTensor.js';
import type { CpFactors, FactorizedRank } from './params.js';

export class CPTensor extends FactorizedTensor {
  readonly factorization = 'cp' as const;
  protected readonly kind = 'CPTensor';

  get weights(): tf.Variable {
    return (this.params as CpFactors).weights as tf.Variable;
  }

  get factors(): tf.Variable[] {
    return (this.params as CpFactors).factors as tf.Variable[];
  }

  /** @internal parafac with tltorch's `l2_reg=1e-5` (overridable in `decomposition`). */
  static decompose(t: tf.Tensor, rank: FactorizedRank, decomposition: TensorDecompositionOptions): CpFactors {
    const cp: CoreCPTensor = parafac(t, rank as number, { l2Reg: 1e-5, ...decomposition } as ParafacOptions);
    const out: CpFactors = { kind: 'cp', weights: tf.clone(cp.weights), factors: cp.factors.map((f) => tf.clone(f)) };
    cp.dispose();
    return out;
  }
}
FactorizedTensor.register('cp', CPTensor);
