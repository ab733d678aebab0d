/**
 * Tensor dropout: in training, drop whole rank components of a factorized weight (CP
 * components, Tucker core slices per mode, TT bonds), each kept with probability 1 - p and
 * the survivors rescaled so the expectation is unchanged. Identity at inference unless
 * `dropTest`. Mirrors tltorch 0.5 `tensor_dropout(ft, p, min_dim=3, min_values=1,
 * drop_test=False)` (`tensor_hooks/_tensor_dropout.py`):
 *
 *   CP:     keep K ⊆ [R]: weights[K] / (1-p), factors[:, K]      (only when R > minDim)
 *   Tucker: keep K_k ⊆ [R_k] per mode with R_k > minDim: core[K_1, ..., K_N] scaled, F_k[:, K_k]
 *   TT:     keep K_k ⊆ [r_k] per internal bond with r_k > minDim: G_k[..., K_k] / (1-p), G_{k+1}[K_k, ...]
 *
 * If no index of a mode survives, `minValues` distinct random indices are kept. Fixes
 * (docs/fidelity/factorized-layers2.md): CP with R <= minDim is returned unchanged (tltorch
 * raises UnboundLocalError in training); the Tucker core is scaled by 1/(1-p)^m with m the
 * number of modes actually dropped (tltorch uses the core's order, which over-scales when a
 * mode is kept whole); the fallback draws distinct indices (tltorch's randint may repeat one).
 * Selection is a product with a 0/1 matrix (differentiable on every backend), drawn from a
 * seeded host RNG. Reference: Kolbeinsson et al., "Tensor Dropout for Robust Learning",
 * IEEE JSTSP 2021.
 */
