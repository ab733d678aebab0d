/**
 * The `'lowrank'` replacement of compressModel: Composer's pair of layers (Zhang, Zou, He &
 * Sun, TPAMI 2016; `factorize_modules.py`) with the weights transferred by a truncated SVD or
 * by data-aware ALS ({@link factorizeMatrix} / {@link factorizeConv2d}) on the activations the
 * layer receives in the new model.
 */
import { tf } from '@tenfold/core';
import { svd, tidyObject } from '@tenfold/core';
import { kernelToTfjs, resolveConvWeight, toChannelsFirst } from '../conv/layout.js';
import { curvatureWeightedLowRank } from '../lowrank/curvature.js';
import { factorizeConv2d } from '../lowrank/factorizeConv2d.js';
import type { KfacFactors } from '../lowrank/kfac.js';
import { factorizeMatrix, type LowRankSolution } from '../lowrank/factorizeMatrix.js';
import { kernelMatrix, type LayerInfo } from './layerInfo.js';

/** Unbuilt layers applied in a chain, and the weights each gets once built. */
export interface Replacement {
  layers: tf.layers.Layer[];
  weights: tf.Tensor[][];
  rank: number | number[];
  transfer: 'svd' | 'als' | 'curvature' | 'decomposition';
  weightError: number;
  nmse: number | null;
  paramsAfter: number;
  flopsAfter: number;
  /** Appended to the report's reason. */
  note: string;
}

/** Free a replacement's pending weights (the layers are unbuilt and own nothing). */
export function disposeReplacement(r: Replacement): void {
  for (const ws of r.weights) tf.dispose(ws);
}

/** `||A - B||_F / ||A||_F` on the host. */
export function relativeError(ref: tf.Tensor, approx: tf.Tensor): number {
  return tf.tidy(() => {
    const num = tf.sum(tf.square(tf.sub(ref, approx))).dataSync()[0];
    const den = tf.sum(tf.square(ref)).dataSync()[0];
    return Math.sqrt(num / (den || 1));
  });
}

/**
 * Build Composer's pair for a Dense / Conv2D layer at latent size `k`.
 *
 * Dense `(in → out)` → Dense `(in → k, no bias)` then Dense `(k → out)` with the activation and
 * a bias; Conv2D → Conv2D `(k filters, the kernel, strides, padding, dilation, no bias)` then
 * a `1 x 1` Conv2D with the activation and a bias.
 *
 * @param h the layer's input in the new model (calibration batch) or null: SVD transfer.
 * @param curvature the layer's K-FAC factors (of the original model): curvature-weighted transfer.
 * @param extraArgs constructor args of the first layer (e.g. `batchInputShape` in a Sequential).
 */
