/**
 * compressModel's plan: for every layer with weights, whether it is replaced, by what, at
 * which rank, and why; decided on the original weights before anything is built.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, RankError, describe } from '@tenfold/core';
import { maxRankWithSpeedup } from '../lowrank/speedup.js';
import { layerInfo, type LayerInfo } from './layerInfo.js';
import type { ResolvedOptions } from './options.js';
import { planTensorLayer } from './tensorReplacement.js';
import { allocateBudget, evbmfRank, fixedLowRank, fullRank, kernelSpectrum, type BudgetItem } from './ranks.js';
import type { CompressFactorization, CompressLayerReport, CompressRank } from './types.js';

export interface LayerPlan {
  info: LayerInfo | null;
  /** The original layer. */
  layerRef: tf.layers.Layer;
  /** Input shape of the layer's first call, set for whole-kernel plans ({@link planTensorLayer}). */
  inputShape?: (number | null)[];
  entry: CompressLayerReport;
  replace: boolean;
  factorization: CompressFactorization | null;
  /** The resolved rank of a 'lowrank' pair; the spec of 'cp' / 'tucker2'. */
  rank: number | CompressRank | null;
  /** 'budget' when the budget chooses the rank. */
  source: 'fixed' | 'evbmf' | 'budget' | null;
}

function baseEntry(layer: tf.layers.Layer, info: LayerInfo | null): CompressLayerReport {
  const params = layer.countParams();
  return {
    layer: layer.name,
    className: layer.getClassName(),
    replaced: false,
    reason: '',
    factorization: null,
    rank: null,
    maxRank: info ? maxRankWithSpeedup(info.inF, info.outF, info.kernelSize) : null,
    inFeatures: info?.inF ?? 0,
    outFeatures: info?.outF ?? 0,
    kernelSize: info ? [...info.kernelSize] : [],
    positions: info?.positions ?? 0,
    paramsBefore: params,
    paramsAfter: params,
    flopsBefore: info?.flopsBefore ?? 0,
    flopsAfter: info?.flopsBefore ?? 0,
    transfer: null,
    weightError: null,
    outputError: null,
    nmse: null,
    warnings: [],
  };
}

/** Record a warning on the entry (and on the console for EVBMF ranks unless quiet). */
export function warn(plan: { entry: CompressLayerReport }, msg: string, console_ = false, quiet = true): void {
  plan.entry.warnings.push(msg);
  if (console_ && !quiet) console.warn(`compressModel: layer '${plan.entry.layer}': ${msg}`);
}

/**
 * The plan of every layer that has weights, in model order. Cheap checks first (they throw
 * before any tensor work), then EVBMF ranks and the budget's spectra.
 * @throws ArgumentError, RankError for a per-layer choice that cannot apply to its layer
 */
export function planLayers(model: tf.LayersModel, o: ResolvedOptions): LayerPlan[] {
  const plans: LayerPlan[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer' || layer.getWeights().length === 0) continue;
    const info = layerInfo(layer);
    const entry = baseEntry(layer, info);
    const plan: LayerPlan = { info, layerRef: layer, entry, replace: false, factorization: null, rank: null, source: null };
    plans.push(plan);
    const per = o.layers[layer.name];
    if (planTensorLayer(plan, per, o)) continue;
    if (!info) {
      const cls = layer.getClassName();
      if (per) throw new ArgumentError(`options.layers.${layer.name}: a ${cls} layer cannot be factorized (Dense, Conv1D/2D/3D and Embedding can)`);
      entry.reason = `unsupported-left-dense: ${cls} is not factorized`;
      continue;
    }
    if (per === false) {
      entry.reason = 'kept dense by options.layers';
      continue;
    }
    let fact = per?.factorization ?? o.factorization;
    if (fact !== 'lowrank' && info.cls === 'Dense') {
      if (per?.factorization) throw new ArgumentError(`options.layers.${layer.name}.factorization '${fact}' applies to Conv2D layers; ${layer.name} is Dense`);
      fact = 'lowrank';
    }
    if (fact === 'blocktt') {
      if (per?.factorization) throw new ArgumentError(`options.layers.${layer.name}.factorization 'blocktt' applies to Embedding layers; ${layer.name} is ${info.cls}`);
      fact = 'lowrank';
    }
    if (fact !== 'lowrank' && info.channelsFirst) {
      entry.reason = `unsupported-left-dense: '${fact}' layers run channelsLast only; ${layer.name} is channelsFirst`;
      continue;
    }
    const spec = per?.rank ?? (o.budget && fact === 'lowrank' ? null : o.rank);
    if (spec === 'same') throw new RankError(`options${per?.rank ? `.layers.${layer.name}` : ''}.rank 'same' applies to whole-kernel factorizations ('cp' of Conv1D/3D, 'tucker', 'tt', 'blocktt', Embedding); ${layer.name} is a ${info.cls} with '${fact}'`);
    if (fact === 'cp' && spec === 'full') throw new RankError(`options${per?.rank ? `.layers.${layer.name}` : ''}.rank 'full' has no meaning for a CP conv (its exact rank is unknown); give an integer, a fraction or 'evbmf'`);
    plan.factorization = fact;
    entry.factorization = fact;
    plan.replace = true;
    plan.source = spec === null ? 'budget' : spec === 'evbmf' ? 'evbmf' : 'fixed';
    plan.rank = spec;
  }
  resolveLowRanks(plans, o);
  return plans;
}

