/**
 * `FactorizedEmbeddingLayer` (serialized as 'FactorizedEmbedding'): a tfjs-layers
 * `Embedding` whose (inputDim, outputDim) table is tensorized and factorized (block-TT, CP,
 * Tucker, dense) and looked up without being reconstructed (`../embedding/lookup.ts`), the
 * same code as `FactorizedEmbedding`. Registered with `tf.serialization.registerClass`, so
 * models that contain it save and load with any tfjs IOHandler. tfjs's Embedding table is
 * (inputDim, outputDim), the same layout as PyTorch's: no conversion at this boundary.
 */
import { ArgumentError, ShapeError, checkIntOption, checkOptions, describe, tf } from '@tenfold/core';
import { checkRankSpec } from '../internal/paramChecks.js';
import { checkSeed, optionKeys } from '../internal/checks.js';
import { parseTensorizedShape, type TensorizedRank } from '../tensorized/shape.js';
import { type Factorization, type ResolvedRank, paramList, paramShapes, paramsFromList } from '../tensorized/params.js';
import { checkParamAllocation, resolveTensorizedRank } from '../tensorized/rank.js';
import { normalParams } from '../tensorized/init.js';
import { parseFactorization } from '../tensorized/params.js';
import type { DecompositionOptions } from '../tensorized/decompose.js';
import { FactorizedEmbedding, checkIndices, resolveEmbeddingShape } from '../embedding/factorizedEmbedding.js';
import { lookupRows } from '../embedding/lookup.js';
import { disposeLayer, type TfjsLayerKeys } from './layerArgs.js';

export interface FactorizedEmbeddingLayerArgs {
  /** Vocabulary size V. */
  inputDim: number;
  /** Embedding size D. */
  outputDim: number;
  tensorizedNumEmbeddings?: number[];
  tensorizedEmbeddingDim?: number[];
  /** Order of the automatic tensorization (default 3). */
  nTensorizedModes?: number;
  /** Default 'blocktt'. */
  factorization?: Factorization | string;
  /** Default 8; after build, getConfig stores the resolved rank. */
  rank?: TensorizedRank;
  seed?: number;
  name?: string;
  inputShape?: number[];
  batchInputShape?: number[];
  inputLength?: number;
  trainable?: boolean;
}

const KEYS = optionKeys<FactorizedEmbeddingLayerArgs & TfjsLayerKeys>()(
  'inputDim', 'outputDim', 'tensorizedNumEmbeddings', 'tensorizedEmbeddingDim', 'nTensorizedModes', 'factorization', 'rank', 'seed',
  'name', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'trainable', 'weights', 'inputDType', 'inputLength', 'customObjects', 'fastWeightInit',
);

function checkArgs(args: FactorizedEmbeddingLayerArgs): FactorizedEmbeddingLayerArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ArgumentError(`FactorizedEmbeddingLayer args must be an object; got ${describe(args)}`);
  checkOptions(args, KEYS, 'FactorizedEmbeddingLayer', 'args');
  checkIntOption(args.inputDim, 'inputDim', 1);
  checkIntOption(args.outputDim, 'outputDim', 1);
  if (args.rank != null) checkRankSpec(args.rank);
  checkSeed(args.seed);
  const out = { ...args };
  // tfjs' Embedding turns inputLength into an input shape; do the same.
  if (args.inputLength !== undefined && args.inputShape === undefined && args.batchInputShape === undefined) out.inputShape = [args.inputLength];
  delete out.inputLength;
  return out;
}

const FROM_EMBEDDING_LAYER_OPTIONS = optionKeys<NonNullable<Parameters<typeof FactorizedEmbeddingLayer.fromEmbedding>[1]>>()('rank', 'factorization', 'tensorizedShape', 'nTensorizedModes', 'decomposition', 'name');

export class FactorizedEmbeddingLayer extends tf.layers.Layer {
  static className = 'FactorizedEmbedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly factorization: Factorization;
  readonly tensorizedNumEmbeddings: number[];
  readonly tensorizedEmbeddingDim: number[];
  private readonly seed?: number;
  private readonly rankSpec: TensorizedRank;
  private resolvedRank: ResolvedRank = null;
  private paramVars: tf.LayerVariable[] = [];
  /** @internal Values given by `fromEmbedding`, consumed by `build`. */
  private pending: tf.Tensor[] | null = null;

  /** @throws ArgumentError, ShapeError, RankError */
  constructor(args: FactorizedEmbeddingLayerArgs) {
    const a = checkArgs(args);
    super(a);
    this.inputDim = a.inputDim;
    this.outputDim = a.outputDim;
    this.factorization = parseFactorization(a.factorization ?? 'blocktt');
    [this.tensorizedNumEmbeddings, this.tensorizedEmbeddingDim] = resolveEmbeddingShape(a.inputDim, a.outputDim, {
      nTensorizedModes: a.nTensorizedModes,
      tensorizedNumEmbeddings: a.tensorizedNumEmbeddings,
      tensorizedEmbeddingDim: a.tensorizedEmbeddingDim,
    });
    this.rankSpec = a.rank ?? 8;
    this.seed = a.seed;
    // Resolve now so that a bad rank fails at construction, before any weight exists.
    this.resolvedRank = resolveTensorizedRank(this.factorization, this.ts, this.rankSpec);
  }

