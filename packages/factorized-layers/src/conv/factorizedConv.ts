/**
 * `FactorizedConv`: a 1-D, 2-D or 3-D convolution whose kernel `(out, in / groups, *k)` is a
 * trainable factorized tensor (CP, Tucker, TT or dense); with `nLayers > 1` one factorized
 * tensor over `(nLayers, ...)` parametrises several convolutions jointly, each with its own
 * stride / padding / dilation / bias (tltorch `set`).
 *
 * Mirrors tltorch 0.5 `FactorizedConv` (`factorized_layers/factorized_convolution.py`):
 * constructor, `forward(x, indices)` = `apply(x, layerIndex)`, `get_conv` = `getConv`,
 * `from_conv` / `from_conv_list` = `fromConv` / `fromConvList` (./factorizedConvFrom.ts).
 * Inputs are channels-first `(N, C, *spatial)` like PyTorch; the tfjs layers
 * (`FactorizedConv1D/2D/3D`) take channels-last. 'auto' picks the implementation with fewer
 * FLOPs for the input at hand (`flops`), as `FactorizedLinear` does. Differences from tltorch
 * are in docs/fidelity/factorized-conv.md.
 */
import { ArgumentError, ModeError, ShapeError, describe, tf, toTensor, type TensorLike } from '@tenfold/core';
import { FactorizedTensor } from '../factorized/factorizedTensor.js';
import { type TensorFactorization, indexFirstMode, parseTensorFactorization } from '../factorized/params.js';
import type { FactorizedRankSpec } from '../factorized/rank.js';
import { checkAllocation, checkBoolOption, checkFiniteIfEnabled, checkIntOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { checkImplementation, checkLayerIndex } from '../internal/paramChecks.js';
import type { ConvPaddingNd } from './geometry.js';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import { type ConvFlops, type ConvImplementation, convFlops, factorizedConvForward } from './factorizedConvForward.js';
import {
  type ConvLayerGeometry,
  checkGroupsSupported,
  checkLayerGeometry,
  convKernelShape,
  factorizationShape,
  layerRank,
  resolveFixedRankModes,
  resolveKernelSize,
  resolveLayerGeometry,
} from './factorizedConvSpec.js';
import { type FromConvListOptions, type FromConvOptions, type ConvLike, fromConvImpl, fromConvListImpl } from './factorizedConvFrom.js';
import { DisposableModule } from '../internal/disposableModule.js';
import { SubModule } from '../internal/subModule.js';

export type FactorizedConvImplementation = ConvImplementation | 'auto';

export interface FactorizedConvOptions {
  inChannels: number;
  outChannels: number;
  /** An int (then `order` is required) or one size per spatial dim. */
  kernelSize: number | number[];
  /** 1, 2 or 3. */
  order?: number;
  stride?: number | number[];
  padding?: ConvPaddingNd;
  dilation?: number | number[];
  /** Default 1; > 1 needs factorization 'dense' or implementation 'reconstructed' / 'auto'. */
  groups?: number;
  /** Learn a bias (default false, as tltorch). */
  bias?: boolean;
  nLayers?: number;
  /** 'cp' (default), 'tucker', 'tt', 'dense', or a ready FactorizedTensor of the factorization shape (taken over). */
  factorization?: TensorFactorization | string | FactorizedTensor;
  rank?: FactorizedRankSpec;
  /** 'factorized' (default, as tltorch's constructor), 'reconstructed' or 'auto'. */
  implementation?: FactorizedConvImplementation;
  /** Tucker only: 'spatial' or modes of the factorization shape kept at full rank. */
  fixedRankModes?: 'spatial' | number[] | null;
  /** Std of the initial kernel entries (default 0.02, tltorch's reset_parameters). */
  std?: number;
  seed?: number;
}

const OPTION_KEYS = optionKeys<FactorizedConvOptions>()('inChannels', 'outChannels', 'kernelSize', 'order', 'stride', 'padding', 'dilation', 'groups', 'bias', 'nLayers', 'factorization', 'rank', 'implementation', 'fixedRankModes', 'std', 'seed');

const SET_LAYER_OPTIONS = optionKeys<NonNullable<Parameters<FactorizedConv['setLayer']>[1]>>()('stride', 'padding', 'dilation', 'bias');

export class FactorizedConv extends DisposableModule {
  protected readonly moduleName = 'FactorizedConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly order: number;
  readonly groups: number;
  readonly nLayers: number;
  implementation: FactorizedConvImplementation;
  /** The factorized kernel over the factorization shape (`(nLayers?, out, in/groups, *k)`; TT `(nLayers?, in/groups, *k, out)`). */
  readonly weight: FactorizedTensor;
  /** `(out)` or `(nLayers, out)`; null without bias. */
  readonly bias: tf.Variable | null;
  /** Per layer: whether its bias is used (tltorch `has_bias`). */
  readonly hasBias: boolean[];
  private readonly geometry: ConvLayerGeometry[];

  constructor(opts: FactorizedConvOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`FactorizedConv: options must be an object { inChannels, outChannels, kernelSize, ... }; got ${describe(opts)}`);
    checkOptions(opts, OPTION_KEYS, 'FactorizedConv');
    checkSeed(opts.seed);
    checkIntOption(opts.inChannels, 'inChannels', 1);
    checkIntOption(opts.outChannels, 'outChannels', 1);
    const kernel = resolveKernelSize(opts.kernelSize, opts.order);
    const nLayers = opts.nLayers ?? 1;
    checkIntOption(nLayers, 'nLayers', 1);
    const groups = opts.groups ?? 1;
    const kernelShape = convKernelShape(opts.inChannels, opts.outChannels, kernel, groups);
    const geometry = checkLayerGeometry(opts, kernel);
    this.implementation = checkImplementation(opts.implementation ?? 'factorized');
    const useBias = opts.bias ?? false;
    checkBoolOption(useBias, 'bias');
    checkAllocation(nLayers * kernelShape.reduce((a, b) => a * b, 1), `nLayers ${nLayers}: the joint kernel of shape ${describe([nLayers, ...kernelShape])}`);
    const fz = opts.factorization ?? 'cp';
    if (fz instanceof FactorizedTensor) {
      if (fz.isDisposed) throw new ArgumentError('factorization: the given FactorizedTensor has been disposed');
      const want = factorizationShape(fz.factorization, kernelShape, nLayers);
      if (fz.shape.length !== want.length || fz.shape.some((d, k) => d !== want[k])) {
        throw new ShapeError(`factorization: the given ${fz.factorization} tensor has shape ${describe(fz.shape)}; this conv needs ${describe(want)}`);
      }
      checkGroupsSupported(fz.factorization, groups, this.implementation);
      this.weight = fz;
    } else {
      const kind = parseTensorFactorization(fz);
      checkGroupsSupported(kind, groups, this.implementation);
      const fixed = resolveFixedRankModes(opts.fixedRankModes, kind, kernel.length, nLayers);
      this.weight = FactorizedTensor.new(factorizationShape(kind, kernelShape, nLayers), opts.rank ?? 'same', kind, { fixedRankModes: fixed, std: opts.std ?? 0.02, seed: opts.seed });
    }
    this.inChannels = opts.inChannels;
    this.outChannels = opts.outChannels;
    this.kernelSize = kernel;
    this.order = kernel.length;
    this.groups = groups;
    this.nLayers = nLayers;
    this.geometry = Array.from({ length: nLayers }, () => ({ ...geometry }));
    this.hasBias = new Array<boolean>(nLayers).fill(useBias);
    if (useBias) {
      const zeros = tf.zeros(nLayers > 1 ? [nLayers, opts.outChannels] : [opts.outChannels]);
      this.bias = tf.variable(zeros, true);
      zeros.dispose();
    } else this.bias = null;
  }

  get factorization(): TensorFactorization {
    return this.weight.factorization;
  }

  /** Resolved rank of the (joint) factorized kernel. */
  get rank(): number | number[] | null {
    return this.weight.rank;
  }

  /** `(out, in / groups, *k)`. */
  get kernelShape(): number[] {
    return [this.outChannels, this.inChannels / this.groups, ...this.kernelSize];
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.weight.variables, ...(this.bias ? [this.bias] : [])];
  }

  get paramCount(): number {
    return this.weight.paramCount + (this.bias ? this.bias.size : 0);
  }

  /** Layer `i`'s geometry (padding as given). */
  layerGeometry(i = 0): ConvLayerGeometry {
    this.checkLayer(i);
    const g = this.geometry[i];
    return { stride: [...g.stride], padding: g.padding, dilation: [...g.dilation] };
  }

  /** tltorch `set(indices, stride, padding, dilation, bias)`: layer `i`'s geometry and bias. */
  setLayer(i: number, options: { stride?: number | number[]; padding?: ConvPaddingNd; dilation?: number | number[]; bias?: TensorLike | null } = {}): this {
    this.checkAlive();
    this.checkLayer(i);
    const o = checkOptions(options, SET_LAYER_OPTIONS, 'FactorizedConv.setLayer');
    const g = checkLayerGeometry(o, this.kernelSize);
    if (o.bias !== undefined && o.bias !== null) {
      if (!this.bias) throw new ArgumentError('bias: this FactorizedConv was built without a bias (bias: false)');
      const b = toTensor(o.bias, 'bias');
      try {
        if (b.rank !== 1 || b.shape[0] !== this.outChannels) throw new ShapeError(`bias must have shape [${this.outChannels}]; got ${describe(b.shape)}`);
        const next = tf.tidy(() => (this.nLayers > 1 ? tf.concat([tf.slice(this.bias!, [0, 0], [i, -1]), b.reshape([1, -1]), tf.slice(this.bias!, [i + 1, 0], [-1, -1])]) : tf.clone(b)));
        this.bias.assign(next);
        next.dispose();
      } finally {
        if (b !== o.bias) b.dispose();
      }
      this.hasBias[i] = true;
    }
    this.geometry[i] = g;
    return this;
  }

  /** FLOPs of each implementation for `inputShape` `(N, C, *spatial)` on layer `layerIndex`. */
  flops(inputShape: readonly number[], layerIndex = 0): ConvFlops {
    this.checkLayer(layerIndex);
    if (!Array.isArray(inputShape) || inputShape.length !== this.order + 2 || !inputShape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new ShapeError(`inputShape must be (N, C, *spatial) with ${this.order} spatial dims of positive integers; got ${describe(inputShape)}`);
    }
    const g = resolveLayerGeometry(this.geometry[layerIndex], this.kernelSize, inputShape.slice(2));
    const shape = { factorization: this.factorization, rank: layerRank(this.factorization, this.rank, this.nLayers), inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, groups: this.groups };
    return convFlops(shape, inputShape[0], inputShape.slice(2), g);
  }

  /** The implementation used for `inputShape`: the given one, or for 'auto' the cheaper by `flops` (reconstructed when groups > 1). */
  resolveImplementation(inputShape: readonly number[], layerIndex = 0): ConvImplementation {
    if (this.implementation !== 'auto') return this.implementation;
    if (this.groups > 1 && this.factorization !== 'dense') return 'reconstructed';
    return this.flops(inputShape, layerIndex).cheaper;
  }

  /** `y = conv(x, W_i) + b_i` for channels-first `x (N, in, *spatial)` (tltorch `forward(x, indices)`). */
  apply(x: TensorLike, layerIndex = 0): tf.Tensor {
    return this.run(x, layerIndex, false);
  }

  /** As `apply`, for channels-last `x (N, *spatial, in)` (tfjs layout); the result is channels-last. */
  applyChannelsLast(x: TensorLike, layerIndex = 0): tf.Tensor {
    return this.run(x, layerIndex, true);
  }

  private run(x: TensorLike, layerIndex: number, channelsLast: boolean): tf.Tensor {
    this.checkAlive();
    if (this.nLayers === 1 && layerIndex !== 0) {
      throw new ModeError(`layerIndex must be 0: only one convolution is parametrised (nLayers = 1); got ${describe(layerIndex)}`);
    }
    this.checkLayer(layerIndex);
    const xt = toTensor(x, 'x');
    try {
      const c = channelsLast ? xt.shape[xt.rank - 1] : xt.shape[1];
      if (xt.rank !== this.order + 2 || c !== this.inChannels) {
        const want = channelsLast ? `(N, *spatial, ${this.inChannels})` : `(N, ${this.inChannels}, *spatial)`;
        throw new ShapeError(`x must be ${want} with ${this.order} spatial dims; got shape ${describe(xt.shape)}`);
      }
      checkFiniteIfEnabled(xt, 'x');
      const spatial = channelsLast ? xt.shape.slice(1, -1) : xt.shape.slice(2);
      const g = resolveLayerGeometry(this.geometry[layerIndex], this.kernelSize, spatial);
      const impl = this.resolveImplementation([xt.shape[0], this.inChannels, ...spatial], layerIndex);
      return tf.tidy(() => {
        const p = this.nLayers > 1 ? indexFirstMode(this.weight.params, layerIndex) : this.weight.params;
        let bias: tf.Tensor | null = null;
        if (this.bias && this.hasBias[layerIndex]) bias = this.nLayers > 1 ? tf.reshape(tf.slice(this.bias, [layerIndex, 0], [1, -1]), [-1]) : this.bias;
        // Channels-first <-> channels-last only through layout.ts.
        const xl = channelsLast ? xt : toChannelsLast(xt);
        const y = factorizedConvForward(xl, p, g, this.groups, bias, impl);
        return channelsLast ? y : toChannelsFirst(y);
      });
    } finally {
      if (xt !== x) xt.dispose();
    }
  }

  /** Layer `i` of a joint conv, sharing its parameters (tltorch `get_conv` / `self[i]`). */
  getConv(i: number): SubFactorizedConv {
    this.checkAlive();
    if (this.nLayers === 1) throw new ArgumentError('getConv: a single convolution is parametrised (nLayers = 1); use the layer itself');
    this.checkLayer(i);
    return new SubFactorizedConv(this, i);
  }

  override toString(): string {
    const g = this.geometry[0];
    return (
      `FactorizedConv(in_channels=${this.inChannels}, out_channels=${this.outChannels}, kernel_size=${describe(this.kernelSize)}, rank=${describe(this.rank)}, order=${this.order}, ` +
      `factorization=${this.factorization}, implementation=${this.implementation}, stride=${describe(g.stride)}, padding=${describe(g.padding)}, dilation=${describe(g.dilation)}` +
      `${this.groups > 1 ? `, groups=${this.groups}` : ''}${this.bias ? '' : ', bias=False'}${this.nLayers > 1 ? `, n_layers=${this.nLayers}` : ''})`
    );
  }

  protected disposeOwned(): void {
    this.weight.dispose();
    this.bias?.dispose();
  }

  private checkLayer(i: number): void {
    checkLayerIndex(i, this.nLayers, 'layerIndex');
  }

  /** tltorch `from_conv`: decompose a conv's kernel (see ./factorizedConvFrom.ts). */
  static fromConv(weightOrLayer: ConvLike, options: FromConvOptions | null = {}): FactorizedConv {
    return fromConvImpl(weightOrLayer, options);
  }

  /** tltorch `from_conv_list`: one joint decomposition of several same-shape convs. */
  static fromConvList(convs: ConvLike[], options: FromConvListOptions | null = {}): FactorizedConv {
    return fromConvListImpl(convs, options);
  }
}

/** Layer i of a joint FactorizedConv; shares its parameters (tltorch `SubFactorizedConv`). */
export class SubFactorizedConv extends SubModule<FactorizedConv> {
  constructor(main: FactorizedConv, layerIndex: number) {
    super(main, layerIndex, FactorizedConv, 'FactorizedConv');
  }
  applyChannelsLast(x: TensorLike): tf.Tensor {
    return this.main.applyChannelsLast(x, this.layerIndex);
  }
  override toString(): string {
    return `SubFactorizedConv ${this.layerIndex} from main factorized conv: ${this.main.toString()}`;
  }
}