/** Ranks of the 'lowrank' plans: EVBMF, fixed, then the budget; then the speed-up rule and floor. */
function resolveLowRanks(plans: LayerPlan[], o: ResolvedOptions): void {
  const low = plans.filter((p) => p.replace && p.factorization === 'lowrank');
  for (const p of low) {
    const info = p.info!;
    if (p.source === 'evbmf') {
      const r = evbmfRank(info);
      p.rank = r;
      p.entry.reason = `EVBMF rank ${r} of ${fullRank(info)}`;
      if (r <= 1) warn(p, `EVBMF rank ${r} on a layer with weights: the layer would ${r === 0 ? 'vanish' : 'keep one direction'}; check the layer or pass an explicit rank`, true, o.quiet);
    } else if (p.source === 'fixed') {
      const f = fixedLowRank(p.rank as Exclude<CompressRank, 'evbmf' | 'same'>, info);
      p.rank = f.rank;
      p.entry.reason = f.note;
    }
  }
  const budgeted = low.filter((p) => p.source === 'budget');
  if (o.budget && budgeted.length > 0) {
    const flops = o.budget.kind === 'flops';
    const items: BudgetItem[] = budgeted.map((p) => {
      const i = p.info!;
      const scale = flops ? 2 * i.positions : 1;
      return {
        spectrum: kernelSpectrum(i),
        unitCost: scale * (i.fanIn + i.outF),
        denseCost: scale * i.fanIn * i.outF,
        cap: o.requireSpeedup ? Math.min(fullRank(i), p.entry.maxRank!) : fullRank(i),
        floor: Math.max(1, o.minRank),
      };
    });
    const { ranks, overBudget } = allocateBudget(items, o.budget.fraction);
    budgeted.forEach((p, k) => {
      p.rank = ranks[k];
      p.entry.reason = `budget ${o.budget!.kind} ${o.budget!.fraction}: rank ${ranks[k]} of ${fullRank(p.info!)}`;
      if (overBudget) warn(p, `the rank floors alone exceed the ${o.budget!.kind} budget ${o.budget!.fraction}`);
    });
  }
  for (const p of low) {
    const r = p.rank as number;
    p.entry.rank = r;
    if (r < 1) {
      p.replace = false;
      p.entry.reason += '; rank 0: kept dense';
      continue;
    }
    if (o.requireSpeedup && r > p.entry.maxRank!) {
      p.replace = false;
      p.entry.reason += `; rank ${r} > ${p.entry.maxRank}, the largest rank that saves operations: kept dense`;
      continue;
    }
    checkFloor(p, r, o);
  }
}

/** The `minRank` guard: a warning, and kept dense with `keepDenseOnViolation`. */
export function checkFloor(p: LayerPlan, r: number, o: ResolvedOptions): void {
  if (r >= o.minRank) return;
  warn(p, `rank ${r} is below minRank ${o.minRank}`);
  if (o.keepDenseOnViolation) {
    p.replace = false;
    p.entry.reason += `; below minRank ${o.minRank}: kept dense`;
  }
}

/** A fixed CP rank: an integer, or a fraction of `min(in, out)` channels. */
export function cpRank(spec: number, info: LayerInfo): number {
  return spec < 1 ? Math.max(1, Math.floor(spec * Math.min(info.inF, info.outF))) : spec;
}

/** Fixed Tucker-2 ranks `[rOut, rIn]`: an integer (clamped), a fraction of each, or 'full'. */
export function tucker2Ranks(spec: number | 'full', info: LayerInfo): [number, number] {
  if (spec === 'full') return [info.outF, info.inF];
  if (spec < 1) return [Math.max(1, Math.floor(spec * info.outF)), Math.max(1, Math.floor(spec * info.inF))];
  return [Math.min(spec, info.outF), Math.min(spec, info.inF)];
}

/** For messages. */
export function describeRank(r: unknown): string {
  return Array.isArray(r) ? describe(r) : String(r);
}
