/**
 * compressModel: replace the Dense, Conv1D/2D/3D and Embedding layers of any tfjs LayersModel (Sequential or
 * functional, with branches, merges, several inputs and outputs) by factorized layers, and
 * report what happened to each layer.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, NotSupportedError, describe } from '@tenfold/core';
import { StepProgress } from '../internal/checks.js';
import type { HessianLoss } from '../lowrank/hessian.js';
import { kfacFactors } from '../lowrank/kfac.js';
import { decompositionReplacement } from './decomposedConv.js';
import { applyChain, cloneLayer, isCloneable, modelNodes, type GraphNode } from './graph.js';
import { disposeReplacement, lowRankPair, relativeError, type Replacement } from './lowRankPair.js';
import { calibrationInputs, resolveOptions, type ResolvedOptions } from './options.js';
import { planLayers, warn, type LayerPlan } from './plan.js';
import { isTensorPlan, tensorReplacement } from './tensorReplacement.js';
import type { CompressLayerReport, CompressModelOptions, CompressResult, CompressSummary } from './types.js';

/** The chain that stands for one original layer in the new model, with its weights. */
interface Built {
  chain: tf.layers.Layer[];
  /** Concrete output on the calibration batch (when there is one), for the next layers. */
  outputs: tf.Tensor[] | null;
}

/**
 * Compress a tfjs model: every Dense / Conv2D layer becomes a factorized layer (Composer's
 * low-rank pair, or a {@link CpConv2D} / {@link Tucker2Conv2D} for convs), every Conv1D /
 * Conv3D (and a Conv2D asked for 'tucker' / 'tt') a {@link FactorizedConv1D} / `2D` / `3D`
 * with its whole kernel decomposed, every Embedding a {@link FactorizedEmbeddingLayer}
 * (./tensorReplacement.ts); every other layer a copy of the original (from `getConfig()` and
 * its weights) applied to the mapped inputs.
 *
 * Ranks: an integer, a fraction of the full rank, `'full'`, `'evbmf'` (per layer or global), or
 * a `budget` (`{ params: f }` / `{ flops: f }`) spent greedily by singular-value energy per
 * unit of cost ({@link allocateBudget}). A low-rank layer whose rank saves no operations
 * (Composer's {@link maxRankWithSpeedup}) is kept dense unless `requireSpeedup: false`.
 * Weights are transferred by a truncated SVD, or, with `calibration` inputs, data-aware by ALS
 * ({@link factorizeMatrix} / {@link factorizeConv2d}) on the activations each layer receives in
 * the NEW model, so later layers absorb earlier errors (Zhang et al., TPAMI 2016).
 *
 * Guards: a rank below `minRank`, or a calibration output error above `maxOutputError`, is a
 * warning in the layer's report, and with `keepDenseOnViolation` the layer stays dense. An
 * EVBMF rank of 0 or 1 is always a warning (and a `console.warn` unless `quiet`).
 *
 * The original model is not modified. Arguments are validated before any work; a layer that
 * cannot be factorized is reported and copied; on any error (or an aborted `signal`)
 * everything built so far is disposed before the error is rethrown.
 *
 * @returns the new model (a `tf.Sequential` for a Sequential input), the per-layer report and
 *   a summary. The caller owns the model.
 * @throws ArgumentError, RankError, ShapeError, NonFiniteError, NotSupportedError for bad
 *   arguments; AbortedError when `signal` fires.
 */
export function compressModel(model: tf.LayersModel, options: CompressModelOptions | null = {}): CompressResult {
  if (!(model instanceof tf.LayersModel)) throw new ArgumentError(`model must be a tf.LayersModel (tf.sequential() or tf.model()); got ${describe(model)}`);
  const o = resolveOptions(model, options);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'InputLayer' && !isCloneable(layer)) {
      throw new NotSupportedError(`model layer '${layer.name}' of class ${layer.getClassName()} is not registered with tf.serialization and cannot be copied`);
    }
  }
  // One step per non-input layer; a pre-aborted signal throws here, before any work or report.
  const progress = new StepProgress('compressModel', o.onProgress, o.signal, model.layers.filter((l) => l.getClassName() !== 'InputLayer').length);
  progress.check();
  const calib = calibrationInputs(model, (options ?? {}).calibration);
  const created: tf.layers.Layer[] = [];
  const acts = new Map<number, tf.Tensor>();
  const pending: Replacement[] = [];
  try {
    const plans = planLayers(model, o);
    const byLayer = new Map(plans.map((p) => [p.layerRef, p]));
    const nIn = model.inputs.length;
    const targets = calib && calib.length > nIn ? calib[nIn] : null;
    const walker = new Walker(model, o, progress, byLayer, created, pending, calib ? calib.slice(0, nIn) : null, targets, (options ?? {}).calibration?.loss ?? null);
    const inputs = calib ? calib.slice(0, nIn) : null;
    const out = model instanceof tf.Sequential ? walker.sequential(inputs, acts) : walker.functional(inputs, acts);
    // tfjs counts every call of a layer (the calibration run, each node of a shared layer);
    // the returned model is the only owner of its new layers, so its dispose() frees them.
    for (const l of out.layers) (l as unknown as { _refCount: number | null })._refCount = 1;
    const report = plans.map((p) => p.entry);
    return { model: out, report, summary: summarize(model, out, report) };
  } catch (e) {
    for (const l of created) releaseLayer(l);
    pending.forEach(disposeReplacement);
    throw e;
  } finally {
    tf.dispose([...acts.values()]);
    if (calib) tf.dispose(calib);
  }
}

