/**
 * What the tfjs layers of this package share when they check their args and hand initial
 * weights to `build`: tfjs' own Layer keys, the activation-name check and the pending
 * `{ params, bias }` values a `from*` constructor leaves for `build` to write.
 */
import { ArgumentError, describe, tf } from '@tenfold/core';
import { optionKeys } from '../internal/checks.js';

/** tfjs' Layer args plus the two keys its fromConfig adds when it deserializes a layer. */
export type TfjsLayerKeys = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> & { customObjects?: unknown; fastWeightInit?: unknown };

/** Keys tfjs' Layer takes or adds when it deserializes a layer. */
export const LAYER_KEYS = optionKeys<TfjsLayerKeys>()('name', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'trainable', 'weights', 'inputDType', 'customObjects', 'fastWeightInit');

/** The tfjs Layer args TCLLayer and TRLLayer take besides their own, and their seed. */
export interface TensorLayerArgs {
  seed?: number;
  name?: string;
  inputShape?: number[];
  batchInputShape?: number[];
  trainable?: boolean;
}

/**
 * Check that `activation` (when given) is a name tfjs' `activation` layer accepts.
 * @throws ArgumentError naming `activation`
 */
export function checkActivationName(activation: unknown): void {
  if (activation === undefined) return;
  try {
    tf.layers.activation({ activation: activation as never });
  } catch {
    throw new ArgumentError(`activation must be a tfjs activation name ('linear', 'relu', 'tanh', ...); got ${describe(activation)}`);
  }
}

/** Initial values of a factorized layer's parameters (and bias) waiting for `build`. */
export interface PendingWeights {
  params: tf.Tensor[];
  bias: tf.Tensor | null;
}

/** Every tensor of `init`, to dispose. */
export function pendingTensors(init: PendingWeights): tf.Tensor[] {
  return init.bias ? [...init.params, init.bias] : [...init.params];
}

/** Write `init` into the layer's variables (the bias only where both exist), then dispose it. */
export function writePendingWeights(paramVars: readonly tf.LayerVariable[], biasVar: tf.LayerVariable | null, init: PendingWeights): void {
  paramVars.forEach((v, k) => v.write(init.params[k]));
  if (biasVar && init.bias) biasVar.write(init.bias);
  tf.dispose(pendingTensors(init));
}

/**
 * Dispose a layer's pending initial values, then the layer itself; a layer never built has
 * nothing else to free (and tfjs' `Layer.dispose()` would throw on it).
 */
export function disposeLayer(pending: tf.Tensor[] | null, built: boolean, disposeBuilt: () => ReturnType<tf.layers.Layer['dispose']>): ReturnType<tf.layers.Layer['dispose']> {
  if (pending) tf.dispose(pending);
  if (!built) return { refCountAfterDispose: 0, numDisposedVariables: 0 };
  return disposeBuilt();
}
