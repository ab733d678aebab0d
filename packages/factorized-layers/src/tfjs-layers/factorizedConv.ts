/**
 * `FactorizedConv1D` / `FactorizedConv2D` / `FactorizedConv3D`: tfjs-layers convolutions whose
 * kernel is a factorized tensor (CP, Tucker, TT or dense), run by the same forward passes as
 * `FactorizedConv` (`../conv/factorizedConvForward.ts`). tfjs conventions: channels-last
 * inputs, `filters`, `kernelSize`, `strides`, `padding` ('same' | 'valid'), `dilationRate`,
 * `useBias` (default true). The layer's weights are the factors, so `model.save` /
 * `tf.loadLayersModel` round-trip them; `getConfig` stores the resolved rank so a loaded
 * model gets the same shapes. Registered with `tf.serialization.registerClass`.
 */
import { ArgumentError, NotSupportedError, ShapeError, checkOptions, describe, tf } from '@tenfold/core';
import { type FactorizedParams, type TensorFactorization, factorizedParamList, factorizedParamShapes, factorizedParamsFromList, parseTensorFactorization } from '../factorized/params.js';
import { normalFactorizedParams } from '../factorized/init.js';
import { type FactorizedRankSpec, resolveFactorizedRank } from '../factorized/rank.js';
import { checkImplementation, checkRankSpec } from '../internal/paramChecks.js';
import { checkSeed, optionKeys } from '../internal/checks.js';
import { convFlops, factorizedConvForward, type ConvImplementation } from '../conv/factorizedConvForward.js';
import { checkLayerGeometry, factorizationShape, resolveFixedRankModes, resolveKernelSize, resolveLayerGeometry } from '../conv/factorizedConvSpec.js';
import { FactorizedConv, type FactorizedConvImplementation } from '../conv/factorizedConv.js';
import type { ConvLike, FromConvOptions } from '../conv/factorizedConvFrom.js';
import { LAYER_KEYS, type TfjsLayerKeys, checkActivationName, pendingTensors, writePendingWeights, type PendingWeights, disposeLayer } from './layerArgs.js';

export interface FactorizedConvLayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'same' | 'valid';
  dilationRate?: number | number[];
  useBias?: boolean;
  factorization?: TensorFactorization | string;
  /** Rank spec; after build `getConfig` stores the resolved rank. */
  rank?: FactorizedRankSpec;
  /** Default 'auto': the cheaper of factorized / reconstructed by the FLOP model, per input shape. */
  implementation?: FactorizedConvImplementation;
  fixedRankModes?: 'spatial' | number[] | null;
  activation?: string;
  seed?: number;
  name?: string;
  inputShape?: number[];
  batchInputShape?: number[];
  trainable?: boolean;
}

const KEYS = optionKeys<FactorizedConvLayerArgs & TfjsLayerKeys>()(
  'filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'useBias', 'factorization', 'rank', 'implementation', 'fixedRankModes', 'activation', 'seed',
  ...LAYER_KEYS,
);

function checkArgs(args: FactorizedConvLayerArgs, order: number, cls: string): FactorizedConvLayerArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`${cls} args must be an object; got ${describe(args)}`);
  checkOptions(args, KEYS, cls, 'args');
  if (!Number.isInteger(args.filters) || args.filters < 1) throw new ArgumentError(`filters must be a positive integer; got ${describe(args.filters)}`);
  resolveKernelSize(args.kernelSize, order);
  if (Array.isArray(args.kernelSize) && args.kernelSize.length !== order) throw new ArgumentError(`kernelSize must have ${order} entries for ${cls}; got ${describe(args.kernelSize)}`);
  if (args.padding !== undefined && args.padding !== 'same' && args.padding !== 'valid') throw new NotSupportedError(`padding must be 'same' or 'valid' (tfjs); got ${describe(args.padding)}`);
  if (args.rank != null) checkRankSpec(args.rank);
  parseTensorFactorization(args.factorization ?? 'cp');
  checkImplementation(args.implementation ?? 'auto');
  checkSeed(args.seed);
  checkActivationName(args.activation);
  return args;
}

/**
 * Options of `FactorizedConv{1,2,3}D.fromConv`: `FactorizedConv.fromConv`'s, less `groups` (these
 * layers have no groups, so a grouped conversion is refused), plus the layer's name and activation.
 */
export type FactorizedConvFromConvOptions = Omit<FromConvOptions, 'groups'> & { name?: string; activation?: string };

const FROM_CONV_LAYER_OPTIONS = optionKeys<FactorizedConvFromConvOptions>()('rank', 'factorization', 'implementation', 'layout', 'stride', 'padding', 'dilation', 'bias', 'fixedRankModes', 'decomposition', 'name', 'activation');

