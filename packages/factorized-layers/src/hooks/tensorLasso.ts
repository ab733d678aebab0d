/**
 * Tensor lasso: an L1 penalty on per-component gates of a factorized weight, which a
 * training loop adds to its loss so that whole rank components can be driven to zero.
 * Mirrors tltorch 0.5 `tensor_lasso(factorization, penalty=0.01, clamp_weights=True,
 * threshold=1e-6, normalize_loss=True)` (`tensor_hooks/_tensor_lasso.py`): `apply(ft)` adds
 * gates initialised to 1 — CP: w (R); Tucker: w_k (R_k) per mode; TT: w_k (r_k) per internal
 * bond — and each time the weight is read the gates are clamped to [-1, 1] (`clampWeights`)
 * and every gate <= `threshold` is set to 0 (torch's `F.threshold`, so negative gates too),
 * in place and outside the gradient; then
 *
 *   Tucker: F_k <- F_k diag(w_k);   TT: G_k <- G_k x_3 diag(w_k) for all but the last core;
 *   CP: weights <- weights * w;     loss = penalty * sum_k ||w_k||_1 / n  (n = number of gates
 *   read; without `normalizeLoss`, penalty * sum ||w_k||_1),
 *
 * accumulated over the reads since `reset()`. Fix (docs/fidelity/factorized-layers2.md): tltorch's CP
 * hook returns the CP tensor unchanged (its gates do not scale it, so the penalty has no
 * effect on the model) and multiplies the penalty in twice (loss = penalty^2 ||w||_1 / R);
 * here the gates scale the CP weights and the penalty is applied once.
 * Reference: Kossaifi et al., "Tensor Regression Networks", JMLR 2020 (§ lasso on the ranks).
 */
import { ArgumentError, describe, tf } from '@tenfold/core';
import type { FactorizedTensor } from '../factorized/index.js';
import type { FactorizedParams } from '../factorized/params.js';
import { checkBoolOption, checkNumberOption, checkOptions, optionKeys } from '../internal/checks.js';
import { type TensorHook, checkFactorizedTensor, registerTensorHook, removeTensorHook, tensorHooks } from './registry.js';

export interface TensorLassoOptions {
  /** Scale of the loss (default 0.01). */
  penalty?: number;
  /** Clamp the gates to [-1, 1] before use (default true). */
  clampWeights?: boolean;
  /** Gates <= threshold become 0 (default 1e-6; 0 disables). */
  threshold?: number;
  /** Divide the loss by the number of gates (default true: the loss is in [0, penalty]). */
  normalizeLoss?: boolean;
}

const TENSOR_LASSO_OPTIONS = optionKeys<TensorLassoOptions>()('penalty', 'clampWeights', 'threshold', 'normalizeLoss');

export class TensorLasso implements TensorHook {
  readonly hookName = 'tensorLasso';
  readonly penalty: number;
  readonly clampWeights: boolean;
  readonly threshold: number;
  readonly normalizeLoss: boolean;
  /** Number of gates read since the last reset (tltorch `n_element`). */
  nElement = 0;
  private sums: tf.Tensor[] = [];
  private gates = new Map<FactorizedTensor, tf.Variable[]>();

  /** @throws ArgumentError */
  constructor(options: TensorLassoOptions | null = {}) {
    const opts = checkOptions(options, TENSOR_LASSO_OPTIONS, 'tensorLasso');
    this.penalty = checkNumberOption(opts.penalty ?? 0.01, 'penalty', 0);
    this.clampWeights = opts.clampWeights ?? true;
    checkBoolOption(this.clampWeights, 'clampWeights');
    this.threshold = checkNumberOption(opts.threshold ?? 1e-6, 'threshold', 0);
    this.normalizeLoss = opts.normalizeLoss ?? true;
    checkBoolOption(this.normalizeLoss, 'normalizeLoss');
  }

