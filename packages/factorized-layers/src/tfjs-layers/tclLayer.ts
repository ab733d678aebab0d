/**
 * `TCLLayer` (serialized as 'TCL'): a tfjs-layers tensor contraction layer, y = x x_1 U_1 ...
 * x_N U_N (+ b) with U_k (r_k, s_k) over the non-batch modes of the input; the output is
 * (batch, r_1..r_N). Same math and init as `TCL` (`../regression/tcl.ts`, tltorch's
 * kaiming-uniform(a = sqrt 5) factors; the bias, which tltorch cannot build, U(+-1/sqrt(s_1))).
 */
import { ArgumentError, ShapeError, checkOptions, createRng, describe, modeDot, tf, uniformTensor } from '@tenfold/core';
import { checkSeed, optionKeys } from '../internal/checks.js';
import { checkModeSizes } from '../regression/tcl.js';
import { LAYER_KEYS, type TensorLayerArgs, type TfjsLayerKeys } from './layerArgs.js';

export interface TCLLayerArgs extends TensorLayerArgs {
  /** Rank (r_1..r_N) = output shape without the batch mode; a number is used for every mode. */
  rank: number | number[];
  /** Default false (tltorch's). */
  useBias?: boolean;
}

const KEYS = optionKeys<TCLLayerArgs & TfjsLayerKeys>()('rank', 'useBias', 'seed', ...LAYER_KEYS);

function checkArgs(args: TCLLayerArgs): TCLLayerArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`TCLLayer args must be an object; got ${describe(args)}`);
  checkOptions(args, KEYS, 'TCLLayer', 'args');
  checkModeSizes(args.rank, 'rank');
  if (args.useBias !== undefined && typeof args.useBias !== 'boolean') throw new ArgumentError(`useBias must be a boolean; got ${describe(args.useBias)}`);
  checkSeed(args.seed);
  return args;
}

export class TCLLayer extends tf.layers.Layer {
  static className = 'TCL';
  readonly rankSpec: number | number[];
  readonly useBias: boolean;
  private readonly seed?: number;
  private rank: number[] = [];
  private factorVars: tf.LayerVariable[] = [];
  private biasVar: tf.LayerVariable | null = null;

  /** @throws ArgumentError, ShapeError */
  constructor(args: TCLLayerArgs) {
    super(checkArgs(args));
    this.rankSpec = Array.isArray(args.rank) ? [...args.rank] : args.rank;
    this.useBias = args.useBias ?? false;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const s = shape.slice(1) as number[];
    if (s.length === 0 || s.some((d) => typeof d !== 'number' || d < 1)) throw new ShapeError(`TCLLayer needs a known input shape (batch, s_1..s_N); got ${describe(shape)}`);
    this.rank = checkModeSizes(this.rankSpec, 'rank', s.length);
    const rng = createRng(this.seed);
    const zeros = tf.initializers.zeros();
    this.factorVars = this.rank.map((r, k) => this.addWeight(`factor_${k}`, [r, s[k]], 'float32', zeros));
    this.factorVars.forEach((v, k) => {
      const b = 1 / Math.sqrt(s[k]);
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor([this.rank[k], s[k]], rng), 2 * b), b));
      v.write(init);
      init.dispose();
    });
    if (this.useBias) {
      this.biasVar = this.addWeight('bias', this.rank, 'float32', zeros);
      const b = 1 / Math.sqrt(s[0]);
      const init = tf.tidy(() => tf.sub(tf.mul(uniformTensor(this.rank, rng), 2 * b), b));
      this.biasVar.write(init);
      init.dispose();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const r = Array.isArray(this.rankSpec) ? this.rankSpec : shape.slice(1).map(() => this.rankSpec as number);
    return [shape[0], ...r];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x.rank !== this.factorVars.length + 1) throw new ShapeError(`TCL input must have ${this.factorVars.length + 1} dimensions (batch, s_1..s_N); got shape ${describe(x.shape)}`);
      let y = x;
      this.factorVars.forEach((u, k) => (y = modeDot(y, u.read(), k + 1)));
      return this.biasVar ? tf.add(y, this.biasVar.read()) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = { ...super.getConfig(), rank: this.rankSpec, useBias: this.useBias };
    if (this.seed !== undefined) cfg.seed = this.seed;
    return cfg;
  }
}

tf.serialization.registerClass(TCLLayer);
