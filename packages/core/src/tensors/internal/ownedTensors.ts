/** Private helpers of `tensors`: ownership of given tensors, host reads. */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../../errors/index.js';
import { toTensor, type TensorLike } from '../../io/tensorLike.js';

/**
 * Convert the tensors a factorized-tensor constructor is given, keeping given float32
 * tf.Tensors as they are (the object takes ownership of them). Anything converted is a
 * new tensor; a converted tf.Tensor input (e.g. int32) is disposed once its float32 copy
 * exists, since the object owns it. When `build` throws, only the tensors created here
 * are disposed: the caller keeps the ones it passed.
 */
export function adopt<T>(inputs: { value: TensorLike; name: string }[], build: (tensors: tf.Tensor[]) => T): T {
  const created: tf.Tensor[] = [];
  try {
    const tensors = inputs.map(({ value, name }) => {
      const t = toTensor(value, name);
      if (t !== value) created.push(t);
      return t;
    });
    const out = build(tensors);
    // Success: the object owns its tensors; converted tf.Tensor inputs are no longer needed.
    inputs.forEach(({ value }, i) => {
      if (value instanceof tf.Tensor && tensors[i] !== value && !value.isDisposed) value.dispose();
    });
    return out;
  } catch (err) {
    for (const t of created) if (!t.isDisposed) t.dispose();
    throw err;
  }
}

/** Check that `list` is an array (of tensors) with at least `min` entries. */
export function checkList(list: unknown, argName: string, min: number): unknown[] {
  if (!Array.isArray(list)) throw new ArgumentError(`${argName} must be an array of tensors; got ${describe(list)}`);
  if (list.length < min) throw new ArgumentError(`${argName} must hold at least ${min} tensor${min === 1 ? '' : 's'}; got ${list.length}`);
  return list;
}

/** Column norms of a matrix with zeros replaced by ones (TensorLy's `scales_non_zero`). */
export function safeColumnNorms(m: tf.Tensor2D): { scales: tf.Tensor1D; safe: tf.Tensor1D } {
  const scales = tf.norm(m, 'euclidean', 0) as tf.Tensor1D;
  const safe = tf.where(tf.equal(scales, 0), tf.onesLike(scales), scales) as tf.Tensor1D;
  return { scales, safe };
}

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);


/**
 * What every factorized-tensor class shares: it owns tensors, `dispose()` frees them once,
 * and use after dispose throws an ArgumentError naming the argument.
 */
export abstract class OwnsTensors {
  private disposed = false;

  /** The class name used in messages, e.g. 'CPTensor'. */
  protected abstract readonly kind: string;
  /** The argument name used when none is given, e.g. 'cp'. */
  protected abstract readonly defaultArgName: string;
  /** The tensors this object owns. */
  protected abstract ownedTensors(): tf.Tensor[];

  /** @internal Throw when used after dispose(). */
  assertAlive(argName: string = this.defaultArgName): void {
    if (this.disposed) throw new ArgumentError(`${argName} is a disposed ${this.kind}`);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Dispose every tensor this object owns. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.ownedTensors()) t.dispose();
  }
}

/** Check that `list` is an array of live tf.Tensors (the validators take tensors, not TensorLikes). */
export function checkLiveTensors(list: unknown, argName: string): tf.Tensor[] {
  if (!Array.isArray(list)) throw new ArgumentError(`${argName} must be an array of tensors; got ${describe(list)}`);
  list.forEach((t, i) => checkLiveTensor(t, `${argName}[${i}]`));
  return list as tf.Tensor[];
}

/** Check that `t` is a live tf.Tensor. */
export function checkLiveTensor(t: unknown, argName: string): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  return t;
}
