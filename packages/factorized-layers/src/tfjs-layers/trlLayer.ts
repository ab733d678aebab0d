/**
 * `TRLLayer` (serialized as 'TRL'): a tfjs-layers tensor regression layer. For an input
 * (batch, s_1..s_N) and `units` (o_1..o_M), y = <x, W> + b with W (s..., o...) a CP, Tucker,
 * TT or dense factorized tensor (the same parameters and reconstruction as `TRL`,
 * `../regression/trl.ts`; tltorch's init: W entries of std 1, bias U(-1, 1)). The input shape
 * is taken from the first input at build time. Tensor hooks attach to `FactorizedTensor`s,
 * not to this layer's weights (use `TRL` for dropout / lasso).
 */
import { ArgumentError, ShapeError, checkOptions, createRng, describe, tf, uniformTensor } from '@tenfold/core';
import { checkSeed, optionKeys } from '../internal/checks.js';
import { resolveFactorizedRank, type FactorizedRankSpec, type TensorFactorization } from '../factorized/index.js';
import { type FactorizedRank, factorizedParamList, factorizedParamShapes, factorizedParamsFromList, factorizedToTensor, parseTensorFactorization } from '../factorized/params.js';
import { normalFactorizedParams } from '../factorized/init.js';
import { checkRankSpec } from '../internal/paramChecks.js';
import { checkModeSizes } from '../regression/tcl.js';
import { LAYER_KEYS, type TensorLayerArgs, type TfjsLayerKeys } from './layerArgs.js';

export interface TRLLayerArgs extends TensorLayerArgs {
  /** Output shape without the batch mode (o_1..o_M); a number means (o). */
  units: number | number[];
  /** 'cp' (default), 'tucker', 'tt', 'dense'. */
  factorization?: TensorFactorization | string;
  /** Default 'same'; after build, getConfig stores the resolved rank. */
  rank?: FactorizedRankSpec;
  /** Default true (tfjs' convention; tltorch's TRL defaults to false). */
  useBias?: boolean;
}

const KEYS = optionKeys<TRLLayerArgs & TfjsLayerKeys>()('units', 'factorization', 'rank', 'useBias', 'seed', ...LAYER_KEYS);

function checkArgs(args: TRLLayerArgs): TRLLayerArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`TRLLayer args must be an object; got ${describe(args)}`);
  checkOptions(args, KEYS, 'TRLLayer', 'args');
  checkModeSizes(args.units, 'units');
  if (args.rank != null) checkRankSpec(args.rank);
  if (args.useBias !== undefined && typeof args.useBias !== 'boolean') throw new ArgumentError(`useBias must be a boolean; got ${describe(args.useBias)}`);
  checkSeed(args.seed);
  return args;
}

export class TRLLayer extends tf.layers.Layer {
  static className = 'TRL';
  readonly units: number[];
  readonly factorization: TensorFactorization;
  readonly useBias: boolean;
  private readonly seed?: number;
  private readonly rankSpec: FactorizedRankSpec;
  private resolvedRank: FactorizedRank = null;
  private inShape: number[] = [];
  private paramVars: tf.LayerVariable[] = [];
  private biasVar: tf.LayerVariable | null = null;

  /** @throws ArgumentError, ShapeError, RankError */
  constructor(args: TRLLayerArgs) {
    super(checkArgs(args));
    this.units = checkModeSizes(args.units, 'units');
    this.factorization = parseTensorFactorization(args.factorization ?? 'cp');
    this.useBias = args.useBias ?? true;
    this.rankSpec = args.rank ?? 'same';
    this.seed = args.seed;
  }

  get rank(): FactorizedRank {
    return this.resolvedRank;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const s = shape.slice(1);
    if (s.length === 0 || s.some((d) => typeof d !== 'number' || d < 1)) throw new ShapeError(`TRLLayer needs a known input shape (batch, s_1..s_N); got ${describe(shape)}`);
    this.inShape = s as number[];
    const wShape = [...this.inShape, ...this.units];
    this.resolvedRank = resolveFactorizedRank(wShape, this.rankSpec, this.factorization);
    const shapes = factorizedParamShapes(this.factorization, wShape, this.resolvedRank);
    const zeros = tf.initializers.zeros();
    this.paramVars = shapes.map((sh, k) => this.addWeight(`${this.factorization}_param_${k}`, sh, 'float32', zeros));
    this.biasVar = this.useBias ? this.addWeight('bias', this.units, 'float32', zeros) : null;
    // tltorch init_from_random: weight.normal_() (std 1), bias U(-1, 1).
    const init = factorizedParamList(normalFactorizedParams(this.factorization, wShape, this.resolvedRank, 0, 1, this.seed));
    this.paramVars.forEach((v, k) => v.write(init[k]));
    tf.dispose(init);
    if (this.biasVar) {
      const b = tf.tidy(() => tf.sub(tf.mul(uniformTensor(this.units, createRng(this.seed === undefined ? undefined : this.seed + 1)), 2), 1));
      this.biasVar.write(b);
      b.dispose();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], ...this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== this.inShape.length + 1 || this.inShape.some((d, k) => x.shape[k + 1] !== d)) {
        throw new ShapeError(`TRL input must have shape (batch, ${this.inShape.join(', ')}); got ${describe(x.shape)}`);
      }
      const nIn = this.inShape.reduce((a, b) => a * b, 1);
      const nOut = this.units.reduce((a, b) => a * b, 1);
      const p = factorizedParamsFromList(this.factorization, this.paramVars.map((v) => v.read()));
      const w = factorizedToTensor(p).reshape([nIn, nOut]);
      let y = tf.matMul(x.reshape([x.shape[0], nIn]), w).reshape([x.shape[0], ...this.units]);
      if (this.biasVar) y = tf.add(y, this.biasVar.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      units: [...this.units],
      factorization: this.factorization,
      rank: (this.resolvedRank ?? this.rankSpec) as tf.serialization.ConfigDictValue,
      useBias: this.useBias,
    };
    if (this.seed !== undefined) cfg.seed = this.seed;
    return cfg;
  }
}

tf.serialization.registerClass(TRLLayer);
