/**
 * `FactorizedLinear.fromLinear` / `fromLinearList` (tltorch `from_linear`,
 * `from_linear_list`): tensorize the given weight(s) (out, in), decompose them with
 * `TensorizedTensor.fromMatrix` (CP: parafac with l2Reg 1e-5; Tucker: tucker, or per-mode
 * EVBMF ranks with rank 'evbmf'; BlockTT: tensorTrainMatrix) and copy the bias(es). Every
 * option is checked before any tensor is made or any decomposition runs.
 */
import { ArgumentError, ShapeError, describe, tf, toTensor, type TensorLike } from '@tenfold/core';
import { tuckerRanksWithFactors } from '@tenfold/rank';
import { getTensorizedShape, prod, type TensorizedRank } from '../tensorized/shape.js';
import { TensorizedTensor } from '../tensorized/tensorizedTensor.js';
import { parseFactorization, type Factorization } from '../tensorized/params.js';
import type { DecompositionOptions } from '../tensorized/decompose.js';
import { assertFinite, checkBoolOption, checkIntOption, checkOptions, optionKeys } from '../internal/checks.js';
import { checkFeatures, checkImplementation } from '../internal/paramChecks.js';
import { FactorizedLinear, type LinearImplementation } from './factorizedLinear.js';

/** A linear layer as `{ weight (out, in), bias? (out) }`, PyTorch's layout. */
export interface LinearLike {
  weight: TensorLike;
  bias?: TensorLike | null;
}

export interface FromLinearOptions {
  /** Rank; 'evbmf' (Tucker only) estimates per-mode ranks with EVBMF (`tuckerRanksWithFactors`, whose SVDs also give the HOSVD init). */
  rank?: TensorizedRank | 'evbmf';
  /** Find the tensorization with getTensorizedShape (default: true unless both shapes are given). */
  autoTensorize?: boolean;
  /** Order of the automatic tensorization (default 3). */
  nTensorizedModes?: number;
  inTensorizedFeatures?: number[];
  outTensorizedFeatures?: number[];
  bias?: boolean;
  factorization?: Factorization | string;
  /** Default 'reconstructed', as tltorch's from_linear. */
  implementation?: LinearImplementation;
  /** Options of the decomposition (parafac / tucker / tensorTrainMatrix), camelCase TensorLy names. */
  decomposition?: DecompositionOptions;
}

const FROM_LINEAR_OPTIONS = optionKeys<FromLinearOptions>()('rank', 'autoTensorize', 'nTensorizedModes', 'inTensorizedFeatures', 'outTensorizedFeatures', 'bias', 'factorization', 'implementation', 'decomposition');

export interface FromLinearListOptions {
  inTensorizedFeatures: number[];
  outTensorizedFeatures: number[];
  rank?: TensorizedRank;
  bias?: boolean;
  factorization?: Factorization | string;
  implementation?: LinearImplementation;
  /** Default `{ init: 'random' }` for CP, as tltorch's from_linear_list (none for the others). */
  decomposition?: DecompositionOptions;
}

const FROM_LINEAR_LIST_OPTIONS = optionKeys<FromLinearListOptions>()('inTensorizedFeatures', 'outTensorizedFeatures', 'rank', 'bias', 'factorization', 'implementation', 'decomposition');

