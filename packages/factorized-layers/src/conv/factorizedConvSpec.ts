/**
 * The static description of a (possibly joint) factorized convolution and the shape
 * bookkeeping shared by `FactorizedConv` and the tfjs `FactorizedConvND` layers: kernel
 * shape `(out, in / groups, *k)`, the factorization shape (tltorch
 * `kernel_shape_to_factorization_shape`: TT moves the out-channel mode last, `(in, *k, out)`;
 * joint layers prepend `nLayers`), the per-layer rank after indexing, per-layer geometry.
 */
import { ArgumentError, NotSupportedError, ShapeError, describe } from '@tenfold/core';
import type { TensorFactorization } from '../factorized/params.js';
import { type ConvPaddingNd, resolvePaddingNd, toTuple } from './geometry.js';
import type { ResolvedConvGeometry } from './factorizedConvForward.js';

/** Geometry of one layer as given (padding unresolved: 'same' depends on the input size). */
export interface ConvLayerGeometry {
  stride: number[];
  padding: ConvPaddingNd;
  dilation: number[];
}

/** Resolve `kernelSize` + `order` (tltorch: an int kernel needs the order). @throws ArgumentError */
export function resolveKernelSize(kernelSize: unknown, order: unknown): number[] {
  if (typeof kernelSize === 'number') {
    if (order === undefined || order === null) {
      throw new ArgumentError('order must be given with an int kernelSize (the dimension of the convolution, 1, 2 or 3); got none');
    }
    if (order !== 1 && order !== 2 && order !== 3) throw new ArgumentError(`order must be 1, 2 or 3; got ${describe(order)}`);
    return toTuple(kernelSize, order, 'kernelSize', 1, 1);
  }
  if (!Array.isArray(kernelSize) || kernelSize.length < 1 || kernelSize.length > 3) {
    throw new ArgumentError(`kernelSize must be an int (with order) or a list of 1 to 3 positive integers; got ${describe(kernelSize)}`);
  }
  const k = toTuple(kernelSize as number[], kernelSize.length, 'kernelSize', 1, 1);
  if (order !== undefined && order !== null && order !== k.length) throw new ArgumentError(`order ${describe(order)} does not match kernelSize ${describe(k)}`);
  return k;
}

/** Check and normalise one layer's geometry. @throws ArgumentError / NotSupportedError naming the argument */
export function checkLayerGeometry(
  g: { stride?: number | number[]; padding?: ConvPaddingNd; dilation?: number | number[] },
  kernel: number[],
  prefix = '',
): ConvLayerGeometry {
  const n = kernel.length;
  const stride = toTuple(g.stride, n, `${prefix}stride`, 1, 1);
  const dilation = toTuple(g.dilation, n, `${prefix}dilation`, 1, 1);
  const padding = g.padding ?? 0;
  // Validate the form now (with a dummy input size when 'same' needs one).
  resolvePaddingNd(padding, kernel, stride, dilation, kernel.map(() => 1), `${prefix}padding`);
  return { stride, padding: (Array.isArray(padding) ? padding.map((p) => (Array.isArray(p) ? [...p] : p)) : padding) as ConvPaddingNd, dilation };
}

/** Resolve a layer's geometry for an input of spatial size `spatial`. @throws ShapeError when the output would be empty */
export function resolveLayerGeometry(g: ConvLayerGeometry, kernel: number[], spatial: readonly number[]): ResolvedConvGeometry {
  const padding = resolvePaddingNd(g.padding, kernel, g.stride, g.dilation, spatial);
  const out = spatial.map((s, m) => Math.floor((s + padding[m][0] + padding[m][1] - g.dilation[m] * (kernel[m] - 1) - 1) / g.stride[m]) + 1);
  if (out.some((o) => o < 1)) {
    throw new ShapeError(`the input of spatial size ${describe([...spatial])} is too small for kernel ${describe(kernel)} with dilation ${describe(g.dilation)} and padding ${describe(padding)}: output size would be ${describe(out)}`);
  }
  return { stride: [...g.stride], padding, dilation: [...g.dilation] };
}

/** Kernel shape `(out, in / groups, *k)`. @throws ArgumentError when groups does not divide both channel counts */
export function convKernelShape(inChannels: number, outChannels: number, kernel: number[], groups: number): number[] {
  if (!Number.isInteger(groups) || groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(`groups must be a positive integer dividing inChannels ${inChannels} and outChannels ${outChannels}; got ${describe(groups)}`);
  }
  return [outChannels, inChannels / groups, ...kernel];
}

/** tltorch `kernel_shape_to_factorization_shape` (+ the layer mode). */
export function factorizationShape(kind: TensorFactorization, kernelShape: number[], nLayers: number): number[] {
  const s = kind === 'tt' ? [...kernelShape.slice(1), kernelShape[0]] : [...kernelShape];
  return nLayers > 1 ? [nLayers, ...s] : s;
}

/** tltorch `fixed_rank_modes`: 'spatial' fixes the kernel modes (Tucker only; ignored otherwise, as tltorch warns). */
export function resolveFixedRankModes(spec: unknown, kind: TensorFactorization, order: number, nLayers: number): number[] | null {
  if (spec === undefined || spec === null || kind !== 'tucker') return null;
  const lead = nLayers > 1 ? 1 : 0;
  if (spec === 'spatial') return Array.from({ length: order }, (_, i) => lead + 2 + i);
  if (Array.isArray(spec) && spec.every((m) => Number.isInteger(m))) return [...spec];
  throw new ArgumentError(`fixedRankModes must be 'spatial' or a list of modes; got ${describe(spec)}`);
}

/** The rank of one layer once the layer mode is indexed (Tucker drops R_layer, TT its first bond). */
export function layerRank(kind: TensorFactorization, rank: number | number[] | null, nLayers: number): number | number[] | null {
  if (nLayers === 1 || rank === null || typeof rank === 'number') return rank;
  return kind === 'tucker' ? rank.slice(1) : [1, ...rank.slice(2)];
}

/** 'factorized' with groups > 1 needs a dense kernel. @throws NotSupportedError */
export function checkGroupsSupported(kind: TensorFactorization, groups: number, implementation: string): void {
  if (groups > 1 && kind !== 'dense' && implementation === 'factorized') {
    throw new NotSupportedError(
      `implementation 'factorized' with groups ${groups} > 1 is only supported for factorization 'dense': the CP / Tucker / TT paths convolve all input channels; use implementation 'reconstructed' or 'auto' (which then reconstructs)`,
    );
  }
}
