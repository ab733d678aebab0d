/**
 * `TensorizedTensor`: a weight matrix (or a stack of them) tensorized to
 * (batch..., out_1..out_n, in_1..in_m) and stored in factorized form (CP, Tucker, block-TT
 * i.e. TT-matrix, or dense), with trainable tf.Variables as parameters.
 *
 * Mirrors tltorch 0.5 `TensorizedTensor` (`factorized_tensors/tensorized_matrices.py`):
 * `TensorizedTensor.new(shape, rank, factorization)`, `from_matrix`, `init_from_matrix`,
 * `normal_`, `to_matrix`, `__getitem__` on a batch (layer) mode. Differences, documented in
 * docs/fidelity/factorized-linear.md: block-TT `normal` hits the requested std (tltorch's
 * does not), indexing a joint Tucker works (tltorch raises TypeError), and there is no
 * `cp_init` typo (tltorch's raises AttributeError).
 */
import {
  ArgumentError,
  ModeError,
  RankError,
  ShapeError,
  assertFinite,
  createRng,
  describe,
  normalTensor,
  parafac,
  tensorTrainMatrix,
  tf,
  toTensor,
  tucker,
  validateCpRank,
  validateTuckerRank,
  type TensorLike,
} from '@tenfold/core';
import {
  type ParsedTensorizedShape,
  type TensorizedRank,
  type TensorizedShape,
  flatShape,
  matrixShape,
  parseTensorizedShape,
  prod,
  validateBlockTtRank,
} from './shape.js';
import {
  FACTORIZATIONS,
  type FactorParams,
  type Factorization,
  type ResolvedRank,
  indexLayer,
  paramCountOf,
  paramList,
  paramShapes,
  paramsFromList,
  paramsToMatrix,
  paramsToTensor,
  rankFromParams,
} from './params.js';
import { checkLayerIndex, checkRankSpec } from '../internal/paramChecks.js';
import { checkAllocations, checkBoolOption, checkOptions, checkSeed, elementCount, maxElements } from '../internal/checks.js';
import { DisposableModule } from '../internal/disposableModule.js';

/**
 * Refuse parameters that would not fit before drawing or decomposing anything: a RankError
 * when the rank is what makes them too big, a ShapeError when the shape itself is.
 */
export function checkParamAllocation(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank): void {
  const ErrorClass = elementCount(matrixShape(s)) <= maxElements() ? RankError : ShapeError;
  checkAllocations(paramShapes(kind, s, rank), `tensorizedShape ${describe([...s.batch, s.out, s.in])} at rank ${describe(rank)}`, ErrorClass);
}

/** Parse a factorization name case-insensitively ('CP', 'Tucker', 'BlockTT', 'Dense'). */
export function parseFactorization(name: unknown, argName = 'factorization'): Factorization {
  const lower = typeof name === 'string' ? name.toLowerCase() : undefined;
  if (lower === undefined || !(FACTORIZATIONS as readonly string[]).includes(lower)) {
    throw new ArgumentError(
      `${argName} must be one of 'cp', 'tucker', 'blocktt', 'dense' (case-insensitive; tltorch has no 'tt'/'ttm' tensorized matrix: use 'blocktt'); got ${describe(name)}`,
    );
  }
  return lower as Factorization;
}

/**
 * Resolve a rank by tltorch's rules: CP `validate_cp_rank(flattened shape)`, Tucker
 * `validate_tucker_rank(flattened shape)`, BlockTT `validate_block_tt_rank`, dense none.
 */
export function resolveTensorizedRank(factorization: Factorization | string, tensorizedShape: TensorizedShape, rank: TensorizedRank = 'same'): ResolvedRank {
  const kind = parseFactorization(factorization);
  const s = parseTensorizedShape(tensorizedShape);
  if (kind === 'dense') return null;
  checkRankSpec(rank);
  const fs = flatShape(s);
  switch (kind) {
    case 'cp': {
      if (Array.isArray(rank)) throw new RankError(`rank for 'cp' must be a single number, 'same' or { fraction }; got the list ${describe(rank)}`);
      const r = validateCpRank(fs, rank);
      // TensorLy's formula may round a small fraction to 0; parafac rejects that rank, so do we.
      if (r < 1) throw new RankError(`rank ${describe(rank)} resolves to a CP rank of ${r} for the flattened shape ${describe(fs)}; the rank must be >= 1`);
      return r;
    }
    case 'tucker': {
      if (Array.isArray(rank) && rank.length !== fs.length) {
        throw new RankError(`rank for 'tucker' over the flattened shape ${describe(fs)} must list ${fs.length} ranks; got ${describe(rank)}`);
      }
      return [...validateTuckerRank(fs, rank)];
    }
    case 'blocktt':
      return validateBlockTtRank(tensorizedShape, rank);
  }
}

