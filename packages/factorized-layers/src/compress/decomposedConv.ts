/**
 * The `'cp'` and `'tucker2'` replacements of compressModel: one {@link CpConv2D} or
 * {@link Tucker2Conv2D} with the kernels of {@link cpConv2d} / {@link tucker2Conv2d}.
 */
import * as tf from '@tensorflow/tfjs';
import { RankError } from '@tenfold/core';
import { cpConv2d, tucker2Conv2d } from '../conv/decompositions.js';
import { disposeConvSpecs, type ConvSpec } from '../conv/sequence.js';
import { CpConv2D } from '../tfjs-layers/cpConv2d.js';
import { Tucker2Conv2D } from '../tfjs-layers/tucker2Conv2d.js';
import { relativeError, type Replacement } from './lowRankPair.js';
import type { ResolvedOptions } from './options.js';
import { checkFloor, cpRank, tucker2Ranks, warn, type LayerPlan } from './plan.js';

/** Input and output spatial sizes of the layer's first call. */
function spatial(layer: tf.layers.Layer): { inHW: [number, number]; outHW: [number, number] } {
  const node = (layer as unknown as { inboundNodes: { inputShapes: unknown; outputShapes: unknown }[] }).inboundNodes[0];
  const one = (s: unknown) => (Array.isArray((s as unknown[])[0]) ? (s as number[][])[0] : (s as number[]));
  const i = one(node.inputShapes);
  const o = one(node.outputShapes);
  return { inHW: [i[1] ?? 1, i[2] ?? 1], outHW: [o[1] ?? 1, o[2] ?? 1] };
}

/**
 * Decompose the plan's Conv2D. Returns null (the layer stays dense, the report says why) when
 * EVBMF finds no signal or the rank guard keeps it dense.
 */
export function decompositionReplacement(plan: LayerPlan, o: ResolvedOptions, extra: Record<string, unknown>): Replacement | null {
  const info = plan.info!;
  const layer = info.layer;
  const spec = plan.rank as number | 'full' | 'evbmf';
  let specs: ConvSpec[];
  try {
    specs =
      plan.factorization === 'cp'
        ? cpConv2d(layer as never, spec === 'evbmf' ? 'evbmf' : cpRank(spec as number, info), { padding: 'valid' })
        : tucker2Conv2d(layer as never, spec === 'evbmf' ? 'evbmf' : tucker2Ranks(spec as number | 'full', info), { padding: 'valid' });
  } catch (e) {
    if (!(e instanceof RankError) || spec !== 'evbmf') throw e;
    warn(plan, `EVBMF rank 0 on a layer with weights: ${e.message}`, true, o.quiet);
    plan.entry.reason = 'EVBMF found no signal: kept dense';
    return null;
  }
  const cp = plan.factorization === 'cp';
  const rank: number | number[] = cp ? specs[0].weight.shape[0] : [specs[1].weight.shape[0], specs[1].weight.shape[1]];
  plan.entry.rank = rank;
  plan.entry.reason = `${cp ? 'CP' : 'Tucker-2'} ${spec === 'evbmf' ? 'EVBMF ' : ''}rank ${JSON.stringify(rank)}`;
  const smallest = Array.isArray(rank) ? Math.min(...rank) : rank;
  if (spec === 'evbmf' && smallest <= 1) warn(plan, `EVBMF rank ${JSON.stringify(rank)} on a layer with weights: check the layer or pass an explicit rank`, true, o.quiet);
  checkFloor(plan, smallest, o);
  if (!plan.replace) {
    disposeConvSpecs(specs);
    return null;
  }
  const geo = layer.getConfig() as Record<string, unknown>;
  const args = {
    filters: info.outF,
    kernelSize: info.kernelSize,
    strides: geo.strides as [number, number],
    padding: geo.padding as 'same' | 'valid',
    dilationRate: geo.dilationRate as [number, number],
    useBias: true,
    activation: info.activation,
    name: layer.name,
    ...extra,
  };
  let weights: tf.Tensor[];
  let newLayer: tf.layers.Layer;
  try {
    if (cp) {
      weights = CpConv2D.weightsFromSpecs(specs, true);
      newLayer = new CpConv2D({ ...args, rank: rank as number });
    } else {
      weights = Tucker2Conv2D.weightsFromSpecs(specs, true);
      newLayer = new Tucker2Conv2D({ ...args, ranks: rank as [number, number] });
    }
  } finally {
    disposeConvSpecs(specs);
  }
  const weightError = tf.tidy(() => relativeError(layer.getWeights()[0], cp ? CpConv2D.kernelFromWeights(weights) : Tucker2Conv2D.kernelFromWeights(weights)));
  const { inF: S, outF: T } = info;
  const [kh, kw] = info.kernelSize;
  const { inHW, outHW } = spatial(layer);
  const inPos = inHW[0] * inHW[1];
  const pos = outHW[0] * outHW[1];
  let paramsAfter: number;
  let flopsAfter: number;
  if (cp) {
    const r = rank as number;
    paramsAfter = S * r + kh * r + kw * r + r * T + T;
    // pointwise at the input size, vertical at (H_out, W_in), horizontal and pointwise at the output size.
    flopsAfter = 2 * (inPos * S * r + outHW[0] * inHW[1] * kh * r + pos * kw * r + pos * r * T);
  } else {
    const [ro, ri] = rank as number[];
    paramsAfter = S * ri + kh * kw * ri * ro + ro * T + T;
    flopsAfter = 2 * (inPos * S * ri + pos * kh * kw * ri * ro + pos * ro * T);
  }
  return { layers: [newLayer], weights: [weights], rank, transfer: 'decomposition', weightError, nmse: null, paramsAfter, flopsAfter, note: '' };
}
