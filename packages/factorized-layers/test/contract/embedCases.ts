/**
 * Bad-input cases of FactorizedEmbedding, TRL, TCL, the tensor hooks and their tfjs-layers
 * adapters (issue 12, part 2), spread into the package's contract table (`badInput.test.ts`).
 * Every case builds its inputs inside `run` and disposes them.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, NonFiniteError, RankError, ShapeError } from '@tenfold/core';
import * as pkg from '@tenfold/factorized-layers';
import type { BadCase } from '../../../../test-utils/contract.js';

const P = pkg as Record<string, any>;

/** Build `make()`, run `fn` on it, dispose it (objects with dispose() or tensors). */
function using<T extends { dispose(): unknown }>(make: () => T, fn: (x: T) => unknown): unknown {
  const x = make();
  try {
    return fn(x);
  } finally {
    x.dispose();
  }
}
const emb = () => new P.FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, nTensorizedModes: 2, rank: 2, seed: 1 });
const ft = () => P.FactorizedTensor.new([4, 5], 'same', 'cp', { seed: 1 });

export const embedCases: BadCase[] = [
  { exp: 'FactorizedEmbedding', cls: 'null', name: 'constructor null', run: () => new P.FactorizedEmbedding(null), error: ArgumentError, arg: 'options' },
  { exp: 'FactorizedEmbedding', cls: 'number', name: 'numEmbeddings 0', run: () => new P.FactorizedEmbedding({ numEmbeddings: 0, embeddingDim: 8 }), error: ArgumentError, arg: 'numEmbeddings' },
  { exp: 'FactorizedEmbedding', cls: 'shape', name: 'tensorized vocabulary 20 for 24', run: () => new P.FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, tensorizedNumEmbeddings: [4, 5], tensorizedEmbeddingDim: [2, 4] }), error: ShapeError, arg: 'tensorizedNumEmbeddings' },
  { exp: 'FactorizedEmbedding', cls: 'unknownOption', name: 'misspelt rank', run: () => new P.FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, rnak: 2 }), error: ArgumentError, arg: 'rnak' },
  { exp: 'FactorizedEmbedding', cls: 'rank', name: 'rank -1', run: () => new P.FactorizedEmbedding({ numEmbeddings: 24, embeddingDim: 8, rank: -1 }), error: RankError, arg: 'rank' },
  { exp: 'FactorizedEmbedding', cls: 'shape', name: 'apply: index out of range', run: () => using(emb, (e) => e.apply([24])), error: ShapeError, arg: 'indices' },
  { exp: 'FactorizedEmbedding', cls: 'number', name: 'apply: non-integer index', run: () => using(emb, (e) => e.apply([1.5])), error: ArgumentError, arg: 'indices' },
  { exp: 'FactorizedEmbedding', cls: 'number', name: 'apply: layer 1 of 1', run: () => using(emb, (e) => e.apply([1], 1)), error: ModeError, arg: 'layerIndex' },
  { exp: 'FactorizedEmbedding', cls: 'disposed', name: 'apply after dispose', run: () => { const e = emb(); e.dispose(); return e.apply([0]); }, error: ArgumentError, arg: 'disposed' },
  { exp: 'FactorizedEmbedding', cls: 'nan', name: 'fromEmbedding: NaN table', run: () => P.FactorizedEmbedding.fromEmbedding([[NaN, 1], [1, 1]], { tensorizedShape: [[2], [2]] }), error: NonFiniteError, arg: 'table' },
  { exp: 'FactorizedEmbedding', cls: 'ndim', name: 'fromEmbedding: a vector', run: () => P.FactorizedEmbedding.fromEmbedding([1, 2, 3]), error: ShapeError, arg: 'table' },
  { exp: 'FactorizedEmbedding', cls: 'type', name: "fromEmbedding: factorization 'tt'", run: () => P.FactorizedEmbedding.fromEmbedding([[1, 1], [1, 1]], { factorization: 'tt' }), error: ArgumentError, arg: 'factorization' },
  { exp: 'SubFactorizedEmbedding', cls: 'type', name: 'main not an embedding', run: () => new P.SubFactorizedEmbedding({}, 0), error: ArgumentError, arg: 'main' },
  { exp: 'resolveEmbeddingShape', cls: 'number', name: 'embeddingDim 0', run: () => P.resolveEmbeddingShape(24, 0, {}), error: ArgumentError, arg: 'embeddingDim' },
  { exp: 'checkIndices', cls: 'shape', name: 'negative index', run: () => P.checkIndices([-1], 4), error: ShapeError, arg: 'indices' },
  { exp: 'checkIndices', cls: 'null', name: 'null', run: () => P.checkIndices(null, 4), arg: 'indices' },
  { exp: 'TCL', cls: 'shape', name: 'rank list of the wrong length', run: () => new P.TCL({ inputShape: [3, 4], rank: [2] }), error: ShapeError, arg: 'rank' },
  { exp: 'TCL', cls: 'unknownOption', name: 'misspelt bias', run: () => new P.TCL({ inputShape: [3], rank: 2, bais: true }), error: ArgumentError, arg: 'bais' },
  { exp: 'TCL', cls: 'shape', name: 'apply: wrong input shape', run: () => using(() => new P.TCL({ inputShape: [3, 4], rank: 2, seed: 1 }), (t) => t.apply([[[1, 2, 3]]])), error: ShapeError, arg: 'x' },
  { exp: 'TCL', cls: 'nan', name: 'setWeights: NaN factor', run: () => using(() => new P.TCL({ inputShape: [2], rank: 1, seed: 1 }), (t) => t.setWeights([[[NaN, 1]]])), error: NonFiniteError, arg: 'factors' },
  { exp: 'TRL', cls: 'type', name: "factorization 'blocktt'", run: () => new P.TRL({ inputShape: [3, 4], outputShape: 2, factorization: 'blocktt' }), error: ArgumentError, arg: 'factorization' },
  { exp: 'TRL', cls: 'shape', name: 'outputShape 0', run: () => new P.TRL({ inputShape: [3], outputShape: 0 }), error: ShapeError, arg: 'outputShape' },
  { exp: 'TRL', cls: 'shape', name: 'apply: wrong input shape', run: () => using(() => new P.TRL({ inputShape: [3, 4], outputShape: 2, seed: 1 }), (t) => t.apply([[1, 2, 3]])), error: ShapeError, arg: 'x' },
  { exp: 'TRL', cls: 'shape', name: 'initFromLinear: wrong weight shape', run: () => using(() => new P.TRL({ inputShape: [3, 4], outputShape: 2, seed: 1 }), (t) => t.initFromLinear({ weight: [[1, 2]] })), error: ShapeError, arg: 'linear.weight' },
  { exp: 'tensorDropout', cls: 'number', name: 'p = 1', run: () => using(ft, (t) => P.tensorDropout(t, { p: 1 })), error: ArgumentError, arg: 'p' },
  { exp: 'tensorDropout', cls: 'type', name: 'not a factorized tensor', run: () => P.tensorDropout({}, { p: 0.1 }), error: ArgumentError, arg: 'ft' },
  { exp: 'TensorDropout', cls: 'unknownOption', name: 'misspelt minDim', run: () => new P.TensorDropout({ mindim: 2 }), error: ArgumentError, arg: 'mindim' },
  { exp: 'removeTensorDropout', cls: 'type', name: 'no dropout attached', run: () => using(ft, (t) => P.removeTensorDropout(t)), error: ArgumentError, arg: 'ft' },
  { exp: 'tensorLasso', cls: 'number', name: 'penalty -1', run: () => P.tensorLasso({ penalty: -1 }), error: ArgumentError, arg: 'penalty' },
  { exp: 'TensorLasso', cls: 'type', name: 'apply to a dense tensor', run: () => using(() => P.FactorizedTensor.new([3, 4], 'same', 'dense', { seed: 1 }), (t) => new P.TensorLasso().apply(t)), error: ArgumentError, arg: 'dense' },
  { exp: 'registerTensorHook', cls: 'type', name: 'not a factorized tensor', run: () => P.registerTensorHook(5, {}), error: ArgumentError, arg: 'factorizedTensor' },
  { exp: 'removeTensorHook', cls: 'type', name: 'not a factorized tensor', run: () => P.removeTensorHook('x', {}), error: ArgumentError, arg: 'factorizedTensor' },
  { exp: 'tensorHooks', cls: 'null', name: 'null', run: () => P.tensorHooks(null), error: ArgumentError, arg: 'factorizedTensor' },
  { exp: 'hookedParams', cls: 'disposed', name: 'disposed tensor', run: () => { const t = ft(); t.dispose(); return P.hookedParams(t, true); }, error: ArgumentError, arg: 'disposed' },
  { exp: 'hookedTensor', cls: 'null', name: 'null tensor', run: () => P.hookedTensor(null, true), error: ArgumentError, arg: 'factorizedTensor' },
  { exp: 'FactorizedEmbeddingLayer', cls: 'number', name: 'inputDim 0', run: () => new P.FactorizedEmbeddingLayer({ inputDim: 0, outputDim: 4 }), error: ArgumentError, arg: 'inputDim' },
  { exp: 'FactorizedEmbeddingLayer', cls: 'type', name: 'fromEmbedding of a Dense layer', run: () => P.FactorizedEmbeddingLayer.fromEmbedding(tf.layers.dense({ units: 2 })), error: ArgumentError, arg: 'embedding' },
  { exp: 'TRLLayer', cls: 'unknownOption', name: 'misspelt units', run: () => new P.TRLLayer({ unit: 2 }), error: ArgumentError, arg: 'unit' },
  { exp: 'TCLLayer', cls: 'shape', name: 'rank with a 0', run: () => new P.TCLLayer({ rank: [2, 0] }), error: ShapeError, arg: 'rank' },
];