/** The shared implementation of the three layers (order = number of spatial dims). */
export abstract class FactorizedConvND extends tf.layers.Layer {
  protected abstract readonly order: number;
  readonly filters: number;
  readonly factorization: TensorFactorization;
  readonly implementation: FactorizedConvImplementation;
  readonly useBias: boolean;
  readonly activationName: string;
  private readonly args: FactorizedConvLayerArgs;
  private readonly act: tf.layers.Layer;
  private rankSpec: FactorizedRankSpec;
  private resolvedRank: number | number[] | null = null;
  private paramVars: tf.LayerVariable[] = [];
  private biasVar: tf.LayerVariable | null = null;
  private inChannels = 0;
  /** @internal Values given by `fromConv`, consumed by `build`. */
  protected pending: PendingWeights | null = null;

  constructor(args: FactorizedConvLayerArgs, order: number, cls: string) {
    super(checkArgs(args, order, cls));
    this.args = { ...args };
    this.filters = args.filters;
    this.factorization = parseTensorFactorization(args.factorization ?? 'cp');
    this.implementation = checkImplementation(args.implementation ?? 'auto');
    this.useBias = args.useBias ?? true;
    this.activationName = args.activation ?? 'linear';
    this.act = tf.layers.activation({ activation: this.activationName as never });
    this.rankSpec = args.rank ?? 'same';
  }

  private get kernel(): number[] {
    return resolveKernelSize(this.args.kernelSize, this.order);
  }

  private get geometry() {
    return checkLayerGeometry({ stride: this.args.strides, padding: this.args.padding ?? 'valid', dilation: this.args.dilationRate }, this.kernel);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (shape.length !== this.order + 2 || typeof c !== 'number' || c < 1) {
      throw new ShapeError(`${this.getClassName()} needs inputs (batch, ${Array(this.order).fill('size').join(', ')}, channels) with known channels; got ${describe(shape)}`);
    }
    this.inChannels = c;
    const k = this.kernel;
    const fshape = factorizationShape(this.factorization, [this.filters, c, ...k], 1);
    const fixed = resolveFixedRankModes(this.args.fixedRankModes, this.factorization, this.order, 1);
    this.resolvedRank = resolveFactorizedRank(fshape, this.rankSpec, this.factorization, fixed);
    const shapes = factorizedParamShapes(this.factorization, fshape, this.resolvedRank);
    let init = this.pending;
    this.pending = null;
    if (!init) {
      // Glorot-normal std of tfjs' conv default: sqrt(2 / (fan_in + fan_out)).
      const std = Math.sqrt(2 / ((c + this.filters) * k.reduce((a, b) => a * b, 1)));
      init = { params: factorizedParamList(normalFactorizedParams(this.factorization, fshape, this.resolvedRank, 0, std, this.args.seed)), bias: null };
    }
    const zeros = tf.initializers.zeros();
    this.paramVars = shapes.map((sh, i) => this.addWeight(`${this.factorization}_param_${i}`, sh, 'float32', zeros));
    this.biasVar = this.useBias ? this.addWeight('bias', [this.filters], 'float32', zeros) : null;
    writePendingWeights(this.paramVars, this.biasVar, init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const g = this.geometry;
    const k = this.kernel;
    const sp = shape.slice(1, -1).map((s, m) => {
      if (s === null) return null;
      if (g.padding === 'same') return Math.ceil(s / g.stride[m]);
      return Math.floor((s - g.dilation[m] * (k[m] - 1) - 1) / g.stride[m]) + 1;
    });
    return [shape[0], ...sp, this.filters];
  }

  /** The implementation used for a channels-last input shape. */
  resolveImplementation(inputShape: number[]): ConvImplementation {
    if (this.implementation !== 'auto') return this.implementation;
    const sp = inputShape.slice(1, -1);
    const g = resolveLayerGeometry(this.geometry, this.kernel, sp);
    const shape = { factorization: this.factorization, rank: this.resolvedRank, inChannels: this.inChannels, outChannels: this.filters, kernelSize: this.kernel, groups: 1 };
    return convFlops(shape, inputShape[0], sp, g).cheaper;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== this.order + 2 || x.shape[x.rank - 1] !== this.inChannels) {
        throw new ShapeError(`${this.getClassName()} input must be (batch, *spatial, ${this.inChannels}) with ${this.order} spatial dims; got shape ${describe(x.shape)}`);
      }
      const g = resolveLayerGeometry(this.geometry, this.kernel, x.shape.slice(1, -1));
      const p: FactorizedParams = factorizedParamsFromList(this.factorization, this.paramVars.map((v) => v.read()));
      const y = factorizedConvForward(x, p, g, 1, this.biasVar ? this.biasVar.read() : null, this.resolveImplementation(x.shape));
      return this.act.apply(y) as tf.Tensor;
    });
  }

  /** The resolved rank (after build). */
  get rank(): number | number[] | null {
    return this.resolvedRank;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernel,
      strides: this.geometry.stride,
      padding: (this.args.padding ?? 'valid') as string,
      dilationRate: this.geometry.dilation,
      useBias: this.useBias,
      factorization: this.factorization,
      rank: (this.resolvedRank ?? this.rankSpec) as tf.serialization.ConfigDictValue,
      implementation: this.implementation,
      activation: this.activationName,
    };
    if (this.args.fixedRankModes != null && this.resolvedRank === null) cfg.fixedRankModes = this.args.fixedRankModes as tf.serialization.ConfigDictValue;
    if (this.args.seed !== undefined) cfg.seed = this.args.seed;
    return cfg;
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const pending = this.pending;
    this.pending = null;
    return disposeLayer(pending && pendingTensors(pending), this.built, () => super.dispose());
  }

  /** @internal Shared body of the subclasses' `fromConv`. */
  protected static fromConvInto<T extends FactorizedConvND>(make: (args: FactorizedConvLayerArgs) => T, order: number, conv: ConvLike, options: FactorizedConvFromConvOptions | null): T {
    const { name, activation, ...rest } = checkOptions(options, FROM_CONV_LAYER_OPTIONS, 'FactorizedConvND.fromConv');
    const fc = FactorizedConv.fromConv(conv, { ...rest, implementation: rest.implementation ?? 'auto' });
    try {
      if (fc.order !== order) throw new ShapeError(`conv has ${fc.order} spatial dims; this layer needs ${order}`);
      const g = fc.layerGeometry();
      if (g.padding !== 'same' && g.padding !== 'valid' && !(g.padding === 0)) {
        throw new NotSupportedError(`padding ${describe(g.padding)} has no tfjs-layers equivalent (only 'same' / 'valid')`);
      }
      const layer = make({
        filters: fc.outChannels, kernelSize: fc.kernelSize, strides: g.stride, padding: g.padding === 'same' ? 'same' : 'valid', dilationRate: g.dilation,
        useBias: fc.bias !== null, factorization: fc.factorization, rank: (fc.rank ?? 'same') as FactorizedRankSpec, implementation: fc.implementation, name, activation,
      });
      layer.pending = { params: tf.tidy(() => fc.weight.variables.map((v) => tf.clone(v))), bias: fc.bias ? tf.clone(fc.bias) : null };
      return layer;
    } finally {
      fc.dispose();
    }
  }
}

