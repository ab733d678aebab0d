/**
 * Validation of compressModel's arguments, all before any work: option keys and values,
 * per-layer names, the calibration batch against the model's inputs.
 */
import { tf } from '@tenfold/core';
import {
  ArgumentError,
  NotSupportedError,
  RankError,
  ShapeError,
  assertFinite,
  checkBoolOption,
  checkEnumOption,
  checkIntOption,
  checkIterations,
  checkNumberOption,
  checkOptions,
  checkProgress,
  checkSignal,
  describe,
  toTensor,
  type ProgressCallback,
} from '@tenfold/core';
import type { CalibrationOptions, CompressFactorization, CompressModelOptions, CompressRank, CompressTransfer, LayerCompressOptions } from './types.js';
import { optionKeys } from '../internal/checks.js';

export const FACTORIZATIONS: readonly CompressFactorization[] = ['lowrank', 'cp', 'tucker2', 'tucker', 'tt', 'blocktt'];
const TRANSFERS: readonly CompressTransfer[] = ['svd', 'als', 'curvature'];

export interface ResolvedOptions {
  factorization: CompressFactorization;
  rank: CompressRank;
  layers: Record<string, LayerCompressOptions | false>;
  budget: { kind: 'params' | 'flops'; fraction: number } | null;
  requireSpeedup: boolean;
  transfer: CompressTransfer;
  nIters: number;
  minRank: number;
  maxOutputError: number | null;
  keepDenseOnViolation: boolean;
  quiet: boolean;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** A rank spec: integer >= 1, fraction in (0, 1), 'full', 'same' or 'evbmf'. @throws RankError */
export function checkCompressRank(rank: unknown, argName: string): CompressRank {
  if (rank === 'full' || rank === 'evbmf' || rank === 'same') return rank;
  if (typeof rank === 'number' && Number.isFinite(rank) && ((rank > 0 && rank < 1) || (Number.isInteger(rank) && rank >= 1))) return rank;
  throw new RankError(`${argName} must be an integer >= 1, a fraction in (0, 1), 'full', 'same' or 'evbmf'; got ${describe(rank)}`);
}

const KEYS = optionKeys<CompressModelOptions>()(
  'factorization', 'rank', 'layers', 'budget', 'requireSpeedup', 'transfer', 'calibration', 'nIters',
  'minRank', 'maxOutputError', 'keepDenseOnViolation', 'quiet', 'onProgress', 'signal',
);

const LAYER_COMPRESS_OPTIONS = optionKeys<LayerCompressOptions>()('factorization', 'rank');

/**
 * Check compressModel's options against the model.
 * @throws ArgumentError, RankError, NotSupportedError naming the option
 */
export function resolveOptions(model: tf.LayersModel, options: CompressModelOptions | null | undefined): ResolvedOptions {
  const opts = checkOptions(options, KEYS, 'compressModel');
  const factorization = opts.factorization === undefined ? 'lowrank' : checkEnumOption(opts.factorization, 'options.factorization', FACTORIZATIONS);
  if (opts.rank !== undefined && opts.budget !== undefined) {
    throw new ArgumentError(`compressModel: options.rank and options.budget exclude each other (the budget chooses the ranks); got both`);
  }
  const rank = opts.rank === undefined ? 0.25 : checkCompressRank(opts.rank, 'options.rank');
  const layers: Record<string, LayerCompressOptions | false> = {};
  if (opts.layers !== undefined) {
    if (typeof opts.layers !== 'object' || opts.layers === null || Array.isArray(opts.layers)) {
      throw new ArgumentError(`options.layers must be an object { layerName: { factorization?, rank? } | false }; got ${describe(opts.layers)}`);
    }
    const names = new Set(model.layers.map((l) => l.name));
    for (const [name, v] of Object.entries(opts.layers)) {
      if (v === undefined) continue;
      if (!names.has(name)) throw new ArgumentError(`options.layers names '${name}', which is not a layer of the model`);
      if (v === false) {
        layers[name] = false;
        continue;
      }
      const lo = checkOptions(v, LAYER_COMPRESS_OPTIONS, 'compressModel', `options.layers.${name}`);
      if (typeof v !== 'object' || v === null) throw new ArgumentError(`options.layers.${name} must be { factorization?, rank? } or false; got ${describe(v)}`);
      layers[name] = {
        factorization: lo.factorization === undefined ? undefined : checkEnumOption(lo.factorization, `options.layers.${name}.factorization`, FACTORIZATIONS),
        rank: lo.rank === undefined ? undefined : checkCompressRank(lo.rank, `options.layers.${name}.rank`),
      };
    }
  }
  let budget: ResolvedOptions['budget'] = null;
  if (opts.budget !== undefined) {
    const b = opts.budget as Record<string, unknown>;
    const keys = typeof b === 'object' && b !== null ? Object.keys(b).filter((k) => b[k] !== undefined) : [];
    if (keys.length !== 1 || (keys[0] !== 'params' && keys[0] !== 'flops')) {
      throw new ArgumentError(`options.budget must be { params: fraction } or { flops: fraction }; got ${describe(opts.budget)}`);
    }
    const f = b[keys[0]];
    if (typeof f !== 'number' || !(f > 0 && f <= 1)) throw new ArgumentError(`options.budget.${keys[0]} must be a fraction in (0, 1]; got ${describe(f)}`);
    budget = { kind: keys[0] as 'params' | 'flops', fraction: f };
  }
  const hasCalibration = opts.calibration != null;
  const transfer = opts.transfer === undefined ? (hasCalibration ? 'als' : 'svd') : checkEnumOption(opts.transfer, 'options.transfer', TRANSFERS);
  if (transfer !== 'svd' && !hasCalibration) throw new ArgumentError(`options.transfer '${transfer}' needs options.calibration (a batch of model inputs); got none`);
  if (transfer === 'curvature') {
    // kfacFactors runs on Sequential models; it needs a loss and its targets.
    if (!(model instanceof tf.Sequential)) throw new NotSupportedError(`options.transfer 'curvature' needs a tf.Sequential model (kfacFactors); got a functional model`);
    const c = opts.calibration as unknown as Record<string, unknown>;
    if (c.loss == null || c.targets == null) throw new ArgumentError(`options.transfer 'curvature' needs options.calibration.loss and options.calibration.targets; got ${describe({ loss: c.loss, targets: c.targets == null ? c.targets : 'given' })}`);
  }
  const maxOutputError = opts.maxOutputError === undefined ? null : checkNumberOption(opts.maxOutputError, 'options.maxOutputError', 0);
  if (maxOutputError !== null && !hasCalibration) throw new ArgumentError(`options.maxOutputError needs options.calibration to measure output errors; got none`);
  return {
    factorization,
    rank,
    layers,
    budget,
    requireSpeedup: opts.requireSpeedup === undefined ? true : checkBoolOption(opts.requireSpeedup, 'options.requireSpeedup'),
    transfer,
    nIters: opts.nIters === undefined ? 3 : checkIterations(opts.nIters, 'options.nIters'),
    minRank: opts.minRank === undefined ? 0 : checkIntOption(opts.minRank, 'options.minRank', 0),
    maxOutputError,
    keepDenseOnViolation: opts.keepDenseOnViolation === undefined ? false : checkBoolOption(opts.keepDenseOnViolation, 'options.keepDenseOnViolation'),
    quiet: opts.quiet === undefined ? false : checkBoolOption(opts.quiet, 'options.quiet'),
    onProgress: checkProgress(opts.onProgress, 'options.onProgress'),
    signal: checkSignal(opts.signal, 'options.signal'),
  };
}

const CALIBRATION_OPTIONS = optionKeys<CalibrationOptions>()('inputs', 'targets', 'loss');

/**
 * The calibration inputs as tensors owned by the caller of this function (copies), one per
 * model input, then the targets when given; shapes and values checked.
 * @throws ArgumentError, ShapeError, NonFiniteError naming `options.calibration.inputs[i]`
 */
export function calibrationInputs(model: tf.LayersModel, calibration: unknown): tf.Tensor[] | null {
  if (calibration == null) return null;
  const c = checkOptions(calibration as object, CALIBRATION_OPTIONS, 'compressModel', 'options.calibration') as Record<string, unknown>;
  if (c.inputs == null) throw new ArgumentError(`options.calibration.inputs must be a tensor (or one per model input); got ${describe(c.inputs)}`);
  if (c.loss != null) checkEnumOption(c.loss, 'options.calibration.loss', ['mse', 'crossEntropy', 'bce']);
  const list = Array.isArray(c.inputs) && model.inputs.length > 1 ? c.inputs : [c.inputs];
  if (list.length !== model.inputs.length) {
    throw new ArgumentError(`options.calibration.inputs must hold ${model.inputs.length} tensors (one per model input); got ${list.length}`);
  }
  const out: tf.Tensor[] = [];
  try {
    list.forEach((x, i) => {
      const name = model.inputs.length > 1 ? `options.calibration.inputs[${i}]` : 'options.calibration.inputs';
      const t = toTensor(x as never, name);
      out.push(t === x ? tf.clone(t) : t);
      const want = model.inputs[i].shape;
      if (t.rank !== want.length || t.shape[0] === 0 || want.some((v, d) => d > 0 && v !== null && v !== t.shape[d])) {
        throw new ShapeError(`${name} must match the model input shape ${describe(want)} with at least one sample; got shape ${describe(t.shape)}`);
      }
      assertFinite(t, name);
    });
    if (c.targets != null) {
      const t = toTensor(c.targets as never, 'options.calibration.targets');
      out.push(t === c.targets ? tf.clone(t) : t);
      if (t.shape[0] !== out[0].shape[0]) throw new ShapeError(`options.calibration.targets must have one row per calibration input (${out[0].shape[0]}); got shape ${describe(t.shape)}`);
      assertFinite(t, 'options.calibration.targets');
    }
  } catch (e) {
    tf.dispose(out);
    throw e;
  }
  return out;
}
