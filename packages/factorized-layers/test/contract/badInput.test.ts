/**
 * Bad-input contract of every public export of @tenfold/factorized-layers (Tenfold issue 10):
 * table-driven over the bad-input classes, on whichever backend runs (wasm; cpu with
 * TENFOLD_BACKEND=cpu).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, NonFiniteError, NotSupportedError, RankError, ShapeError } from '@tenfold/core';
import * as pkg from '@tenfold/factorized-layers';
import {
  FactorizedDense,
  FactorizedLinear,
  LowRankSolution,
  SubFactorizedLinear,
  TensorizedTensor,
  type ConvSpec,
  type ContractionPlan,
  type FactorParams,
  type ParsedTensorizedShape,
} from '@tenfold/factorized-layers';
import { checkCoverage, countByClass, runCases, type BadCase } from '../../../../test-utils/contract.js';
import { factorizedTensorCases } from './factorizedCases.js';
import { embedCases } from './embedCases.js';

const P = pkg as Record<string, any>;

const S = [[4, 4], [3, 3]];
const nan2 = () => tf.tensor2d([[NaN, 1, 2, 3, 4, 5, 6, 7, 8]]);

/** Inputs of single cases, built once so that the leak check of a case does not count them. */
const inl = {} as Record<string, tf.Tensor>;

/** Shared live objects, built once (outside the leak measurement of each case). */
const f = {} as {
  w: tf.Tensor2D;
  wNaN: tf.Tensor2D;
  wInf: tf.Tensor2D;
  dead: tf.Tensor;
  conv: tf.Tensor4D;
  convNaN: tf.Tensor4D;
  x4: tf.Tensor4D;
  tt: TensorizedTensor;
  ttJoint: TensorizedTensor;
  ttDead: TensorizedTensor;
  layer: FactorizedLinear;
  joint: FactorizedLinear;
  layerDead: FactorizedLinear;
  parts: ParsedTensorizedShape;
  jointParts: ParsedTensorizedShape;
  params: FactorParams;
  plan: ContractionPlan;
  sol: LowRankSolution;
  solDead: LowRankSolution;
  specs: ConvSpec[];
  deadSpecs: ConvSpec[];
  model: tf.Sequential;
  dense: tf.layers.Layer;
  /** Embedding -> Conv1D, for compressModel's whole-kernel options. */
  seqModel: tf.Sequential;
};

beforeAll(() => {
  inl.in0 = nan2();
  inl.in1 = tf.zeros([0, 3]);
  inl.in2 = tf.zeros([0, 3, 3, 3]);
  inl.in3 = tf.fill([4, 3, 3, 3], Infinity);
  inl.in4 = tf.fill([1, 3, 6, 6], NaN);
  inl.in5 = tf.ones([1, 5, 6, 6]);
  inl.in6 = tf.ones([3, 6, 6]);
  inl.in7 = tf.ones([9, 9]);
  inl.in8 = tf.eye(9);
  inl.in9 = tf.ones([3, 3]);
  inl.in10 = tf.ones([3, 9]);
  inl.in11 = tf.zeros([0, 9]);
  inl.in12 = tf.fill([1, 1, 3, 3], NaN);
  inl.in13 = tf.fill([4, 6], NaN);
  inl.kx = tf.zeros([4, 6]);
  inl.ky = tf.tensor1d([0, 1, 2, 3], 'int32');
  inl.e16 = tf.eye(16);
  inl.e9 = tf.eye(9);
  inl.in14 = tf.ones([4, 6]);
  const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
  f.w = rnd([16, 9], 1) as tf.Tensor2D;
  f.wNaN = tf.tidy(() => tf.where(tf.equal(tf.range(0, 144).reshape([16, 9]), 5), tf.fill([16, 9], NaN), f.w)) as tf.Tensor2D;
  f.wInf = tf.tidy(() => tf.where(tf.equal(tf.range(0, 144).reshape([16, 9]), 7), tf.fill([16, 9], Infinity), f.w)) as tf.Tensor2D;
  f.dead = tf.zeros([16, 9]);
  f.dead.dispose();
  f.conv = rnd([4, 3, 3, 3], 2) as tf.Tensor4D;
  f.convNaN = tf.tidy(() => tf.where(tf.equal(tf.range(0, 108).reshape([4, 3, 3, 3]), 3), tf.fill([4, 3, 3, 3], NaN), f.conv)) as tf.Tensor4D;
  f.x4 = rnd([2, 3, 6, 6], 3) as tf.Tensor4D;
  f.tt = TensorizedTensor.new([[4, 4], [3, 3]], { rank: 0.5, seed: 1 });
  f.ttJoint = TensorizedTensor.new([2, [4, 4], [3, 3]], { rank: 0.5, seed: 1 });
  f.ttDead = TensorizedTensor.new([[4, 4], [3, 3]], { rank: 2, seed: 1 });
  f.ttDead.dispose();
  f.layer = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 0.5, seed: 1 });
  f.joint = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 0.5, nLayers: 2, seed: 1 });
  f.layerDead = new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 2, seed: 1 });
  f.layerDead.dispose();
  f.parts = P.parseTensorizedShape([[4, 4], [3, 3]]);
  f.jointParts = P.parseTensorizedShape([2, [4, 4], [3, 3]]);
  f.params = f.tt.params;
  f.plan = P.planLinear({ factorization: 'cp', out: [4, 4], in: [3, 3], rank: f.tt.rank }, 2, 'factorized');
  f.sol = P.factorizeConv2d(f.x4, f.conv, { rank: 2, nIters: 1 });
  f.solDead = P.factorizeConv2d(f.x4, f.conv, { rank: 2, nIters: 1 });
  f.solDead.dispose();
  f.specs = P.lowRankConvSpecs(f.sol);
  const solForDeadSpecs = P.factorizeConv2d(f.x4, f.conv, { rank: 2, nIters: 1 });
  f.deadSpecs = P.lowRankConvSpecs(solForDeadSpecs);
  solForDeadSpecs.dispose(); // the specs share the solution's tensors: now they are dead
  f.model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [6] })] });
  f.dense = f.model.layers[0];
  f.seqModel = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 8, outputDim: 4, inputLength: 5, name: 'cEmb' }), tf.layers.conv1d({ filters: 4, kernelSize: 2, name: 'cC1d' })] });
});

afterAll(() => {
  tf.dispose(Object.values(inl));
  tf.dispose([f.w, f.wNaN, f.wInf, f.conv, f.convNaN, f.x4]);
  f.tt.dispose();
  f.ttJoint.dispose();
  f.layer.dispose();
  f.joint.dispose();
  f.sol.dispose();
  f.model.dispose();
  f.seqModel.dispose();
});


