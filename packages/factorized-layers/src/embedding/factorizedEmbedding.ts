/**
 * `FactorizedEmbedding`: an embedding table (V, D) tensorized to (v_1..v_n, d_1..d_m) and
 * kept in factorized form (block-TT, CP, Tucker; dense as a baseline); with `nLayers > 1`
 * one factorized tensor over (nLayers, v..., d...) parametrises several tables jointly.
 * Lookups never build the table: `./lookup.ts` contracts the factor rows of each index's
 * mixed-radix digits.
 *
 * Mirrors tltorch 0.5 `FactorizedEmbedding` (`factorized_layers/factorized_embedding.py`):
 * constructor (auto_tensorize / n_tensorized_modes / explicit shapes, factorization
 * 'blocktt', rank 8, std 1/sqrt(3V) as in TT-Rec), `forward(input, indices)` = `apply`,
 * `from_embedding`, `from_embedding_list`, `get_embedding`. Differences
 * (docs/fidelity/factorized-layers2.md): a joint block-TT table can be built from a list
 * (tltorch's `from_embedding_list` raises ValueError), indices are range-checked.
 * Reference: Hrinchuk et al., "Tensorized Embedding Layers" (2020); Yin et al., "TT-Rec" (2021).
 */
import { ArgumentError, ShapeError, describe, tf, toHost64, toTensor, type TensorLike } from '@tenfold/core';
import { getTensorizedShape, prod, type TensorizedRank } from '../tensorized/shape.js';
import { indexLayer } from '../tensorized/params.js';
import { TensorizedTensor, checkLayerIndex } from '../tensorized/tensorizedTensor.js';
import { parseFactorization } from '../tensorized/params.js';
import type { DecompositionOptions } from '../tensorized/decompose.js';
import type { Factorization } from '../tensorized/params.js';
import { assertFinite, checkBoolOption, checkIntOption, checkOptions, optionKeys, checkSeed } from '../internal/checks.js';
import { lookupRows } from './lookup.js';
import { DisposableModule } from '../internal/disposableModule.js';
import { SubModule } from '../internal/subModule.js';

export interface FactorizedEmbeddingOptions {
  numEmbeddings: number;
  embeddingDim: number;
  /** Find the tensorized shapes with getTensorizedShape (default: true unless both are given). */
  autoTensorize?: boolean;
  /** Order of the automatic tensorization (default 3, tltorch's). */
  nTensorizedModes?: number;
  tensorizedNumEmbeddings?: number[];
  tensorizedEmbeddingDim?: number[];
  /** 'blocktt' (default), 'cp', 'tucker', 'dense', or a ready TensorizedTensor (taken over). */
  factorization?: Factorization | string | TensorizedTensor;
  /** Default 8, as tltorch. */
  rank?: TensorizedRank;
  nLayers?: number;
  seed?: number;
}

const FACTORIZED_EMBEDDING_OPTIONS = optionKeys<FactorizedEmbeddingOptions>()('numEmbeddings', 'embeddingDim', 'autoTensorize', 'nTensorizedModes', 'tensorizedNumEmbeddings', 'tensorizedEmbeddingDim', 'factorization', 'rank', 'nLayers', 'seed');

export interface FromEmbeddingOptions {
  rank?: TensorizedRank;
  factorization?: Factorization | string;
  /** `[vocabularyDigits, embeddingDigits]`, or 'auto' (default): getTensorizedShape(V, D, nTensorizedModes). */
  tensorizedShape?: [number[], number[]] | 'auto';
  /** Order of the automatic tensorization (default 2, tltorch's from_embedding). */
  nTensorizedModes?: number;
  /** With a (L, V, D) table: the number of tables L (checked). */
  nLayers?: number;
  /** Options of parafac / tucker / tensorTrainMatrix (camelCase TensorLy names). */
  decomposition?: DecompositionOptions;
}

const FROM_EMBEDDING_OPTIONS = optionKeys<FromEmbeddingOptions>()('rank', 'factorization', 'tensorizedShape', 'nTensorizedModes', 'nLayers', 'decomposition');

const isPosIntList = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((d) => Number.isInteger(d) && d >= 1);

