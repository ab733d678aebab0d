/**
 * `Tucker2Conv2D`: a Conv2D whose kernel is a Tucker-2 tensor (channel modes only), run as the
 * 3-conv sequence of Kim, Park, Yoo, Choi, Yang & Shin, "Compression of Deep Convolutional
 * Neural Networks for Fast and Low Power Mobile Applications", ICLR 2016 (jacobgil's
 * `tucker_decomposition_conv_layer`), as ONE tfjs layer, NHWC. Registered with
 * `tf.serialization.registerClass`.
 */
import { ArgumentError, RankError, checkOptions, describe, tf, type TensorLike } from '@tenfold/core';
import { tucker2Conv2d, type Tucker2Conv2dOptions } from '../conv/decompositions.js';
import { kernelToTfjs } from '../conv/layout.js';
import { disposeConvSpecs, type ConvSpec } from '../conv/sequence.js';
import { LAYER_KEYS, type TfjsLayerKeys } from './layerArgs.js';
import { checkConvArgs, CONV_KEYS, DecomposedConvBase, FROM_CONV_KEYS, fromConvGeometry, type DecomposedConvArgs, type DecomposedFromConvOptions } from './decomposedConvBase.js';
import { optionKeys } from '../internal/checks.js';

export interface Tucker2Conv2DArgs extends DecomposedConvArgs {
  /** `[rOut, rIn]`. */
  ranks: [number, number];
}

/** Options of {@link Tucker2Conv2D.fromConv}. */
export interface Tucker2FromConvOptions extends DecomposedFromConvOptions {
  /** `[rOut, rIn]`, or 'evbmf' (tucker2Conv2d's rule). */
  ranks: [number, number] | 'evbmf';
  tuckerOptions?: Tucker2Conv2dOptions['tuckerOptions'];
}

const TUCKER2_CONV2D_ARGS = optionKeys<Tucker2Conv2DArgs & TfjsLayerKeys>()(...CONV_KEYS, 'ranks', ...LAYER_KEYS);
const TUCKER2_FROM_CONV_OPTIONS = optionKeys<Tucker2FromConvOptions>()('ranks', ...FROM_CONV_KEYS, 'tuckerOptions');

export class Tucker2Conv2D extends DecomposedConvBase {
  static className = 'Tucker2Conv2D';
  readonly ranks: [number, number];

  constructor(args: Tucker2Conv2DArgs) {
    super(checkConvArgs(args, 'Tucker2Conv2D', TUCKER2_CONV2D_ARGS));
    const r = args.ranks;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => Number.isInteger(v) && v >= 1)) {
      throw new RankError(`ranks must be [rOut, rIn] of positive integers; got ${describe(r)}`);
    }
    this.ranks = [r[0], r[1]];
  }

  protected weightSpecs(c: number): [string, number[]][] {
    const [kh, kw] = this.kernelSize;
    const [ro, ri] = this.ranks;
    const w: [string, number[]][] = [['pointwise_in', [1, 1, c, ri]], ['core', [kh, kw, ri, ro]], ['pointwise_out', [1, 1, ro, this.filters]]];
    return this.useBias ? [...w, ['bias', [this.filters]]] : w;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [pin, core, pout] = this.vars.map((t) => t.read()) as tf.Tensor4D[];
      let y = tf.conv2d(x, pin, 1, 'valid');
      y = tf.conv2d(y, core, this.strides, this.padding, 'NHWC', this.dilationRate);
      y = tf.conv2d(y, pout, 1, 'valid');
      return this.finish(y);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ranks: [...this.ranks] };
  }

  /** The dense tfjs kernel `(kh, kw, in, out)` this layer applies (see {@link Tucker2Conv2D.kernelFromWeights}). */
  effectiveKernel(): tf.Tensor4D {
    if (!this.built) throw new ArgumentError('Tucker2Conv2D.effectiveKernel: the layer is not built');
    return tf.tidy(() => Tucker2Conv2D.kernelFromWeights(this.vars.map((t) => t.read())));
  }

  /**
   * The dense tfjs kernel of Tucker-2 weights `[P_in (1,1,S,Ri), G (kh,kw,Ri,Ro), P_out (1,1,Ro,T)]`:
   * `K[i, j, s, t] = Σ_{a, b} P_in[s, a] G[i, j, a, b] P_out[b, t]`.
   */
  static kernelFromWeights(weights: readonly tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const [pin, core, pout] = weights;
      const [kh, kw, ri, ro] = core.shape as number[];
      const c = pin.shape[2] as number;
      const t = pout.shape[3] as number;
      const kk = kh * kw;
      const t1 = tf.matMul(tf.reshape(core, [kk * ri, ro]), tf.reshape(pout, [ro, t])).reshape([kk, ri, t]);
      const t2 = tf.reshape(tf.transpose(t1, [1, 0, 2]), [ri, kk * t]);
      const k = tf.matMul(tf.reshape(pin, [c, ri]), t2).reshape([c, kk, t]);
      return tf.reshape(tf.transpose(k, [1, 0, 2]), [kh, kw, c, t]) as tf.Tensor4D;
    });
  }

  /** The layer's weights (tfjs layout, bias last when `useBias`) from tucker2Conv2d's three specs. */
  static weightsFromSpecs(specs: readonly ConvSpec[], useBias: boolean): tf.Tensor[] {
    return tf.tidy(() => {
      const w = specs.map((s) => kernelToTfjs(s.weight));
      if (useBias) w.push(specs[2].bias ? tf.clone(specs[2].bias) : tf.zeros([specs[2].weight.shape[0]]));
      return w;
    });
  }

  /**
   * A Tucker2Conv2D equal (up to the Tucker error) to a tfjs Conv2D layer, or to a kernel
   * (tfjs layout by default), through {@link tucker2Conv2d}.
   * @throws ArgumentError, RankError, ShapeError, NotSupportedError naming the argument
   */
  static fromConv(layerOrKernel: tf.layers.Layer | TensorLike, opts: Tucker2FromConvOptions): Tucker2Conv2D {
    const o = checkOptions(opts, TUCKER2_FROM_CONV_OPTIONS, 'Tucker2Conv2D.fromConv', 'opts');
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`Tucker2Conv2D.fromConv: opts must be { ranks, ... }; got ${describe(opts)}`);
    const { isLayer, geo } = fromConvGeometry(layerOrKernel, o, 'Tucker2Conv2D');
    const specs = tucker2Conv2d(layerOrKernel as never, o.ranks, {
      padding: 'valid',
      ...(isLayer ? {} : { layout: o.layout ?? 'tfjs', bias: o.bias ?? null }),
      tuckerOptions: o.tuckerOptions,
    });
    try {
      const core = specs[1].weight;
      const layer = new Tucker2Conv2D({
        filters: specs[2].weight.shape[0],
        kernelSize: [core.shape[2], core.shape[3]],
        ranks: [core.shape[0], core.shape[1]],
        ...geo,
        name: o.name,
        batchInputShape: o.batchInputShape,
      });
      layer.pending = Tucker2Conv2D.weightsFromSpecs(specs, layer.useBias);
      return layer;
    } finally {
      disposeConvSpecs(specs);
    }
  }
}

tf.serialization.registerClass(Tucker2Conv2D);