const cases: BadCase[] = [
  // ---- tensorized/shape.ts
  { exp: 'parseTensorizedShape', cls: 'type', name: 'a number', run: () => P.parseTensorizedShape(5), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'parseTensorizedShape', cls: 'null', name: 'null', run: () => P.parseTensorizedShape(null), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'parseTensorizedShape', cls: 'empty', name: 'empty out tuple', run: () => P.parseTensorizedShape([[], [3]]), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'parseTensorizedShape', cls: 'number', name: 'fractional mode', run: () => P.parseTensorizedShape([[2.5], [3]]), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'parseTensorizedShape', cls: 'size', name: 'a 2^40-element shape', run: () => P.parseTensorizedShape([[2 ** 20], [2 ** 20]]), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'flatShape', cls: 'null', name: 'null', run: () => P.flatShape(null), error: ShapeError, arg: 'shape' },
  { exp: 'flatShape', cls: 'type', name: 'a raw tensorized shape instead of a parsed one', run: () => P.flatShape(S), error: ShapeError, arg: 'shape' },
  { exp: 'matrixShape', cls: 'null', name: 'undefined', run: () => P.matrixShape(undefined), error: ShapeError, arg: 'shape' },
  { exp: 'matrixShape', cls: 'number', name: 'negative mode', run: () => P.matrixShape({ batch: [], out: [-4], in: [3] }), error: ShapeError, arg: 'shape' },
  { exp: 'prod', cls: 'null', name: 'null', run: () => P.prod(null), error: ArgumentError, arg: 'xs' },
  { exp: 'prod', cls: 'nan', name: 'NaN entry', run: () => P.prod([2, NaN]), arg: 'xs' },
  { exp: 'factorize', cls: 'number', name: 'zero', run: () => P.factorize(0), error: ArgumentError, arg: 'value' },
  { exp: 'factorize', cls: 'size', name: '1e300 (a runaway divisor search)', run: () => P.factorize(1e300), error: ArgumentError, arg: 'value' },
  { exp: 'factorize', cls: 'number', name: 'remaining -5', run: () => P.factorize(12, 2, -5), error: ArgumentError, arg: 'remaining' },
  { exp: 'factorize', cls: 'nan', name: 'NaN', run: () => P.factorize(NaN), error: ArgumentError, arg: 'value' },
  { exp: 'mergeInts', cls: 'type', name: 'strings', run: () => P.mergeInts(['a'], 1), error: ArgumentError, arg: 'values' },
  { exp: 'mergeInts', cls: 'number', name: 'size 0', run: () => P.mergeInts([2, 3], 0), error: ArgumentError, arg: 'size' },
  { exp: 'getTensorizedShape', cls: 'null', name: 'null options mean defaults', run: () => { expect(P.getTensorizedShape(16, 9, null)).toEqual(P.getTensorizedShape(16, 9)); throw new ArgumentError('ok: null options took the defaults'); }, error: ArgumentError, arg: 'ok' },
  { exp: 'getTensorizedShape', cls: 'unknownOption', name: 'misspelt minDim', run: () => P.getTensorizedShape(16, 9, { mindim: 3 }), error: ArgumentError, arg: 'mindim' },
  { exp: 'getTensorizedShape', cls: 'type', name: 'options a string', run: () => P.getTensorizedShape(16, 9, 'x'), error: ArgumentError, arg: 'options' },
  { exp: 'getTensorizedShape', cls: 'size', name: 'inFeatures 1e300', run: () => P.getTensorizedShape(1e300, 9), error: ArgumentError, arg: 'inFeatures' },
  { exp: 'getTensorizedShape', cls: 'number', name: 'order 0', run: () => P.getTensorizedShape(16, 9, { order: 0 }), error: ArgumentError, arg: 'order' },
  { exp: 'validateBlockTtRank', cls: 'rank', name: 'rank 0', run: () => P.validateBlockTtRank(S, 0), error: RankError, arg: 'rank' },
  { exp: 'validateBlockTtRank', cls: 'shape', name: 'out and in of different lengths', run: () => P.validateBlockTtRank([[4, 4], [9]]), error: ShapeError, arg: 'tensorizedShape' },
  { exp: 'validateBlockTtRank', cls: 'rank', name: 'rank list with wrong ends', run: () => P.validateBlockTtRank(S, [2, 3, 1]), error: RankError, arg: 'rank' },

  // ---- tensorized/params.ts
  { exp: 'paramList', cls: 'null', name: 'null', run: () => P.paramList(null), error: ArgumentError, arg: 'params' },
  { exp: 'paramList', cls: 'type', name: 'unknown kind', run: () => P.paramList({ kind: 'tt', cores: [] }), error: ArgumentError, arg: 'params' },
  { exp: 'paramsFromList', cls: 'type', name: 'unknown kind', run: () => P.paramsFromList('svd', []), error: ArgumentError, arg: 'factorization' },
  { exp: 'paramsFromList', cls: 'null', name: 'null list', run: () => P.paramsFromList('cp', null), error: ArgumentError, arg: 'list' },
  { exp: 'paramsFromList', cls: 'shape', name: 'empty list for dense', run: () => P.paramsFromList('dense', []), error: ArgumentError, arg: 'list' },
  { exp: 'paramShapes', cls: 'rank', name: 'CP rank 0', run: () => P.paramShapes('cp', f.parts, 0), error: RankError, arg: 'rank' },
  { exp: 'paramShapes', cls: 'rank', name: 'Tucker rank of the wrong length', run: () => P.paramShapes('tucker', f.parts, [2, 2]), error: RankError, arg: 'rank' },
  { exp: 'paramShapes', cls: 'null', name: 'null shape', run: () => P.paramShapes('cp', null, 2), error: ShapeError, arg: 'shape' },
  { exp: 'khatriRaoOf', cls: 'empty', name: 'no matrices', run: () => P.khatriRaoOf([]), error: ArgumentError, arg: 'mats' },
  { exp: 'khatriRaoOf', cls: 'shape', name: 'different column counts', run: () => tf.tidy(() => P.khatriRaoOf([tf.ones([2, 3]), tf.ones([2, 4])])), error: ShapeError, arg: 'mats' },
  { exp: 'khatriRaoOf', cls: 'disposed', name: 'a disposed matrix', run: () => P.khatriRaoOf([f.dead]), error: ArgumentError, arg: 'mats[0]' },
  { exp: 'khatriRaoOf', cls: 'ndim', name: 'a 1-D factor', run: () => tf.tidy(() => P.khatriRaoOf([tf.ones([3])])), error: ShapeError, arg: 'mats[0]' },
  { exp: 'multiModeProduct', cls: 'shape', name: 'factor width != core dim', run: () => tf.tidy(() => P.multiModeProduct(tf.ones([2, 2]), [tf.ones([3, 2]), tf.ones([3, 5])])), error: ShapeError, arg: 'factors[1]' },
  { exp: 'multiModeProduct', cls: 'shape', name: 'too few factors', run: () => tf.tidy(() => P.multiModeProduct(tf.ones([2, 2]), [tf.ones([3, 2])])), error: ShapeError, arg: 'factors' },
  { exp: 'multiModeProduct', cls: 'disposed', name: 'disposed core', run: () => P.multiModeProduct(f.dead, []), error: ArgumentError, arg: 'core' },
  { exp: 'paramsToTensor', cls: 'shape', name: 'params of another shape', run: () => P.paramsToTensor(f.params, f.jointParts), error: ShapeError, arg: 'params' },
  { exp: 'paramsToTensor', cls: 'null', name: 'null params', run: () => P.paramsToTensor(null, f.parts), error: ArgumentError, arg: 'params' },
  { exp: 'paramsToTensor', cls: 'disposed', name: 'disposed factor', run: () => P.paramsToTensor({ kind: 'dense', matrix: f.dead }, f.parts), error: ArgumentError, arg: 'params' },
  { exp: 'paramsToTensor', cls: 'nan', name: 'NaN parameters propagate (reconstruction is algebra)', run: () => P.paramsToTensor({ kind: 'dense', matrix: f.wNaN }, f.parts), expect: 'propagate' },
  { exp: 'paramsToMatrix', cls: 'shape', name: 'params of another shape', run: () => P.paramsToMatrix({ kind: 'dense', matrix: f.conv }, f.parts), error: ShapeError, arg: 'params' },
  { exp: 'paramsToMatrix', cls: 'type', name: 'a tensor instead of params', run: () => P.paramsToMatrix(f.w, f.parts), error: ArgumentError, arg: 'params' },
  { exp: 'indexLayer', cls: 'number', name: 'index out of range', run: () => P.indexLayer(f.ttJoint.params, f.jointParts, 2), error: ModeError, arg: 'i' },
  { exp: 'indexLayer', cls: 'shape', name: 'no batch mode', run: () => P.indexLayer(f.params, f.parts, 0), error: ModeError, arg: 'shape' },
  { exp: 'indexLayer', cls: 'number', name: 'fractional index', run: () => P.indexLayer(f.ttJoint.params, f.jointParts, 0.5), error: ModeError, arg: 'i' },
  { exp: 'paramCountOf', cls: 'rank', name: 'CP rank -1', run: () => P.paramCountOf('cp', f.parts, -1), error: RankError, arg: 'rank' },
  { exp: 'paramCountOf', cls: 'rank', name: 'CP rank NaN', run: () => P.paramCountOf('cp', f.parts, NaN), error: RankError, arg: 'rank' },
  { exp: 'paramCountOf', cls: 'type', name: 'unknown kind', run: () => P.paramCountOf('svd', f.parts, 2), error: ArgumentError, arg: 'factorization' },
  { exp: 'paramCountOf', cls: 'rank', name: 'BlockTT rank without boundary ones', run: () => P.paramCountOf('blocktt', f.parts, [2, 2, 2]), error: RankError, arg: 'rank' },

  // ---- tensorized/tensorizedTensor.ts
  { exp: 'parseFactorization', cls: 'type', name: 'a number', run: () => P.parseFactorization(3), error: ArgumentError, arg: 'factorization' },
  { exp: 'parseFactorization', cls: 'null', name: 'null', run: () => P.parseFactorization(null), error: ArgumentError, arg: 'factorization' },
  { exp: 'resolveTensorizedRank', cls: 'rank', name: 'CP rank resolving to 0', run: () => P.resolveTensorizedRank('cp', [[5], [1]], 0.3), error: RankError, arg: 'rank' },
  { exp: 'resolveTensorizedRank', cls: 'rank', name: 'negative rank', run: () => P.resolveTensorizedRank('cp', S, -2), error: RankError, arg: 'rank' },
  { exp: 'resolveTensorizedRank', cls: 'unknownOption', name: '{ fraction, extra }', run: () => P.resolveTensorizedRank('cp', S, { fraction: 0.5, frac: 1 }), error: RankError, arg: 'frac' },
  { exp: 'resolveTensorizedRank', cls: 'rank', name: 'fractional rank list', run: () => P.resolveTensorizedRank('tucker', S, [1.5, 2, 2, 2]), error: RankError, arg: 'rank' },
  { exp: 'TensorizedTensor', cls: 'rank', name: 'new: CP rank 0.3 of [[5],[1]] resolves to 0', run: () => TensorizedTensor.new([[5], [1]], { factorization: 'cp', rank: 0.3, seed: 5 }), error: RankError, arg: 'rank' },
  { exp: 'TensorizedTensor', cls: 'unknownOption', name: 'new: misspelt rank', run: () => TensorizedTensor.new(S, { rnak: 0.1 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'TensorizedTensor', cls: 'null', name: 'new: null options mean defaults', run: () => { const t = TensorizedTensor.new(S, null as never); const ok = t.rank; t.dispose(); if (!ok) throw new Error('no rank'); throw new ArgumentError('ok: null options took the defaults'); }, error: ArgumentError, arg: 'ok' },
  { exp: 'TensorizedTensor', cls: 'type', name: 'new: options a number', run: () => TensorizedTensor.new(S, 3 as never), error: ArgumentError, arg: 'options' },
  { exp: 'TensorizedTensor', cls: 'size', name: 'new: rank 1e9', run: () => TensorizedTensor.new(S, { rank: 1e9 }), error: RankError, arg: 'rank' },
  { exp: 'TensorizedTensor', cls: 'size', name: 'new: batch 1e9', run: () => TensorizedTensor.new([1e9, [4, 4], [3, 3]], { rank: 2 }), arg: 'tensorizedShape' },
  { exp: 'TensorizedTensor', cls: 'number', name: 'new: seed 0.5', run: () => TensorizedTensor.new(S, { seed: 0.5 }), error: ArgumentError, arg: 'seed' },
  { exp: 'TensorizedTensor', cls: 'number', name: 'new: std NaN', run: () => TensorizedTensor.new(S, { std: NaN }), error: ArgumentError, arg: 'std' },
  { exp: 'TensorizedTensor', cls: 'type', name: 'new: trainable "yes"', run: () => TensorizedTensor.new(S, { trainable: 'yes' as never }), error: ArgumentError, arg: 'trainable' },
  { exp: 'TensorizedTensor', cls: 'nan', name: 'fromMatrix: NaN matrix', run: () => TensorizedTensor.fromMatrix(f.wNaN, S, { rank: 2 }), error: NonFiniteError, arg: 'matrix' },
  { exp: 'TensorizedTensor', cls: 'inf', name: 'fromMatrix: Inf matrix', run: () => TensorizedTensor.fromMatrix(f.wInf, S, { rank: 2 }), error: NonFiniteError, arg: 'matrix' },
  { exp: 'TensorizedTensor', cls: 'shape', name: 'fromMatrix: wrong matrix shape', run: () => TensorizedTensor.fromMatrix(f.conv, S), error: ShapeError, arg: 'matrix' },
  { exp: 'TensorizedTensor', cls: 'unknownOption', name: 'fromMatrix: unknown option', run: () => TensorizedTensor.fromMatrix(f.w, S, { rnak: 2 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'TensorizedTensor', cls: 'unknownOption', name: 'fromMatrix: unknown decomposition option', run: () => TensorizedTensor.fromMatrix(f.w, S, { rank: 2, decomposition: { nIterMaxx: 3 } }), error: ArgumentError, arg: 'nIterMaxx' },
  { exp: 'TensorizedTensor', cls: 'disposed', name: 'fromMatrix: disposed matrix', run: () => TensorizedTensor.fromMatrix(f.dead, S), error: ArgumentError, arg: 'matrix' },
  { exp: 'TensorizedTensor', cls: 'rank', name: 'fromMatrix: CP rank 0.3 of [[5],[1]]', run: () => TensorizedTensor.fromMatrix([[1], [2], [3], [4], [5]], [[5], [1]], { rank: 0.3 }), error: RankError, arg: 'rank' },
  { exp: 'TensorizedTensor', cls: 'disposed', name: 'toMatrix of a disposed tensor', run: () => f.ttDead.toMatrix(), error: ArgumentError, arg: 'TensorizedTensor' },
  { exp: 'TensorizedTensor', cls: 'disposed', name: 'index of a disposed tensor', run: () => f.ttDead.index(0), error: ArgumentError, arg: 'TensorizedTensor' },
  { exp: 'TensorizedTensor', cls: 'number', name: 'index out of range', run: () => f.ttJoint.index(5), error: ModeError, arg: 'index' },
  { exp: 'TensorizedTensor', cls: 'number', name: 'normal: seed NaN', run: () => f.tt.normal(0.02, NaN), error: ArgumentError, arg: 'seed' },
  { exp: 'TensorizedTensor', cls: 'nan', name: 'initFromMatrix: NaN matrix', run: () => f.tt.initFromMatrix(f.wNaN), error: NonFiniteError, arg: 'matrix' },
  { exp: 'TensorizedTensor', cls: 'type', name: 'initFromMatrix: decomposition a string', run: () => f.tt.initFromMatrix(f.w, 'svd' as never), error: ArgumentError, arg: 'decomposition' },
  { exp: 'TensorizedTensor', cls: 'nan', name: 'constructor: NaN parameters', run: () => new TensorizedTensor(S, 'dense', { kind: 'dense', matrix: f.wNaN }), error: NonFiniteError, arg: 'params' },
  { exp: 'TensorizedTensor', cls: 'disposed', name: 'constructor: disposed parameters', run: () => new TensorizedTensor(S, 'dense', { kind: 'dense', matrix: f.dead }), error: ArgumentError, arg: 'params' },
  { exp: 'TensorizedTensor', cls: 'shape', name: 'constructor: parameters of another shape', run: () => new TensorizedTensor(S, 'dense', { kind: 'dense', matrix: f.conv }), error: ShapeError, arg: 'params' },
  { exp: 'TensorizedTensor', cls: 'unknownOption', name: 'constructor: unknown option', run: () => new TensorizedTensor(S, 'dense', { kind: 'dense', matrix: f.w }, { trainabel: false } as never), error: ArgumentError, arg: 'trainabel' },
  { exp: 'TensorizedTensor', cls: 'null', name: 'constructor: null params', run: () => new TensorizedTensor(S, 'dense', null as never), error: ArgumentError, arg: 'params' },
  { exp: 'checkLayerIndex', cls: 'number', name: 'negative', run: () => P.checkLayerIndex(-1, 3, 'i'), error: ModeError, arg: 'i' },
  { exp: 'checkLayerIndex', cls: 'number', name: 'n NaN', run: () => P.checkLayerIndex(0, NaN, 'i'), error: ArgumentError, arg: 'n' },
  { exp: 'rankFromParams', cls: 'null', name: 'null', run: () => P.rankFromParams(null), error: ArgumentError, arg: 'params' },
  { exp: 'rankFromParams', cls: 'disposed', name: 'disposed weights', run: () => P.rankFromParams({ kind: 'cp', weights: f.dead, factors: [] }), error: ArgumentError, arg: 'params' },
  { exp: 'normalParams', cls: 'rank', name: 'CP rank 0', run: () => P.normalParams('cp', f.parts, 0, 0.02), error: RankError, arg: 'rank' },
  { exp: 'normalParams', cls: 'number', name: 'std -1', run: () => P.normalParams('cp', f.parts, 2, -1), error: ArgumentError, arg: 'std' },
  { exp: 'normalParams', cls: 'size', name: 'CP rank 1e9', run: () => P.normalParams('cp', f.parts, 1e9, 0.02), error: RankError, arg: 'rank' },
  { exp: 'normalParams', cls: 'number', name: 'seed Infinity', run: () => P.normalParams('cp', f.parts, 2, 0.02, Infinity), error: ArgumentError, arg: 'seed' },
  { exp: 'decomposeMatrix', cls: 'nan', name: 'NaN matrix', run: () => P.decomposeMatrix(f.wNaN, 'cp', f.parts, 2, {}), error: NonFiniteError, arg: 'matrix' },
  { exp: 'decomposeMatrix', cls: 'rank', name: 'CP rank 0', run: () => P.decomposeMatrix(f.w, 'cp', f.parts, 0, {}), error: RankError, arg: 'rank' },
  { exp: 'decomposeMatrix', cls: 'type', name: 'decomposition null is fine, a number is not', run: () => P.decomposeMatrix(f.w, 'cp', f.parts, 2, 5), error: ArgumentError, arg: 'decomposition' },
  { exp: 'decomposeMatrix', cls: 'type', name: 'unknown kind', run: () => P.decomposeMatrix(f.w, 'svd', f.parts, 2, {}), error: ArgumentError, arg: 'factorization' },

  // ---- linear/plan.ts
  { exp: 'planLinear', cls: 'number', name: 'batch 0', run: () => P.planLinear({ factorization: 'cp', out: [4, 4], in: [3, 3], rank: 2 }, 0, 'factorized'), error: ArgumentError, arg: 'batchSize' },
  { exp: 'planLinear', cls: 'rank', name: 'CP rank 0', run: () => P.planLinear({ factorization: 'cp', out: [4, 4], in: [3, 3], rank: 0 }, 2, 'factorized'), error: RankError, arg: 'rank' },
  { exp: 'planLinear', cls: 'null', name: 'null plan shape', run: () => P.planLinear(null, 2, 'factorized'), error: ArgumentError, arg: 'shape' },
  { exp: 'planLinear', cls: 'shape', name: 'BlockTT with different out/in lengths', run: () => P.planLinear({ factorization: 'blocktt', out: [4, 4], in: [9], rank: [1, 2, 1] }, 2, 'factorized'), error: ShapeError, arg: 'in' },
  { exp: 'planLinear', cls: 'type', name: 'implementation auto', run: () => P.planLinear({ factorization: 'cp', out: [4, 4], in: [3, 3], rank: 2 }, 2, 'auto'), error: ArgumentError, arg: 'implementation' },
  { exp: 'runPlan', cls: 'shape', name: 'x of the wrong width', run: () => tf.tidy(() => P.runPlan(f.plan, f.params, tf.ones([2, 5]))), error: ShapeError, arg: 'x2d' },
  { exp: 'runPlan', cls: 'shape', name: 'params that do not fit the plan', run: () => tf.tidy(() => P.runPlan(f.plan, { kind: 'dense', matrix: f.w }, tf.ones([2, 9]))), error: ArgumentError, arg: 'params' },
  { exp: 'runPlan', cls: 'null', name: 'null plan', run: () => tf.tidy(() => P.runPlan(null, f.params, tf.ones([2, 9]))), error: ArgumentError, arg: 'plan' },
  { exp: 'runPlan', cls: 'disposed', name: 'disposed x', run: () => P.runPlan(f.plan, f.params, f.dead), error: ArgumentError, arg: 'x2d' },
  { exp: 'runPlan', cls: 'nan', name: 'NaN x propagates (forward pass)', run: () => tf.tidy(() => P.runPlan(f.plan, f.params, tf.tensor2d([[NaN, 1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 2, 3, 4, 5, 6, 7, 8]]))), expect: 'propagate' },
  { exp: 'denseFlops', cls: 'number', name: 'negative', run: () => P.denseFlops(-3, 4, 2), error: ArgumentError, arg: 'inFeatures' },
  { exp: 'denseFlops', cls: 'nan', name: 'NaN batch', run: () => P.denseFlops(3, 4, NaN), error: ArgumentError, arg: 'batchSize' },

  // ---- linear/factorizedLinear.ts
  { exp: 'FactorizedLinear', cls: 'null', name: 'constructor: null options', run: () => new FactorizedLinear(null as never), error: ArgumentError, arg: 'options' },
  { exp: 'FactorizedLinear', cls: 'unknownOption', name: 'constructor: misspelt rank', run: () => new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rnak: 2 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'FactorizedLinear', cls: 'size', name: 'constructor: nLayers 1e9', run: () => new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], nLayers: 1e9, rank: 2 }), arg: 'nLayers' },
  { exp: 'FactorizedLinear', cls: 'rank', name: 'constructor: CP rank resolving to 0', run: () => new FactorizedLinear({ inTensorizedFeatures: [1], outTensorizedFeatures: [5], rank: 0.3 }), error: RankError, arg: 'rank' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'constructor: seed NaN', run: () => new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], seed: NaN }), error: ArgumentError, arg: 'seed' },
  { exp: 'FactorizedLinear', cls: 'disposed', name: 'constructor: a disposed TensorizedTensor', run: () => new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], factorization: f.ttDead }), error: ArgumentError, arg: 'factorization' },
  { exp: 'FactorizedLinear', cls: 'type', name: 'constructor: bias "yes"', run: () => new FactorizedLinear({ inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], bias: 'yes' as never }), error: ArgumentError, arg: 'bias' },
  { exp: 'FactorizedLinear', cls: 'nan', name: 'apply: NaN input propagates (documented, as tf layers)', run: () => f.layer.apply(inl.in0), expect: 'propagate' },
  { exp: 'FactorizedLinear', cls: 'shape', name: 'apply: wrong width', run: () => f.layer.apply([[1, 2, 3]]), error: ShapeError, arg: 'x' },
  { exp: 'FactorizedLinear', cls: 'disposed', name: 'apply: disposed layer', run: () => f.layerDead.apply([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), error: ArgumentError, arg: 'FactorizedLinear' },
  { exp: 'FactorizedLinear', cls: 'disposed', name: 'apply: disposed input', run: () => f.layer.apply(f.dead), error: ArgumentError, arg: 'x' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'apply: layerIndex 0.5', run: () => f.joint.apply([[1, 2, 3, 4, 5, 6, 7, 8, 9]], 0.5), error: ModeError, arg: 'layerIndex' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'flops: batch NaN', run: () => f.layer.flops(NaN), error: ArgumentError, arg: 'batchSize' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'resolveImplementation: batch -1', run: () => f.layer.resolveImplementation(-1), error: ArgumentError, arg: 'batchSize' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'getLinear: 7', run: () => f.joint.getLinear(7), error: ModeError, arg: 'i' },
  { exp: 'FactorizedLinear', cls: 'type', name: 'fromLinear: bias "yes" (checked before the decomposition)', run: () => FactorizedLinear.fromLinear({ weight: f.w }, { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 2, bias: 'yes' as never }), error: ArgumentError, arg: 'bias' },
  { exp: 'FactorizedLinear', cls: 'nan', name: 'fromLinear: NaN weight', run: () => FactorizedLinear.fromLinear({ weight: f.wNaN }, { rank: 2 }), error: NonFiniteError, arg: 'linear.weight' },
  { exp: 'FactorizedLinear', cls: 'inf', name: 'fromLinear: Inf bias', run: () => FactorizedLinear.fromLinear({ weight: f.w, bias: new Array(16).fill(Infinity) }, { rank: 2 }), error: NonFiniteError, arg: 'linear.bias' },
  { exp: 'FactorizedLinear', cls: 'nan', name: 'fromLinear rank evbmf: NaN weight', run: () => FactorizedLinear.fromLinear({ weight: f.wNaN }, { rank: 'evbmf', factorization: 'tucker' }), error: NonFiniteError, arg: 'linear.weight' },
  { exp: 'FactorizedLinear', cls: 'unknownOption', name: 'fromLinear: misspelt option', run: () => FactorizedLinear.fromLinear({ weight: f.w }, { rank: 2, factorisation: 'cp' } as never), error: ArgumentError, arg: 'factorisation' },
  { exp: 'FactorizedLinear', cls: 'null', name: 'fromLinear: null linear', run: () => FactorizedLinear.fromLinear(null as never), error: ArgumentError, arg: 'linear' },
  { exp: 'FactorizedLinear', cls: 'ndim', name: 'fromLinear: 1-D weight', run: () => FactorizedLinear.fromLinear({ weight: [1, 2, 3] }), error: ShapeError, arg: 'linear.weight' },
  { exp: 'FactorizedLinear', cls: 'empty', name: 'fromLinear: empty weight', run: () => FactorizedLinear.fromLinear({ weight: inl.in1 }), error: ShapeError, arg: 'linear.weight' },
  { exp: 'FactorizedLinear', cls: 'number', name: 'fromLinear: nTensorizedModes 0', run: () => FactorizedLinear.fromLinear({ weight: f.w }, { nTensorizedModes: 0 }), error: ArgumentError, arg: 'nTensorizedModes' },
  { exp: 'FactorizedLinear', cls: 'disposed', name: 'fromLinear: disposed weight', run: () => FactorizedLinear.fromLinear({ weight: f.dead }), error: ArgumentError, arg: 'linear.weight' },
  { exp: 'FactorizedLinear', cls: 'type', name: 'fromLinearList: bias "yes" (checked before the decomposition)', run: () => FactorizedLinear.fromLinearList([{ weight: f.w }, { weight: f.w }], { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 2, bias: 'yes' as never }), error: ArgumentError, arg: 'bias' },
  { exp: 'FactorizedLinear', cls: 'nan', name: 'fromLinearList: NaN weight', run: () => FactorizedLinear.fromLinearList([{ weight: f.w }, { weight: f.wNaN }], { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 2 }), error: NonFiniteError, arg: 'linears[1].weight' },
  { exp: 'FactorizedLinear', cls: 'unknownOption', name: 'fromLinearList: misspelt option', run: () => FactorizedLinear.fromLinearList([{ weight: f.w }], { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rnak: 2 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'FactorizedLinear', cls: 'shape', name: 'fromLinearList: mismatched weight', run: () => FactorizedLinear.fromLinearList([{ weight: f.w }, { weight: [[1, 2]] }], { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 2 }), error: ShapeError, arg: 'linears[1].weight' },
  { exp: 'FactorizedLinear', cls: 'size', name: 'fromLinearList: 1e9 layers worth of rank', run: () => FactorizedLinear.fromLinearList([{ weight: f.w }], { inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4], rank: 1e9 }), error: RankError, arg: 'rank' },
  { exp: 'SubFactorizedLinear', cls: 'number', name: 'layer index out of range', run: () => new SubFactorizedLinear(f.joint, 9), error: ModeError, arg: 'layerIndex' },
  { exp: 'SubFactorizedLinear', cls: 'type', name: 'main not a FactorizedLinear', run: () => new SubFactorizedLinear({} as never, 0), error: ArgumentError, arg: 'main' },
  { exp: 'SubFactorizedLinear', cls: 'disposed', name: 'apply on a disposed main', run: () => new SubFactorizedLinear(f.layerDead, 0).apply([[1, 2, 3, 4, 5, 6, 7, 8, 9]]), error: ArgumentError, arg: 'FactorizedLinear' },

  // ---- conv
  { exp: 'cpConv2d', cls: 'nan', name: 'NaN weight', run: () => P.cpConv2d(f.convNaN, 2), error: NonFiniteError, arg: 'weight' },
  { exp: 'cpConv2d', cls: 'rank', name: 'rank 0', run: () => P.cpConv2d(f.conv, 0), error: RankError, arg: 'rank' },
  { exp: 'cpConv2d', cls: 'size', name: 'rank 1e9', run: () => P.cpConv2d(f.conv, 1e9), error: RankError, arg: 'rank' },
  { exp: 'cpConv2d', cls: 'unknownOption', name: 'misspelt padding', run: () => P.cpConv2d(f.conv, 2, { paddding: 1 } as never), error: ArgumentError, arg: 'paddding' },
  { exp: 'cpConv2d', cls: 'null', name: 'null options are the defaults (then rank 0 fails)', run: () => P.cpConv2d(f.conv, 0, null as never), error: RankError, arg: 'rank' },
  { exp: 'cpConv2d', cls: 'ndim', name: '2-D weight', run: () => P.cpConv2d(f.w, 2), error: ShapeError, arg: 'weight' },
  { exp: 'cpConv2d', cls: 'empty', name: 'empty weight', run: () => P.cpConv2d(inl.in2, 2), error: ShapeError, arg: 'weight' },
  { exp: 'cpConv2d', cls: 'nan', name: 'NaN bias', run: () => P.cpConv2d(f.conv, 2, { bias: [NaN, 0, 0, 0] }), error: NonFiniteError, arg: 'bias' },
  { exp: 'cpConv2d', cls: 'unknownOption', name: 'misspelt parafac option', run: () => P.cpConv2d(f.conv, 2, { parafacOptions: { nIterMaxx: 2 } as never }), error: ArgumentError, arg: 'nIterMaxx' },
  { exp: 'tucker2Conv2d', cls: 'nan', name: 'Inf weight', run: () => P.tucker2Conv2d(inl.in3, [2, 2]), error: NonFiniteError, arg: 'weight' },
  { exp: 'tucker2Conv2d', cls: 'rank', name: 'ranks [0, 2]', run: () => P.tucker2Conv2d(f.conv, [0, 2]), error: RankError, arg: 'ranks' },
  { exp: 'tucker2Conv2d', cls: 'rank', name: 'ranks above the channels', run: () => P.tucker2Conv2d(f.conv, [9, 2]), error: RankError, arg: 'ranks' },
  { exp: 'tucker2Conv2d', cls: 'unknownOption', name: 'unknown option', run: () => P.tucker2Conv2d(f.conv, [2, 2], { strides: 2 } as never), error: ArgumentError, arg: 'strides' },
  { exp: 'tucker2Conv2d', cls: 'number', name: 'groups 1.5', run: () => P.tucker2Conv2d(f.conv, [2, 2], { groups: 1.5 }), arg: 'groups' },
  { exp: 'applyConvSequence', cls: 'nan', name: 'NaN input propagates (forward pass)', run: () => P.applyConvSequence(inl.in4, f.specs), expect: 'propagate' },
  { exp: 'applyConvSequence', cls: 'disposed', name: 'specs of a disposed solution', run: () => P.applyConvSequence(f.x4, f.deadSpecs), error: ArgumentError, arg: 'specs[0].weight' },
  { exp: 'applyConvSequence', cls: 'shape', name: 'channel mismatch', run: () => P.applyConvSequence(inl.in5, f.specs), error: ShapeError, arg: 'specs[0]' },
  { exp: 'applyConvSequence', cls: 'null', name: 'null specs', run: () => P.applyConvSequence(f.x4, null), error: ArgumentError, arg: 'specs' },
  { exp: 'applyConvSequence', cls: 'ndim', name: '3-D input', run: () => P.applyConvSequence(inl.in6, f.specs), error: ShapeError, arg: 'x' },
  { exp: 'disposeConvSpecs', cls: 'null', name: 'null', run: () => P.disposeConvSpecs(null), error: ArgumentError, arg: 'specs' },
  { exp: 'disposeConvSpecs', cls: 'type', name: 'a spec without weight', run: () => P.disposeConvSpecs([{}]), error: ArgumentError, arg: 'specs[0]' },
  { exp: 'convGeometry', cls: 'number', name: 'input size NaN', run: () => P.convGeometry([NaN, 5], 3, {}), error: ArgumentError, arg: 'inputHW' },
  { exp: 'convGeometry', cls: 'unknownOption', name: 'unknown option', run: () => P.convGeometry([5, 5], 3, { stirde: 2 }), error: ArgumentError, arg: 'stirde' },
  { exp: 'convGeometry', cls: 'null', name: 'null options are defaults (then kernel too big)', run: () => P.convGeometry([2, 2], 3, null), error: ShapeError, arg: 'input' },
  { exp: 'convOutputSize', cls: 'number', name: 'dilation -1', run: () => P.convOutputSize(5, 3, 1, -1, [0, 0]), error: ArgumentError, arg: 'dilation' },
  { exp: 'convOutputSize', cls: 'number', name: 'stride 0 (Infinity)', run: () => P.convOutputSize(5, 3, 0, 1, [0, 0]), error: ArgumentError, arg: 'stride' },
  { exp: 'convOutputSize', cls: 'nan', name: 'NaN input', run: () => P.convOutputSize(NaN, 3, 1, 1, [0, 0]), error: ArgumentError, arg: 'input' },
  { exp: 'convOutputSize', cls: 'null', name: 'pad null', run: () => P.convOutputSize(5, 3, 1, 1, null), error: ArgumentError, arg: 'pad' },
  { exp: 'resolvePadding', cls: 'number', name: 'negative padding', run: () => P.resolvePadding(-1, [3, 3], [1, 1], [1, 1]), error: ArgumentError, arg: 'padding' },
  { exp: 'resolvePadding', cls: 'number', name: 'kernel NaN', run: () => P.resolvePadding('same', [NaN, 3], [1, 1], [1, 1]), error: ArgumentError, arg: 'kernel' },
  { exp: 'resolvePadding', cls: 'type', name: 'unknown string', run: () => P.resolvePadding('full', [3, 3], [1, 1], [1, 1]), arg: 'padding' },

  // ---- lowrank
  { exp: 'LowRankSolution', cls: 'type', name: 'wa not a tensor', run: () => new LowRankSolution([1] as never, null, null, 1, 0, 0), error: ArgumentError, arg: 'wa' },
  { exp: 'LowRankSolution', cls: 'number', name: 'rank 1.5', run: () => new LowRankSolution(f.w, null, null, 1.5, 0, 0), error: ArgumentError, arg: 'rank' },
  { exp: 'LowRankSolution', cls: 'disposed', name: 'disposed wa', run: () => new LowRankSolution(f.dead, null, null, 1, 0, 0), error: ArgumentError, arg: 'wa' },
  { exp: 'factorizeMatrix', cls: 'nan', name: 'NaN x', run: () => P.factorizeMatrix(f.wNaN, f.w, inl.in7), error: NonFiniteError, arg: 'x' },
  { exp: 'factorizeMatrix', cls: 'unknownOption', name: 'misspelt nIters', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { nIter: 2 } as never), error: ArgumentError, arg: 'nIter' },
  { exp: 'factorizeMatrix', cls: 'null', name: 'null options are defaults (then a shape error)', run: () => P.factorizeMatrix(f.w, f.w, inl.in9, null as never), error: ShapeError, arg: 'wa' },
  { exp: 'factorizeMatrix', cls: 'rank', name: 'rank 0', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { rank: 0 }), error: RankError, arg: 'rank' },
  { exp: 'factorizeMatrix', cls: 'rank', name: 'rank 2.5', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { rank: 2.5 }), error: RankError, arg: 'rank' },
  { exp: 'factorizeMatrix', cls: 'size', name: 'nIters 1e12', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { rank: 2, nIters: 1e12 }), error: ArgumentError, arg: 'nIters' },
  { exp: 'factorizeMatrix', cls: 'type', name: 'onProgress = 1', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { rank: 2, onProgress: 1 as never }), error: ArgumentError, arg: 'onProgress' },
  { exp: 'factorizeMatrix', cls: 'type', name: 'signal = {}', run: () => P.factorizeMatrix(f.w, f.w, inl.in8, { rank: 2, signal: {} as never }), error: ArgumentError, arg: 'signal' },
  { exp: 'factorizeConv2d', cls: 'type', name: 'onProgress = 1', run: () => P.factorizeConv2d(f.x4, f.conv, { rank: 2, onProgress: 1 as never }), error: ArgumentError, arg: 'onProgress' },
  { exp: 'factorizeConv2d', cls: 'type', name: 'signal = {}', run: () => P.factorizeConv2d(f.x4, f.conv, { rank: 2, signal: {} as never }), error: ArgumentError, arg: 'signal' },
  { exp: 'factorizeMatrix', cls: 'shape', name: 'y rows != x rows', run: () => P.factorizeMatrix(f.w, inl.in10, inl.in8), error: ShapeError, arg: 'y' },
  { exp: 'factorizeMatrix', cls: 'empty', name: 'no samples', run: () => P.factorizeMatrix(inl.in11, inl.in11, inl.in8, { rank: 2 }), error: ShapeError, arg: 'x' },
  { exp: 'factorizeMatrix', cls: 'disposed', name: 'disposed wa', run: () => P.factorizeMatrix(f.w, f.w, f.dead), error: ArgumentError, arg: 'wa' },
  { exp: 'resolveLowRank', cls: 'number', name: 'inputDim NaN', run: () => P.resolveLowRank(0.5, NaN, 4), error: ArgumentError, arg: 'inputDim' },
  { exp: 'resolveLowRank', cls: 'rank', name: 'rank -1', run: () => P.resolveLowRank(-1, 8, 4), error: RankError, arg: 'rank' },
  { exp: 'factorizeConv2d', cls: 'nan', name: 'NaN weight', run: () => P.factorizeConv2d(f.x4, f.convNaN, { rank: 2 }), error: NonFiniteError, arg: 'wa' },
  { exp: 'factorizeConv2d', cls: 'nan', name: 'NaN biasA', run: () => P.factorizeConv2d(f.x4, f.conv, { rank: 2, biasA: [NaN, 0, 0, 0] }), error: NonFiniteError, arg: 'biasA' },
  { exp: 'factorizeConv2d', cls: 'unknownOption', name: 'misspelt option', run: () => P.factorizeConv2d(f.x4, f.conv, { rnak: 2 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'factorizeConv2d', cls: 'ndim', name: '3-D x', run: () => P.factorizeConv2d(inl.in6, f.conv), error: ShapeError, arg: 'x' },
  { exp: 'factorizeConv2d', cls: 'size', name: 'nIters 1e12', run: () => P.factorizeConv2d(f.x4, f.conv, { rank: 2, nIters: 1e12 }), error: ArgumentError, arg: 'nIters' },
  { exp: 'factorizeConv2d', cls: 'number', name: 'inputSize-free stride NaN', run: () => P.factorizeConv2d(f.x4, f.conv, { stride: NaN as never }), error: ArgumentError, arg: 'stride' },
  { exp: 'lowRankConvSpecs', cls: 'disposed', name: 'a disposed solution', run: () => P.lowRankConvSpecs(f.solDead), error: ArgumentError, arg: 'solution' },
  { exp: 'lowRankConvSpecs', cls: 'null', name: 'null solution', run: () => P.lowRankConvSpecs(null), error: ArgumentError, arg: 'solution' },
  { exp: 'lowRankConvSpecs', cls: 'unknownOption', name: 'unknown option', run: () => P.lowRankConvSpecs(f.sol, { strides: 2 }), error: ArgumentError, arg: 'strides' },
  { exp: 'extractPatches', cls: 'nan', name: 'NaN input propagates (im2col copies pixels)', run: () => P.extractPatches(inl.in12, { kernelSize: 2 }), expect: 'propagate' },
  { exp: 'extractPatches', cls: 'unknownOption', name: 'misspelt kernelSize', run: () => P.extractPatches(f.x4, { kernel_size: 2 } as never), error: ArgumentError, arg: 'kernel_size' },
  { exp: 'extractPatches', cls: 'null', name: 'null options (kernelSize is required)', run: () => P.extractPatches(f.x4, null), error: ArgumentError, arg: 'kernelSize' },
  { exp: 'extractPatches', cls: 'ndim', name: '2-D input', run: () => P.extractPatches(f.w, { kernelSize: 2 }), error: ShapeError, arg: 'x' },
  { exp: 'extractPatches', cls: 'size', name: 'kernel 1e6 (too big for the input)', run: () => P.extractPatches(f.x4, { kernelSize: 1e6 }), error: ShapeError, arg: 'kernel' },
  { exp: 'extractAveragedPatches', cls: 'unknownOption', name: 'unknown option', run: () => P.extractAveragedPatches(f.x4, { kernelSize: 2, group: 1 }), error: ArgumentError, arg: 'group' },
  { exp: 'extractAveragedPatches', cls: 'number', name: 'groups 0', run: () => P.extractAveragedPatches(f.x4, { kernelSize: 2, groups: 0 }), error: ArgumentError, arg: 'groups' },
  { exp: 'extractAveragedPatches', cls: 'disposed', name: 'disposed x', run: () => P.extractAveragedPatches(f.dead, { kernelSize: 2 }), error: ArgumentError, arg: 'x' },
  { exp: 'lossHessianSqrt', cls: 'shape', name: 'mse target of the wrong size', run: () => P.lossHessianSqrt([[1, 2, 3]], [[1, 2]], { loss: 'mse' }), error: ShapeError, arg: 'target' },
  { exp: 'lossHessianSqrt', cls: 'number', name: 'crossEntropy class index out of range', run: () => P.lossHessianSqrt([[1, 2, 3]], [5], { loss: 'crossEntropy' }), error: ArgumentError, arg: 'target' },
  { exp: 'lossHessianSqrt', cls: 'nan', name: 'NaN output', run: () => P.lossHessianSqrt([[NaN, 2, 3]], [[1, 2, 3]], { loss: 'mse' }), error: NonFiniteError, arg: 'output' },
  { exp: 'lossHessianSqrt', cls: 'null', name: 'null options (loss is required)', run: () => P.lossHessianSqrt([[1, 2, 3]], [[1, 2, 3]], null), error: ArgumentError, arg: 'loss' },
  { exp: 'lossHessianSqrt', cls: 'unknownOption', name: 'unknown option', run: () => P.lossHessianSqrt([[1, 2, 3]], [[1, 2, 3]], { loss: 'mse', reduce: 'sum' }), error: ArgumentError, arg: 'reduce' },
  { exp: 'applyFactorization', cls: 'unknownOption', name: 'misspelt option', run: () => P.applyFactorization(f.model, { minFeature: 2 }), error: ArgumentError, arg: 'minFeature' },
  { exp: 'applyFactorization', cls: 'nan', name: 'NaN data', run: () => P.applyFactorization(f.model, { minFeatures: 2, data: inl.in13 }), error: NonFiniteError, arg: 'data' },
  { exp: 'applyFactorization', cls: 'size', name: 'nIters 1e12', run: () => P.applyFactorization(f.model, { nIters: 1e12 }), error: ArgumentError, arg: 'nIters' },
  { exp: 'applyFactorization', cls: 'type', name: 'not a model', run: () => P.applyFactorization({}), arg: 'model' },
  { exp: 'applyFactorization', cls: 'type', name: 'options a string', run: () => P.applyFactorization(f.model, 'all'), error: ArgumentError, arg: 'options' },
  { exp: 'cleanLatentSize', cls: 'nan', name: 'NaN latent', run: () => P.cleanLatentSize(NaN, 8, 8), error: ArgumentError, arg: 'latent' },
  { exp: 'cleanLatentSize', cls: 'number', name: 'negative inSize', run: () => P.cleanLatentSize(0.5, -8, 8), error: ArgumentError, arg: 'inSize' },
  { exp: 'maxRankWithSpeedup', cls: 'number', name: 'zero sizes (0/0)', run: () => P.maxRankWithSpeedup(0, 0), error: ArgumentError, arg: 'inSize' },
  { exp: 'maxRankWithSpeedup', cls: 'type', name: 'kernel not an array', run: () => P.maxRankWithSpeedup(8, 8, 3), error: ArgumentError, arg: 'kernelSize' },

  { exp: 'kfacFactors', cls: 'type', name: 'not a Sequential model', run: () => P.kfacFactors({}, 'x', inl.kx, inl.ky, { loss: 'crossEntropy' }), error: NotSupportedError, arg: 'model' },
  { exp: 'kfacFactors', cls: 'type', name: 'unknown layer name', run: () => P.kfacFactors(f.model, 'nope', inl.kx, inl.ky, { loss: 'crossEntropy' }), error: ArgumentError, arg: 'layerName' },
  { exp: 'kfacFactors', cls: 'unknownOption', name: 'misspelt option', run: () => P.kfacFactors(f.model, f.dense.name, inl.kx, inl.ky, { loss: 'crossEntropy', dampng: 1 }), error: ArgumentError, arg: 'dampng' },
  { exp: 'kfacFactors', cls: 'null', name: 'null options (loss is required)', run: () => P.kfacFactors(f.model, f.dense.name, inl.kx, inl.ky, null), error: ArgumentError, arg: 'loss' },
  { exp: 'kfacFactors', cls: 'shape', name: 'targets of the wrong length', run: () => P.kfacFactors(f.model, f.dense.name, inl.kx, [0, 1], { loss: 'crossEntropy' }), error: ShapeError, arg: 'targets' },
  { exp: 'kfacFactors', cls: 'nan', name: 'NaN inputs', run: () => P.kfacFactors(f.model, f.dense.name, inl.in13, inl.ky, { loss: 'crossEntropy' }), error: NonFiniteError, arg: 'inputs' },
  { exp: 'kfacFactors', cls: 'number', name: 'batchSize 0', run: () => P.kfacFactors(f.model, f.dense.name, inl.kx, inl.ky, { loss: 'crossEntropy', batchSize: 0 }), error: ArgumentError, arg: 'batchSize' },
  { exp: 'curvatureWeightedLowRank', cls: 'shape', name: 'input factor of the wrong size', run: () => P.curvatureWeightedLowRank(f.w, inl.e9, inl.e9, 2), error: ShapeError, arg: 'inputFactor' },
  { exp: 'curvatureWeightedLowRank', cls: 'ndim', name: '3-D weight', run: () => P.curvatureWeightedLowRank([[[1]]], inl.e16, inl.e9, 1), error: ShapeError, arg: 'weight' },
  { exp: 'curvatureWeightedLowRank', cls: 'rank', name: 'rank above min(D, M)', run: () => P.curvatureWeightedLowRank(f.w, inl.e16, inl.e9, 10), error: RankError, arg: 'rank' },
  { exp: 'curvatureWeightedLowRank', cls: 'nan', name: 'NaN weight', run: () => P.curvatureWeightedLowRank(f.wNaN, inl.e16, inl.e9, 2), error: NonFiniteError, arg: 'weight' },
  { exp: 'curvatureWeightedLowRank', cls: 'number', name: 'negative damping', run: () => P.curvatureWeightedLowRank(f.w, inl.e16, inl.e9, 2, { damping: -1 }), error: ArgumentError, arg: 'damping' },
  { exp: 'curvatureWeightedLowRank', cls: 'unknownOption', name: 'misspelt option', run: () => P.curvatureWeightedLowRank(f.w, inl.e16, inl.e9, 2, { dampng: 1 }), error: ArgumentError, arg: 'dampng' },
  { exp: 'CurvatureLowRankSolution', cls: 'type', name: 'wa not a tensor', run: () => new P.CurvatureLowRankSolution([1], f.w, null, 1, 0), error: ArgumentError, arg: 'wa' },
  { exp: 'CurvatureLowRankSolution', cls: 'disposed', name: 'disposed wa', run: () => new P.CurvatureLowRankSolution(f.dead, f.w, null, 1, 0), error: ArgumentError, arg: 'wa' },
  { exp: 'kernelFromTfjs', cls: 'ndim', name: '2-D kernel', run: () => P.kernelFromTfjs(f.w as never), error: ShapeError, arg: 'kernel' },
  { exp: 'kernelFromTfjs', cls: 'disposed', name: 'disposed kernel', run: () => P.kernelFromTfjs(f.dead as never), error: ArgumentError, arg: 'kernel' },
  { exp: 'kernelToTfjs', cls: 'ndim', name: '2-D weight', run: () => P.kernelToTfjs(f.w as never), error: ShapeError, arg: 'weight' },
  { exp: 'kernelToTfjs', cls: 'type', name: 'not a tensor', run: () => P.kernelToTfjs([[1]] as never), error: ArgumentError, arg: 'weight' },
  { exp: 'toChannelsFirst', cls: 'ndim', name: '2-D input', run: () => P.toChannelsFirst(f.w as never), error: ShapeError, arg: 'x' },
  { exp: 'toChannelsLast', cls: 'ndim', name: '2-D input', run: () => P.toChannelsLast(f.w as never), error: ShapeError, arg: 'x' },
  { exp: 'torchToTfjsKernelPerm', cls: 'number', name: 'order 0.5', run: () => P.torchToTfjsKernelPerm(0.5), error: ArgumentError, arg: 'order' },
  { exp: 'resolveConvWeight', cls: 'ndim', name: '2-D weight for a 2-D conv', run: () => P.resolveConvWeight(f.w, 2), error: ShapeError, arg: 'weight' },
  { exp: 'resolveConvWeight', cls: 'type', name: 'unknown layout', run: () => P.resolveConvWeight(f.conv, 2, 'nchw' as never), error: ArgumentError, arg: 'layout' },
  { exp: 'resolveConvWeight', cls: 'type', name: 'a Dense layer', run: () => P.resolveConvWeight(f.dense as never, 2), error: ArgumentError, arg: 'weight' },

  // ---- tfjs-layers
  { exp: 'FactorizedDense', cls: 'null', name: 'null args', run: () => new FactorizedDense(null as never), error: ArgumentError, arg: 'args' },
  { exp: 'FactorizedDense', cls: 'unknownOption', name: 'misspelt units', run: () => new FactorizedDense({ unit: 8 } as never), error: ArgumentError, arg: 'unit' },
  { exp: 'FactorizedDense', cls: 'rank', name: 'rank -1', run: () => new FactorizedDense({ units: 8, rank: -1 }), error: RankError, arg: 'rank' },
  { exp: 'FactorizedDense', cls: 'type', name: 'unknown activation', run: () => new FactorizedDense({ units: 8, activation: 'relux' }), error: ArgumentError, arg: 'activation' },
  { exp: 'FactorizedDense', cls: 'number', name: 'seed NaN', run: () => new FactorizedDense({ units: 8, seed: NaN }), error: ArgumentError, arg: 'seed' },
  { exp: 'FactorizedDense', cls: 'number', name: 'nTensorizedModes 0', run: () => new FactorizedDense({ units: 8, nTensorizedModes: 0 }), error: ArgumentError, arg: 'nTensorizedModes' },
  { exp: 'FactorizedDense', cls: 'size', name: 'build with rank 1e9', run: () => { const l = new FactorizedDense({ units: 16, rank: 1e9, inTensorizedFeatures: [3, 3], outTensorizedFeatures: [4, 4] }); try { l.build([null as never, 9]); } finally { l.dispose(); } }, error: RankError, arg: 'rank' },
  { exp: 'FactorizedDense', cls: 'unknownOption', name: 'fromDense: misspelt option', run: () => FactorizedDense.fromDense(f.dense, { rnak: 2 } as never), error: ArgumentError, arg: 'rnak' },
  { exp: 'FactorizedDense', cls: 'type', name: 'fromDense: not a layer', run: () => FactorizedDense.fromDense({} as never), error: ArgumentError, arg: 'dense' },
  // ---- compress/compressModel.ts
  { exp: 'compressModel', cls: 'type', name: 'not a model', run: () => P.compressModel({}), error: ArgumentError, arg: 'model' },
  { exp: 'compressModel', cls: 'type', name: 'options a string', run: () => P.compressModel(f.model, 'all'), error: ArgumentError, arg: 'options' },
  { exp: 'compressModel', cls: 'unknownOption', name: 'misspelt rank', run: () => P.compressModel(f.model, { rnak: 2 }), error: ArgumentError, arg: 'rnak' },
  { exp: 'compressModel', cls: 'rank', name: 'rank -1', run: () => P.compressModel(f.model, { rank: -1 }), error: RankError, arg: 'options.rank' },
  { exp: 'compressModel', cls: 'rank', name: 'per-layer rank 2.5', run: () => P.compressModel(f.model, { layers: { [f.dense.name]: { rank: 2.5 } } }), error: RankError, arg: 'rank' },
  { exp: 'compressModel', cls: 'unknownOption', name: 'per-layer misspelt key', run: () => P.compressModel(f.model, { layers: { [f.dense.name]: { rnak: 2 } } }), error: ArgumentError, arg: 'rnak' },
  { exp: 'compressModel', cls: 'type', name: 'layers names no layer', run: () => P.compressModel(f.model, { layers: { nope: false } }), error: ArgumentError, arg: 'options.layers' },
  { exp: 'compressModel', cls: 'type', name: 'cp on a Dense layer', run: () => P.compressModel(f.model, { layers: { [f.dense.name]: { factorization: 'cp' } } }), error: ArgumentError, arg: 'factorization' },
  { exp: 'compressModel', cls: 'number', name: 'budget params 1.5', run: () => P.compressModel(f.model, { budget: { params: 1.5 } }), error: ArgumentError, arg: 'options.budget' },
  { exp: 'compressModel', cls: 'type', name: 'rank and budget', run: () => P.compressModel(f.model, { rank: 2, budget: { params: 0.5 } }), error: ArgumentError, arg: 'options.budget' },
  { exp: 'compressModel', cls: 'shape', name: 'calibration of the wrong shape', run: () => P.compressModel(f.model, { calibration: { inputs: inl.in7 } }), error: ShapeError, arg: 'options.calibration.inputs' },
  { exp: 'compressModel', cls: 'nan', name: 'NaN calibration', run: () => P.compressModel(f.model, { calibration: { inputs: inl.in13 } }), error: NonFiniteError, arg: 'options.calibration.inputs' },
  { exp: 'compressModel', cls: 'null', name: "transfer 'als' without calibration", run: () => P.compressModel(f.model, { transfer: 'als' }), error: ArgumentError, arg: 'options.calibration' },
  { exp: 'compressModel', cls: 'null', name: "transfer 'curvature' without loss / targets", run: () => P.compressModel(f.model, { transfer: 'curvature', calibration: { inputs: inl.in10 } }), error: ArgumentError, arg: 'options.calibration.loss' },
  { exp: 'compressModel', cls: 'shape', name: 'targets with another batch size', run: () => P.compressModel(f.model, { transfer: 'curvature', calibration: { inputs: inl.in14, targets: inl.in7, loss: 'mse' } }), error: ShapeError, arg: 'options.calibration.targets' },
  { exp: 'compressModel', cls: 'size', name: 'nIters 1e12', run: () => P.compressModel(f.model, { nIters: 1e12 }), error: ArgumentError, arg: 'nIters' },
  { exp: 'compressModel', cls: 'number', name: 'maxOutputError -1', run: () => P.compressModel(f.model, { maxOutputError: -1, calibration: { inputs: inl.in10 } }), error: ArgumentError, arg: 'maxOutputError' },
  { exp: 'compressModel', cls: 'type', name: 'signal not an AbortSignal', run: () => P.compressModel(f.model, { signal: 'stop' }), error: ArgumentError, arg: 'signal' },
  { exp: 'compressModel', cls: 'type', name: "factorization 'tucker3'", run: () => P.compressModel(f.model, { factorization: 'tucker3' }), error: ArgumentError, arg: 'options.factorization' },
  { exp: 'compressModel', cls: 'type', name: "'tt' on an Embedding", run: () => P.compressModel(f.seqModel, { layers: { cEmb: { factorization: 'tt' } } }), error: ArgumentError, arg: 'options.layers.cEmb.factorization' },
  { exp: 'compressModel', cls: 'type', name: "'blocktt' on a Conv1D", run: () => P.compressModel(f.seqModel, { layers: { cC1d: { factorization: 'blocktt' } } }), error: ArgumentError, arg: 'options.layers.cC1d.factorization' },
  { exp: 'compressModel', cls: 'type', name: "'blocktt' on a Dense", run: () => P.compressModel(f.model, { layers: { [f.dense.name]: { factorization: 'blocktt' } } }), error: ArgumentError, arg: 'factorization' },
  { exp: 'compressModel', cls: 'rank', name: "CP rank 'full' on a Conv1D", run: () => P.compressModel(f.seqModel, { layers: { cC1d: { factorization: 'cp', rank: 'full' } } }), error: RankError, arg: 'options.layers.cC1d.rank' },
  { exp: 'compressModel', cls: 'rank', name: "rank 'same' on a Dense", run: () => P.compressModel(f.model, { layers: { [f.dense.name]: { rank: 'same' } } }), error: RankError, arg: 'rank' },
  { exp: 'compressModel', cls: 'rank', name: "per-layer rank 'half'", run: () => P.compressModel(f.seqModel, { layers: { cEmb: { rank: 'half' } } }), error: RankError, arg: 'options.layers.cEmb.rank' },
  { exp: 'compressModel', cls: 'type', name: 'onProgress a string', run: () => P.compressModel(f.model, { onProgress: 'log' }), error: ArgumentError, arg: 'onProgress' },
  // ---- tfjs-layers/cpConv2d.ts, tucker2Conv2d.ts
  { exp: 'CpConv2D', cls: 'null', name: 'null args', run: () => new P.CpConv2D(null), error: ArgumentError, arg: 'args' },
  { exp: 'CpConv2D', cls: 'unknownOption', name: 'misspelt rank', run: () => new P.CpConv2D({ filters: 4, kernelSize: 3, rnak: 2 }), error: ArgumentError, arg: 'rnak' },
  { exp: 'CpConv2D', cls: 'rank', name: 'rank 0', run: () => new P.CpConv2D({ filters: 4, kernelSize: 3, rank: 0 }), error: ArgumentError, arg: 'rank' },
  { exp: 'CpConv2D', cls: 'type', name: 'fromConv: a Dense layer', run: () => P.CpConv2D.fromConv(f.dense, { rank: 2 }), error: ArgumentError, arg: 'layerOrKernel' },
  { exp: 'CpConv2D', cls: 'nan', name: 'fromConv: NaN kernel', run: () => P.CpConv2D.fromConv(f.convNaN, { rank: 2 }), error: NonFiniteError, arg: 'weight' },
  { exp: 'CpConv2D', cls: 'ndim', name: 'fromConv: 3-D kernel', run: () => P.CpConv2D.fromConv(inl.in6, { rank: 2 }), error: ShapeError, arg: 'weight' },
  { exp: 'CpConv2D', cls: 'rank', name: 'fromConv: rank 0', run: () => P.CpConv2D.fromConv(f.conv, { rank: 0 }), error: RankError, arg: 'rank' },
  { exp: 'Tucker2Conv2D', cls: 'rank', name: 'ranks [2, 0]', run: () => new P.Tucker2Conv2D({ filters: 4, kernelSize: 3, ranks: [2, 0] }), error: RankError, arg: 'ranks' },
  { exp: 'Tucker2Conv2D', cls: 'number', name: 'strides 0', run: () => new P.Tucker2Conv2D({ filters: 4, kernelSize: 3, ranks: [2, 2], strides: 0 }), error: ArgumentError, arg: 'strides' },
  { exp: 'Tucker2Conv2D', cls: 'unknownOption', name: 'fromConv: misspelt option', run: () => P.Tucker2Conv2D.fromConv(f.conv, { ranks: [2, 2], pading: 'same' }), error: ArgumentError, arg: 'pading' },
  { exp: 'Tucker2Conv2D', cls: 'nan', name: 'fromConv: NaN kernel', run: () => P.Tucker2Conv2D.fromConv(f.convNaN, { ranks: [2, 2] }), error: NonFiniteError, arg: 'weight' },

  // ---- factorized/ and conv/factorizedConv (./factorizedCases.ts)
  ...factorizedTensorCases,
  ...embedCases,
];

describe('bad input: @tenfold/factorized-layers', () => {
  checkCoverage(P, cases, {
    FACTORIZATIONS: 'a constant list of names',
    checkParamAllocation: 'an allocation check, exercised through TensorizedTensor.new / normalParams cases',
  });
  runCases(cases);
  it('reports its counts per class', () => {
    const counts = countByClass(cases);
    console.log(`factorized-layers bad-input cases: ${cases.length} ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).length).toBeGreaterThan(8);
  });
});