/** Resolve the tensorized shapes as tltorch's constructor does. @throws ArgumentError, ShapeError */
export function resolveEmbeddingShape(
  numEmbeddings: number,
  embeddingDim: number,
  opts: { autoTensorize?: boolean; nTensorizedModes?: number; tensorizedNumEmbeddings?: number[]; tensorizedEmbeddingDim?: number[] },
): [number[], number[]] {
  checkIntOption(numEmbeddings, 'numEmbeddings', 1);
  checkIntOption(embeddingDim, 'embeddingDim', 1);
  if (opts.autoTensorize !== undefined) checkBoolOption(opts.autoTensorize, 'autoTensorize');
  if (opts.nTensorizedModes !== undefined) checkIntOption(opts.nTensorizedModes, 'nTensorizedModes', 1);
  const tv = opts.tensorizedNumEmbeddings;
  const td = opts.tensorizedEmbeddingDim;
  const both = tv !== undefined && td !== undefined;
  const auto = opts.autoTensorize ?? !both;
  if (auto) {
    if (tv !== undefined || td !== undefined) {
      throw new ArgumentError('autoTensorize is true: either let it find the tensorized shapes or pass both tensorizedNumEmbeddings and tensorizedEmbeddingDim without it');
    }
    return getTensorizedShape(numEmbeddings, embeddingDim, { order: opts.nTensorizedModes ?? 3, minDim: 2 });
  }
  if (!isPosIntList(tv)) throw new ShapeError(`tensorizedNumEmbeddings must be a non-empty list of positive integers; got ${describe(tv)}`);
  if (!isPosIntList(td)) throw new ShapeError(`tensorizedEmbeddingDim must be a non-empty list of positive integers; got ${describe(td)}`);
  if (prod(tv) !== numEmbeddings) throw new ShapeError(`tensorizedNumEmbeddings ${describe(tv)} multiply to ${prod(tv)}; numEmbeddings is ${numEmbeddings}`);
  if (prod(td) !== embeddingDim) throw new ShapeError(`tensorizedEmbeddingDim ${describe(td)} multiply to ${prod(td)}; embeddingDim is ${embeddingDim}`);
  return [[...tv], [...td]];
}

const FROM_EMBEDDING_LIST_OPTIONS = optionKeys<Omit<FromEmbeddingOptions, 'nLayers'>>()('rank', 'factorization', 'tensorizedShape', 'nTensorizedModes', 'decomposition');

export class FactorizedEmbedding extends DisposableModule {
  protected readonly moduleName = 'FactorizedEmbedding';
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly tensorizedNumEmbeddings: number[];
  readonly tensorizedEmbeddingDim: number[];
  readonly nLayers: number;
  /** The factorized table over (nLayers?, v..., d...). */
  readonly weight: TensorizedTensor;