/** Options of `TensorizedTensor.new`. */
export interface NewTensorizedOptions {
  rank?: TensorizedRank;
  factorization?: Factorization | string;
  /** Target std of the reconstruction's entries (default 0.02, tltorch's `tensor_init`). */
  std?: number;
  /** Seed of the host RNG for the normal initialisation. */
  seed?: number;
  trainable?: boolean;
}

/** Decomposition options passed to parafac / tucker / tensorTrainMatrix (camelCase TensorLy names). */
export type DecompositionOptions = Record<string, unknown>;

export class TensorizedTensor extends DisposableModule {
  protected readonly moduleName = 'TensorizedTensor';
  readonly factorization: Factorization;
  /** The tensorized shape in tltorch notation, e.g. `[2, [4, 4], [3, 3]]`. */
  readonly tensorizedShape: (number | number[])[];
  /** The shape split into batch / out / in. */
  readonly parts: ParsedTensorizedShape;
  /** Resolved rank (CP: R; Tucker: per mode; BlockTT: TT rank with boundary 1s; dense: null). */
  rank: ResolvedRank;
  readonly trainable: boolean;
  private vars: tf.Variable[];

  /** Take ownership of `params` (they become tf.Variables; the given tensors are disposed). */
  constructor(tensorizedShape: TensorizedShape, factorization: Factorization | string, params: FactorParams, options: { trainable?: boolean } | null = {}) {
    super();
    const opts = checkOptions(options, ['trainable'], 'TensorizedTensor');
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    const kind = parseFactorization(factorization);
    const parts = parseTensorizedShape(tensorizedShape);
    if (typeof params !== 'object' || params === null) throw new ArgumentError(`params must be the parameters of a '${kind}' tensorized tensor; got ${describe(params)}`);
    if (params.kind !== kind) throw new ArgumentError(`params are for '${params.kind}' but factorization is '${kind}'`);
    const rank = rankFromParams(params);
    const want = paramShapes(kind, parts, rank);
    const list = paramList(params);
    if (list.length !== want.length || list.some((t, k) => !sameShape(t.shape, want[k]))) {
      throw new ShapeError(
        `params for a '${kind}' tensorized tensor of shape ${describe(tensorizedShape)} must have shapes ${describe(want)}; got ${describe(list.map((t) => t.shape))}`,
      );
    }
    list.forEach((t, k) => {
      if (!(t instanceof tf.Tensor) || t.isDisposed) throw new ArgumentError(`params tensor ${k} must be a live tf.Tensor; got ${t instanceof tf.Tensor ? 'a disposed tensor' : describe(t)}`);
    });
    // Parameters are stored and trained: NaN/Inf is refused on entry (one host sync each).
    list.forEach((t, k) => assertFinite(t, `params tensor ${k}`));
    this.factorization = kind;
    this.parts = parts;
    this.tensorizedShape = [...parts.batch, [...parts.out], [...parts.in]];
    this.rank = rank;
    this.trainable = opts.trainable ?? true;
    this.vars = list.map((t) => tf.variable(t, this.trainable));
    tf.dispose(list);
  }

  /**
   * A new tensorized tensor with its rank resolved by tltorch's rules and parameters drawn
   * so that the reconstruction's entries have std `std` (see `normal`).
   */
  static new(tensorizedShape: TensorizedShape, options: NewTensorizedOptions | null = {}): TensorizedTensor {
    const opts = checkOptions(options, ['rank', 'factorization', 'std', 'seed', 'trainable'], 'TensorizedTensor.new');
    checkSeed(opts.seed);
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    const kind = parseFactorization(opts.factorization ?? 'cp');
    const parts = parseTensorizedShape(tensorizedShape);
    const rank = resolveTensorizedRank(kind, tensorizedShape, opts.rank ?? 'same');
    const std = opts.std ?? 0.02;
    checkStd(std);
    checkParamAllocation(kind, parts, rank);
    const params = normalParams(kind, parts, rank, std, opts.seed);
    return new TensorizedTensor(tensorizedShape, kind, params, { trainable: opts.trainable });
  }

