/**
 * compressModel's whole-kernel replacements: a Conv1D / Conv3D (or a Conv2D asked for
 * `'tucker'` / `'tt'`) becomes one {@link FactorizedConv1D} / `2D` / `3D` whose kernel is a
 * CP, Tucker or TT tensor (tltorch `FactorizedConv.from_conv`); an Embedding becomes one
 * {@link FactorizedEmbeddingLayer} with a tensorized block-TT, CP or Tucker table (tltorch
 * `FactorizedEmbedding.from_embedding`). The weights come from decomposing the layer's own
 * kernel / table (`FactorizedConv.fromConv`, `FactorizedEmbedding.fromEmbedding`, the code the
 * layers' own `fromConv` / `fromEmbedding` run), so the report can say the exact weight error,
 * parameter count and, for convs, the FLOPs at the layer's real input size
 * (`FactorizedConv.flops`).
 */
import { tf } from '@tenfold/core';
import { ArgumentError, RankError, describe } from '@tenfold/core';
import { evbmf } from '@tenfold/rank';
import { FactorizedConv } from '../conv/factorizedConv.js';
import { FactorizedEmbedding, resolveEmbeddingShape } from '../embedding/factorizedEmbedding.js';
import type { FactorizedRankSpec } from '../factorized/rank.js';
import { FactorizedConv1D, FactorizedConv2D, FactorizedConv3D } from '../tfjs-layers/factorizedConv.js';
import { FactorizedEmbeddingLayer } from '../tfjs-layers/factorizedEmbeddingLayer.js';
import { relativeError, type Replacement } from './lowRankPair.js';
import type { ResolvedOptions } from './options.js';
import { checkFloor, warn, type LayerPlan } from './plan.js';
import type { CompressFactorization, CompressRank, LayerCompressOptions } from './types.js';

/** Factorizations each class takes here (a Conv2D's `'cp'` stays {@link CpConv2D}). */
const ALLOWED: Record<string, readonly CompressFactorization[]> = {
  Conv1D: ['cp', 'tucker', 'tt'],
  Conv2D: ['tucker', 'tt'],
  Conv3D: ['cp', 'tucker', 'tt'],
  Embedding: ['blocktt', 'cp', 'tucker'],
};

/** Default of a class when the global factorization does not apply to it. */
const DEFAULT: Record<string, CompressFactorization> = { Conv1D: 'cp', Conv3D: 'cp', Embedding: 'blocktt' };

/** The input / output shapes of the layer's first call. */
function firstShapes(layer: tf.layers.Layer): { input: (number | null)[]; output: (number | null)[] } {
  const node = (layer as unknown as { inboundNodes: { inputShapes: unknown; outputShapes: unknown }[] }).inboundNodes[0];
  const one = (s: unknown) => (Array.isArray((s as unknown[])[0]) ? (s as (number | null)[][])[0] : (s as (number | null)[]));
  return { input: one(node.inputShapes), output: one(node.outputShapes) };
}

/**
 * Whether this layer goes through the whole-kernel path, and with which factorization.
 * Fills the report's sizes; a layer that cannot be converted is reported as left dense.
 * @returns false when the layer is not handled here (Dense, Conv2D with 'lowrank' / 'cp' / 'tucker2', other classes)
 * @throws ArgumentError for a per-layer factorization the class does not take; RankError for a rank it cannot take
 */
export function planTensorLayer(plan: LayerPlan, per: LayerCompressOptions | false | undefined, o: ResolvedOptions): boolean {
  const layer = plan.entry.className;
  const allowed = ALLOWED[layer];
  if (!allowed) return false;
  const e = plan.entry;
  const wanted = (per ? per.factorization : undefined) ?? o.factorization;
  if (layer === 'Conv2D' && !allowed.includes(wanted)) return false;
  const l = plan.layerRef;
  const cfg = l.getConfig() as Record<string, unknown>;
  const kernel = l.getWeights()[0];
  const { input, output } = firstShapes(l);
  if (layer === 'Embedding') {
    [e.inFeatures, e.outFeatures] = kernel.shape as [number, number];
    e.positions = output.slice(1, -1).reduce<number>((a, d) => a * (d ?? 1), 1);
  } else {
    e.inFeatures = kernel.shape[kernel.rank - 2];
    e.outFeatures = kernel.shape[kernel.rank - 1];
    e.kernelSize = kernel.shape.slice(0, -2);
    e.positions = output.slice(1, -1).reduce<number>((a, d) => a * (d ?? 1), 1);
    e.flopsBefore = 2 * e.positions * e.inFeatures * e.outFeatures * e.kernelSize.reduce((a, b) => a * b, 1);
    e.flopsAfter = e.flopsBefore;
  }
  plan.inputShape = input;
  if (per === false) {
    e.reason = 'kept dense by options.layers';
    return true;
  }
  if (per?.factorization && !allowed.includes(per.factorization)) {
    throw new ArgumentError(`options.layers.${l.name}.factorization must be one of ${allowed.map((a) => `'${a}'`).join(', ')} for a ${layer} layer; got '${per.factorization}'`);
  }
  const spec: CompressRank = per?.rank ?? o.rank;
  // A lossless request ('full') on a Conv1D / Conv3D left to its default gets Tucker, which has one.
  const fact = allowed.includes(wanted) ? wanted : spec === 'full' && layer !== 'Embedding' ? 'tucker' : DEFAULT[layer];
  const where = per?.rank !== undefined ? `options.layers.${l.name}.rank` : 'options.rank';
  if (spec === 'full' && fact === 'cp') throw new RankError(`${where} 'full' has no meaning for a CP tensor (its exact rank is unknown); give an integer, a fraction, 'same' or 'evbmf' (layer ${l.name})`);
  if (layer !== 'Embedding' && (cfg.dataFormat ?? 'channelsLast') !== 'channelsLast') {
    e.reason = `unsupported-left-dense: FactorizedConv layers run channelsLast only; ${l.name} is ${String(cfg.dataFormat)}`;
    return true;
  }
  if (layer !== 'Embedding' && cfg.padding !== 'same' && cfg.padding !== 'valid') {
    e.reason = `unsupported-left-dense: padding ${describe(cfg.padding)} has no FactorizedConv equivalent`;
    return true;
  }
  if (layer === 'Embedding' && cfg.maskZero === true) {
    e.reason = 'unsupported-left-dense: FactorizedEmbedding has no maskZero';
    return true;
  }
  plan.factorization = fact;
  e.factorization = fact;
  plan.replace = true;
  plan.source = spec === 'evbmf' ? 'evbmf' : 'fixed';
  plan.rank = spec;
  return true;
}

