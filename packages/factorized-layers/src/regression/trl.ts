/**
 * `TRL`: tensor regression layer. The weight W has shape (s_1..s_N, o_1..o_M) and is a
 * trainable factorized tensor (CP, Tucker, TT or dense; `src/factorized/`); for an input x
 * (batch, s_1..s_N)
 *
 *   y[b, o] = <x[b], W[..., o]> = sum_i x[b, i] W[i, o]  (+ bias[o]),  y of shape (batch, o_1..o_M)
 *
 * Mirrors tltorch 0.5 `TRL(input_shape, output_shape, bias, factorization, rank, n_layers)`
 * (`factorized_layers/tensor_regression_layers.py`, `functional/tensor_regression.py`):
 * weight drawn by `normal_()` (entry std 1), bias U(-1, 1); forward
 * `inner(x, W.to_tensor(), n_modes=x.ndim-1) + bias` (tltorch's Tucker `tucker_trl` with
 * `project_input=False` is the same map); `init_from_linear` sets W = weight^T viewed as
 * (in..., out...) and decomposes it. The weight is read through its tensor hooks
 * (`../hooks/`: tensor dropout, tensor lasso) in the layer's `training` mode.
 * Reference: Kossaifi et al., "Tensor Regression Networks", JMLR 2020.
 */