export function lowRankPair(
  info: LayerInfo,
  k: number,
  h: tf.Tensor | null,
  nIters: number,
  extraArgs: Record<string, unknown>,
  curvature: KfacFactors | null = null,
): Replacement {
  const { layer, cls, fanIn, outF, kernelSize } = info;
  const cfg = layer.getConfig() as Record<string, unknown>;
  const rows = h ? (h.shape[0] as number) * info.positions : 0;
  const exact = k >= Math.min(fanIn, outF);
  // Fewer regression rows than inputs: the minimum-norm least-squares fit would discard W
  // outside the span of the data, so split by SVD instead.
  const dataAware = curvature === null && h !== null && rows >= fanIn && !exact;
  let note = '';
  if (curvature === null && h !== null && !dataAware) note = exact ? '; full rank: exact SVD split' : `; data-aware fit skipped (${rows} rows < fan_in ${fanIn}), SVD split used`;
  const w = tidyObject((): { ka: tf.Tensor; kb: tf.Tensor; nb: tf.Tensor; nmse: number | null; weightError: number } => {
    const [kernel, bias] = layer.getWeights();
    let ka: tf.Tensor;
    let kb: tf.Tensor;
    let nb: tf.Tensor;
    let nmse: number | null = null;
    if (curvature) {
      // The K-FAC weighted rank-k weight (curvatureWeightedLowRank), bias unchanged.
      const torch = cls === 'Conv2D' ? resolveConvWeight(layer, 2).weight : kernel;
      const sol = curvatureWeightedLowRank(torch, curvature.inputFactor, curvature.outputFactor, k, { bias: bias ?? null });
      ka = cls === 'Conv2D' ? kernelToTfjs(sol.wa) : tf.clone(sol.wa);
      kb = cls === 'Conv2D' ? kernelToTfjs(sol.wb!) : tf.clone(sol.wb!);
      sol.dispose();
      nb = bias ? tf.clone(bias) : tf.zeros([outF]);
    } else if (!dataAware) {
      // The kernel as a (fan_in, out) matrix; reshaping back keeps tfjs' (kh, kw, in) row order.
      const { u, s, vt } = svd(kernelMatrix(info), { rank: k });
      const sq = tf.sqrt(s);
      ka = tf.mul(u, sq);
      kb = tf.mul(tf.reshape(sq, [k, 1]), vt);
      if (cls === 'Conv2D') {
        ka = tf.reshape(ka, [kernelSize[0], kernelSize[1], info.inF, k]);
        kb = tf.reshape(kb, [1, 1, k, outF]);
      }
      nb = bias ? tf.clone(bias) : tf.zeros([outF]);
    } else {
      let sol: LowRankSolution;
      if (cls === 'Dense') {
        const X = tf.reshape(h!, [-1, info.inF]);
        const Y = bias ? tf.add(tf.matMul(X, kernel as tf.Tensor2D), bias) : tf.matMul(X, kernel as tf.Tensor2D);
        sol = factorizeMatrix(X, Y, kernel, { bias: bias ?? null, rank: k, nIters });
        ka = tf.clone(sol.wa);
        kb = tf.clone(sol.wb!);
      } else {
        const torch = resolveConvWeight(layer, 2);
        const padding = cfg.padding as 'same' | 'valid';
        sol = factorizeConv2d(info.channelsFirst ? h! : toChannelsFirst(h!), torch.weight, {
          rank: k,
          // The bias stays out of the regression (the patches cannot represent an offset).
          bias: torch.bias,
          nIters,
          stride: cfg.strides as [number, number],
          dilation: cfg.dilationRate as [number, number],
          padding,
        });
        ka = kernelToTfjs(sol.wa);
        kb = kernelToTfjs(sol.wb!);
      }
      nb = sol.bias ? tf.clone(sol.bias) : tf.zeros([outF]);
      nmse = sol.nmse;
      sol.dispose();
    }
    const prod = tf.matMul(tf.reshape(ka, [-1, k]), tf.reshape(kb, [k, outF]));
    const weightError = relativeError(kernelMatrix(info), prod);
    return { ka, kb, nb, nmse, weightError };
  });

  const name = layer.name;
  let a: tf.layers.Layer;
  let b: tf.layers.Layer;
  if (cls === 'Dense') {
    a = tf.layers.dense({ units: k, useBias: false, name: `${name}_a`, ...extraArgs });
    b = tf.layers.dense({ units: outF, useBias: true, activation: info.activation as 'linear', name: `${name}_b` });
  } else {
    const dataFormat = cfg.dataFormat as 'channelsFirst' | 'channelsLast';
    a = tf.layers.conv2d({
      filters: k,
      kernelSize,
      strides: cfg.strides as [number, number],
      padding: cfg.padding as 'same' | 'valid',
      dilationRate: cfg.dilationRate as [number, number],
      dataFormat,
      useBias: false,
      name: `${name}_a`,
      ...extraArgs,
    });
    b = tf.layers.conv2d({ filters: outF, kernelSize: 1, dataFormat, useBias: true, activation: info.activation as 'linear', name: `${name}_b` });
  }
  return {
    layers: [a, b],
    weights: [[w.ka], [w.kb, w.nb]],
    rank: k,
    transfer: curvature ? 'curvature' : dataAware ? 'als' : 'svd',
    weightError: w.weightError,
    nmse: w.nmse,
    paramsAfter: fanIn * k + k * outF + outF,
    flopsAfter: 2 * info.positions * (fanIn * k + k * outF),
    note,
  };
}
