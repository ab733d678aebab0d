/**
 * Tensor hooks: transforms of a factorized tensor's parameters applied each time a layer
 * reads its weight (tltorch registers them as forward hooks on the FactorizedTensor module,
 * `tensor_hooks/`). Tenfold keeps them in a registry beside the tensor (a WeakMap, so the
 * FactorizedTensor class stays unchanged) and layers read their weight through
 * `hookedParams`. A hook is a pure, differentiable map of parameters (run it inside tf.tidy).
 */
import { ArgumentError, describe, tf } from '@tenfold/core';
import { FactorizedTensor } from '../factorized/index.js';
import { type FactorizedParams, factorizedToTensor } from '../factorized/params.js';

export interface TensorHook {
  /** A name for messages ('tensorDropout', 'tensorLasso'). */
  readonly hookName: string;
  /** The parameters the layer should use; `training` is the layer's mode. */
  transform(p: FactorizedParams, training: boolean, tensor: FactorizedTensor): FactorizedParams;
}

const HOOKS = new WeakMap<FactorizedTensor, TensorHook[]>();

/** @throws ArgumentError when `t` is not a live FactorizedTensor */
export function checkFactorizedTensor(t: unknown, argName = 'factorizedTensor'): FactorizedTensor {
  if (!(t instanceof FactorizedTensor)) throw new ArgumentError(`${argName} must be a FactorizedTensor (CPTensor, TuckerTensor, TTTensor, DenseTensor); got ${describe(t)}`);
  t.assertAlive(argName);
  return t;
}

/** Attach `hook` to `t` (after the hooks already there). */
export function registerTensorHook(t: FactorizedTensor, hook: TensorHook): void {
  checkFactorizedTensor(t);
  const list = HOOKS.get(t) ?? [];
  list.push(hook);
  HOOKS.set(t, list);
}

/** Detach `hook`; returns whether it was attached. */
export function removeTensorHook(t: FactorizedTensor, hook: TensorHook): boolean {
  // a disposed tensor may still drop its hooks (TensorLasso.dispose after the layer's)
  if (!(t instanceof FactorizedTensor)) throw new ArgumentError(`factorizedTensor must be a FactorizedTensor; got ${describe(t)}`);
  const list = HOOKS.get(t);
  const k = list ? list.indexOf(hook) : -1;
  if (k < 0) return false;
  (list as TensorHook[]).splice(k, 1);
  return true;
}

/** The hooks attached to `t`, in order. */
export function tensorHooks(t: FactorizedTensor): readonly TensorHook[] {
  if (!(t instanceof FactorizedTensor)) throw new ArgumentError(`factorizedTensor must be a FactorizedTensor; got ${describe(t)}`);
  return [...(HOOKS.get(t) ?? [])];
}

/**
 * The parameters of `t` after its hooks (tltorch: what `tensor()` returns when hooks are
 * registered). Without hooks, the live variables themselves. Call inside tf.tidy.
 */
export function hookedParams(t: FactorizedTensor, training: boolean): FactorizedParams {
  checkFactorizedTensor(t);
  let p = t.params;
  for (const h of HOOKS.get(t) ?? []) p = h.transform(p, training, t);
  return p;
}

/** Reconstruction of `t` after its hooks (a new tensor; differentiable). */
export function hookedTensor(t: FactorizedTensor, training: boolean): tf.Tensor {
  return tf.tidy(() => factorizedToTensor(hookedParams(t, training)));
}
