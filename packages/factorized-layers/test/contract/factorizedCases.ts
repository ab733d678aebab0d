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

  // conv/factorizedConv*.ts
  { exp: 'FactorizedConv', cls: 'null', name: 'null options', run: () => new P.FactorizedConv(null), error: ArgumentError, arg: 'options' },
  { exp: 'FactorizedConv', cls: 'unknownOption', name: 'misspelt kernelSize', run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 4, kernelsize: 3 }), error: ArgumentError, arg: 'kernelsize' },
  { exp: 'FactorizedConv', cls: 'type', name: 'int kernelSize without order (tltorch ValueError)', run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 6, kernelSize: 3 }), error: ArgumentError, arg: 'order' },
  { exp: 'FactorizedConv', cls: 'number', name: 'groups not dividing the channels', run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 6, kernelSize: [3], groups: 4, factorization: 'dense' }), error: ArgumentError, arg: 'groups' },
  { exp: 'FactorizedConv', cls: 'type', name: "'factorized' CP with groups 2", run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 4, kernelSize: [3], groups: 2, factorization: 'cp', implementation: 'factorized' }), error: NotSupportedError, arg: 'groups' },
  { exp: 'FactorizedConv', cls: 'type', name: "padding 'causal'", run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 4, kernelSize: [3], padding: 'causal' }), error: NotSupportedError, arg: 'padding' },
  { exp: 'FactorizedConv', cls: 'rank', name: 'rank -1', run: () => new P.FactorizedConv({ inChannels: 4, outChannels: 4, kernelSize: [3, 3], rank: -1 }), error: RankError, arg: 'rank' },
  { exp: 'FactorizedConv', cls: 'size', name: 'nLayers 1e9', run: () => new P.FactorizedConv({ inChannels: 64, outChannels: 64, kernelSize: [3, 3], nLayers: 1e9 }), arg: 'nLayers' },
  { exp: 'FactorizedConv', cls: 'ndim', name: 'apply: a 3-D input to a 2-D conv', run: () => { const l = new P.FactorizedConv({ inChannels: 2, outChannels: 2, kernelSize: [3, 3] }); try { return withTensor(() => tf.ones([1, 2, 5]), (x) => l.apply(x)); } finally { l.dispose(); } }, error: ShapeError, arg: 'x' },
  { exp: 'FactorizedConv', cls: 'shape', name: 'apply: input smaller than the kernel', run: () => { const l = new P.FactorizedConv({ inChannels: 2, outChannels: 2, kernelSize: [3, 3] }); try { return withTensor(() => tf.ones([1, 2, 2, 2]), (x) => l.apply(x)); } finally { l.dispose(); } }, error: ShapeError, arg: 'too small' },
  { exp: 'FactorizedConv', cls: 'number', name: 'apply: layer 1 of a single conv (tltorch ValueError)', run: () => { const l = new P.FactorizedConv({ inChannels: 2, outChannels: 2, kernelSize: [3, 3] }); try { return withTensor(() => tf.ones([1, 2, 5, 5]), (x) => l.apply(x, 1)); } finally { l.dispose(); } }, error: ModeError, arg: 'layerIndex' },
  { exp: 'FactorizedConv', cls: 'nan', name: 'fromConv: NaN kernel', run: () => withTensor(() => tf.tensor4d([NaN, 1, 2, 3], [1, 1, 2, 2]), (w) => P.FactorizedConv.fromConv(w, { factorization: 'tucker' })), error: NonFiniteError, arg: 'conv.weight' },
  { exp: 'FactorizedConv', cls: 'shape', name: 'fromConv: bias of the wrong length', run: () => withTensor(() => tf.ones([2, 1, 3]), (w) => P.FactorizedConv.fromConv({ weight: w, bias: [1, 2, 3] }, { factorization: 'dense' })), error: ShapeError, arg: 'bias' },
  { exp: 'FactorizedConv', cls: 'rank', name: "fromConv: 'evbmf' with dense", run: () => withTensor(() => tf.ones([2, 1, 3]), (w) => P.FactorizedConv.fromConv(w, { rank: 'evbmf', factorization: 'dense' })), error: RankError, arg: 'evbmf' },
  { exp: 'FactorizedConv', cls: 'empty', name: 'fromConvList: empty list', run: () => P.FactorizedConv.fromConvList([]), error: ArgumentError, arg: 'convs' },
  { exp: 'FactorizedConv', cls: 'shape', name: 'fromConvList: kernels of different shapes', run: () => { const a = tf.ones([2, 1, 3]); const b = tf.ones([2, 1, 2]); try { return P.FactorizedConv.fromConvList([a, b], { factorization: 'tucker' }); } finally { tf.dispose([a, b]); } }, error: ShapeError, arg: 'convs[1]' },
  { exp: 'SubFactorizedConv', cls: 'type', name: 'main not a FactorizedConv', run: () => new P.SubFactorizedConv({}, 0), error: ArgumentError, arg: 'main' },
  { exp: 'FactorizedConvND', cls: 'type', name: 'fromConv of a Dense layer', run: () => { const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] }); try { return P.FactorizedConv2D.fromConv(m.layers[0]); } finally { m.dispose(); } }, error: ArgumentError, arg: 'Dense' },
  { exp: 'FactorizedConvND', cls: 'unknownOption', name: 'fromConv with groups (these layers have none)', run: () => { const m = tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 2] })] }); try { return P.FactorizedConv2D.fromConv(m.layers[0], { groups: 1 }); } finally { m.dispose(); } }, error: ArgumentError, arg: 'groups' },
  { exp: 'FactorizedConv1D', cls: 'null', name: 'null args', run: () => new P.FactorizedConv1D(null), error: ArgumentError, arg: 'args' },
  { exp: 'FactorizedConv2D', cls: 'unknownOption', name: 'misspelt filters', run: () => new P.FactorizedConv2D({ filter: 3, kernelSize: 3 }), error: ArgumentError, arg: 'filter' },
  { exp: 'FactorizedConv2D', cls: 'type', name: "padding 'causal'", run: () => new P.FactorizedConv2D({ filters: 3, kernelSize: 3, padding: 'causal' }), error: NotSupportedError, arg: 'padding' },
  { exp: 'FactorizedConv3D', cls: 'number', name: 'filters 0', run: () => new P.FactorizedConv3D({ filters: 0, kernelSize: 3 }), error: ArgumentError, arg: 'filters' },
  { exp: 'FactorizedConv3D', cls: 'rank', name: 'rank -1', run: () => new P.FactorizedConv3D({ filters: 2, kernelSize: 3, rank: -1 }), error: RankError, arg: 'rank' },
];