/** Free a layer built here whatever tfjs' call count says (the calibration run counts as a call). */
function releaseLayer(l: tf.layers.Layer): void {
  if (!l.built) return;
  (l as unknown as { _refCount: number | null })._refCount = 1;
  try {
    l.dispose();
  } catch {
    // already disposed
  }
}

function summarize(model: tf.LayersModel, out: tf.LayersModel, report: CompressLayerReport[]): CompressSummary {
  return {
    paramsBefore: model.countParams(),
    paramsAfter: out.countParams(),
    flopsBefore: report.reduce((a, r) => a + r.flopsBefore, 0),
    flopsAfter: report.reduce((a, r) => a + r.flopsAfter, 0),
    replaced: report.filter((r) => r.replaced).length,
    warnings: report.flatMap((r) => r.warnings.map((w) => `${r.layer}: ${w}`)),
  };
}

/**
 * Builds the new model layer by layer. Progress and cancellation go through `StepProgress`:
 * step 0 once the plan is made, step k after layer k's chain is built and its outputs kept
 * (then the signal is checked, so an abort lands between layers and everything built so far
 * is disposed by compressModel's cleanup).
 */
class Walker {
  private step = 0;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly o: ResolvedOptions,
    private readonly progress: StepProgress,
    private readonly plans: Map<tf.layers.Layer, LayerPlan>,
    private readonly created: tf.layers.Layer[],
    private readonly pending: Replacement[],
    private readonly calibInputs: tf.Tensor[] | null,
    private readonly targets: tf.Tensor | null,
    private readonly loss: HessianLoss | null,
  ) {
    this.progress.begin();
  }

  /** A Sequential model: one chain per layer, added in order. */
  sequential(calib: tf.Tensor[] | null, acts: Map<number, tf.Tensor>): tf.Sequential {
    const out = tf.sequential({ name: this.model.name });
    let h: tf.Tensor | null = calib ? calib[0] : null;
    this.model.layers.forEach((layer, i) => {
      const extra = i === 0 ? { batchInputShape: this.model.inputs[0].shape } : {};
      const built = this.buildLayer(layer, h ? [h] : null, extra);
      for (const l of built.chain) out.add(l);
      if (!h) this.setWeights(layer);
      if (built.outputs) {
        h = built.outputs[0];
        acts.set(i, h);
      }
      this.done(layer);
    });
    return out;
  }

  /** A functional model: the graph rebuilt node by node on new inputs. */
  functional(calib: tf.Tensor[] | null, acts: Map<number, tf.Tensor>): tf.LayersModel {
    const sym = new Map<number, tf.SymbolicTensor>();
    const inputs = this.model.inputs.map((t, i) => {
      const x = tf.input({ batchShape: t.shape, dtype: t.dtype, name: this.model.inputLayers[i]?.name });
      sym.set(t.id, x);
      if (calib) acts.set(t.id, tf.clone(calib[i]));
      return x;
    });
    const chains = new Map<tf.layers.Layer, tf.layers.Layer[]>();
    for (const node of modelNodes(this.model) as GraphNode[]) {
      const layer = node.outboundLayer;
      const symIn = node.inputTensors.map((t) => sym.get(t.id)!);
      const concIn = calib ? node.inputTensors.map((t) => acts.get(t.id)!) : null;
      let chain = chains.get(layer);
      let concOut: tf.Tensor[] | null = null;
      let fresh = false;
      if (!chain) {
        const built = this.buildLayer(layer, concIn, {}, node.callArgs);
        chain = built.chain;
        concOut = built.outputs;
        chains.set(layer, chain);
        fresh = true;
      } else if (concIn) {
        concOut = tf.tidy(() => applyChain(chain!, concIn, node.callArgs));
      }
      // A built layer applied symbolically keeps its weights; an unbuilt one is built here.
      const symOut = applyChain(chain, symIn, node.callArgs);
      if (fresh && !calib) this.setWeights(layer);
      node.outputTensors.forEach((t, k) => {
        sym.set(t.id, symOut[k]);
        if (concOut) acts.set(t.id, concOut[k]);
      });
      if (fresh) this.done(layer);
    }
    const outputs = this.model.outputs.map((t) => sym.get(t.id)!);
    const out = tf.model({ inputs, outputs, name: this.model.name });
    return out;
  }

  /** Weights waiting for a chain built without calibration (set right after the build). */
  private waiting = new Map<tf.layers.Layer, { chain: tf.layers.Layer[]; weights: tf.Tensor[][]; rep: Replacement | null }>();

  private setWeights(layer: tf.layers.Layer): void {
    const w = this.waiting.get(layer);
    if (!w) return;
    w.chain.forEach((l, k) => l.setWeights(w.weights[k]));
    if (w.rep) this.release(w.rep);
    this.waiting.delete(layer);
  }

  private release(rep: Replacement): void {
    disposeReplacement(rep);
    this.pending.splice(this.pending.indexOf(rep), 1);
  }

  /**
   * The chain for one original layer: its replacement or a copy. With calibration inputs the
   * chain is built and evaluated here (output error, `maxOutputError` guard); without, the
   * weights are set once the caller has built it (Sequential: right after `add`).
   */
  private buildLayer(layer: tf.layers.Layer, inputs: tf.Tensor[] | null, extra: Record<string, unknown>, callArgs?: Record<string, unknown>): Built {
    const plan = this.plans.get(layer);
    let rep: Replacement | null = null;
    if (plan?.replace) {
      const h = inputs ? inputs[0] : null;
      if (isTensorPlan(plan)) {
        rep = tensorReplacement(plan, this.o, extra);
      } else if (plan.factorization === 'lowrank') {
        const curv = this.o.transfer === 'curvature' ? kfacFactors(this.model, layer.name, this.calibInputs![0], this.targets!, { loss: this.loss! }) : null;
        try {
          rep = lowRankPair(plan.info!, plan.rank as number, h, this.o.nIters, extra, curv);
        } finally {
          if (curv) tf.dispose([curv.inputFactor, curv.outputFactor]);
        }
      } else {
        rep = decompositionReplacement(plan, this.o, extra);
      }
      if (rep) this.pending.push(rep);
    }
    let chain: tf.layers.Layer[];
    let weights: tf.Tensor[][];
    if (rep) {
      chain = rep.layers;
      weights = rep.weights;
    } else {
      chain = [cloneLayer(layer, extra.batchInputShape ? { batchInputShape: extra.batchInputShape } : {})];
      weights = [layer.getWeights()];
    }
    this.created.push(...chain);
    let outputs: tf.Tensor[] | null = null;
    if (inputs) {
      // Build on the calibration batch, then load the weights and run it.
      tf.dispose(tf.tidy(() => applyChain(chain, inputs, callArgs)));
      chain.forEach((l, k) => l.setWeights(weights[k]));
      outputs = tf.tidy(() => applyChain(chain, inputs, callArgs));
      if (rep && plan) {
        const err = tf.tidy(() => relativeError(applyChain([layer], inputs, callArgs)[0], outputs![0]));
        plan.entry.outputError = err;
        if (this.o.maxOutputError !== null && err > this.o.maxOutputError) {
          warn(plan, `output error ${err.toPrecision(3)} exceeds maxOutputError ${this.o.maxOutputError}`);
          if (this.o.keepDenseOnViolation) {
            tf.dispose(outputs);
            for (const l of chain) releaseLayer(l);
            this.created.splice(this.created.length - chain.length, chain.length);
            this.release(rep);
            plan.entry.reason += `; output error above maxOutputError: kept dense`;
            rep = null;
            chain = [cloneLayer(layer, extra.batchInputShape ? { batchInputShape: extra.batchInputShape } : {})];
            this.created.push(...chain);
            tf.dispose(tf.tidy(() => applyChain(chain, inputs, callArgs)));
            chain[0].setWeights(layer.getWeights());
            outputs = tf.tidy(() => applyChain(chain, inputs, callArgs));
          }
        }
      }
      if (rep) this.release(rep);
    } else {
      this.waiting.set(layer, { chain, weights, rep });
    }
    if (plan && rep) this.fillEntry(plan, rep);
    else if (plan && plan.replace) plan.replace = false;
    return { chain, outputs };
  }

  /**
   * Step k done: report it and check the signal. Called once the layer's outputs are held in
   * `acts`, so an abort here leaves nothing that the caller's cleanup does not reach.
   */
  private done(layer: tf.layers.Layer): void {
    this.progress.step(++this.step, this.plans.get(layer)?.entry.outputError ?? undefined, layer.name);
  }

  private fillEntry(plan: LayerPlan, rep: Replacement): void {
    const e = plan.entry;
    e.replaced = true;
    e.rank = rep.rank;
    e.transfer = rep.transfer;
    e.weightError = rep.weightError;
    e.nmse = rep.nmse;
    e.paramsAfter = rep.paramsAfter;
    e.flopsAfter = rep.flopsAfter;
    e.reason += rep.note;
  }
}
