/**
 * `DenseTensor`: a trainable full tensor behind the FactorizedTensor interface (tltorch 0.5
 * `DenseTensor`): no rank, `fromTensor` copies, `normal(mean, std)` draws N(mean, std).
 */
import { tf } from '@tenfold/core';
import { FactorizedTensor, type TensorDecompositionOptions } from './factorizedTensor.js';
import type { DenseFactors, FactorizedRank } from './params.js';

export class DenseTensor extends FactorizedTensor {
  readonly factorization = 'dense' as const;
  protected readonly kind = 'DenseTensor';

  get tensor(): tf.Variable {
    return (this.params as DenseFactors).tensor as tf.Variable;
  }

  /** @internal A copy. */
  static decompose(t: tf.Tensor, _rank: FactorizedRank, _decomposition: TensorDecompositionOptions): DenseFactors {
    return { kind: 'dense', tensor: tf.clone(t) };
  }
}
FactorizedTensor.register('dense', DenseTensor);
