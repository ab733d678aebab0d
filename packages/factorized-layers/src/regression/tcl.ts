/**
 * `TCL`: tensor contraction layer. An input (batch, s_1..s_N) is multiplied along every
 * non-batch mode by a factor U_k (r_k, s_k):
 *
 *   y = x x_1 U_1 x_2 U_2 ... x_N U_N  (+ b),  y of shape (batch, r_1..r_N)
 *
 * so the output shape is the rank. Mirrors tltorch 0.5 `TCL(input_shape, rank, bias)`
 * (`factorized_layers/tensor_contraction_layers.py`): factors drawn by kaiming-uniform with
 * a = sqrt(5), i.e. U(-1/sqrt(s_k), 1/sqrt(s_k)); forward `multi_mode_dot(x, factors,
 * modes=1..N)`. Fix: `bias: true` works (a bias of shape `rank`, U(-1/sqrt(s_1), 1/sqrt(s_1))
 * as tltorch's reset_parameters) where tltorch raises AttributeError (it reads the unset
 * `self.output_shape`); docs/fidelity/factorized-layers2.md.
 * Reference: Kossaifi et al., "Tensor Contraction Layers for Parsimonious Deep Nets", CVPRW 2017.
 */
import { ArgumentError, ShapeError, createRng, describe, modeDot, tf, toTensor, uniformTensor, type TensorLike } from '@tenfold/core';
import { checkBoolOption, checkFiniteIfEnabled, checkOptions, optionKeys, checkSeed, assertFinite } from '../internal/checks.js';
import { DisposableModule } from '../internal/disposableModule.js';

export interface TCLOptions {
  /** Input shape without the batch mode (s_1..s_N); a number means (s). */
  inputShape: number | number[];
  /** Rank (r_1..r_N) = the output shape without the batch mode; a number is used for every mode. */
  rank: number | number[];
  /** Learn a bias of shape `rank` (default false, as tltorch). */
  bias?: boolean;
  seed?: number;
}

const TCL_OPTIONS = optionKeys<TCLOptions>()('inputShape', 'rank', 'bias', 'seed');

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** A positive-integer shape from a number or a list. @throws ShapeError naming `argName` */
export function checkModeSizes(v: unknown, argName: string, order?: number): number[] {
  const list = typeof v === 'number' ? (order === undefined ? [v] : new Array<number>(order).fill(v)) : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isPosInt)) throw new ShapeError(`${argName} must be a positive integer or a non-empty list of them; got ${describe(v)}`);
  if (order !== undefined && list.length !== order) throw new ShapeError(`${argName} must list ${order} sizes (one per input mode); got ${describe(v)}`);
  return [...list];
}

export class TCL extends DisposableModule {
  protected readonly moduleName = 'TCL';
  readonly inputShape: number[];
  readonly rank: number[];
  /** Factors U_k (r_k, s_k), trainable. */
  readonly factors: tf.Variable[];
  readonly bias: tf.Variable | null;

  /** @throws ArgumentError (options), ShapeError (shapes) */
  constructor(opts: TCLOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`TCL: options must be an object { inputShape, rank, bias? }; got ${describe(opts)}`);
    checkOptions(opts, TCL_OPTIONS, 'TCL');
    checkSeed(opts.seed);
    if (opts.bias !== undefined) checkBoolOption(opts.bias, 'bias');
    this.inputShape = checkModeSizes(opts.inputShape, 'inputShape');
    this.rank = checkModeSizes(opts.rank, 'rank', this.inputShape.length);
    const rng = createRng(opts.seed);
    // kaiming_uniform_(a=sqrt(5)) on (r, s): gain sqrt(1/3), bound gain*sqrt(3/fan_in) = 1/sqrt(s).
    this.factors = this.rank.map((r, k) => {
      const b = 1 / Math.sqrt(this.inputShape[k]);
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor([r, this.inputShape[k]], rng), 2 * b), b));
      const v = tf.variable(init, true);
      init.dispose();
      return v;
    });
    if (opts.bias) {
      const b = 1 / Math.sqrt(this.inputShape[0]);
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor(this.rank, rng), 2 * b), b));
      this.bias = tf.variable(init, true);
      init.dispose();
    } else this.bias = null;
  }

  /** Output shape without the batch mode (= rank). */
  get outputShape(): number[] {
    return [...this.rank];
  }
  get trainableVariables(): tf.Variable[] {
    return [...this.factors, ...(this.bias ? [this.bias] : [])];
  }

  /**
   * y = x x_1 U_1 ... x_N U_N (+ b) for x of shape (batch, s_1..s_N); differentiable.
   * @throws ShapeError when x is not (batch, ...inputShape)
   */
  apply(x: TensorLike): tf.Tensor {
    this.checkAlive();
    const t = toTensor(x, 'x');
    try {
      const want = this.inputShape;
      if (t.rank !== want.length + 1 || want.some((d, k) => t.shape[k + 1] !== d)) {
        throw new ShapeError(`x must have shape (batch, ${want.join(', ')}); got ${describe(t.shape)}`);
      }
      checkFiniteIfEnabled(t, 'x');
      return tf.tidy(() => {
        let y = t;
        this.factors.forEach((u, k) => (y = modeDot(y, u, k + 1)));
        return this.bias ? tf.add(y, this.bias) : y === t ? tf.clone(t) : y;
      });
    } finally {
      if (t !== x) t.dispose();
    }
  }

  /** Set the factors (and bias) from given values (e.g. recorded parameters). @throws ShapeError, NonFiniteError */
  setWeights(factors: TensorLike[], bias?: TensorLike | null): this {
    this.checkAlive();
    if (!Array.isArray(factors) || factors.length !== this.factors.length) throw new ShapeError(`factors must be ${this.factors.length} matrices; got ${describe(factors)}`);
    const ts = factors.map((f, k) => toTensor(f, `factors[${k}]`));
    try {
      ts.forEach((t, k) => {
        if (t.rank !== 2 || t.shape[0] !== this.rank[k] || t.shape[1] !== this.inputShape[k]) throw new ShapeError(`factors[${k}] must have shape [${this.rank[k]}, ${this.inputShape[k]}]; got ${describe(t.shape)}`);
        assertFinite(t, `factors[${k}]`);
      });
      if (bias !== undefined && bias !== null && !this.bias) throw new ArgumentError('bias given but this TCL has no bias');
      ts.forEach((t, k) => this.factors[k].assign(t));
      if (bias !== undefined && bias !== null && this.bias) {
        const b = toTensor(bias, 'bias');
        try {
          if (b.shape.join() !== this.rank.join()) throw new ShapeError(`bias must have shape ${describe(this.rank)}; got ${describe(b.shape)}`);
          this.bias.assign(b);
        } finally {
          if (b !== bias) b.dispose();
        }
      }
      return this;
    } finally {
      ts.forEach((t, k) => t !== factors[k] && t.dispose());
    }
  }

  override toString(): string {
    return `TCL(input_shape=${describe(this.inputShape)}, rank=${describe(this.rank)}, bias=${this.bias !== null})`;
  }
  protected disposeOwned(): void {
    tf.dispose([...this.factors, ...(this.bias ? [this.bias] : [])]);
  }
}