import { ArgumentError, createRng, describe, modeDot, tf, type Rng } from '@tenfold/core';
import type { FactorizedTensor } from '../factorized/index.js';
import type { FactorizedParams } from '../factorized/params.js';
import { checkBoolOption, checkIntOption, checkNumberOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { type TensorHook, checkFactorizedTensor, registerTensorHook, removeTensorHook, tensorHooks } from './registry.js';

export interface TensorDropoutOptions {
  /** Dropout probability in [0, 1) (default 0: no-op). */
  p?: number;
  /** Only modes / ranks larger than this are dropped (default 3). */
  minDim?: number;
  /** Indices kept when none survive (default 1). */
  minValues?: number;
  /** Also drop at inference (default false). */
  dropTest?: boolean;
  /** Seed of the component sampling. */
  seed?: number;
}

const TENSOR_DROPOUT_OPTIONS = optionKeys<TensorDropoutOptions>()('p', 'minDim', 'minValues', 'dropTest', 'seed');

/** The sampled kept indices of one mode of size n (all of them when n <= minDim). */
function sampleKept(n: number, p: number, minDim: number, minValues: number, rng: Rng): { kept: number[]; dropped: boolean } {
  const all = Array.from({ length: n }, (_, k) => k);
  if (n <= minDim) return { kept: all, dropped: false };
  let kept = all.filter(() => rng.random() >= p);
  if (kept.length === 0) {
    const pool = [...all];
    kept = [];
    for (let k = 0; k < Math.min(minValues, n); k++) kept.push(pool.splice(rng.int(pool.length), 1)[0]);
    kept.sort((a, b) => a - b);
  }
  return { kept, dropped: true };
}

/** The (n, K) 0/1 matrix S with S[kept[j], j] = 1: `F @ S` keeps columns. */
function selector(n: number, kept: number[]): tf.Tensor {
  const data = new Float32Array(n * kept.length);
  kept.forEach((i, j) => (data[i * kept.length + j] = 1));
  return tf.tensor2d(data, [n, kept.length]);
}

export class TensorDropout implements TensorHook {
  readonly hookName = 'tensorDropout';
  readonly p: number;
  readonly minDim: number;
  readonly minValues: number;
  readonly dropTest: boolean;
  private readonly rng: Rng;

  /** @throws ArgumentError */
  constructor(options: TensorDropoutOptions | null = {}) {
    const opts = checkOptions(options, TENSOR_DROPOUT_OPTIONS, 'tensorDropout');
    checkSeed(opts.seed);
    this.p = opts.p ?? 0;
    checkNumberOption(this.p, 'p', 0);
    if (this.p >= 1) throw new ArgumentError(`p must be in [0, 1) (the survivors are scaled by 1/(1-p)); got ${describe(this.p)}`);
    this.minDim = opts.minDim ?? 3;
    checkIntOption(this.minDim, 'minDim', 0);
    this.minValues = opts.minValues ?? 1;
    checkIntOption(this.minValues, 'minValues', 1);
    this.dropTest = opts.dropTest ?? false;
    checkBoolOption(this.dropTest, 'dropTest');
    this.rng = createRng(opts.seed);
  }

  /** The parameters with components dropped (training or dropTest), else `p` itself. Call inside tf.tidy. */
  transform(params: FactorizedParams, training: boolean): FactorizedParams {
    if (this.p === 0 || (!training && !this.dropTest)) return params;
    const scale = training ? 1 / (1 - this.p) : 1;
    const draw = (n: number) => sampleKept(n, this.p, this.minDim, this.minValues, this.rng);
    switch (params.kind) {
      case 'cp': {
        const R = params.weights.shape[0];
        const { kept, dropped } = draw(R);
        if (!dropped) return params;
        const S = selector(R, kept);
        const weights = tf.mul(tf.matMul(params.weights.reshape([1, R]), S).reshape([kept.length]), scale);
        return { kind: 'cp', weights, factors: params.factors.map((f) => tf.matMul(f, S)) };
      }
      case 'tucker': {
        let core = params.core;
        let nDropped = 0;
        const factors = params.factors.map((f, k) => {
          const { kept, dropped } = draw(core.shape[k]);
          if (!dropped) return f;
          nDropped++;
          const S = selector(f.shape[1] as number, kept);
          core = modeDot(core, S, k, { transpose: true });
          return tf.matMul(f, S);
        });
        if (nDropped === 0) return params;
        return { kind: 'tucker', core: tf.mul(core, scale ** nDropped), factors };
      }
      case 'tt': {
        const cores = [...params.factors];
        for (let k = 0; k < cores.length - 1; k++) {
          const r = cores[k].shape[2] as number;
          const { kept, dropped } = draw(r);
          if (!dropped) continue;
          const S = selector(r, kept);
          const [a, n] = cores[k].shape as [number, number, number];
          cores[k] = tf.mul(tf.matMul(cores[k].reshape([a * n, r]), S).reshape([a, n, kept.length]), scale);
          const [, n1, b1] = cores[k + 1].shape as [number, number, number];
          cores[k + 1] = tf.matMul(S, cores[k + 1].reshape([r, n1 * b1]), true, false).reshape([kept.length, n1, b1]);
        }
        return { kind: 'tt', factors: cores };
      }
      case 'dense':
        return params;
    }
  }
}

/**
 * tltorch `tensor_dropout(ft, p)`: attach a TensorDropout hook to `ft` (returned).
 * @throws ArgumentError (options; a second dropout hook on the same tensor, as tltorch)
 */
export function tensorDropout(ft: FactorizedTensor, options: TensorDropoutOptions | null = {}): FactorizedTensor {
  checkFactorizedTensor(ft, 'ft');
  const hook = new TensorDropout(options);
  if (tensorHooks(ft).some((h) => h instanceof TensorDropout)) throw new ArgumentError('ft already has a tensor dropout hook (remove it with removeTensorDropout first)');
  registerTensorHook(ft, hook);
  return ft;
}

/** tltorch `remove_tensor_dropout`. @throws ArgumentError when `ft` has no dropout hook */
export function removeTensorDropout(ft: FactorizedTensor): FactorizedTensor {
  checkFactorizedTensor(ft, 'ft');
  const h = tensorHooks(ft).find((x) => x instanceof TensorDropout);
  if (!h) throw new ArgumentError('ft has no tensor dropout hook');
  removeTensorHook(ft, h);
  return ft;
}
