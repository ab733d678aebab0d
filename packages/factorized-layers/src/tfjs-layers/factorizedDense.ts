/**
 * `FactorizedDense`: a tfjs-layers `Dense` whose kernel is a tensorized, factorized weight
 * (CP, Tucker, block-TT or dense), run by the same contraction plans as `FactorizedLinear`.
 * Registered with `tf.serialization.registerClass`, so models that contain it can be saved
 * and loaded with any tfjs IOHandler.
 *
 * Layout: tfjs's Dense kernel is (in, out); Tenfold (like PyTorch and tltorch) stores the
 * weight as (out, in). `fromDense` transposes at this boundary, and nowhere else.
 */
import { ArgumentError, ShapeError, checkIntOption, checkOptions, createRng, describe, tf, uniformTensor } from '@tenfold/core';
import { checkRankSpec } from '../internal/paramChecks.js';
import { checkSeed, optionKeys } from '../internal/checks.js';
import { getTensorizedShape, parseTensorizedShape, prod, type TensorizedRank } from '../tensorized/shape.js';
import { type FactorParams, type Factorization, type ResolvedRank, paramList, paramShapes, paramsFromList } from '../tensorized/params.js';
import { checkParamAllocation, resolveTensorizedRank } from '../tensorized/rank.js';
import { normalParams } from '../tensorized/init.js';
import { parseFactorization } from '../tensorized/params.js';
import type { DecompositionOptions } from '../tensorized/decompose.js';
import { FactorizedLinear, type LinearImplementation } from '../linear/factorizedLinear.js';
import type { ContractionPlan, Implementation } from '../linear/contractionPlan.js';
import { planLinear } from '../linear/plan.js';
import { runPlan } from '../linear/runPlan.js';
import { LAYER_KEYS, type TfjsLayerKeys, checkActivationName, pendingTensors, writePendingWeights, type PendingWeights, disposeLayer } from './layerArgs.js';

export interface FactorizedDenseArgs {
  /** Output features. */
  units: number;
  /** Tensorization of the input features (default: getTensorizedShape at build time). */
  inTensorizedFeatures?: number[];
  /** Tensorization of the output features (default: getTensorizedShape at build time). */
  outTensorizedFeatures?: number[];
  /** Order of the automatic tensorization (default 3). */
  nTensorizedModes?: number;
  factorization?: Factorization | string;
  /** Rank; after build, `getConfig` stores the resolved rank so a loaded model has the same shapes. */
  rank?: TensorizedRank;
  implementation?: LinearImplementation;
  useBias?: boolean;
  /** A tfjs activation name ('linear', 'relu', ...). */
  activation?: string;
  /** Seed of the initialisation. */
  seed?: number;
  name?: string;
  inputShape?: number[];
  batchInputShape?: number[];
  trainable?: boolean;
}

const FROM_DENSE_OPTIONS = optionKeys<NonNullable<Parameters<typeof FactorizedDense.fromDense>[1]>>()('rank', 'factorization', 'implementation', 'nTensorizedModes', 'inTensorizedFeatures', 'outTensorizedFeatures', 'decomposition', 'name');

export class FactorizedDense extends tf.layers.Layer {
  static className = 'FactorizedDense';
  readonly units: number;
  readonly factorization: Factorization;
  readonly implementation: LinearImplementation;
  readonly useBias: boolean;
  readonly activationName: string;
  readonly nTensorizedModes: number;
  private readonly seed?: number;
  private rankSpec: TensorizedRank;
  private resolvedRank: ResolvedRank = null;
  private inT?: number[];
  private outT?: number[];
  private paramVars: tf.LayerVariable[] = [];
  private biasVar: tf.LayerVariable | null = null;
  private readonly act: tf.layers.Layer;
  private plans = new Map<string, ContractionPlan>();
  /** @internal Values given by `fromDense`, consumed by `build`. */
  private pending: PendingWeights | null = null;

