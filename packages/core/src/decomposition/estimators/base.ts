/**
 * The estimator base: TensorLy's scikit-style decomposition classes
 * (`_base_decomposition.py::DecompositionMixin`, e.g. `CP(rank, ...).fit_transform(tensor)`)
 * as thin shells over the functions.
 *
 * Adding a class for a new decomposition is a few lines: extend {@link Estimator} with the
 * function's options type and result type, and implement `decompose` by calling the
 * function (with `returnErrors: true` when it has that option):
 *
 * ```ts
 * export class TensorRing extends Estimator<TensorRingOptions, TRTensor> {
 *   protected decompose(tensor: TensorLike): Fitted<TRTensor> {
 *     return { decomposition: tensorRing(tensor, this.rank, this.options), errors: [] };
 *   }
 * }
 * ```
 * Constructor, option copy, `fitTransform`, ownership and `dispose` come from the base.
 * The options go to the function as given, so `onProgress` and `signal` work as there
 * (same task names and records; an aborted fit keeps the previous decomposition).
 */
import { ArgumentError, describe } from '../../errors/index.js';
import type { TensorLike } from '../../io/index.js';
import type { RankSpec } from '../../tensors/index.js';

/** Anything a decomposition returns that owns tensors. */
export interface Disposable {
  dispose(): void;
}

/** What `decompose` hands back to the base. */
export interface Fitted<D> {
  decomposition: D;
  errors: number[];
}

/**
 * A decomposition estimator: options in the constructor, `fitTransform(tensor)` runs the
 * decomposition and keeps it (`decomposition`) and its per-iteration errors (`errors`) on
 * the object. The estimator owns the decomposition it keeps: a new fit disposes the
 * previous one, and `dispose()` frees it (clone it to keep it longer).
 */
export abstract class Estimator<O extends object, D extends Disposable> {
  readonly rank: RankSpec;
  readonly options: Readonly<O>;
  /** The last fitted decomposition (TensorLy's `decomposition_`), or null. */
  decomposition: D | null = null;
  /** Errors of the last fit (TensorLy's `errors_`), empty when the method records none. */
  errors: number[] = [];

  constructor(rank: RankSpec, options?: O) {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new ArgumentError(`${new.target.name}: options must be an object; got ${describe(options)}`);
    }
    this.rank = rank;
    this.options = Object.freeze({ ...(options ?? ({} as O)) });
  }

  /** Run the decomposition function. Implemented by each class. */
  protected abstract decompose(tensor: TensorLike): Fitted<D>;

  /**
   * Decompose `tensor`, keep the result on the object and return it (owned by the estimator).
   * @throws whatever the decomposition function throws (typed, before any work).
   */
  fitTransform(tensor: TensorLike): D {
    const fitted = this.decompose(tensor);
    this.decomposition?.dispose();
    this.decomposition = fitted.decomposition;
    this.errors = fitted.errors;
    return fitted.decomposition;
  }

  /** Dispose the kept decomposition. Safe to call twice. */
  dispose(): void {
    this.decomposition?.dispose();
    this.decomposition = null;
  }

  toString(): string {
    return `${this.constructor.name}(rank=${describe(this.rank)})`;
  }
}