export class FactorizedConv1D extends FactorizedConvND {
  static className = 'FactorizedConv1D';
  protected readonly order = 1;
  constructor(args: FactorizedConvLayerArgs) {
    super(args, 1, 'FactorizedConv1D');
  }
  /** Convert a tfjs Conv1D layer (or a kernel): `FactorizedConv.fromConv`, implementation default 'auto'. */
  static fromConv(conv: ConvLike, options: FactorizedConvFromConvOptions | null = {}): FactorizedConv1D {
    return FactorizedConvND.fromConvInto((a) => new FactorizedConv1D(a), 1, conv, options);
  }
}

export class FactorizedConv2D extends FactorizedConvND {
  static className = 'FactorizedConv2D';
  protected readonly order = 2;
  constructor(args: FactorizedConvLayerArgs) {
    super(args, 2, 'FactorizedConv2D');
  }
  /** Convert a tfjs Conv2D layer (or a kernel): `FactorizedConv.fromConv`, implementation default 'auto'. */
  static fromConv(conv: ConvLike, options: FactorizedConvFromConvOptions | null = {}): FactorizedConv2D {
    return FactorizedConvND.fromConvInto((a) => new FactorizedConv2D(a), 2, conv, options);
  }
}

export class FactorizedConv3D extends FactorizedConvND {
  static className = 'FactorizedConv3D';
  protected readonly order = 3;
  constructor(args: FactorizedConvLayerArgs) {
    super(args, 3, 'FactorizedConv3D');
  }
  /** Convert a tfjs Conv3D layer (or a kernel): `FactorizedConv.fromConv`, implementation default 'auto'. */
  static fromConv(conv: ConvLike, options: FactorizedConvFromConvOptions | null = {}): FactorizedConv3D {
    return FactorizedConvND.fromConvInto((a) => new FactorizedConv3D(a), 3, conv, options);
  }
}

tf.serialization.registerClass(FactorizedConv1D);
tf.serialization.registerClass(FactorizedConv2D);
tf.serialization.registerClass(FactorizedConv3D);