/** `FactorizedLinear.fromLinear`. */
export function fromLinearImpl(linear: LinearLike, options: FromLinearOptions | null = {}): FactorizedLinear {
  if (typeof linear !== 'object' || linear === null || !('weight' in linear)) {
    throw new ArgumentError(`linear must be { weight (out, in), bias? }; got ${describe(linear)}`);
  }
  // Every option is checked before any tensor is made or any decomposition runs.
  const opts = checkOptions(options, FROM_LINEAR_OPTIONS, 'FactorizedLinear.fromLinear');
  if (opts.bias !== undefined) checkBoolOption(opts.bias, 'bias');
  if (opts.autoTensorize !== undefined) checkBoolOption(opts.autoTensorize, 'autoTensorize');
  if (opts.nTensorizedModes !== undefined) checkIntOption(opts.nTensorizedModes, 'nTensorizedModes', 1);
  parseFactorization(opts.factorization ?? 'cp');
  checkImplementation(opts.implementation ?? 'reconstructed');
  if (opts.decomposition !== undefined && opts.decomposition !== null && (typeof opts.decomposition !== 'object' || Array.isArray(opts.decomposition))) {
    throw new ArgumentError(`decomposition must be an options object; got ${describe(opts.decomposition)}`);
  }
  const w = toTensor(linear.weight, 'linear.weight');
  let bt: tf.Tensor | null = null;
  try {
    bt = linear.bias === undefined || linear.bias === null ? null : toTensor(linear.bias, 'linear.bias');
  } catch (e) {
    if (w !== linear.weight) w.dispose();
    throw e;
  }
  try {
    if (w.rank !== 2) throw new ShapeError(`linear.weight must be 2-D (out, in); got shape ${describe(w.shape)}`);
    if (w.shape.some((d) => d < 1)) throw new ShapeError(`linear.weight must not be empty; got shape ${describe(w.shape)}`);
    assertFinite(w, 'linear.weight');
    if (bt) assertFinite(bt, 'linear.bias');
    const [outF, inF] = w.shape as [number, number];
    if (bt && (bt.rank !== 1 || bt.shape[0] !== outF)) throw new ShapeError(`linear.bias must have shape [${outF}]; got ${describe(bt.shape)}`);
    const both = opts.inTensorizedFeatures !== undefined && opts.outTensorizedFeatures !== undefined;
    const auto = opts.autoTensorize ?? !both;
    let inT: number[];
    let outT: number[];
    if (auto) {
      if (opts.inTensorizedFeatures !== undefined || opts.outTensorizedFeatures !== undefined) {
        throw new ArgumentError('autoTensorize is true: either let it find the tensorized shapes or pass both inTensorizedFeatures and outTensorizedFeatures without it');
      }
      [inT, outT] = getTensorizedShape(inF, outF, { order: opts.nTensorizedModes ?? 3, minDim: 2 });
    } else {
      if (!both) throw new ArgumentError('autoTensorize is false: pass both inTensorizedFeatures and outTensorizedFeatures');
      inT = checkFeatures(opts.inTensorizedFeatures, 'inTensorizedFeatures');
      outT = checkFeatures(opts.outTensorizedFeatures, 'outTensorizedFeatures');
      if (prod(inT) !== inF) throw new ShapeError(`inTensorizedFeatures ${describe(inT)} multiply to ${prod(inT)}; linear.weight has ${inF} in features`);
      if (prod(outT) !== outF) throw new ShapeError(`outTensorizedFeatures ${describe(outT)} multiply to ${prod(outT)}; linear.weight has ${outF} out features`);
    }
    const kind = parseFactorization(opts.factorization ?? 'cp');
    const implementation = checkImplementation(opts.implementation ?? 'reconstructed');
    const requested = opts.rank ?? 'same';
    let rank: TensorizedRank;
    let decomposition = opts.decomposition;
    let evbmfInit: { dispose(): void } | null = null;
    if (requested !== 'evbmf') rank = requested;
    else {
      if (kind !== 'tucker') throw new ArgumentError(`rank 'evbmf' needs factorization 'tucker' (per-mode EVBMF ranks); got '${kind}'`);
      // One step: the SVDs that estimate the per-mode ranks also give the HOSVD init, so
      // no unfolding is decomposed twice (unless the caller brought an init of its own).
      const t = w.reshape([...outT, ...inT]);
      try {
        const est = tuckerRanksWithFactors(t);
        rank = est.ranks;
        if (decomposition && 'init' in decomposition && decomposition.init !== undefined) est.dispose();
        else {
          evbmfInit = est;
          decomposition = { ...decomposition, init: { core: est.core, factors: est.factors } } as typeof decomposition;
        }
      } finally {
        t.dispose();
      }
    }
    let weight: TensorizedTensor;
    try {
      weight = TensorizedTensor.fromMatrix(w, [outT, inT], { rank, factorization: kind, decomposition });
    } finally {
      evbmfInit?.dispose();
    }
    const layer = new FactorizedLinear({ inTensorizedFeatures: inT, outTensorizedFeatures: outT, factorization: weight, implementation, bias: opts.bias ?? true });
    if (layer.bias) {
      // Without a given bias the layer's bias is zero, so it computes the given linear map
      // (tltorch keeps its random bias init).
      if (bt) layer.bias.assign(bt);
      else {
        const z = tf.zerosLike(layer.bias);
        layer.bias.assign(z);
        z.dispose();
      }
      layer.hasBias[0] = bt !== null;
    }
    return layer;
  } finally {
    if (w !== linear.weight) w.dispose();
    if (bt && bt !== linear.bias) bt.dispose();
  }
}