  /**
   * tltorch `TensorizedTensor.from_matrix`: decompose `matrix` (batch..., out, in) at `rank`
   * (CP: parafac with l2Reg 1e-5; Tucker: tucker; BlockTT: tensorTrainMatrix; dense: copy).
   */
  static fromMatrix(
    matrix: TensorLike,
    tensorizedShape: TensorizedShape,
    options: { rank?: TensorizedRank; factorization?: Factorization | string; decomposition?: DecompositionOptions; trainable?: boolean } | null = {},
  ): TensorizedTensor {
    const opts = checkOptions(options, ['rank', 'factorization', 'decomposition', 'trainable'], 'TensorizedTensor.fromMatrix');
    if (opts.trainable !== undefined) checkBoolOption(opts.trainable, 'trainable');
    checkDecomposition(opts.decomposition);
    const kind = parseFactorization(opts.factorization ?? 'cp');
    const parts = parseTensorizedShape(tensorizedShape);
    const rank = resolveTensorizedRank(kind, tensorizedShape, opts.rank ?? 'same');
    checkParamAllocation(kind, parts, rank);
    const params = decomposeMatrix(matrix, kind, parts, rank, opts.decomposition ?? {});
    return new TensorizedTensor(tensorizedShape, kind, params, { trainable: opts.trainable });
  }

  /** The parameters (the live tf.Variables), as a FactorParams view. */
  get params(): FactorParams {
    this.checkAlive();
    return paramsFromList(this.factorization, this.vars);
  }

  /** The trainable variables, in `paramList` order. */
  get variables(): tf.Variable[] {
    this.checkAlive();
    return [...this.vars];
  }

  /** Matrix shape (batch..., out, in): tltorch's `.shape`. */
  get shape(): number[] {
    return matrixShape(this.parts);
  }

  /** Flattened tensor shape (batch..., out..., in...): tltorch's `.tensor_shape`. */
  get tensorShape(): number[] {
    return flatShape(this.parts);
  }

  get nLayers(): number {
    return prod(this.parts.batch);
  }

  get paramCount(): number {
    return paramCountOf(this.factorization, this.parts, this.rank);
  }

  /** Reconstruction over the flattened shape (batch..., out..., in...). */
  toTensor(): tf.Tensor {
    this.checkAlive();
    return paramsToTensor(this.params, this.parts);
  }

  /** Reconstruction as a matrix (batch..., out, in): a C-order reshape of `toTensor()`. */
  toMatrix(): tf.Tensor {
    this.checkAlive();
    return paramsToMatrix(this.params, this.parts);
  }

  /**
   * Re-draw the parameters in place so that the reconstruction's entries have mean 0 and
   * std `std` (tltorch `normal_`): CP weights 1 and factors N(0, (std/sqrt(R))^(1/N));
   * Tucker core and factors N(0, (std/prod sqrt(R_k))^(1/(N+1))); block-TT cores
   * N(0, (std/sqrt(prod r_k))^(1/n)) for n cores (tltorch uses the matrix order instead of
   * n and misses the std); dense N(0, std). N = order of the flattened tensor.
   */
  normal(std = 0.02, seed?: number): this {
    this.checkAlive();
    checkStd(std);
    checkSeed(seed);
    const fresh = paramList(normalParams(this.factorization, this.parts, this.rank, std, seed));
    this.vars.forEach((v, k) => v.assign(fresh[k]));
    tf.dispose(fresh);
    return this;
  }

