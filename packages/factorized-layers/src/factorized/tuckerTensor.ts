/**
 * `TuckerTensor`: a trainable Tucker-factorized tensor, `core (R_0..R_{N-1})` and
 * `factors[k] (I_k, R_k)`, T = core x_0 F_0 ... x_{N-1} F_{N-1} (Tucker 1966; De Lathauwer
 * et al. 2000). tltorch 0.5 `TuckerTensor`: decomposed by `tucker` (HOOI, SVD init), drawn
 * with core and factors N(0, (std / prod_k sqrt(R_k))^(1/(N+1))).
 */
import { tf, tucker, type TuckerOptions, type TuckerTensor as CoreTuckerTensor } from '@tenfold/core';
import { FactorizedTensor, type TensorDecompositionOptions } from './factorizedTensor.js';
import type { FactorizedRank, TuckerFactors } from './params.js';

export class TuckerTensor extends FactorizedTensor {
  readonly factorization = 'tucker' as const;
  protected readonly kind = 'TuckerTensor';

  get core(): tf.Variable {
    return (this.params as TuckerFactors).core as tf.Variable;
  }

  get factors(): tf.Variable[] {
    return (this.params as TuckerFactors).factors as tf.Variable[];
  }

  /** @internal HOOI at the resolved per-mode rank. */
  static decompose(t: tf.Tensor, rank: FactorizedRank, decomposition: TensorDecompositionOptions): TuckerFactors {
    const tk: CoreTuckerTensor = tucker(t, rank as number[], decomposition as TuckerOptions);
    const out: TuckerFactors = { kind: 'tucker', core: tf.clone(tk.core), factors: tk.factors.map((f) => tf.clone(f)) };
    tk.dispose();
    return out;
  }
}
FactorizedTensor.register('tucker', TuckerTensor);
