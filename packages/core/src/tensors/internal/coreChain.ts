/**
 * The thin base of the factorized tensors that are a chain of cores, TT (../tt.ts), TR
 * (../tr.ts) and TT-matrix (../ttMatrix.ts): owned cores, the full shape, the rank list
 * (length N+1), TensorLy's `factors` alias, `clone`, and ownership. Each subclass passes its
 * validator (which sets the shape and rank convention: `r_0 = r_N = 1` for TT, `r_N = r_0`
 * for TR) and the least number of cores, and adds its own conversions.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorLike } from '../../io/tensorLike.js';
import { OwnsTensors, adopt, checkList } from './ownedTensors.js';

export abstract class CoreChain<C extends tf.Tensor> extends OwnsTensors {
  readonly cores: C[];
  /** The represented tensor's shape. */
  readonly shape: number[];
  /** The bond ranks `(r_0, r_1, ..., r_{N-1}, r_N)`, length N+1. */
  readonly rank: number[];

  /**
   * Take ownership of `cores` (converted tensors are adopted; on a failed check only what
   * was created here is disposed).
   *
   * @throws ArgumentError for fewer than `minCores` cores; what `validate` throws
   */
  protected constructor(cores: readonly TensorLike[], minCores: number, validate: (ts: tf.Tensor[]) => { shape: number[]; rank: number[] }) {
    super();
    checkList(cores, 'cores', minCores);
    const built = adopt(
      cores.map((c, i) => ({ value: c, name: `cores[${i}]` })),
      (ts) => ({ ts: ts as C[], ...validate(ts) }),
    );
    this.cores = built.ts;
    this.shape = built.shape;
    this.rank = built.rank;
  }

  /** TensorLy calls the cores `factors`. */
  get factors(): C[] {
    return this.cores;
  }

  abstract toTensor(): tf.Tensor;
  abstract toUnfolded(mode: number): tf.Tensor2D;
  abstract toVec(): tf.Tensor1D;

  /** A copy with cloned cores, of the same class. */
  clone(): this {
    this.assertAlive();
    const Ctor = this.constructor as new (cores: readonly TensorLike[]) => this;
    return new Ctor(this.cores.map((c) => tf.clone(c)));
  }

  protected ownedTensors(): tf.Tensor[] {
    return [...this.cores];
  }
}