import { ArgumentError, ShapeError, createRng, describe, tf, toTensor, uniformTensor, type TensorLike } from '@tenfold/core';
import { FactorizedTensor, type FactorizedRankSpec, type TensorDecompositionOptions, type TensorFactorization } from '../factorized/index.js';
import { factorizedToTensor, indexFirstMode } from '../factorized/params.js';
import { hookedParams } from '../hooks/registry.js';
import { assertFinite, checkBoolOption, checkFiniteIfEnabled, checkIntOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { checkModeSizes } from './tcl.js';
import { DisposableModule } from '../internal/disposableModule.js';

export interface TRLOptions {
  /** Input shape without the batch mode. */
  inputShape: number | number[];
  /** Output shape without the batch mode. */
  outputShape: number | number[];
  /** Learn a bias of shape `outputShape` (default false, as tltorch). */
  bias?: boolean;
  /** 'cp' (default), 'tucker', 'tt', 'dense', or a ready FactorizedTensor (taken over). */
  factorization?: TensorFactorization | string | FactorizedTensor;
  /** Default 'same'. */
  rank?: FactorizedRankSpec;
  /** Jointly parametrised layers (a leading weight mode), default 1. */
  nLayers?: number;
  seed?: number;
}

const TRL_OPTIONS = optionKeys<TRLOptions>()('inputShape', 'outputShape', 'bias', 'factorization', 'rank', 'nLayers', 'seed');

const TRL_APPLY_OPTIONS = optionKeys<NonNullable<Parameters<TRL['apply']>[1]>>()('training', 'layerIndex');

export class TRL extends DisposableModule {
  protected readonly moduleName = 'TRL';
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly nLayers: number;
  readonly weight: FactorizedTensor;
  readonly bias: tf.Variable | null;
  /** The mode hooks see (tltorch's `module.training`; default true as torch modules). */
  training = true;

  /** @throws ArgumentError (options), ShapeError (shapes), RankError (rank) */
  constructor(opts: TRLOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`TRL: options must be an object { inputShape, outputShape, ... }; got ${describe(opts)}`);
    checkOptions(opts, TRL_OPTIONS, 'TRL');
    checkSeed(opts.seed);
    if (opts.bias !== undefined) checkBoolOption(opts.bias, 'bias');
    const nLayers = opts.nLayers ?? 1;
    checkIntOption(nLayers, 'nLayers', 1);
    this.inputShape = checkModeSizes(opts.inputShape, 'inputShape');
    this.outputShape = checkModeSizes(opts.outputShape, 'outputShape');
    this.nLayers = nLayers;
    const shape = [...(nLayers > 1 ? [nLayers] : []), ...this.inputShape, ...this.outputShape];
    const fz = opts.factorization ?? 'cp';
    if (fz instanceof FactorizedTensor) {
      fz.assertAlive('factorization');
      if (fz.shape.join() !== shape.join()) throw new ShapeError(`factorization: the given FactorizedTensor has shape ${describe(fz.shape)}; this TRL needs ${describe(shape)}`);
      this.weight = fz;
    } else {
      // tltorch init_from_random: weight.normal_() (std 1), bias U(-1, 1).
      this.weight = FactorizedTensor.new(shape, opts.rank ?? 'same', fz, { std: 1, seed: opts.seed });
    }
    if (opts.bias) {
      const rng = createRng(opts.seed === undefined ? undefined : opts.seed + 1);
      const bshape = nLayers > 1 ? [nLayers, ...this.outputShape] : this.outputShape;
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor(bshape, rng), 2), 1));
      this.bias = tf.variable(init, true);
      init.dispose();
    } else this.bias = null;
  }

  get factorization(): TensorFactorization {
    return this.weight.factorization;
  }
  get rank(): number | number[] | null {
    return this.weight.rank;
  }
  get trainableVariables(): tf.Variable[] {
    return [...this.weight.variables, ...(this.bias ? [this.bias] : [])];
  }

  /**
   * y = <x, W> + b for x (batch, ...inputShape), layer `layerIndex` of a joint TRL; the
   * weight passes through its hooks in the `training` mode (default: this.training).
   * @throws ShapeError (x), ModeError (layerIndex)
   */
  apply(x: TensorLike, options: { training?: boolean; layerIndex?: number } | null = {}): tf.Tensor {
    this.checkAlive();
    const opts = checkOptions(options, TRL_APPLY_OPTIONS, 'TRL.apply');
    const training = opts.training ?? this.training;
    checkBoolOption(training, 'training');
    const layer = opts.layerIndex ?? 0;
    checkIntOption(layer, 'layerIndex', 0, this.nLayers - 1);
    const t = toTensor(x, 'x');
    try {
      const want = this.inputShape;
      if (t.rank !== want.length + 1 || want.some((d, k) => t.shape[k + 1] !== d)) throw new ShapeError(`x must have shape (batch, ${want.join(', ')}); got ${describe(t.shape)}`);
      checkFiniteIfEnabled(t, 'x');
      const nIn = want.reduce((a, b) => a * b, 1);
      const nOut = this.outputShape.reduce((a, b) => a * b, 1);
      return tf.tidy(() => {
        let p = hookedParams(this.weight, training);
        if (this.nLayers > 1) p = indexFirstMode(p, layer);
        const w = factorizedToTensor(p).reshape([nIn, nOut]);
        let y = tf.matMul(t.reshape([t.shape[0], nIn]), w).reshape([t.shape[0], ...this.outputShape]);
        if (this.bias) {
          // slice, not gather: gather's gradient needs UnsortedSegmentSum (not on wasm)
          const b = this.nLayers > 1 ? tf.slice(this.bias, [layer, ...this.outputShape.map(() => 0)], [1, ...this.outputShape]).reshape(this.outputShape) : this.bias;
          y = tf.add(y, b);
        }
        return y;
      });
    } finally {
      if (t !== x) t.dispose();
    }
  }

  /**
   * tltorch `TRL.init_from_linear(linear)`: W = linear.weight^T (in, out) viewed as
   * (inputShape..., outputShape...), decomposed at this rank (CP: parafac with l2Reg 1e-5;
   * Tucker: HOOI; TT: tensorTrain); the bias is copied when both have one.
   * @throws ShapeError (sizes), NonFiniteError
   */
  initFromLinear(linear: { weight: TensorLike; bias?: TensorLike | null }, decomposition: TensorDecompositionOptions = {}): this {
    this.checkAlive();
    if (typeof linear !== 'object' || linear === null || !('weight' in linear)) throw new ArgumentError(`linear must be { weight (out, in), bias? }; got ${describe(linear)}`);
    if (this.nLayers > 1) throw new ArgumentError('initFromLinear: a joint TRL (nLayers > 1) is initialised per layer; not supported');
    const nIn = this.inputShape.reduce((a, b) => a * b, 1);
    const nOut = this.outputShape.reduce((a, b) => a * b, 1);
    const w = toTensor(linear.weight, 'linear.weight');
    const b = linear.bias === undefined || linear.bias === null ? null : toTensor(linear.bias, 'linear.bias');
    try {
      if (w.rank !== 2 || w.shape[0] !== nOut || w.shape[1] !== nIn) throw new ShapeError(`linear.weight must have shape [${nOut}, ${nIn}] (out, in); got ${describe(w.shape)}`);
      if (b && b.size !== nOut) throw new ShapeError(`linear.bias must have ${nOut} entries; got shape ${describe(b.shape)}`);
      assertFinite(w, 'linear.weight');
      if (b) assertFinite(b, 'linear.bias');
      const full = tf.tidy(() => tf.transpose(w).reshape([...this.inputShape, ...this.outputShape]));
      try {
        this.weight.initFromTensor(full, decomposition);
      } finally {
        full.dispose();
      }
      if (b && this.bias) {
        const r = b.reshape(this.outputShape);
        this.bias.assign(r);
        r.dispose();
      }
      return this;
    } finally {
      if (w !== linear.weight) w.dispose();
      if (b && b !== linear.bias) b.dispose();
    }
  }

  override toString(): string {
    return `TRL(input_shape=${describe(this.inputShape)}, output_shape=${describe(this.outputShape)}, factorization=${this.factorization}, rank=${describe(this.rank)}, bias=${this.bias !== null})`;
  }
  protected disposeOwned(): void {
    this.weight.dispose();
    if (this.bias) this.bias.dispose();
  }
}
