/**
 * `FactorizedLinear`: a linear layer y = x W^T + b whose weight W (out, in) is tensorized to
 * (out_1..out_n, in_1..in_m) and kept in factorized form (CP, Tucker, block-TT or dense);
 * with `nLayers > 1`, one factorized tensor over (nLayers, out..., in...) parametrises
 * several layers jointly.
 *
 * Mirrors tltorch 0.5 `FactorizedLinear` (seed 001, `factorized_layers/factorized_linear.py`):
 * constructor, `forward(x, indices)` = `apply(x, layerIndex)`, `get_linear`, `from_linear`,
 * `from_linear_list` (both in `./factorizedLinearFrom.ts`), `__repr__`. The 'factorized'
 * forward runs an explicit contraction plan (`./plan.ts`) instead of tltorch's einsum; 'auto'
 * picks the cheaper implementation for the batch at hand by the FLOP model. Differences from tltorch are listed in
 * docs/fidelity/factorized-linear.md.
 */
import { ArgumentError, ModeError, ShapeError, createRng, describe, tf, toTensor, uniformTensor, type TensorLike } from '@tenfold/core';
import { prod, type TensorizedRank } from '../tensorized/shape.js';
import { indexLayer, parseFactorization, type FactorParams, type Factorization } from '../tensorized/params.js';
import { TensorizedTensor, checkLayerIndex } from '../tensorized/tensorizedTensor.js';
import { checkAllocation, checkFiniteIfEnabled, checkIntOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { checkFeatures, checkImplementation } from '../internal/paramChecks.js';
import type { ContractionPlan, Implementation } from './contractionPlan.js';
import { denseFlops, planLinear } from './plan.js';
import { runPlan } from './runPlan.js';
import { type FromLinearListOptions, type FromLinearOptions, type LinearLike, fromLinearImpl, fromLinearListImpl } from './factorizedLinearFrom.js';
import { DisposableModule } from '../internal/disposableModule.js';
import { SubModule } from '../internal/subModule.js';

export type LinearImplementation = Implementation | 'auto';

export interface FactorizedLinearOptions {
  /** Tensorization of the input features, e.g. [3, 3] for 9. */
  inTensorizedFeatures: number[];
  /** Tensorization of the output features, e.g. [4, 4] for 16. */
  outTensorizedFeatures: number[];
  /** Learn a bias (default true). */
  bias?: boolean;
  /** 'cp' (default), 'tucker', 'blocktt', 'dense', or a ready TensorizedTensor (taken over, not re-initialised). */
  factorization?: Factorization | string | TensorizedTensor;
  /** Rank (default 'same': as many parameters as the dense weight). */
  rank?: TensorizedRank;
  /** 'factorized' (default, as tltorch's constructor), 'reconstructed', or 'auto'. */
  implementation?: LinearImplementation;
  /** Number of jointly parametrised layers (default 1). */
  nLayers?: number;
  /** Seed of the initialisation. */
  seed?: number;
}

const FACTORIZED_LINEAR_OPTIONS = optionKeys<FactorizedLinearOptions>()('inTensorizedFeatures', 'outTensorizedFeatures', 'bias', 'factorization', 'rank', 'implementation', 'nLayers', 'seed');

/** FLOPs of one forward pass of a batch. */
export interface LinearFlops {
  batchSize: number;
  /** A dense layer of the same size: 2 B in out. */
  dense: number;
  factorized: number;
  reconstructed: number;
  /** What 'auto' picks (the cheaper). */
  cheaper: Implementation;
}

export class FactorizedLinear extends DisposableModule {
  protected readonly moduleName = 'FactorizedLinear';
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly inTensorizedFeatures: number[];
  readonly outTensorizedFeatures: number[];
  readonly nLayers: number;
  implementation: LinearImplementation;
  /** The factorized weight over (nLayers?, out..., in...). */
  readonly weight: TensorizedTensor;
  /** Bias (out) or (nLayers, out); null without bias. */
  readonly bias: tf.Variable | null;
  /** Per layer: whether a bias was given (tltorch's has_bias; only informative). */
  readonly hasBias: boolean[];
  private plans = new Map<string, ContractionPlan>();

  constructor(opts: FactorizedLinearOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`FactorizedLinear: options must be an object { inTensorizedFeatures, outTensorizedFeatures, ... }; got ${describe(opts)}`);
    checkOptions(opts, FACTORIZED_LINEAR_OPTIONS, 'FactorizedLinear');
    checkSeed(opts.seed);
    const inT = checkFeatures(opts.inTensorizedFeatures, 'inTensorizedFeatures');
    const outT = checkFeatures(opts.outTensorizedFeatures, 'outTensorizedFeatures');
    const nLayers = opts.nLayers ?? 1;
    if (!Number.isInteger(nLayers) || nLayers < 1) throw new ArgumentError(`nLayers must be a positive integer; got ${describe(nLayers)}`);
    this.implementation = checkImplementation(opts.implementation ?? 'factorized');
    const useBias = opts.bias ?? true;
    if (typeof useBias !== 'boolean') throw new ArgumentError(`bias must be a boolean; got ${describe(useBias)}`);
    const shape = nLayers > 1 ? [nLayers, outT, inT] : [outT, inT];
    // Sizes before allocation: the bias is (nLayers, out), the weight's batch mode nLayers.
    checkAllocation(nLayers * prod(outT), `nLayers ${nLayers}: the bias of shape ${describe([nLayers, prod(outT)])}`);
    checkAllocation(nLayers * prod(outT) * prod(inT), `nLayers ${nLayers}: the joint weight of shape ${describe([nLayers, prod(outT), prod(inT)])}`);
    this.inFeatures = prod(inT);
    this.outFeatures = prod(outT);
    this.inTensorizedFeatures = inT;
    this.outTensorizedFeatures = outT;
    this.nLayers = nLayers;
    const fz = opts.factorization ?? 'cp';
    if (fz instanceof TensorizedTensor) {
      if (fz.isDisposed) throw new ArgumentError('factorization: the given TensorizedTensor has been disposed');
      const want = JSON.stringify(shape);
      if (JSON.stringify(fz.tensorizedShape) !== want) {
        throw new ShapeError(`factorization: the given TensorizedTensor has shape ${describe(fz.tensorizedShape)}; this layer needs ${describe(shape)} (nLayers?, out, in)`);
      }
      this.weight = fz;
    } else {
      const kind = parseFactorization(fz);
      // tltorch reset_parameters: weight.normal_(0, sqrt(5)/sqrt(in_features)).
      this.weight = TensorizedTensor.new(shape, { factorization: kind, rank: opts.rank ?? 'same', std: Math.sqrt(5) / Math.sqrt(this.inFeatures), seed: opts.seed });
    }
    this.hasBias = new Array<boolean>(nLayers).fill(nLayers === 1 && useBias);
    if (useBias) {
      // U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in (tltorch uses out*in for nLayers > 1).
      const bound = 1 / Math.sqrt(this.inFeatures);
      const rng = createRng(opts.seed === undefined ? undefined : opts.seed + 1);
      const bshape = nLayers > 1 ? [nLayers, this.outFeatures] : [this.outFeatures];
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor(bshape, rng), 2 * bound), bound));
      this.bias = tf.variable(init, true);
      init.dispose();
    } else {
      this.bias = null;
    }
  }

  /** Resolved rank of the weight. */
  get rank(): number | number[] | null {
    return this.weight.rank;
  }

  get factorization(): Factorization {
    return this.weight.factorization;
  }

  /** All trainable variables (weight parameters, then the bias). */
  get trainableVariables(): tf.Variable[] {
    return [...this.weight.variables, ...(this.bias ? [this.bias] : [])];
  }

  /** Number of parameters (factorized weight + bias). */
  get paramCount(): number {
    return this.weight.paramCount + (this.bias ? prod(this.bias.shape) : 0);
  }

  /**
   * y = x W_i^T + b_i for layer `layerIndex` (tltorch `forward(x, indices)`). `x` is
   * (..., in); the result is (..., out). Differentiable with respect to the variables.
   */
  apply(x: TensorLike, layerIndex = 0): tf.Tensor {
    this.checkAlive();
    if (this.nLayers === 1) {
      if (layerIndex !== 0) {
        throw new ModeError(`layerIndex must be 0: only one layer is parametrised (nLayers = 1); got ${describe(layerIndex)}`);
      }
    } else checkLayerIndex(layerIndex, this.nLayers, 'layerIndex');
    const xt = toTensor(x, 'x');
    try {
      if (xt.rank < 1 || xt.shape[xt.rank - 1] !== this.inFeatures) {
        throw new ShapeError(`x must have last dimension ${this.inFeatures} (in features); got shape ${describe(xt.shape)}`);
      }
      // Forward passes propagate NaN/Inf as tf layers do (docs/fidelity/factorized-linear.md).
      checkFiniteIfEnabled(xt, 'x');
      const lead = xt.shape.slice(0, -1);
      const B = prod(lead);
      if (B === 0) return tf.zeros([...lead, this.outFeatures]);
      return tf.tidy(() => {
        const impl = this.resolveImplementation(B);
        const plan = this.plan(B, impl);
        const y = runPlan(plan, this.layerParams(layerIndex), xt.reshape([B, this.inFeatures]));
        const bias = this.bias && this.nLayers > 1 ? tf.slice(this.bias, [layerIndex, 0], [1, this.outFeatures]).reshape([this.outFeatures]) : this.bias;
        const withBias = bias ? tf.add(y, bias) : y;
        return withBias.reshape([...lead, this.outFeatures]);
      });
    } finally {
      if (xt !== x) xt.dispose();
    }
  }

  /** The parameters of layer i (unbatched); call inside tf.tidy. */
  private layerParams(i: number): FactorParams {
    if (this.nLayers === 1) return this.weight.params;
    return indexLayer(this.weight.params, this.weight.parts, i).params;
  }

  /** The implementation 'auto' resolves to for a batch of B rows: the one with fewer FLOPs. */
  resolveImplementation(batchSize: number): Implementation {
    checkIntOption(batchSize, 'batchSize', 1);
    if (this.implementation !== 'auto') return this.implementation;
    const f = this.flops(batchSize);
    return f.cheaper;
  }

  /** The contraction plan used for a batch of `batchSize` rows (cached). */
  plan(batchSize: number, implementation: Implementation): ContractionPlan {
    const key = `${implementation}:${batchSize}:${JSON.stringify(this.weight.rank)}`;
    let p = this.plans.get(key);
    if (!p) {
      // Joint layers are indexed before the plan runs, so Tucker loses its layer rank.
      const r = this.weight.rank;
      const rank = Array.isArray(r) && this.weight.factorization === 'tucker' ? r.slice(this.weight.parts.batch.length) : r;
      p = planLinear({ factorization: this.weight.factorization, out: this.outTensorizedFeatures, in: this.inTensorizedFeatures, rank }, batchSize, implementation);
      this.plans.set(key, p);
    }
    return p;
  }

  /** Forward FLOPs of each implementation for a batch of `batchSize` rows (FLOP model of plan.ts). */
  flops(batchSize: number): LinearFlops {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`batchSize must be a positive integer; got ${describe(batchSize)}`);
    const factorized = this.plan(batchSize, 'factorized').flops.total;
    const reconstructed = this.plan(batchSize, 'reconstructed').flops.total;
    return {
      batchSize,
      dense: denseFlops(this.inFeatures, this.outFeatures, batchSize),
      factorized,
      reconstructed,
      cheaper: factorized <= reconstructed ? 'factorized' : 'reconstructed',
    };
  }

  /** A view of layer `i` sharing the parameters (tltorch `get_linear` / `self[i]`). */
  getLinear(i: number): SubFactorizedLinear {
    this.checkAlive();
    if (this.nLayers === 1) throw new ArgumentError('getLinear: a single linear is parametrised (nLayers = 1); use the layer itself');
    checkLayerIndex(i, this.nLayers, 'i');
    return new SubFactorizedLinear(this, i);
  }

  /** In the spirit of tltorch's repr. */
  override toString(): string {
    let msg =
      `FactorizedLinear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, ` +
      `weight of size (${this.outFeatures}, ${this.inFeatures}) tensorized to (${describe(this.outTensorizedFeatures)}, ${describe(this.inTensorizedFeatures)}), ` +
      `factorization=${this.weight.factorization}, rank=${describe(this.weight.rank)}, implementation=${this.implementation}`;
    if (!this.bias) msg += ', bias=False';
    msg += this.nLayers === 1 ? ', with a single layer parametrized)' : `, with ${this.nLayers} layers jointly parametrized)`;
    return msg;
  }

  /** Free every variable. */
  protected disposeOwned(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }

  /**
   * tltorch `FactorizedLinear.from_linear`: tensorize `linear.weight` (out, in), decompose it
   * with `TensorizedTensor.initFromMatrix` (CP: parafac with l2Reg 1e-5; Tucker: tucker;
   * BlockTT: tensorTrainMatrix) and copy the bias. Default implementation 'reconstructed'.
   */
  static fromLinear(linear: LinearLike, options: FromLinearOptions | null = {}): FactorizedLinear {
    return fromLinearImpl(linear, options);
  }

  /**
   * tltorch `FactorizedLinear.from_linear_list`: one factorized tensor over
   * (n, out..., in...) decomposed jointly from the stacked weights; layer i's bias is copied.
   */
  static fromLinearList(linears: LinearLike[], opts: FromLinearListOptions): FactorizedLinear {
    return fromLinearListImpl(linears, opts);
  }
}

/** Layer i of a joint FactorizedLinear; shares its parameters (tltorch `SubFactorizedLinear`). */
export class SubFactorizedLinear extends SubModule<FactorizedLinear> {
  constructor(main: FactorizedLinear, layerIndex: number) {
    super(main, layerIndex, FactorizedLinear, 'FactorizedLinear');
  }
  get inFeatures(): number {
    return this.main.inFeatures;
  }
  get outFeatures(): number {
    return this.main.outFeatures;
  }
  override toString(): string {
    return `SubFactorizedLinear ${this.layerIndex} from main factorized layer.\nSubFactorizedLinear(in_features=${this.inFeatures}, out_features=${this.outFeatures}${this.main.hasBias[this.layerIndex] ? ', bias=True' : ''})`;
  }
}