  /**
   * tltorch `init_from_matrix(matrix, **kwargs)`: decompose `matrix` (batch..., out, in) at
   * this tensor's rank and replace the parameters. CP runs `parafac(t, R, { l2Reg: 1e-5,
   * ...decomposition })` as tltorch's `CPTensor.init_from_tensor`; Tucker `tucker`; BlockTT
   * `tensorTrainMatrix` (the rank is refreshed from the cores); dense copies.
   */
  initFromMatrix(matrix: TensorLike, decomposition: DecompositionOptions = {}): this {
    this.checkAlive();
    checkDecomposition(decomposition);
    const params = decomposeMatrix(matrix, this.factorization, this.parts, this.rank, decomposition);
    const list = paramList(params);
    const rank = rankFromParams(params);
    const old = this.vars;
    this.vars = list.map((t) => tf.variable(t, this.trainable));
    tf.dispose(list);
    tf.dispose(old);
    this.rank = rank;
    return this;
  }

  /**
   * Layer `i` of the first batch mode, as a new tensorized tensor (tltorch `self[i]`):
   * CP absorbs the layer factor's row into the weights, Tucker contracts it into the core,
   * BlockTT slices every core, dense slices the matrix. The result owns copies.
   */
  index(i: number): TensorizedTensor {
    this.checkAlive();
    if (this.parts.batch.length === 0) {
      throw new ModeError(`index: this tensorized tensor of shape ${describe(this.tensorizedShape)} has no batch (layer) mode to index`);
    }
    checkLayerIndex(i, this.parts.batch[0], 'index');
    const { params, shape } = indexLayer(this.params, this.parts, i);
    return new TensorizedTensor([...shape.batch, shape.out, shape.in], this.factorization, params, { trainable: this.trainable });
  }

  /** A copy with new variables. */
  clone(): TensorizedTensor {
    this.checkAlive();
    const list = tf.tidy(() => this.vars.map((v) => tf.clone(v)));
    return new TensorizedTensor(this.tensorizedShape, this.factorization, paramsFromList(this.factorization, list), { trainable: this.trainable });
  }

  override toString(): string {
    return `TensorizedTensor(factorization=${this.factorization}, shape=${describe(this.tensorizedShape)}, rank=${describe(this.rank)})`;
  }

  protected disposeOwned(): void {
    tf.dispose(this.vars);
    this.vars = [];
  }
}

export { checkLayerIndex };

/** The `decomposition` options object (its keys are checked by parafac / tucker / tensorTrainMatrix). */
function checkDecomposition(d: unknown): void {
  if (d !== undefined && d !== null && (typeof d !== 'object' || Array.isArray(d))) {
    throw new ArgumentError(`decomposition must be an options object for parafac / tucker / tensorTrainMatrix; got ${describe(d)}`);
  }
}

