/**
 * What {@link CpConv2D} and {@link Tucker2Conv2D} share: the geometry of the Conv2D they stand
 * for (filters, kernel, strides, padding, dilation; NHWC), bias, activation, config checks and
 * the pending weights a `fromConv` hands to `build`.
 */
import { ArgumentError, NotSupportedError, checkIntOption, checkOptions, describe, tf, type TensorLike } from '@tenfold/core';
import type { KernelLayout } from '../conv/layout.js';
import { checkActivationName, disposeLayer } from './layerArgs.js';
import { optionKeys } from '../internal/checks.js';

export interface DecomposedConvArgs {
  /** Output channels. */
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'same' | 'valid';
  dilationRate?: number | [number, number];
  useBias?: boolean;
  /** A tfjs activation name. */
  activation?: string;
  name?: string;
  inputShape?: number[];
  batchInputShape?: (number | null)[];
  trainable?: boolean;
}

/** The conv keys of {@link DecomposedConvArgs}; each layer's full key list is `[...CONV_KEYS, ...own, ...LAYER_KEYS]`. */
export const CONV_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'useBias', 'activation'] as const satisfies readonly (keyof DecomposedConvArgs)[];

function pair(v: unknown, name: string, fallback: number): [number, number] {
  const p = v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ArgumentError(`${name} must be a positive integer or a pair of them; got ${describe(v)}`);
  }
  return [p[0], p[1]];
}

/**
 * Check the args before tfjs' Layer reads them.
 * @throws ArgumentError, NotSupportedError naming the argument
 */
export function checkConvArgs<T extends DecomposedConvArgs>(args: T, cls: string, keys: readonly string[]): T {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`${cls} args must be an object; got ${describe(args)}`);
  checkOptions(args, keys, cls, 'args');
  checkIntOption(args.filters, 'filters', 1);
  pair(args.kernelSize, 'kernelSize', 1);
  const s = pair(args.strides, 'strides', 1);
  const d = pair(args.dilationRate, 'dilationRate', 1);
  if (s.some((v) => v > 1) && d.some((v) => v > 1)) throw new NotSupportedError(`${cls}: strides ${describe(s)} and dilationRate ${describe(d)} cannot both exceed 1 (as tfjs' conv2d)`);
  if (args.padding !== undefined && args.padding !== 'same' && args.padding !== 'valid') {
    throw new NotSupportedError(`padding must be 'same' or 'valid'; got ${describe(args.padding)}`);
  }
  if (args.useBias !== undefined && typeof args.useBias !== 'boolean') throw new ArgumentError(`useBias must be true or false; got ${describe(args.useBias)}`);
  checkActivationName(args.activation);
  return args;
}

/** The geometry of a tfjs Conv2D layer, checked for what the decomposed layers run. */
export function convLayerGeometry(layer: tf.layers.Layer, cls: string): Pick<DecomposedConvArgs, 'strides' | 'padding' | 'dilationRate' | 'activation' | 'useBias'> {
  const cfg = layer.getConfig() as Record<string, unknown>;
  if (cfg.dataFormat === 'channelsFirst') throw new NotSupportedError(`${cls} runs NHWC (channelsLast); layer '${layer.name}' is channelsFirst`);
  if (cfg.padding !== 'same' && cfg.padding !== 'valid') throw new NotSupportedError(`${cls}: padding must be 'same' or 'valid'; layer '${layer.name}' has ${describe(cfg.padding)}`);
  return {
    strides: cfg.strides as [number, number],
    padding: cfg.padding,
    dilationRate: cfg.dilationRate as [number, number],
    activation: typeof cfg.activation === 'string' ? cfg.activation : 'linear',
    useBias: layer.getWeights().length > 1,
  };
}

/** A tfjs Conv2D layer, or a kernel. @throws ArgumentError */
export function checkConvSource(src: unknown, cls: string): src is tf.layers.Layer {
  if (src instanceof tf.layers.Layer) {
    if (src.getClassName() !== 'Conv2D') throw new ArgumentError(`${cls}.fromConv: layerOrKernel must be a tfjs Conv2D layer or a kernel tensor; got a ${src.getClassName()} layer`);
    if (!src.built) throw new ArgumentError(`${cls}.fromConv: the Conv2D layer must be built (its kernel must exist)`);
    return true;
  }
  return false;
}