  private get ts(): number[][] {
    return [this.tensorizedNumEmbeddings, this.tensorizedEmbeddingDim];
  }

  get rank(): ResolvedRank {
    return this.resolvedRank;
  }

  override build(): void {
    const parts = parseTensorizedShape(this.ts);
    checkParamAllocation(this.factorization, parts, this.resolvedRank);
    const shapes = paramShapes(this.factorization, parts, this.resolvedRank);
    const zeros = tf.initializers.zeros();
    this.paramVars = shapes.map((sh, k) => this.addWeight(`${this.factorization}_param_${k}`, sh, 'float32', zeros));
    let init = this.pending;
    this.pending = null;
    // As FactorizedEmbedding (tltorch, after TT-Rec): entries of std 1/sqrt(3 V).
    if (!init) init = paramList(normalParams(this.factorization, parts, this.resolvedRank, 1 / Math.sqrt(3 * this.inputDim), this.seed));
    this.paramVars.forEach((v, k) => v.write((init as tf.Tensor[])[k]));
    tf.dispose(init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape, this.outputDim];
  }

  /** Rows of the table for integer indices of any shape S: (...S, outputDim). @throws ArgumentError, ShapeError (indices) */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const idx = checkIndices(x, this.inputDim, 'inputs');
    try {
      return tf.tidy(() => {
        const params = paramsFromList(this.factorization, this.paramVars.map((v) => v.read()));
        return lookupRows(params, parseTensorizedShape(this.ts), idx.reshape([-1])).reshape([...idx.shape, this.outputDim]);
      });
    } finally {
      if (idx !== x) idx.dispose();
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    const cfg: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      tensorizedNumEmbeddings: [...this.tensorizedNumEmbeddings],
      tensorizedEmbeddingDim: [...this.tensorizedEmbeddingDim],
      factorization: this.factorization,
      rank: (this.resolvedRank ?? this.rankSpec) as tf.serialization.ConfigDictValue,
    };
    if (this.seed !== undefined) cfg.seed = this.seed;
    return cfg;
  }

  /**
   * Convert a built tfjs `Embedding` layer (or a (V, D) table): decomposed as
   * `FactorizedEmbedding.fromEmbedding` does (tltorch `from_embedding`, default 2 modes).
   * @throws ArgumentError (not an Embedding / not built), ShapeError, RankError
   */
  static fromEmbedding(
    embedding: tf.layers.Layer | tf.Tensor,
    opts: { rank?: TensorizedRank; factorization?: Factorization | string; tensorizedShape?: [number[], number[]] | 'auto'; nTensorizedModes?: number; decomposition?: DecompositionOptions; name?: string } | null = {},
  ): FactorizedEmbeddingLayer {
    const o = checkOptions(opts, FROM_EMBEDDING_LAYER_OPTIONS, 'FactorizedEmbeddingLayer.fromEmbedding', 'opts');
    let table: tf.Tensor;
    if (embedding instanceof tf.Tensor) table = embedding;
    else {
      if (!(embedding instanceof tf.layers.Layer) || embedding.getClassName() !== 'Embedding') {
        throw new ArgumentError(`embedding must be a tfjs Embedding layer or a (V, D) table; got ${embedding instanceof tf.layers.Layer ? `a ${embedding.getClassName()} layer` : describe(embedding)}`);
      }
      if (!embedding.built) throw new ArgumentError('embedding must be built so that its table exists');
      table = embedding.getWeights()[0];
    }
    if (table.rank !== 2) throw new ShapeError(`the embedding table must be (V, D); got ${describe(table.shape)}`);
    const { name, ...rest } = o;
    const emb = FactorizedEmbedding.fromEmbedding(table, rest);
    try {
      const layer = new FactorizedEmbeddingLayer({
        inputDim: emb.numEmbeddings,
        outputDim: emb.embeddingDim,
        tensorizedNumEmbeddings: emb.tensorizedNumEmbeddings,
        tensorizedEmbeddingDim: emb.tensorizedEmbeddingDim,
        factorization: emb.factorization,
        rank: emb.rank as TensorizedRank,
        name,
      });
      layer.pending = tf.tidy(() => emb.weight.variables.map((v) => tf.clone(v)));
      return layer;
    } finally {
      emb.dispose();
    }
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const pending = this.pending;
    this.pending = null;
    return disposeLayer(pending, this.built, () => super.dispose());
  }
}

tf.serialization.registerClass(FactorizedEmbeddingLayer);