function checkStd(std: unknown): void {
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
    throw new ArgumentError(`std must be a finite non-negative number; got ${describe(std)}`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** Parameters drawn so that the reconstruction has entry std `std` (see `TensorizedTensor.normal`). */
export function normalParams(kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank, std: number, seed?: number): FactorParams {
  checkStd(std);
  checkSeed(seed);
  if (kind === 'cp' && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 1)) throw new RankError(`rank of 'cp' parameters must be a positive integer; got ${describe(rank)}`);
  checkParamAllocation(kind, s, rank);
  const rng = createRng(seed);
  const shapes = paramShapes(kind, s, rank);
  const draw = (shape: number[], sigma: number): tf.Tensor =>
    tf.tidy(() => tf.mul(normalTensor(shape, rng), tf.scalar(sigma)));
  const order = flatShape(s).length;
  switch (kind) {
    case 'cp': {
      const r = rank as number;
      const sigma = (std / Math.sqrt(r)) ** (1 / order);
      return { kind, weights: tf.ones([r]), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'tucker': {
      const r = rank as number[];
      const sigma = (std / Math.sqrt(prod(r))) ** (1 / (order + 1));
      return { kind, core: draw(shapes[0], sigma), factors: shapes.slice(1).map((sh) => draw(sh, sigma)) };
    }
    case 'blocktt': {
      // W entry = sum over the internal bonds (prod r_k terms) of a product of n core entries:
      // var = prod(r) sigma^(2n), so sigma = (std / sqrt(prod r))^(1/n).
      const r = rank as number[];
      const sigma = (std / Math.sqrt(prod(r))) ** (1 / shapes.length);
      return { kind, cores: shapes.map((sh) => draw(sh, sigma)) };
    }
    case 'dense':
      return { kind, matrix: draw(shapes[0], std) };
  }
}

interface CpLike {
  weights: tf.Tensor | null;
  factors: tf.Tensor[];
  dispose(): void;
}
interface TuckerLike {
  core: tf.Tensor;
  factors: tf.Tensor[];
  dispose(): void;
}

/** Decompose a matrix (batch..., out, in) into `kind` parameters at a resolved rank. */
export function decomposeMatrix(matrix: TensorLike, kind: Factorization, s: ParsedTensorizedShape, rank: ResolvedRank, decomposition: DecompositionOptions): FactorParams {
  kind = parseFactorization(kind);
  checkDecomposition(decomposition);
  if (kind === 'cp' && !(typeof rank === 'number' && Number.isInteger(rank) && rank >= 1)) throw new RankError(`rank of a 'cp' decomposition must be a positive integer; got ${describe(rank)}`);
  decomposition = decomposition ?? {};
  const m = toTensor(matrix, 'matrix');
  const owned = m !== matrix;
  try {
    const want = matrixShape(s);
    if (!sameShape(m.shape, want)) {
      throw new ShapeError(`matrix must have shape ${describe(want)} (batch..., out, in) for tensorized shape ${describe([...s.batch, s.out, s.in])}; got ${describe(m.shape)}`);
    }
    assertFinite(m, 'matrix');
    const fs = flatShape(s);
    switch (kind) {
      case 'dense':
        return { kind, matrix: tf.clone(m) };
      case 'cp': {
        const t = m.reshape(fs);
        try {
          const cp = parafac(t, rank as number, { l2Reg: 1e-5, ...decomposition });
          const r = cp.factors[0].shape[1] as number;
          const weights = cp.weights ? tf.clone(cp.weights) : tf.ones([r]);
          const factors = cp.factors.map((f) => tf.clone(f));
          cp.dispose();
          return { kind, weights, factors };
        } finally {
          t.dispose();
        }
      }
      case 'tucker': {
        const t = m.reshape(fs);
        try {
          const tk = tucker(t, rank as number[], decomposition);
          const out = { kind, core: tf.clone(tk.core), factors: tk.factors.map((f) => tf.clone(f)) } as const;
          tk.dispose();
          return out;
        } finally {
          t.dispose();
        }
      }
      case 'blocktt':
        return decomposeBlockTt(m, s, rank as number[], decomposition);
    }
    throw new ArgumentError(`unknown factorization ${describe(kind)}`);
  } finally {
    if (owned) m.dispose();
  }
}

/**
 * Block-TT from a matrix. Without batch modes this is TensorLy's `tensor_train_matrix` of the
 * (out..., in...) tensor. With batch modes (joint layers), the batch is merged into the first
 * row mode, the TT-matrix is computed, and the batch index is split back out of core 0 while
 * the other cores are replicated along it; this represents every layer exactly as the TT-SVD
 * of the merged tensor does (tltorch's own init cannot handle the batch mode).
 */
function decomposeBlockTt(m: tf.Tensor, s: ParsedTensorizedShape, rank: number[], decomposition: DecompositionOptions): FactorParams {
  const b = prod(s.batch);
  const rows = [b * s.out[0], ...s.out.slice(1)];
  const t = m.reshape([...rows, ...s.in]);
  let tt: { dispose(): void } & Record<string, unknown>;
  try {
    tt = tensorTrainMatrix(t, rank, decomposition) as never;
  } finally {
    t.dispose();
  }
  const raw = ((tt as { cores?: tf.Tensor[] }).cores ?? (tt as { factors?: tf.Tensor[] }).factors) as tf.Tensor[];
  const cores = tf.tidy(() =>
    raw.map((c, k) => {
      const [r0, , inK, r1] = c.shape as [number, number, number, number];
      if (s.batch.length === 0) return tf.clone(c);
      if (k === 0) return c.reshape([r0, ...s.batch, s.out[0], inK, r1]);
      const ones = s.batch.map(() => 1);
      return tf.tile(c.reshape([r0, ...ones, s.out[k], inK, r1]), [1, ...s.batch, 1, 1, 1]);
    }),
  );
  tt.dispose();
  return { kind: 'blocktt', cores };
}
