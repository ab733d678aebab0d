/**
 * What {@link CpConv2D} and {@link Tucker2Conv2D} share: the geometry of the Conv2D they stand
 * for (filters, kernel, strides, padding, dilation; NHWC), bias, activation, config checks and
 * the pending weights a `fromConv` hands to `build`.
 */
import { ArgumentError, NotSupportedError, checkIntOption, checkOptions, describe, tf } from '@tenfold/core';
import { LAYER_KEYS, checkActivationName } from './layerArgs.js';

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

const CONV_KEYS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'useBias', 'activation'];

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
export function checkConvArgs<T extends DecomposedConvArgs>(args: T, cls: string, own: string[]): T {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`${cls} args must be an object; got ${describe(args)}`);
  checkOptions(args, [...CONV_KEYS, ...own, ...LAYER_KEYS], cls, 'args');
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
    if (this.pending) {
      tf.dispose(this.pending);
      this.pending = null;
    }
    if (!this.built) return { refCountAfterDispose: 0, numDisposedVariables: 0 };
    return super.dispose();
  }
}