  /** @throws ArgumentError (options), ShapeError (tensorized shapes), RankError (rank) */
  constructor(opts: FactorizedEmbeddingOptions) {
    super();
    if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`FactorizedEmbedding: options must be an object { numEmbeddings, embeddingDim, ... }; got ${describe(opts)}`);
    checkOptions(opts, FACTORIZED_EMBEDDING_OPTIONS, 'FactorizedEmbedding');
    checkSeed(opts.seed);
    const [tv, td] = resolveEmbeddingShape(opts.numEmbeddings, opts.embeddingDim, opts);
    const nLayers = opts.nLayers ?? 1;
    checkIntOption(nLayers, 'nLayers', 1);
    const shape = nLayers > 1 ? [nLayers, tv, td] : [tv, td];
    const fz = opts.factorization ?? 'blocktt';
    if (fz instanceof TensorizedTensor) {
      if (fz.isDisposed) throw new ArgumentError('factorization: the given TensorizedTensor has been disposed');
      if (JSON.stringify(fz.tensorizedShape) !== JSON.stringify(shape)) {
        throw new ShapeError(`factorization: the given TensorizedTensor has shape ${describe(fz.tensorizedShape)}; this embedding needs ${describe(shape)} (nLayers?, vocabulary digits, embedding digits)`);
      }
      this.weight = fz;
    } else {
      // tltorch reset_parameters (after TT-Rec): entries of std 1/sqrt(3 V).
      this.weight = TensorizedTensor.new(shape, { factorization: parseFactorization(fz), rank: opts.rank ?? 8, std: 1 / Math.sqrt(3 * opts.numEmbeddings), seed: opts.seed });
    }
    this.numEmbeddings = opts.numEmbeddings;
    this.embeddingDim = opts.embeddingDim;
    this.tensorizedNumEmbeddings = tv;
    this.tensorizedEmbeddingDim = td;
    this.nLayers = nLayers;
  }

  get factorization(): Factorization {
    return this.weight.factorization;
  }
  get rank(): number | number[] | null {
    return this.weight.rank;
  }
  get trainableVariables(): tf.Variable[] {
    return this.weight.variables;
  }
  get paramCount(): number {
    return this.weight.paramCount;
  }
  /** Dense parameters over factorized ones (V D nLayers / paramCount). */
  get compressionRatio(): number {
    return (this.numEmbeddings * this.embeddingDim * this.nLayers) / this.paramCount;
  }

  /**
   * Rows `indices` of table `layerIndex` (tltorch `forward(input, indices)`): indices of any
   * shape S with integer values in [0, V); the result is (...S, D). Differentiable with
   * respect to the factors. Reads the indices on the host once to check them.
   * @throws ArgumentError (non-integer indices), ModeError (bad layerIndex), ShapeError (index out of range)
   */
  apply(indices: TensorLike, layerIndex = 0): tf.Tensor {
    this.checkAlive();
    checkLayerIndex(layerIndex, this.nLayers, 'layerIndex');
    const idx = checkIndices(indices, this.numEmbeddings);
    try {
      return tf.tidy(() => {
        const flat = idx.reshape([-1]);
        const w = this.weight;
        let rows: tf.Tensor;
        if (this.nLayers > 1) {
          const sub = indexLayer(w.params, w.parts, layerIndex);
          rows = lookupRows(sub.params, sub.shape, flat);
        } else rows = lookupRows(w.params, w.parts, flat);
        return rows.reshape([...idx.shape, this.embeddingDim]);
      });
    } finally {
      if (idx !== indices) idx.dispose();
    }
  }

  /** The full table (V, D) of layer `layerIndex` (or (L, V, D) with `layerIndex` null): a reconstruction. */
  toTable(layerIndex: number | null = 0): tf.Tensor {
    this.checkAlive();
    if (layerIndex === null) return this.weight.toMatrix();
    checkLayerIndex(layerIndex, this.nLayers, 'layerIndex');
    if (this.nLayers === 1) return this.weight.toMatrix();
    return tf.tidy(() => tf.gather(this.weight.toMatrix(), layerIndex));
  }

  /** Table i of a joint embedding, sharing the parameters (tltorch `get_embedding`). */
  getEmbedding(i: number): SubFactorizedEmbedding {
    this.checkAlive();
    if (this.nLayers === 1) throw new ArgumentError('getEmbedding: a single table is parametrised (nLayers 1); use this embedding directly');
    return new SubFactorizedEmbedding(this, i);
  }

  override toString(): string {
    return `FactorizedEmbedding(${this.numEmbeddings}, ${this.embeddingDim}, factorization=${this.factorization}, tensorized_shape=${describe(this.weight.tensorizedShape)}, rank=${describe(this.rank)})`;
  }

  protected disposeOwned(): void {
    this.weight.dispose();
  }

  /**
   * tltorch `FactorizedEmbedding.from_embedding`: tensorize `table` (V, D) — or (L, V, D) for
   * L jointly factorized tables — and decompose it (CP: parafac with l2Reg 1e-5; Tucker:
   * tucker (HOOI); BlockTT: tensorTrainMatrix).
   * @throws ShapeError (table shape, tensorizedShape), NonFiniteError, RankError, ArgumentError
   */
  static fromEmbedding(table: TensorLike, options: FromEmbeddingOptions | null = {}): FactorizedEmbedding {
    const opts = checkOptions(options, FROM_EMBEDDING_OPTIONS, 'FactorizedEmbedding.fromEmbedding');
    const kind = parseFactorization(opts.factorization ?? 'blocktt');
    if (opts.nTensorizedModes !== undefined) checkIntOption(opts.nTensorizedModes, 'nTensorizedModes', 1);
    if (opts.nLayers !== undefined) checkIntOption(opts.nLayers, 'nLayers', 1);
    const ts = opts.tensorizedShape ?? 'auto';
    if (ts !== 'auto' && !(Array.isArray(ts) && ts.length === 2)) throw new ArgumentError(`tensorizedShape must be 'auto' or [vocabularyDigits, embeddingDigits]; got ${describe(ts)}`);
    if (opts.decomposition !== undefined && opts.decomposition !== null && (typeof opts.decomposition !== 'object' || Array.isArray(opts.decomposition))) {
      throw new ArgumentError(`decomposition must be an options object; got ${describe(opts.decomposition)}`);
    }
    const t = toTensor(table, 'table');
    try {
      if (t.rank !== 2 && t.rank !== 3) throw new ShapeError(`table must be (V, D) or (L, V, D); got shape ${describe(t.shape)}`);
      if (t.shape.some((d) => d < 1)) throw new ShapeError(`table must not be empty; got shape ${describe(t.shape)}`);
      const nLayers = t.rank === 3 ? t.shape[0] : 1;
      if (opts.nLayers !== undefined && opts.nLayers !== nLayers) throw new ShapeError(`nLayers is ${opts.nLayers} but table has shape ${describe(t.shape)} (${nLayers} table(s))`);
      const [V, D] = t.shape.slice(-2);
      assertFinite(t, 'table');
      const [tv, td] =
        ts === 'auto'
          ? resolveEmbeddingShape(V, D, { nTensorizedModes: opts.nTensorizedModes ?? 2 })
          : resolveEmbeddingShape(V, D, { autoTensorize: false, tensorizedNumEmbeddings: ts[0], tensorizedEmbeddingDim: ts[1] });
      const shape = nLayers > 1 ? [nLayers, tv, td] : [tv, td];
      const weight = TensorizedTensor.fromMatrix(t, shape, { rank: opts.rank ?? 8, factorization: kind, decomposition: opts.decomposition });
      return new FactorizedEmbedding({ numEmbeddings: V, embeddingDim: D, tensorizedNumEmbeddings: tv, tensorizedEmbeddingDim: td, factorization: weight, nLayers });
    } finally {
      if (t !== table) t.dispose();
    }
  }

  /** tltorch `from_embedding_list`: tables (V, D) stacked and factorized jointly. */
  static fromEmbeddingList(tables: TensorLike[], options: Omit<FromEmbeddingOptions, 'nLayers'> | null = {}): FactorizedEmbedding {
    if (!Array.isArray(tables) || tables.length === 0) throw new ArgumentError(`tables must be a non-empty list of (V, D) tables; got ${describe(tables)}`);
    const opts = checkOptions(options, FROM_EMBEDDING_LIST_OPTIONS, 'FactorizedEmbedding.fromEmbeddingList');
    const owned: tf.Tensor[] = [];
    try {
      const ts = tables.map((x, i) => {
        const t = toTensor(x, `tables[${i}]`);
        if (t !== x) owned.push(t);
        if (t.rank !== 2) throw new ShapeError(`tables[${i}] must be (V, D); got shape ${describe(t.shape)}`);
        return t;
      });
      ts.forEach((t, i) => {
        if (t.shape[0] !== ts[0].shape[0] || t.shape[1] !== ts[0].shape[1]) throw new ShapeError(`tables[${i}] has shape ${describe(t.shape)}; tables[0] has ${describe(ts[0].shape)}`);
      });
      const stacked = tf.stack(ts);
      owned.push(stacked);
      return FactorizedEmbedding.fromEmbedding(stacked, { ...opts, nLayers: ts.length });
    } finally {
      tf.dispose(owned);
    }
  }
}

