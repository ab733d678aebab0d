/**
 * Layer i of a jointly parametrised module (tltorch's `SubFactorizedLinear`,
 * `SubFactorizedConv`, `SubFactorizedEmbedding`): a view that shares the main module's
 * parameters and forwards `apply(x)` to `main.apply(x, layerIndex)`.
 */
import { ArgumentError, describe, tf, type TensorLike } from '@tenfold/core';
import { checkLayerIndex } from './paramChecks.js';

/** What a view needs of its main module. */
export interface JointModule {
  readonly nLayers: number;
  apply(x: TensorLike, layerIndex: number): tf.Tensor;
}

export abstract class SubModule<M extends JointModule> {
  /** @throws ArgumentError (main is not a `mainName`), ModeError (layerIndex out of range) */
  protected constructor(
    readonly main: M,
    readonly layerIndex: number,
    mainClass: abstract new (...args: never[]) => M,
    mainName: string,
  ) {
    if (!(main instanceof mainClass)) throw new ArgumentError(`main must be a ${mainName}; got ${describe(main)}`);
    checkLayerIndex(layerIndex, main.nLayers, 'layerIndex');
  }

  /** The main module's forward for this layer. */
  apply(x: TensorLike): tf.Tensor {
    return this.main.apply(x, this.layerIndex);
  }
}
