/**
 * `CpConv2D`: a Conv2D whose kernel is a CP tensor, run as the 4-conv sequence of Lebedev,
 * Ganin, Rakhuba, Oseledets & Lempitsky, "Speeding-up Convolutional Neural Networks Using
 * Fine-tuned CP-Decomposition", ICLR 2015 (jacobgil's `cp_decomposition_conv_layer`), as ONE
 * tfjs layer, NHWC. Registered with `tf.serialization.registerClass`.
 */
import { ArgumentError, checkIntOption, checkOptions, describe, tf, type TensorLike } from '@tenfold/core';
import { cpConv2d, type CpConv2dOptions } from '../conv/decompositions.js';
import { depthwiseKernelToTfjs, kernelToTfjs } from '../conv/layout.js';
import { disposeConvSpecs, type ConvSpec } from '../conv/sequence.js';
import { LAYER_KEYS, type TfjsLayerKeys } from './layerArgs.js';
import { checkConvArgs, CONV_KEYS, DecomposedConvBase, FROM_CONV_KEYS, fromConvGeometry, type DecomposedConvArgs, type DecomposedFromConvOptions } from './decomposedConvBase.js';
import { optionKeys } from '../internal/checks.js';

export interface CpConv2DArgs extends DecomposedConvArgs {
  /** CP rank R. */
  rank: number;
}

/** Options of {@link CpConv2D.fromConv}. */
export interface CpFromConvOptions extends DecomposedFromConvOptions {
  /** CP rank, or 'evbmf' (cpConv2d's rule). */
  rank: number | 'evbmf';
  parafacOptions?: CpConv2dOptions['parafacOptions'];
  roundTo?: number;
}

const CP_CONV2D_ARGS = optionKeys<CpConv2DArgs & TfjsLayerKeys>()(...CONV_KEYS, 'rank', ...LAYER_KEYS);
const CP_FROM_CONV_OPTIONS = optionKeys<CpFromConvOptions>()('rank', ...FROM_CONV_KEYS, 'parafacOptions', 'roundTo');

export class CpConv2D extends DecomposedConvBase {
  static className = 'CpConv2D';
  readonly rank: number;

  constructor(args: CpConv2DArgs) {
    super(checkConvArgs(args, 'CpConv2D', CP_CONV2D_ARGS));
    this.rank = checkIntOption(args.rank, 'rank', 1);
  }

  protected weightSpecs(c: number): [string, number[]][] {
    const [kh, kw] = this.kernelSize;
    const r = this.rank;
    const w: [string, number[]][] = [['pointwise_in', [1, 1, c, r]], ['vertical', [kh, 1, r, 1]], ['horizontal', [1, kw, r, 1]], ['pointwise_out', [1, 1, r, this.filters]]];
    return this.useBias ? [...w, ['bias', [this.filters]]] : w;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [pin, v, h, pout] = this.vars.map((t) => t.read()) as tf.Tensor4D[];
      const [s0, s1] = this.strides;
      const [d0, d1] = this.dilationRate;
      // TF's 'same' per dimension: a (kh, 1) kernel pads only the height, a (1, kw) one the width.
      let y = tf.conv2d(x, pin, 1, 'valid');
      y = tf.depthwiseConv2d(y, v, [s0, 1], this.padding, 'NHWC', [d0, 1]);
      y = tf.depthwiseConv2d(y, h, [1, s1], this.padding, 'NHWC', [1, d1]);
      y = tf.conv2d(y, pout, 1, 'valid');
      return this.finish(y);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rank: this.rank };
  }

  /** The dense tfjs kernel `(kh, kw, in, out)` this layer applies (see {@link CpConv2D.kernelFromWeights}). */
  effectiveKernel(): tf.Tensor4D {
    if (!this.built) throw new ArgumentError('CpConv2D.effectiveKernel: the layer is not built');
    return tf.tidy(() => CpConv2D.kernelFromWeights(this.vars.map((t) => t.read())));
  }

  /**
   * The dense tfjs kernel of CP weights `[P_in (1,1,S,R), V (kh,1,R,1), H (1,kw,R,1), P_out (1,1,R,T)]`:
   * `K[i, j, s, t] = Σ_r P_in[s, r] V[i, r] H[j, r] P_out[r, t]`.
   */
  static kernelFromWeights(weights: readonly tf.Tensor[]): tf.Tensor4D {
    return tf.tidy(() => {
      const [pin, v, h, pout] = weights;
      const [c, r] = [pin.shape[2] as number, pin.shape[3] as number];
      const [kh, kw, t] = [v.shape[0] as number, h.shape[1] as number, pout.shape[3] as number];
      const vh = tf.mul(tf.reshape(v, [kh, 1, r]), tf.reshape(h, [1, kw, r])).reshape([kh * kw, r]);
      const st = tf.mul(tf.reshape(tf.transpose(tf.reshape(pin, [c, r])), [r, c, 1]), tf.reshape(pout, [r, 1, t])).reshape([r, c * t]);
      return tf.reshape(tf.matMul(vh, st), [kh, kw, c, t]) as tf.Tensor4D;
    });
  }

  /** The layer's weights (tfjs layout, bias last when `useBias`) from cpConv2d's four specs. */
  static weightsFromSpecs(specs: readonly ConvSpec[], useBias: boolean): tf.Tensor[] {
    return tf.tidy(() => {
      const r = specs[0].weight.shape[0];
      const w = [kernelToTfjs(specs[0].weight), depthwiseKernelToTfjs(specs[1].weight, r), depthwiseKernelToTfjs(specs[2].weight, r), kernelToTfjs(specs[3].weight)];
      if (useBias) w.push(specs[3].bias ? tf.clone(specs[3].bias) : tf.zeros([specs[3].weight.shape[0]]));
      return w;
    });
  }

  /**
   * A CpConv2D equal (up to the CP error) to a tfjs Conv2D layer, or to a kernel (tfjs layout
   * by default; `layout: 'torch'` for `(out, in, kh, kw)`), through {@link cpConv2d}.
   * @throws ArgumentError, RankError, ShapeError, NotSupportedError naming the argument
   */
  static fromConv(layerOrKernel: tf.layers.Layer | TensorLike, opts: CpFromConvOptions): CpConv2D {
    const o = checkOptions(opts, CP_FROM_CONV_OPTIONS, 'CpConv2D.fromConv', 'opts');
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`CpConv2D.fromConv: opts must be { rank, ... }; got ${describe(opts)}`);
    const { isLayer, geo } = fromConvGeometry(layerOrKernel, o, 'CpConv2D');
    // Geometry plays no part in the weights: 'valid' spares cpConv2d the input size.
    const specs = cpConv2d(layerOrKernel as never, o.rank, {
      padding: 'valid',
      ...(isLayer ? {} : { layout: o.layout ?? 'tfjs', bias: o.bias ?? null }),
      parafacOptions: o.parafacOptions,
      roundTo: o.roundTo,
    });
    try {
      const [kh, kw] = [specs[1].weight.shape[2], specs[2].weight.shape[3]];
      const layer = new CpConv2D({ filters: specs[3].weight.shape[0], kernelSize: [kh, kw], rank: specs[0].weight.shape[0], ...geo, name: o.name, batchInputShape: o.batchInputShape });
      layer.pending = CpConv2D.weightsFromSpecs(specs, layer.useBias);
      return layer;
    } finally {
      disposeConvSpecs(specs);
    }
  }
}

tf.serialization.registerClass(CpConv2D);
