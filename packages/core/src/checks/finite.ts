/**
 * The NaN rule (docs/fidelity/inputs.md). Functions that iterate, solve, factorize or
 * estimate (decompositions, svd/eigh/qr/lstsq/solve, the host kernels, congruence) check
 * their tensor inputs on entry and throw a NonFiniteError naming the argument. Pure
 * algebra (unfold, fold, modeDot, khatriRao, outer, tensordot, norm, mse, factorized-tensor
 * reconstruction, ...) propagates NaN and Inf as every tf op does: a check is a host sync
 * per call (a GPU stall), which these cheap, often-chained ops should not pay by default.
 * `setFiniteChecks(true)` or `TENFOLD_CHECK_FINITE=1` turns on entry checks of every tensor
 * argument a public function converts, for debugging.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, describe } from '../errors/index.js';

let enabled: boolean | null = null;

/** True when every tensor argument is checked for NaN/Inf on entry. */
export function finiteChecksEnabled(): boolean {
  if (enabled === null) {
    const raw = typeof process !== 'undefined' ? process.env?.TENFOLD_CHECK_FINITE : undefined;
    enabled = raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
  }
  return enabled;
}

/** Turn entry checks of every tensor argument on or off; returns the previous setting. */
export function setFiniteChecks(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new ArgumentError(`setFiniteChecks: on must be true or false; got ${describe(on)}`);
  const prev = finiteChecksEnabled();
  enabled = on;
  return prev;
}

/**
 * Throw a NonFiniteError naming `argName` if `t` holds NaN or Inf. Costs one host sync.
 *
 * @throws ArgumentError when `t` is not a tf.Tensor or has been disposed
 * @throws NonFiniteError when it holds NaN or Inf
 */
export function assertFinite(t: tf.Tensor, argName = 'tensor'): void {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  if (t.dtype === 'int32' || t.dtype === 'bool') return;
  if (t.dtype !== 'float32') throw new ArgumentError(`${argName} must be a real tensor; got dtype '${t.dtype}'`);
  // An empty tensor holds no NaN (and tf.all of an empty tensor is false on the cpu backend).
  if (t.size === 0) return;
  const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))).dataSync()[0]);
  if (bad) throw new NonFiniteError(`${argName} must be finite; it holds NaN or Inf (shape ${describe(t.shape)})`);
}

/** `assertFinite` when the process-wide switch is on (pure algebra calls this). */
export function checkFiniteIfEnabled(t: tf.Tensor, argName: string): void {
  if (finiteChecksEnabled()) assertFinite(t, argName);
}