  constructor(args: FactorizedDenseArgs) {
    super(checkDenseArgs(args));
    this.units = args.units;
    this.factorization = parseFactorization(args.factorization ?? 'cp');
    const impl = args.implementation ?? 'auto';
    if (impl !== 'factorized' && impl !== 'reconstructed' && impl !== 'auto') {
      throw new ArgumentError(`implementation must be 'factorized', 'reconstructed' or 'auto'; got ${describe(impl)}`);
    }
    this.implementation = impl;
    this.useBias = args.useBias ?? true;
    this.activationName = args.activation ?? 'linear';
    this.act = tf.layers.activation({ activation: this.activationName as never });
    this.nTensorizedModes = args.nTensorizedModes ?? 3;
    this.seed = args.seed;
    this.rankSpec = args.rank ?? 'same';
    for (const [k, v] of [['inTensorizedFeatures', args.inTensorizedFeatures], ['outTensorizedFeatures', args.outTensorizedFeatures]] as const) {
      if (v !== undefined && (!Array.isArray(v) || v.length === 0 || !v.every((d) => Number.isInteger(d) && d >= 1))) {
        throw new ShapeError(`${k} must be a non-empty list of positive integers; got ${describe(v)}`);
      }
    }
    if (args.outTensorizedFeatures && prod(args.outTensorizedFeatures) !== this.units) {
      throw new ShapeError(`outTensorizedFeatures ${describe(args.outTensorizedFeatures)} multiply to ${prod(args.outTensorizedFeatures)}; units is ${this.units}`);
    }
    this.inT = args.inTensorizedFeatures ? [...args.inTensorizedFeatures] : undefined;
    this.outT = args.outTensorizedFeatures ? [...args.outTensorizedFeatures] : undefined;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inF = shape[shape.length - 1];
    if (typeof inF !== 'number' || inF < 1) throw new ShapeError(`FactorizedDense needs a known last input dimension; got input shape ${describe(shape)}`);
    if (!this.inT || !this.outT) {
      const [a, b] = getTensorizedShape(inF, this.units, { order: this.nTensorizedModes, minDim: 2 });
      this.inT = this.inT ?? a;
      this.outT = this.outT ?? b;
    }
    if (prod(this.inT) !== inF) throw new ShapeError(`inTensorizedFeatures ${describe(this.inT)} multiply to ${prod(this.inT)}; the input has ${inF} features`);
    const ts = [this.outT, this.inT];
    const parts = parseTensorizedShape(ts);
    this.resolvedRank = resolveTensorizedRank(this.factorization, ts, this.rankSpec);
    checkParamAllocation(this.factorization, parts, this.resolvedRank); // before any weight is added
    const shapes = paramShapes(this.factorization, parts, this.resolvedRank);
    const names = paramNames(this.factorization, shapes.length);
    const zeros = tf.initializers.zeros();
    this.paramVars = shapes.map((sh, k) => this.addWeight(names[k], sh, 'float32', zeros));
    this.biasVar = this.useBias ? this.addWeight('bias', [this.units], 'float32', zeros) : null;
    let init = this.pending;
    this.pending = null;
    if (!init) {
      // As FactorizedLinear: weight ~ normal to std sqrt(5)/sqrt(in), bias U(+-1/sqrt(in)).
      const p = normalParams(this.factorization, parts, this.resolvedRank, Math.sqrt(5) / Math.sqrt(inF), this.seed);
      const bound = 1 / Math.sqrt(inF);
      const bias = this.useBias
        ? tf.tidy(() => tf.sub(tf.mul(uniformTensor([this.units], createRng(this.seed === undefined ? undefined : this.seed + 1)), 2 * bound), bound))
        : null;
      init = { params: paramList(p), bias };
    }
    writePendingWeights(this.paramVars, this.biasVar, init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const inF = prod(this.inT as number[]);
      if (x.shape[x.rank - 1] !== inF) throw new ShapeError(`FactorizedDense input must have last dimension ${inF}; got shape ${describe(x.shape)}`);
      const lead = x.shape.slice(0, -1);
      const B = prod(lead);
      const params: FactorParams = paramsFromList(this.factorization, this.paramVars.map((v) => v.read()));
      const plan = this.plan(B);
      let y = runPlan(plan, params, x.reshape([B, inF]));
      if (this.biasVar) y = tf.add(y, this.biasVar.read());
      y = y.reshape([...lead, this.units]);
      return this.act.apply(y) as tf.Tensor;
    });
  }

  /** The contraction plan for a batch of B rows ('auto' picks the cheaper by the FLOP model). */
  plan(batchSize: number): ContractionPlan {
    let impl: Implementation;
    if (this.implementation === 'auto') {
      const f = this.planFor(batchSize, 'factorized');
      const r = this.planFor(batchSize, 'reconstructed');
      impl = f.flops.total <= r.flops.total ? 'factorized' : 'reconstructed';
    } else impl = this.implementation;
    return this.planFor(batchSize, impl);
  }

  private planFor(batchSize: number, impl: Implementation): ContractionPlan {
    const key = `${impl}:${batchSize}`;
    let p = this.plans.get(key);
    if (!p) {
      p = planLinear({ factorization: this.factorization, out: this.outT as number[], in: this.inT as number[], rank: this.resolvedRank }, batchSize, impl);
      this.plans.set(key, p);
    }
    return p;
  }

  /** The resolved rank (after build). */
  get rank(): ResolvedRank {
    return this.resolvedRank;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      units: this.units,
      factorization: this.factorization,
      rank: (this.resolvedRank ?? this.rankSpec) as tf.serialization.ConfigDictValue,
      implementation: this.implementation,
      useBias: this.useBias,
      activation: this.activationName,
      nTensorizedModes: this.nTensorizedModes,
    };
    if (this.inT) cfg.inTensorizedFeatures = [...this.inT];
    if (this.outT) cfg.outTensorizedFeatures = [...this.outT];
    if (this.seed !== undefined) cfg.seed = this.seed;
    return cfg;
  }

  /**
   * Convert a built tfjs `Dense` layer: its kernel (in, out) is transposed to the weight
   * (out, in), decomposed as `FactorizedLinear.fromLinear` does (tltorch `from_linear`), and
   * the bias and activation are kept. `opts` are those of `fromLinear`; implementation
   * defaults to 'auto'.
   */
  static fromDense(
    dense: tf.layers.Layer,
    opts: {
      rank?: TensorizedRank | 'evbmf';
      factorization?: Factorization | string;
      implementation?: LinearImplementation;
      nTensorizedModes?: number;
      inTensorizedFeatures?: number[];
      outTensorizedFeatures?: number[];
      decomposition?: DecompositionOptions;
      name?: string;
    } | null = {},
  ): FactorizedDense {
    opts = checkOptions(opts, FROM_DENSE_OPTIONS, 'FactorizedDense.fromDense', 'opts');
    if (!(dense instanceof tf.layers.Layer) || dense.getClassName() !== 'Dense') {
      throw new ArgumentError(`dense must be a tfjs Dense layer; got ${dense instanceof tf.layers.Layer ? `a ${dense.getClassName()} layer` : describe(dense)}`);
    }
    if (!dense.built) throw new ArgumentError('dense must be built (apply it to an input or add it to a model first) so that its kernel exists');
    const [kernel, bias] = dense.getWeights();
    if (!kernel || kernel.rank !== 2) throw new ShapeError(`dense kernel must be 2-D (in, out); got ${describe(kernel?.shape)}`);
    const cfg = dense.getConfig();
    const weight = tf.transpose(kernel); // (in, out) -> (out, in), the one layout conversion
    let lin: FactorizedLinear;
    try {
      lin = FactorizedLinear.fromLinear(
        { weight, bias: bias ?? null },
        {
          rank: opts.rank,
          factorization: opts.factorization,
          nTensorizedModes: opts.nTensorizedModes,
          inTensorizedFeatures: opts.inTensorizedFeatures,
          outTensorizedFeatures: opts.outTensorizedFeatures,
          decomposition: opts.decomposition,
          bias: bias !== undefined,
        },
      );
    } finally {
      weight.dispose();
    }
    try {
      const layer = new FactorizedDense({
        units: lin.outFeatures,
        inTensorizedFeatures: lin.inTensorizedFeatures,
        outTensorizedFeatures: lin.outTensorizedFeatures,
        factorization: lin.factorization,
        rank: lin.rank as TensorizedRank,
        implementation: opts.implementation ?? 'auto',
        useBias: bias !== undefined,
        activation: typeof cfg.activation === 'string' ? cfg.activation : 'linear',
        name: opts.name,
      });
      layer.pending = {
        params: tf.tidy(() => lin.weight.variables.map((v) => tf.clone(v))),
        bias: lin.bias ? tf.clone(lin.bias) : null,
      };
      return layer;
    } finally {
      lin.dispose();
    }
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const pending = this.pending;
    this.pending = null;
    return disposeLayer(pending && pendingTensors(pending), this.built, () => super.dispose());
  }
}