  /**
   * Attach gates (ones) and this hook to `ft` (returned). Dense tensors have no components.
   * @throws ArgumentError (not a factorized tensor, dense, already attached)
   */
  apply(ft: FactorizedTensor): FactorizedTensor {
    checkFactorizedTensor(ft, 'ft');
    if (this.gates.has(ft) || tensorHooks(ft).includes(this)) throw new ArgumentError('this tensor lasso is already applied to ft');
    const r = ft.rank;
    let shapes: number[];
    switch (ft.factorization) {
      case 'cp':
        shapes = [r as number];
        break;
      case 'tucker':
        shapes = [...(r as number[])];
        break;
      case 'tt':
        shapes = (r as number[]).slice(1, -1);
        break;
      default:
        throw new ArgumentError(`tensorLasso needs a CP, Tucker or TT tensor; got ${describe(ft.factorization)}`);
    }
    this.gates.set(ft, shapes.map((n) => tf.variable(tf.ones([n]), true)));
    registerTensorHook(ft, this);
    return ft;
  }

  /** The gates of `ft` (trainable variables; add them to the optimizer's var list). */
  gatesOf(ft: FactorizedTensor): tf.Variable[] {
    const g = this.gates.get(ft);
    if (!g) throw new ArgumentError('this tensor lasso is not applied to ft');
    return [...g];
  }

  /** tltorch `set_weights(module, value)`: fill the gates of `ft` with `value` (or set them from arrays). */
  setWeights(ft: FactorizedTensor, value: number | tf.Tensor[]): void {
    const g = this.gatesOf(ft);
    if (typeof value === 'number') {
      g.forEach((v) => tf.tidy(() => v.assign(tf.fill(v.shape, value))));
      return;
    }
    if (!Array.isArray(value) || value.length !== g.length) throw new ArgumentError(`value must be a number or ${g.length} tensors; got ${describe(value)}`);
    value.forEach((t, k) => {
      if (!(t instanceof tf.Tensor) || t.size !== g[k].size) throw new ArgumentError(`value[${k}] must be a tensor of ${g[k].size} entries; got ${describe(t)}`);
      tf.tidy(() => g[k].assign(t.reshape(g[k].shape)));
    });
  }

  /** Clamp and threshold the gates in place (no gradient), count them, accumulate |w|, apply them. */
  transform(params: FactorizedParams, _training: boolean, ft: FactorizedTensor): FactorizedParams {
    const g = this.gates.get(ft);
    if (!g) return params;
    for (const v of g) {
      tf.tidy(() => {
        let w: tf.Tensor = v;
        if (this.clampWeights) w = tf.clipByValue(w, -1, 1);
        if (this.threshold) w = tf.where(tf.greater(w, this.threshold), w, tf.zerosLike(w));
        v.assign(w);
      });
      this.nElement += v.size;
    }
    const sum = tf.addN(g.map((v) => tf.sum(tf.abs(v))));
    this.sums.push(tf.keep(sum));
    switch (params.kind) {
      case 'cp':
        return { kind: 'cp', weights: tf.mul(params.weights, g[0]), factors: params.factors };
      case 'tucker':
        return { kind: 'tucker', core: params.core, factors: params.factors.map((f, k) => tf.mul(f, g[k])) };
      case 'tt':
        return { kind: 'tt', factors: params.factors.map((c, k) => (k < g.length ? tf.mul(c, g[k]) : c)) };
      default:
        return params;
    }
  }

  /**
   * The accumulated penalty as a scalar tensor (a new tensor; 0 when nothing was read):
   * penalty * sum / nElement, or penalty * sum without normalisation. Call it inside the
   * closure given to `optimizer.minimize`, after the forward pass, so it is differentiable.
   */
  get loss(): tf.Scalar {
    return tf.tidy(() => {
      if (this.nElement === 0 || this.sums.length === 0) return tf.scalar(0);
      const total = tf.addN(this.sums);
      return tf.mul(total, this.normalizeLoss ? this.penalty / this.nElement : this.penalty) as tf.Scalar;
    });
  }

  /** Start a new accumulation (call after each optimisation step). */
  reset(): void {
    tf.dispose(this.sums);
    this.sums = [];
    this.nElement = 0;
  }

  /** Detach from `ft` and dispose its gates. */
  remove(ft: FactorizedTensor): void {
    const g = this.gatesOf(ft);
    removeTensorHook(ft, this);
    this.gates.delete(ft);
    tf.dispose(g);
  }

  /** Dispose every gate and the accumulation. */
  dispose(): void {
    this.reset();
    for (const ft of [...this.gates.keys()]) this.remove(ft);
  }
}

/** tltorch `tensor_lasso(...)`: a new TensorLasso regulariser (attach it with `.apply(ft)`). */
export function tensorLasso(options: TensorLassoOptions | null = {}): TensorLasso {
  return new TensorLasso(options);
}
