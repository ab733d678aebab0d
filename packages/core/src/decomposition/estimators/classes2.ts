/**
 * TensorLy 0.9's estimator classes for the decompositions added with issue 13: `TensorRing`
 * (TR-SVD), `TensorRingALS`, `TensorRingALSSampled`, `Parafac2` and `ConstrainedCP`, each a
 * few lines over its function (see `base.ts`).
 */
import type { TensorLike } from '../../io/index.js';
import type { CPTensor, Parafac2Tensor, TRTensor } from '../../tensors/index.js';
import { constrainedParafac, type ConstrainedParafacOptions } from '../constrainedCp.js';
import { parafac2, type Parafac2Options } from '../parafac2.js';
import { tensorRingAls, type TensorRingAlsOptions } from '../trAls.js';
import { tensorRingAlsSampled, type TensorRingAlsSampledOptions } from '../trAlsSampled.js';
import { tensorRing, type TensorRingOptions } from '../trSvd.js';
import type { IterationCallback } from '../cp.js';
import { Estimator, type Fitted } from './base.js';

type NoReturnErrors<O> = Omit<O, 'returnErrors'>;

/** Record every error the method reports through its callback, then call the user's. */
function recording(user: IterationCallback | undefined): { errors: number[]; callback: IterationCallback } {
  const errors: number[] = [];
  return {
    errors,
    callback: (info) => {
      if (info.iteration > 0) errors.push(info.error);
      return user ? user(info) : undefined;
    },
  };
}

/** Tensor ring by TR-SVD ({@link tensorRing}); TensorLy's `TensorRing`. No errors are recorded. */
export class TensorRing extends Estimator<TensorRingOptions, TRTensor> {
  protected decompose(tensor: TensorLike): Fitted<TRTensor> {
    return { decomposition: tensorRing(tensor, this.rank, this.options), errors: [] };
  }
}

/** Tensor ring by ALS ({@link tensorRingAls}); TensorLy's `TensorRingALS`. `errors` per sweep. */
export class TensorRingALS extends Estimator<TensorRingAlsOptions, TRTensor> {
  protected decompose(tensor: TensorLike): Fitted<TRTensor> {
    const rec = recording(this.options.callback);
    return { decomposition: tensorRingAls(tensor, this.rank, { ...this.options, callback: rec.callback }), errors: rec.errors };
  }
}

/** Tensor ring by sampled ALS ({@link tensorRingAlsSampled}); TensorLy's `TensorRingALSSampled(rank, n_samples)`. */
export class TensorRingALSSampled extends Estimator<TensorRingAlsSampledOptions & { nSamples: number | number[] }, TRTensor> {
  protected decompose(tensor: TensorLike): Fitted<TRTensor> {
    const { nSamples, ...rest } = this.options;
    const rec = recording(rest.callback);
    return { decomposition: tensorRingAlsSampled(tensor, this.rank, nSamples, { ...rest, callback: rec.callback }), errors: rec.errors };
  }
}

/** PARAFAC2 ({@link parafac2}) on a list of slices or a 3-D tensor; TensorLy's `Parafac2`. */
export class Parafac2 extends Estimator<NoReturnErrors<Parafac2Options>, Parafac2Tensor> {
  /** Fit on slices of different lengths (a list) as well as on a 3-D tensor. */
  override fitTransform(tensor: TensorLike | readonly TensorLike[]): Parafac2Tensor {
    return super.fitTransform(tensor as TensorLike);
  }

  protected decompose(tensor: TensorLike): Fitted<Parafac2Tensor> {
    // parafac2 takes an integer rank and raises a RankError for anything else.
    const r = parafac2(tensor as TensorLike | readonly TensorLike[], this.rank as number, { ...this.options, returnErrors: true });
    return { decomposition: r.decomposition, errors: r.errors };
  }
}

/** CP under constraints by AO-ADMM ({@link constrainedParafac}); TensorLy's `ConstrainedCP`. */
export class ConstrainedCP extends Estimator<NoReturnErrors<ConstrainedParafacOptions>, CPTensor> {
  protected decompose(tensor: TensorLike): Fitted<CPTensor> {
    const { cp, errors } = constrainedParafac(tensor, this.rank, { ...this.options, returnErrors: true });
    return { decomposition: cp, errors };
  }
}