/** `FactorizedLinear.fromLinearList`. */
export function fromLinearListImpl(linears: LinearLike[], opts: FromLinearListOptions): FactorizedLinear {
  if (!Array.isArray(linears) || linears.length === 0) throw new ArgumentError(`linears must be a non-empty list of { weight, bias? }; got ${describe(linears)}`);
  if (typeof opts !== 'object' || opts === null) throw new ArgumentError('fromLinearList needs options { inTensorizedFeatures, outTensorizedFeatures, rank }');
  // Every option is checked before any tensor is made or any decomposition runs.
  checkOptions(opts, FROM_LINEAR_LIST_OPTIONS, 'FactorizedLinear.fromLinearList');
  if (opts.bias !== undefined) checkBoolOption(opts.bias, 'bias');
  const inT = checkFeatures(opts.inTensorizedFeatures, 'inTensorizedFeatures');
  const outT = checkFeatures(opts.outTensorizedFeatures, 'outTensorizedFeatures');
  const kind = parseFactorization(opts.factorization ?? 'cp');
  const implementation = checkImplementation(opts.implementation ?? 'reconstructed');
  const n = linears.length;
  const owned: tf.Tensor[] = [];
  try {
    const ws: tf.Tensor[] = [];
    const bs: (tf.Tensor | null)[] = [];
    linears.forEach((l, i) => {
      if (typeof l !== 'object' || l === null || !('weight' in l)) throw new ArgumentError(`linears[${i}] must be { weight, bias? }; got ${describe(l)}`);
      const w = toTensor(l.weight, `linears[${i}].weight`);
      if (w !== l.weight) owned.push(w);
      if (w.rank !== 2 || w.shape[0] !== prod(outT) || w.shape[1] !== prod(inT)) {
        throw new ShapeError(`linears[${i}].weight must have shape [${prod(outT)}, ${prod(inT)}] (out, in) for the tensorized features ${describe(outT)} x ${describe(inT)}; got ${describe(w.shape)}`);
      }
      assertFinite(w, `linears[${i}].weight`);
      ws.push(w);
      if (l.bias === undefined || l.bias === null) bs.push(null);
      else {
        const b = toTensor(l.bias, `linears[${i}].bias`);
        if (b !== l.bias) owned.push(b);
        if (b.rank !== 1 || b.shape[0] !== prod(outT)) throw new ShapeError(`linears[${i}].bias must have shape [${prod(outT)}]; got ${describe(b.shape)}`);
        assertFinite(b, `linears[${i}].bias`);
        bs.push(b);
      }
    });
    const stacked = tf.stack(ws);
    owned.push(stacked);
    const shape = n > 1 ? [n, outT, inT] : [outT, inT];
    const m = n > 1 ? stacked : stacked.reshape([prod(outT), prod(inT)]);
    if (m !== stacked) owned.push(m);
    const weight = TensorizedTensor.fromMatrix(m, shape, { rank: opts.rank ?? 'same', factorization: kind, decomposition: opts.decomposition ?? (kind === 'cp' ? { init: 'random' } : {}) });
    const layer = new FactorizedLinear({ inTensorizedFeatures: inT, outTensorizedFeatures: outT, factorization: weight, implementation, bias: opts.bias ?? true, nLayers: n });
    if (layer.bias) {
      // A layer given without a bias gets zeros (tltorch keeps the random init and adds it).
      const init = tf.tidy(() => {
        const rows = bs.map((b) => b ?? tf.zeros([prod(outT)]));
        return n > 1 ? tf.stack(rows) : tf.clone(rows[0]);
      });
      layer.bias.assign(init);
      init.dispose();
      bs.forEach((b, i) => (layer.hasBias[i] = b !== null));
    }
    return layer;
  } finally {
    tf.dispose(owned);
  }
}