/** A fixed seed for parafac's SVD-init padding columns (ranks above a mode size): a compressed model is reproducible. */
const CP_SEED = (kind: string) => (kind === 'cp' ? { decomposition: { seed: 0 } } : {});

/** Full TT ranks of a shape: `r_k = min(Π s_{<k}, Π s_{>=k})` (exact TT-SVD). */
function fullTtRanks(shape: readonly number[]): number[] {
  const p = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
  return shape.map((_, k) => (k === 0 ? 1 : Math.min(p(shape.slice(0, k)), p(shape.slice(k))))).concat([1]);
}

/** compressModel's rank spec as a FactorizedRankSpec (fraction = of the parameters, as tltorch). */
function tensorRank(spec: CompressRank, full: () => number[]): FactorizedRankSpec {
  if (spec === 'full') return full();
  if (spec === 'same') return 'same';
  if (typeof spec === 'number' && spec < 1) return { fraction: spec };
  return spec as number;
}

function convReplacement(plan: LayerPlan, o: ResolvedOptions, extra: Record<string, unknown>): Replacement | null {
  const layer = plan.layerRef;
  const e = plan.entry;
  const kind = plan.factorization as 'cp' | 'tucker' | 'tt';
  const k = e.kernelSize;
  const spec = plan.rank as CompressRank;
  const rank = spec === 'evbmf' ? 'evbmf' : tensorRank(spec, () => (kind === 'tucker' ? [e.outFeatures, e.inFeatures, ...k] : fullTtRanks([e.inFeatures, ...k, e.outFeatures])));
  const fc = FactorizedConv.fromConv(layer as never, { factorization: kind, rank, implementation: 'auto', ...CP_SEED(kind) });
  try {
    const r = fc.rank as number | number[];
    e.rank = r;
    e.reason = `${kind === 'cp' ? 'CP' : kind === 'tucker' ? 'Tucker' : 'TT'} ${spec === 'evbmf' ? 'EVBMF ' : ''}rank ${JSON.stringify(r)} of the whole kernel`;
    const inner = Array.isArray(r) ? (kind === 'tt' ? r.slice(1, -1) : r) : [r];
    const smallest = Math.min(...inner);
    if (spec === 'evbmf' && smallest <= 1) warn(plan, `EVBMF rank ${JSON.stringify(r)} on a layer with weights: check the layer or pass an explicit rank`, true, o.quiet);
    const spatial = plan.inputShape!.slice(1, -1).map((d) => d ?? 1);
    const flops = fc.flops([1, e.inFeatures, ...spatial]);
    e.flopsBefore = flops.dense;
    const flopsAfter = Math.min(flops.factorized, flops.reconstructed);
    if (o.requireSpeedup && flopsAfter >= flops.dense) {
      plan.replace = false;
      e.reason += `; ${flopsAfter} FLOPs >= ${flops.dense} of the dense conv: kept dense`;
      return null;
    }
    checkFloor(plan, smallest, o);
    if (!plan.replace) return null;
    // tfjs layout: cp / tucker reconstruct (out, in, *k), TT (in, *k, out).
    const n = k.length;
    const perm = kind === 'tt' ? [...k.map((_, i) => i + 1), 0, n + 1] : [...k.map((_, i) => i + 2), 1, 0];
    const weightError = tf.tidy(() => relativeError(layer.getWeights()[0], tf.transpose(fc.weight.toTensor(), perm)));
    const weights = tf.tidy(() => [...fc.weight.variables.map((v) => tf.clone(v)), ...(fc.bias ? [tf.clone(fc.bias)] : [])]);
    const g = fc.layerGeometry();
    const args = {
      filters: e.outFeatures,
      kernelSize: k,
      strides: g.stride as number[],
      padding: (g.padding === 'same' ? 'same' : 'valid') as 'same' | 'valid',
      dilationRate: g.dilation as number[],
      useBias: fc.bias !== null,
      factorization: kind,
      rank: r,
      implementation: 'auto' as const,
      activation: String((layer.getConfig() as Record<string, unknown>).activation ?? 'linear'),
      name: layer.name,
      ...extra,
    };
    const Ctor = n === 1 ? FactorizedConv1D : n === 2 ? FactorizedConv2D : FactorizedConv3D;
    let newLayer: tf.layers.Layer;
    try {
      newLayer = new Ctor(args);
    } catch (err) {
      tf.dispose(weights);
      throw err;
    }
    return { layers: [newLayer], weights: [weights], rank: r, transfer: 'decomposition', weightError, nmse: null, paramsAfter: fc.paramCount, flopsAfter, note: '' };
  } finally {
    fc.dispose();
  }
}

