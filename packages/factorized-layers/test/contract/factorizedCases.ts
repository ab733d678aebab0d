/**
 * Bad-input cases of the FactorizedTensor family and FactorizedConv (issue 12), spread into
 * the package's contract table (`badInput.test.ts`). Every case builds its inputs inside
 * `run` and disposes them, so the harness's leak check covers it.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, NonFiniteError, NotSupportedError, RankError, ShapeError } from '@tenfold/core';
import * as pkg from '@tenfold/factorized-layers';
import type { BadCase } from '../../../../test-utils/contract.js';

const P = pkg as Record<string, any>;

/** Run `fn` on a tensor made here, disposing it after. */
function withTensor(make: () => tf.Tensor, fn: (t: tf.Tensor) => unknown): unknown {
  const t = make();
  try {
    return fn(t);
  } finally {
    t.dispose();
  }
}

export const factorizedTensorCases: BadCase[] = [
  { exp: 'FactorizedTensor', cls: 'type', name: 'new: unknown factorization', run: () => P.FactorizedTensor.new([4, 3], 'same', 'ttm'), error: ArgumentError, arg: 'factorization' },
  { exp: 'FactorizedTensor', cls: 'shape', name: 'new: shape with a 0', run: () => P.FactorizedTensor.new([4, 0], 'same', 'cp'), error: ArgumentError, arg: 'shape' },
  { exp: 'FactorizedTensor', cls: 'rank', name: 'new: CP rank resolving to 0', run: () => P.FactorizedTensor.new([5, 1], 0.3, 'cp'), error: RankError, arg: 'rank' },
  { exp: 'FactorizedTensor', cls: 'rank', name: 'new: Tucker rank list of the wrong length', run: () => P.FactorizedTensor.new([4, 3], [2], 'tucker'), error: RankError, arg: 'rank' },
  { exp: 'FactorizedTensor', cls: 'size', name: 'new: CP rank 1e9', run: () => P.FactorizedTensor.new([4, 3], 1e9, 'cp'), error: RankError, arg: 'rank' },
  { exp: 'FactorizedTensor', cls: 'unknownOption', name: 'new: misspelt seed', run: () => P.FactorizedTensor.new([4, 3], 2, 'cp', { sed: 1 }), error: ArgumentError, arg: 'sed' },
  { exp: 'FactorizedTensor', cls: 'number', name: 'new: std -1', run: () => P.FactorizedTensor.new([4, 3], 2, 'cp', { std: -1 }), error: ArgumentError, arg: 'std' },
  { exp: 'FactorizedTensor', cls: 'nan', name: 'fromTensor: NaN tensor', run: () => withTensor(() => tf.tensor([[NaN, 1], [2, 3]]), (t) => P.FactorizedTensor.fromTensor(t, 1, 'cp')), error: NonFiniteError, arg: 'tensor' },
  { exp: 'FactorizedTensor', cls: 'null', name: 'fromTensor: null tensor', run: () => P.FactorizedTensor.fromTensor(null, 1, 'cp'), arg: 'tensor' },
  { exp: 'FactorizedTensor', cls: 'type', name: 'fromTensor: decomposition a string', run: () => withTensor(() => tf.ones([2, 2]), (t) => P.FactorizedTensor.fromTensor(t, 1, 'cp', { decomposition: 'svd' })), error: ArgumentError, arg: 'decomposition' },
  { exp: 'FactorizedTensor', cls: 'ndim', name: 'get on an order-1 tensor', run: () => { const t = P.FactorizedTensor.new([4], 'same', 'tt'); try { return t.get(0); } finally { t.dispose(); } }, error: ModeError, arg: 'order-1' },
  { exp: 'FactorizedTensor', cls: 'disposed', name: 'toTensor after dispose', run: () => { const t = P.FactorizedTensor.new([4, 3], 2, 'cp'); t.dispose(); return t.toTensor(); }, error: ArgumentError, arg: 'disposed' },
  { exp: 'CPTensor', cls: 'number', name: 'normal with mean 1', run: () => { const t = P.FactorizedTensor.new([4, 3], 2, 'cp'); try { return t.normal(1, 0.1); } finally { t.dispose(); } }, error: NotSupportedError, arg: 'mean' },
  { exp: 'CPTensor', cls: 'type', name: 'constructor with a non-parameter object', run: () => new P.CPTensor(5), error: ArgumentError, arg: 'params' },
  { exp: 'TuckerTensor', cls: 'shape', name: 'initFromTensor with another shape', run: () => { const t = P.FactorizedTensor.new([4, 3], 'same', 'tucker'); try { return withTensor(() => tf.ones([3, 4]), (x) => t.initFromTensor(x)); } finally { t.dispose(); } }, error: ArgumentError, arg: 'tensor' },
  { exp: 'TTTensor', cls: 'shape', name: 'constructor with a core of the wrong rank', run: () => withTensor(() => tf.ones([1, 3, 2]), (c) => new P.TTTensor({ kind: 'tt', factors: [c] })), error: ShapeError, arg: 'params' },
  { exp: 'DenseTensor', cls: 'disposed', name: 'constructor with a disposed tensor', run: () => { const t = tf.ones([2, 2]); t.dispose(); return new P.DenseTensor({ kind: 'dense', tensor: t }); }, error: ArgumentError, arg: 'params' },
  { exp: 'resolveFactorizedRank', cls: 'null', name: 'null shape', run: () => P.resolveFactorizedRank(null, 'same', 'cp'), error: ArgumentError, arg: 'shape' },
  { exp: 'resolveFactorizedRank', cls: 'rank', name: 'rank -2', run: () => P.resolveFactorizedRank([4, 3], -2, 'tucker'), error: RankError, arg: 'rank' },
  { exp: 'resolveFactorizedRank', cls: 'number', name: 'fixed mode out of range', run: () => P.resolveFactorizedRank([4, 3], 'same', 'tucker', [5]), arg: 'fixedModes' },

  // conv/layout.ts (in main without table rows)
  { exp: 'kernelFromTfjs', cls: 'null', name: 'null kernel', run: () => P.kernelFromTfjs(null), arg: 'kernel' },
  { exp: 'kernelToTfjs', cls: 'null', name: 'null weight', run: () => P.kernelToTfjs(undefined), arg: 'weight' },
  { exp: 'toChannelsFirst', cls: 'ndim', name: 'a vector', run: () => withTensor(() => tf.ones([3]), (t) => P.toChannelsFirst(t)), error: ShapeError, arg: 'x' },
  { exp: 'toChannelsLast', cls: 'ndim', name: 'a vector', run: () => withTensor(() => tf.ones([3]), (t) => P.toChannelsLast(t)), error: ShapeError, arg: 'x' },
  { exp: 'tfjsToTorchKernelPerm', cls: 'number', name: 'order 0', run: () => P.tfjsToTorchKernelPerm(0), error: ArgumentError, arg: 'order' },
  { exp: 'torchToTfjsKernelPerm', cls: 'number', name: 'order 1.5', run: () => P.torchToTfjsKernelPerm(1.5), error: ArgumentError, arg: 'order' },
  { exp: 'resolveConvWeight', cls: 'ndim', name: 'a 2-D torch weight for order 2', run: () => withTensor(() => tf.ones([3, 3]), (t) => P.resolveConvWeight(t, 2)), error: ShapeError, arg: 'weight' },
  { exp: 'resolveConvWeight', cls: 'type', name: 'layout "nchw"', run: () => withTensor(() => tf.ones([2, 2, 3, 3]), (t) => P.resolveConvWeight(t, 2, 'nchw')), error: ArgumentError, arg: 'layout' },
];