/** The options of a decomposed conv's `fromConv` besides its rank and decomposition options. */
export interface DecomposedFromConvOptions {
  /** Layout of a kernel tensor (default 'tfjs'); ignored for a layer. */
  layout?: KernelLayout;
  /** For a kernel tensor: its bias, strides, padding, dilation, activation. */
  bias?: TensorLike | null;
  strides?: number | [number, number];
  padding?: 'same' | 'valid';
  dilationRate?: number | [number, number];
  activation?: string;
  name?: string;
  batchInputShape?: (number | null)[];
}

/** The keys of {@link DecomposedFromConvOptions}. */
export const FROM_CONV_KEYS = optionKeys<DecomposedFromConvOptions>()('layout', 'bias', 'strides', 'padding', 'dilationRate', 'activation', 'name', 'batchInputShape');

/**
 * The geometry of a `fromConv` source: a Conv2D layer's own, or for a kernel the one the
 * options give. @throws ArgumentError, NotSupportedError naming the argument
 */
export function fromConvGeometry(
  layerOrKernel: unknown,
  o: DecomposedFromConvOptions,
  cls: string,
): { isLayer: boolean; geo: Pick<DecomposedConvArgs, 'strides' | 'padding' | 'dilationRate' | 'activation' | 'useBias'> } {
  const isLayer = checkConvSource(layerOrKernel, cls);
  const geo = isLayer ? convLayerGeometry(layerOrKernel as tf.layers.Layer, cls) : { strides: o.strides, padding: o.padding, dilationRate: o.dilationRate, activation: o.activation, useBias: o.bias != null };
  return { isLayer, geo };
}

/** The shared part of the two decomposed-conv layers. */
export abstract class DecomposedConvBase extends tf.layers.Layer {
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  readonly activationName: string;
  protected readonly act: tf.layers.Layer;
  /** @internal Values given by `fromConv`, written by `build`. */
  protected pending: tf.Tensor[] | null = null;
  protected vars: tf.LayerVariable[] = [];

  constructor(args: DecomposedConvArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = pair(args.kernelSize, 'kernelSize', 1);
    this.strides = pair(args.strides, 'strides', 1);
    this.dilationRate = pair(args.dilationRate, 'dilationRate', 1);
    this.padding = args.padding ?? 'valid';
    this.useBias = args.useBias ?? true;
    this.activationName = args.activation ?? 'linear';
    this.act = tf.layers.activation({ activation: this.activationName as never });
  }

  /** Shapes and names of the weights for `inChannels` input channels, bias last. */
  protected abstract weightSpecs(inChannels: number): [string, number[]][];

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (shape.length !== 4 || typeof c !== 'number') throw new ArgumentError(`${this.getClassName()} needs NHWC inputs with known channels; got input shape ${describe(shape)}`);
    const specs = this.weightSpecs(c);
    const glorot = tf.initializers.glorotUniform({});
    const zeros = tf.initializers.zeros();
    this.vars = specs.map(([n, sh]) => this.addWeight(n, sh, 'float32', n === 'bias' ? zeros : glorot));
    const init = this.pending;
    this.pending = null;
    if (init) {
      this.vars.forEach((v, k) => v.write(init[k]));
      tf.dispose(init);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = [1, 2].map((d, i) => {
      const n = s[d];
      if (n === null) return null;
      const span = (this.kernelSize[i] - 1) * this.dilationRate[i] + 1;
      return this.padding === 'same' ? Math.ceil(n / this.strides[i]) : Math.floor((n - span) / this.strides[i]) + 1;
    });
    return [s[0], out[0], out[1], this.filters];
  }

  /** Add the bias and apply the activation. */
  protected finish(y: tf.Tensor): tf.Tensor {
    const z = this.useBias ? tf.add(y, this.vars[this.vars.length - 1].read()) : y;
    return this.act.apply(z) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      useBias: this.useBias,
      activation: this.activationName,
    };
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const pending = this.pending;
    this.pending = null;
    return disposeLayer(pending, this.built, () => super.dispose());
  }
}
