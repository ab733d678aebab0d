/**
 * TensorLy's decomposition classes (`CP`, `RandomizedCP`, `CP_NN`, `CP_NN_HALS`, `CPPower`,
 * `SymmetricCP`, `Tucker`, `Tucker_NN`, `TensorTrain`, `TensorTrainMatrix`), each a few lines
 * over its function (see `base.ts` for how to add one).
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorLike } from '../../io/index.js';
import type { CPTensor, TTMatrix, TTTensor, TuckerTensor } from '../../tensors/index.js';
import { parafac, type ParafacOptions } from '../cp.js';
import { nonNegativeParafac, nonNegativeParafacHals, type NonNegativeParafacHalsOptions, type NonNegativeParafacOptions } from '../nnCp.js';
import { nonNegativeTucker, type NonNegativeTuckerHalsOptions, type NonNegativeTuckerOptions } from '../nnTucker.js';
import { nonNegativeTuckerHals } from '../nnTuckerHals.js';
import { parafacPowerIteration, type ParafacPowerIterationOptions } from '../powerIteration.js';
import { randomisedParafac, type RandomisedParafacOptions } from '../randomisedCp.js';
import { symmetricParafacPowerIteration, type SymmetricCp } from '../symmetricPowerIteration.js';
import { tensorTrain, tensorTrainMatrix, type TensorTrainOptions } from '../tt.js';
import { tucker, type TuckerOptions } from '../tucker.js';
import { Estimator, type Fitted } from './base.js';

type NoReturnErrors<O> = Omit<O, 'returnErrors'>;

/** CP by ALS ({@link parafac}). */
export class CP extends Estimator<NoReturnErrors<ParafacOptions>, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    const { cp, errors } = parafac(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: cp, errors };
  }
}

/** Randomised (sampled) CP ({@link randomisedParafac}); TensorLy's `RandomizedCP(rank, n_samples)`. */
export class RandomizedCP extends Estimator<NoReturnErrors<RandomisedParafacOptions> & { nSamples: number }, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    const { nSamples, ...rest } = this.options;
    const { cp, errors } = randomisedParafac(tensor, this.rank, nSamples, { ...rest, returnErrors: true });
    return { decomposition: cp, errors };
  }
}

/** Non-negative CP by multiplicative updates ({@link nonNegativeParafac}); TensorLy's `CP_NN`. */
export class NonNegativeCP extends Estimator<NoReturnErrors<NonNegativeParafacOptions>, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    const { cp, errors } = nonNegativeParafac(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: cp, errors };
  }
}

/** Non-negative CP by HALS ({@link nonNegativeParafacHals}); TensorLy's `CP_NN_HALS`. */
export class NonNegativeCPHals extends Estimator<NoReturnErrors<NonNegativeParafacHalsOptions>, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    const { cp, errors } = nonNegativeParafacHals(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: cp, errors };
  }
}

/** CP by the robust tensor power method ({@link parafacPowerIteration}); TensorLy's `CPPower`. */
export class CPPower extends Estimator<ParafacPowerIterationOptions, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    return { decomposition: parafacPowerIteration(tensor, this.rank, this.options), errors: [] };
  }
}

/** The symmetric CP model of {@link symmetricParafacPowerIteration}, owning its tensors. */
export interface OwnedSymmetricCp extends SymmetricCp {
  dispose(): void;
}

/** Symmetric CP by the symmetric power method; TensorLy's `SymmetricCP`. */
export class SymmetricCP extends Estimator<ParafacPowerIterationOptions, OwnedSymmetricCp> {
  protected decompose(tensor: TensorLike): Fitted<OwnedSymmetricCp> {
    const r = symmetricParafacPowerIteration(tensor, this.rank, this.options);
    const ts: tf.Tensor[] = [r.weights, r.factor];
    return { decomposition: { ...r, dispose: () => ts.forEach((t) => t.dispose()) }, errors: [] };
  }
}

/** Tucker by HOOI ({@link tucker}). */
export class Tucker extends Estimator<NoReturnErrors<TuckerOptions>, TuckerTensor> {
  protected decompose(tensor: TensorLike): Fitted<TuckerTensor> {
    const r = tucker(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: r.tucker, errors: r.errors };
  }
}

/** Non-negative Tucker by multiplicative updates ({@link nonNegativeTucker}); TensorLy's `Tucker_NN`-style class. */
export class NonNegativeTucker extends Estimator<NoReturnErrors<NonNegativeTuckerOptions>, TuckerTensor> {
  protected decompose(tensor: TensorLike): Fitted<TuckerTensor> {
    const r = nonNegativeTucker(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: r.tucker, errors: r.errors };
  }
}

/** Non-negative Tucker by HALS ({@link nonNegativeTuckerHals}). */
export class NonNegativeTuckerHals extends Estimator<NoReturnErrors<NonNegativeTuckerHalsOptions>, TuckerTensor> {
  protected decompose(tensor: TensorLike): Fitted<TuckerTensor> {
    const r = nonNegativeTuckerHals(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: r.tucker, errors: r.errors };
  }
}

/** Tensor train by TT-SVD ({@link tensorTrain}). */
export class TensorTrain extends Estimator<TensorTrainOptions, TTTensor> {
  protected decompose(tensor: TensorLike): Fitted<TTTensor> {
    return { decomposition: tensorTrain(tensor, this.rank, this.options), errors: [] };
  }
}

/** TT-matrix by TT-SVD of the interleaved tensor ({@link tensorTrainMatrix}). */
export class TensorTrainMatrix extends Estimator<TensorTrainOptions, TTMatrix> {
  protected decompose(tensor: TensorLike): Fitted<TTMatrix> {
    return { decomposition: tensorTrainMatrix(tensor, this.rank, this.options), errors: [] };
  }
}