/** The EVBMF rank of the (V, D) table (at least 1: a zero rank has no tensorized form). */
function tableEvbmfRank(table: tf.Tensor, plan: LayerPlan, o: ResolvedOptions): number {
  const res = evbmf(table);
  res.u.dispose();
  res.v.dispose();
  if (res.rank <= 1) warn(plan, `EVBMF rank ${res.rank} of the table: check the layer or pass an explicit rank`, true, o.quiet);
  return Math.max(1, res.rank);
}

function embeddingReplacement(plan: LayerPlan, o: ResolvedOptions, extra: Record<string, unknown>): Replacement | null {
  const layer = plan.layerRef;
  const e = plan.entry;
  const kind = plan.factorization as 'blocktt' | 'cp' | 'tucker';
  const table = layer.getWeights()[0];
  const [tv, td] = resolveEmbeddingShape(e.inFeatures, e.outFeatures, { nTensorizedModes: 2 });
  const spec = plan.rank as CompressRank;
  const rank =
    spec === 'evbmf'
      ? tableEvbmfRank(table, plan, o)
      : tensorRank(spec, () => (kind === 'tucker' ? [...tv, ...td] : fullTtRanks(tv.map((v, i) => v * td[i]))));
  const emb = FactorizedEmbedding.fromEmbedding(table, { factorization: kind, rank, tensorizedShape: [tv, td], ...CP_SEED(kind) });
  try {
    const r = emb.rank as number | number[];
    e.rank = r;
    e.reason = `${kind === 'blocktt' ? 'block-TT' : kind === 'cp' ? 'CP' : 'Tucker'} ${spec === 'evbmf' ? 'EVBMF ' : ''}rank ${JSON.stringify(r)} of the ${JSON.stringify([tv, td])}-tensorized table`;
    const paramsAfter = emb.paramCount;
    if (o.requireSpeedup && paramsAfter >= e.paramsBefore) {
      plan.replace = false;
      e.reason += `; ${paramsAfter} parameters >= ${e.paramsBefore} of the table: kept dense`;
      return null;
    }
    const inner = Array.isArray(r) ? (kind === 'blocktt' ? r.slice(1, -1) : r) : [r];
    checkFloor(plan, inner.length ? Math.min(...inner) : 1, o);
    if (!plan.replace) return null;
    const weightError = tf.tidy(() => relativeError(table, emb.toTable()));
    const weights = tf.tidy(() => emb.weight.variables.map((v) => tf.clone(v)));
    let newLayer: tf.layers.Layer;
    try {
      newLayer = new FactorizedEmbeddingLayer({
        inputDim: e.inFeatures,
        outputDim: e.outFeatures,
        tensorizedNumEmbeddings: tv,
        tensorizedEmbeddingDim: td,
        factorization: kind,
        rank: r,
        name: layer.name,
        ...extra,
      });
    } catch (err) {
      tf.dispose(weights);
      throw err;
    }
    return { layers: [newLayer], weights: [weights], rank: r, transfer: 'decomposition', weightError, nmse: null, paramsAfter, flopsAfter: 0, note: '' };
  } finally {
    emb.dispose();
  }
}

/**
 * Build the plan's whole-kernel replacement. Returns null (the layer stays dense, the report
 * says why) when the speed-up or rank-floor guard keeps it dense.
 */
export function tensorReplacement(plan: LayerPlan, o: ResolvedOptions, extra: Record<string, unknown>): Replacement | null {
  return plan.entry.className === 'Embedding' ? embeddingReplacement(plan, o, extra) : convReplacement(plan, o, extra);
}

/** Whether a plan goes through {@link tensorReplacement}. */
export function isTensorPlan(plan: LayerPlan): boolean {
  return plan.inputShape !== undefined;
}

