/**
 * `FactorizedTensor`: a tensor kept in factorized form (CP, Tucker, TT or dense) whose
 * parameters are trainable tf.Variables. tltorch 0.5 `FactorizedTensor`
 * (`factorized_tensors/core.py`, `factorized_tensors.py`): `FactorizedTensor.new(shape, rank,
 * factorization)` resolves the rank and draws parameters, `fromTensor` decomposes a tensor,
 * `toTensor()` reconstructs, `normal(mean, std)` re-draws (`normal_`), `get(i)` indexes the
 * first mode (a layer of a joint parametrisation, tltorch `tensor[i]`).
 *
 * As tltorch's metaclass registry, subclasses register themselves under their lower-case
 * name; `FactorizedTensor.new` / `fromTensor` dispatch on it.
 */
import { ArgumentError, OwnsTensors, assertFinite, describe, tf, toTensor, type TensorLike } from '@tenfold/core';
import { checkBoolOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { checkStd, normalFactorizedParams } from './init.js';
import {
  type FactorizedParams,
  type FactorizedRank,
  type TensorFactorization,
  checkParamShapes,
  factorizedParamList,
  factorizedParamShapes,
  factorizedParamsFromList,
  factorizedToTensor,
  indexFirstMode,
  parseTensorFactorization,
  rankOfParams,
  shapeOfParams,
} from './params.js';
import { type FactorizedRankSpec, checkTensorShape, resolveFactorizedRank } from './rank.js';

/** Options of the decomposition (parafac / tucker / tensorTrain), camelCase TensorLy names. */
export type TensorDecompositionOptions = Record<string, unknown>;

export interface NewFactorizedOptions {
  /** Tucker only: modes kept at full rank (e.g. a conv kernel's spatial modes). */
  fixedRankModes?: number[] | null;
  /** Target std of the reconstruction's entries (default 0.02, tltorch's `tensor_init`). */
  std?: number;
  seed?: number;
  trainable?: boolean;
}

const NEW_FACTORIZED_OPTIONS = optionKeys<NewFactorizedOptions>()('fixedRankModes', 'std', 'seed', 'trainable');

export interface FromTensorOptions {
  fixedRankModes?: number[] | null;
  /** Options of parafac (default `{ l2Reg: 1e-5 }` as tltorch's init_from_tensor) / tucker / tensorTrain. */
  decomposition?: TensorDecompositionOptions;
  trainable?: boolean;
}

const FROM_TENSOR_OPTIONS = optionKeys<FromTensorOptions>()('fixedRankModes', 'decomposition', 'trainable');

type Ctor = new (params: FactorizedParams, options?: { trainable?: boolean } | null) => FactorizedTensor;
const REGISTRY = new Map<TensorFactorization, Ctor>();

const FACTORIZED_TENSOR_OPTIONS = optionKeys<NonNullable<ConstructorParameters<typeof FactorizedTensor>[1]>>()('trainable');

export abstract class FactorizedTensor extends OwnsTensors {
  abstract readonly factorization: TensorFactorization;
  protected readonly defaultArgName = 'factorizedTensor';
  /** Full shape. */
  readonly shape: number[];
  /** Resolved rank: R (CP), per mode (Tucker), `(1, r_1, ..., 1)` (TT), null (dense). */
  rank: FactorizedRank;
  readonly trainable: boolean;
  protected vars: tf.Variable[];

  /** Take ownership of `params`: they become tf.Variables and the given tensors are disposed. */
  constructor(params: FactorizedParams, options: { trainable?: boolean } | null = {}) {
    super();
    const opts = checkOptions(options, FACTORIZED_TENSOR_OPTIONS, 'FactorizedTensor');
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    if (typeof params !== 'object' || params === null || !('kind' in params)) throw new ArgumentError(`params must be factorized-tensor parameters { kind, ... }; got ${describe(params)}`);
    const list = factorizedParamList(params);
    list.forEach((t, k) => {
      if (!(t instanceof tf.Tensor) || t.isDisposed) throw new ArgumentError(`params tensor ${k} must be a live tf.Tensor; got ${t instanceof tf.Tensor ? 'a disposed tensor' : describe(t)}`);
    });
    this.shape = shapeOfParams(params);
    this.rank = rankOfParams(params);
    checkParamShapes(list, factorizedParamShapes(params.kind, this.shape, this.rank), `'${params.kind}' params`);
    // Stored and trained: NaN/Inf is refused on entry.
    list.forEach((t, k) => assertFinite(t, `params tensor ${k}`));
    this.trainable = opts.trainable ?? true;
    this.vars = list.map((t) => tf.variable(t, this.trainable));
    tf.dispose(list);
  }

  /** @internal Register a subclass under its factorization name. */
  static register(kind: TensorFactorization, ctor: Ctor): void {
    REGISTRY.set(kind, ctor);
  }

  /** Wrap parameters in the class of their kind (taking ownership). */
  static fromParams(params: FactorizedParams, options: { trainable?: boolean } | null = {}): FactorizedTensor {
    const kind = parseTensorFactorization((params as { kind?: unknown })?.kind, 'params.kind');
    const C = REGISTRY.get(kind);
    if (!C) throw new ArgumentError(`no FactorizedTensor class is registered for '${kind}'`);
    return new C(params, options);
  }

  /**
   * tltorch `FactorizedTensor.new(shape, rank, factorization)`: resolve the rank (see
   * `resolveFactorizedRank`) and draw parameters whose reconstruction has entry std `std`.
   * @throws ArgumentError, RankError naming the argument, before anything is allocated
   */
  static new(shape: readonly number[], rank: FactorizedRankSpec = 'same', factorization: TensorFactorization | string = 'cp', options: NewFactorizedOptions | null = {}): FactorizedTensor {
    const opts = checkOptions(options, NEW_FACTORIZED_OPTIONS, 'FactorizedTensor.new');
    checkSeed(opts.seed);
    const std = checkStd(opts.std ?? 0.02);
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    const kind = parseTensorFactorization(factorization);
    const s = checkTensorShape(shape);
    const r = resolveFactorizedRank(s, rank, kind, opts.fixedRankModes);
    return FactorizedTensor.fromParams(normalFactorizedParams(kind, s, r, 0, std, opts.seed), { trainable: opts.trainable });
  }

  /**
   * tltorch `FactorizedTensor.from_tensor` with `init_from_tensor`'s defaults: decompose
   * `tensor` at the resolved rank (CP: `parafac(t, R, { l2Reg: 1e-5 })`; Tucker: `tucker`
   * (HOOI); TT: `tensorTrain`, the rank refreshed from the cores; dense: a copy).
   */
  static fromTensor(tensor: TensorLike, rank: FactorizedRankSpec = 'same', factorization: TensorFactorization | string = 'cp', options: FromTensorOptions | null = {}): FactorizedTensor {
    const opts = checkOptions(options, FROM_TENSOR_OPTIONS, 'FactorizedTensor.fromTensor');
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    checkDecompositionOptions(opts.decomposition);
    const kind = parseTensorFactorization(factorization);
    const t = toTensor(tensor, 'tensor');
    try {
      const r = resolveFactorizedRank(t.shape, rank, kind, opts.fixedRankModes);
      assertFinite(t, 'tensor');
      const C = REGISTRY.get(kind) as Ctor & { decompose(t: tf.Tensor, rank: FactorizedRank, d: TensorDecompositionOptions): FactorizedParams };
      return new C(C.decompose(t, r, opts.decomposition ?? {}), { trainable: opts.trainable });
    } finally {
      if (t !== tensor) t.dispose();
    }
  }

  /** The parameters (the live variables) as a FactorizedParams view. */
  get params(): FactorizedParams {
    this.assertAlive();
    return factorizedParamsFromList(this.factorization, this.vars);
  }

  /** The trainable variables, in `factorizedParamList` order. */
  get variables(): tf.Variable[] {
    this.assertAlive();
    return [...this.vars];
  }

  get order(): number {
    return this.shape.length;
  }

  get paramCount(): number {
    return factorizedParamShapes(this.factorization, this.shape, this.rank).reduce((a, sh) => a + sh.reduce((x, y) => x * y, 1), 0);
  }

  /** The full tensor (differentiable with respect to the variables). */
  toTensor(): tf.Tensor {
    this.assertAlive();
    return factorizedToTensor(this.params);
  }

  /**
   * tltorch `normal_(mean, std)`: re-draw the parameters in place so that the
   * reconstruction's entries have mean `mean` (0 unless dense) and std `std` (see init.ts).
   */
  normal(mean = 0, std = 1, seed?: number): this {
    this.assertAlive();
    if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new ArgumentError(`mean must be a finite number; got ${describe(mean)}`);
    checkStd(std);
    checkSeed(seed);
    const fresh = factorizedParamList(normalFactorizedParams(this.factorization, this.shape, this.rank, mean, std, seed));
    this.vars.forEach((v, k) => v.assign(fresh[k]));
    tf.dispose(fresh);
    return this;
  }

  /** tltorch `init_from_tensor`: decompose `tensor` (this shape) at this rank and replace the parameters. */
  initFromTensor(tensor: TensorLike, decomposition: TensorDecompositionOptions = {}): this {
    this.assertAlive();
    checkDecompositionOptions(decomposition);
    const t = toTensor(tensor, 'tensor');
    try {
      if (t.shape.length !== this.shape.length || t.shape.some((d, k) => d !== this.shape[k])) {
        throw new ArgumentError(`tensor must have shape ${describe(this.shape)}; got ${describe(t.shape)}`);
      }
      assertFinite(t, 'tensor');
      const C = this.constructor as unknown as { decompose(t: tf.Tensor, rank: FactorizedRank, d: TensorDecompositionOptions): FactorizedParams };
      const p = C.decompose(t, this.rank, decomposition ?? {});
      const list = factorizedParamList(p);
      const old = this.vars;
      this.vars = list.map((x) => tf.variable(x, this.trainable));
      tf.dispose(list);
      tf.dispose(old);
      this.rank = rankOfParams(p);
      return this;
    } finally {
      if (t !== tensor) t.dispose();
    }
  }

  /** Index `i` of the first mode, as a new factorized tensor of the same kind owning copies (tltorch `self[i]`). */
  get(i: number): FactorizedTensor {
    this.assertAlive();
    return FactorizedTensor.fromParams(indexFirstMode(this.params, i), { trainable: this.trainable });
  }

  /** A copy with new variables. */
  clone(): FactorizedTensor {
    this.assertAlive();
    const list = tf.tidy(() => this.vars.map((v) => tf.clone(v)));
    return FactorizedTensor.fromParams(factorizedParamsFromList(this.factorization, list), { trainable: this.trainable });
  }

  override toString(): string {
    return `${this.kind}(shape=${describe(this.shape)}, rank=${describe(this.rank)})`;
  }

  protected override ownedTensors(): tf.Tensor[] {
    const v = this.vars;
    this.vars = [];
    return v;
  }
}

/** The `decomposition` options object (its keys are checked by parafac / tucker / tensorTrain). @throws ArgumentError */
export function checkDecompositionOptions(d: unknown): void {
  if (d !== undefined && d !== null && (typeof d !== 'object' || Array.isArray(d))) {
    throw new ArgumentError(`decomposition must be an options object for parafac / tucker / tensorTrain; got ${describe(d)}`);
  }
}