/** Table i of a joint FactorizedEmbedding; shares its parameters (tltorch `SubFactorizedEmbedding`). */
export class SubFactorizedEmbedding extends SubModule<FactorizedEmbedding> {
  constructor(main: FactorizedEmbedding, layerIndex: number) {
    super(main, layerIndex, FactorizedEmbedding, 'FactorizedEmbedding');
  }
  override toString(): string {
    return `SubFactorizedEmbedding ${this.layerIndex} of ${this.main.toString()}`;
  }
}

/**
 * Indices as an int32 tensor with every value an integer in [0, V) (one host read).
 * @throws ArgumentError (not integers), ShapeError (out of range)
 */
export function checkIndices(indices: TensorLike, numEmbeddings: number, argName = 'indices'): tf.Tensor {
  const t = toTensor(indices, argName);
  try {
    const vals = toHost64(t);
    for (let k = 0; k < vals.length; k++) {
      const v = vals[k];
      if (!Number.isInteger(v)) throw new ArgumentError(`${argName} must hold integers; got ${describe(v)} at flat position ${k}`);
      if (v < 0 || v >= numEmbeddings) throw new ShapeError(`${argName} must lie in [0, ${numEmbeddings}) (numEmbeddings); got ${v} at flat position ${k}`);
    }
    if (t.dtype === 'int32') return t;
    const c = tf.cast(t, 'int32');
    if (t !== indices) t.dispose();
    return c;
  } catch (e) {
    if (t !== indices) t.dispose();
    throw e;
  }
}