/** Keys a FactorizedDense takes: its own, tfjs' LayerArgs and what tfjs' fromConfig adds. */
const DENSE_KEYS = optionKeys<FactorizedDenseArgs & TfjsLayerKeys>()(
  'units', 'inTensorizedFeatures', 'outTensorizedFeatures', 'nTensorizedModes', 'factorization', 'rank', 'implementation', 'useBias', 'activation', 'seed',
  ...LAYER_KEYS,
);

/**
 * Check the constructor's args before tfjs' Layer reads them (it would throw a TypeError on
 * null): an object with known keys, units, rank spec, activation, seed and mode count.
 * @throws ArgumentError, RankError naming the argument
 */
function checkDenseArgs(args: FactorizedDenseArgs): FactorizedDenseArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`FactorizedDense args must be an object; got ${describe(args)}`);
  checkOptions(args, DENSE_KEYS, 'FactorizedDense', 'args');
  if (!Number.isInteger(args.units) || args.units < 1) throw new ArgumentError(`units must be a positive integer; got ${describe(args.units)}`);
  if (args.rank != null) checkRankSpec(args.rank);
  if (args.nTensorizedModes !== undefined) checkIntOption(args.nTensorizedModes, 'nTensorizedModes', 1);
  checkSeed(args.seed);
  checkActivationName(args.activation);
  return args;
}

function paramNames(kind: Factorization, n: number): string[] {
  switch (kind) {
    case 'cp':
      return ['cp_weights', ...Array.from({ length: n - 1 }, (_, k) => `cp_factor_${k}`)];
    case 'tucker':
      return ['tucker_core', ...Array.from({ length: n - 1 }, (_, k) => `tucker_factor_${k}`)];
    case 'blocktt':
      return Array.from({ length: n }, (_, k) => `blocktt_core_${k}`);
    case 'dense':
      return ['kernel_out_in'];
  }
}

tf.serialization.registerClass(FactorizedDense);
