/**
 * The bad-input table: every runtime export of @tenfold/core, with the bad-input classes
 * that apply to it (see cases.ts), or an exemption with its reason.
 */
import * as tf from '@tensorflow/tfjs';
import * as core from '../../src/index.js';
import { type Case, ArgumentError, ModeError, NonFiniteError, RankError, ShapeError, TenfoldError, T, listArg, modeArg, one, optionsArg, rankArg, shapeArg, tensorArg } from './cases.js';
import { gone, hostM, nanT, spd } from './inputs.js';

const c = core as any;
const cpLike = () => ({ weights: tf.ones([2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const tuckerLike = () => ({ core: T([2, 2, 2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const ttCores = () => [T([1, 3, 2]), T([2, 4, 2]), T([2, 5, 1])];
const ttmCores = () => [T([1, 2, 3, 2]), T([2, 3, 2, 1])];
const mats = () => [T([3, 2]), T([4, 2])];

/** Cases of a function whose first argument is a factorized tensor (plain object or class instance). */
export function factorizedArg(kind: 'cp' | 'tucker' | 'tt' | 'ttm', argName: string, make: (x: unknown) => unknown[], run: (...a: any[]) => unknown): Case[] {
  const good = { cp: cpLike, tucker: tuckerLike, tt: ttCores, ttm: ttmCores }[kind] as () => any;
  const ctor = { cp: (x: any) => new core.CPTensor(x.weights, x.factors), tucker: (x: any) => new core.TuckerTensor(x.core, x.factors), tt: (x: any) => new core.TTTensor(x), ttm: (x: any) => new core.TTMatrix(x) }[kind];
  const listOf = (x: any) => (kind === 'tt' || kind === 'ttm' ? x : x.factors);
  const out: Case[] = [
    one('null', `${argName} = null`, () => make(null), run, TenfoldError, argName),
    one('type', `${argName} = a string`, () => make('abc'), run, TenfoldError, argName),
    one('type', `${argName} = 42`, () => make(42), run, TenfoldError, argName),
    one('disposed', `${argName} is a disposed object`, () => { const o = ctor(good()); o.dispose(); return make(o); }, run, ArgumentError, argName),
    one('disposed', `a tensor inside ${argName} is disposed`, () => { const x = good(); const l = listOf(x); const s = l[0].shape; l[0].dispose(); l[0] = gone(s); return make(x); }, run, ArgumentError, argName),
    one('mismatch', `${argName} has inconsistent shapes`, () => { const x = good(); const l = listOf(x); const s = [...l[1].shape]; s[s.length - 1] += 1; l[1].dispose(); l[1] = T(s); return make(x); }, run, ShapeError, kind === 'cp' || kind === 'tucker' ? 'factors' : 'cores'),
    one('nan', `${argName} holds NaN (propagates)`, () => { const x = good(); const l = listOf(x); const s = l[0].shape; l[0].dispose(); l[0] = nanT(s); return make(x); }, run, 'ok'),
    { ...one('nan', `${argName} holds NaN (setFiniteChecks)`, () => { const x = good(); const l = listOf(x); const s = l[0].shape; l[0].dispose(); l[0] = nanT(s); return make(x); }, run, NonFiniteError, argName), finiteChecks: true },
  ];
  if (kind === 'cp' || kind === 'tucker') out.push(one('null', `${argName}.factors = null`, () => make({ factors: null, core: T([2, 2, 2]) }), run, TenfoldError, `${argName}.factors`));
  return out;
}

/** The cases every decomposition shares. */
export function decomposition(run: (...a: any[]) => unknown, make: (t: unknown, rank: unknown, opts: unknown) => unknown[], opts: { minNdim?: number; rank?: unknown; iterative?: boolean; capped?: boolean; good?: () => tf.Tensor; progress?: boolean } = {}): Case[] {
  const good = opts.good ?? (() => T());
  const probe = good();
  const shape = [...probe.shape];
  probe.dispose();
  const R = opts.rank ?? 2;
  const iterative = opts.iterative !== false;
  const ok = iterative ? { nIterMax: 2 } : {};
  return [
    ...tensorArg('tensor', (x) => make(x, R, ok), run, 'check', shape),
    one('empty', 'tensor with an empty mode', () => make(tf.zeros([3, 0, 5]), R, ok), run, ShapeError, 'tensor'),
    one('ndim', 'tensor with too few dimensions', () => make(T((opts.minNdim ?? 2) === 2 ? [5] : []), R, ok), run, ShapeError, 'tensor'),
    ...rankArg((r) => make(good(), r, ok), run, 'rank', { fractional: false, huge: !opts.capped }),
    one('rank', "rank = 'bogus'", () => make(good(), 'bogus', ok), run, TenfoldError, 'rank'),
    ...optionsArg((o) => make(good(), R, o), run).map((cs) => (cs.expect === 'ok' ? { ...cs, args: () => make(good(), R, cs.args()[0] === null ? null : undefined) } : cs)),
  ].concat(!iterative ? [] : [
    one('number', 'nIterMax = -1', () => make(good(), R, { nIterMax: -1 }), run, ArgumentError, 'nIterMax'),
    one('number', 'nIterMax = 1.5', () => make(good(), R, { nIterMax: 1.5 }), run, ArgumentError, 'nIterMax'),
    one('size', 'nIterMax = 1e12', () => make(good(), R, { nIterMax: 1e12 }), run, ArgumentError, 'nIterMax'),
  ]).concat(!(opts.progress ?? iterative) ? [] : progressArgs((o) => make(good(), R, { ...ok, ...o }), run));
}

/** The progress/cancellation options of a long-running routine: a non-function onProgress, a non-signal signal. */
export function progressArgs(make: (o: object) => unknown[], run: (...a: any[]) => unknown): Case[] {
  return [
    one('type', 'onProgress = 1', () => make({ onProgress: 1 }), run, ArgumentError, 'onProgress'),
    one('type', "onProgress = 'log'", () => make({ onProgress: 'log' }), run, ArgumentError, 'onProgress'),
    one('type', 'signal = {}', () => make({ signal: {} }), run, ArgumentError, 'signal'),
  ];
}

const hostFns = (name: string, run: (...a: any[]) => unknown, make: (m: unknown) => unknown[], argName: string, square = true): Case[] => [
  one('null', `${argName} = null`, () => make(null), run, TenfoldError, argName),
  one('type', `${argName} = a string`, () => make('abc'), run, TenfoldError, argName),
  one('type', `${argName} = a tf.Tensor`, () => make(T([3, 3])), run, TenfoldError, argName),
  one('mismatch', `${argName}.data too short`, () => make({ rows: 3, cols: 3, data: new Float64Array(4) }), run, ShapeError, argName),
  one('nan', `${argName} holds NaN`, () => make(hostM(3, 3, (i) => (i === 1 ? NaN : i === 0 || i === 4 || i === 8 ? 5 : 1))), run, NonFiniteError, argName),
  ...(square ? [one('mismatch', `${argName} not square (${name})`, () => make(hostM(2, 3)), run, ShapeError, argName)] : []),
];

export const TABLE1: Record<string, Case[] | { exempt: string }> = {
  // --- not functions, or total functions of any value ---
  tf: { exempt: 'the TensorFlow.js namespace, re-exported' },
  EPS32: { exempt: 'a constant' },
  EPS64: { exempt: 'a constant' },
  TenfoldError: { exempt: 'an error class' },
  ShapeError: { exempt: 'an error class' },
  ModeError: { exempt: 'an error class' },
  RankError: { exempt: 'an error class' },
  ArgumentError: { exempt: 'an error class' },
  NonFiniteError: { exempt: 'an error class' },
  BackendError: { exempt: 'an error class' },
  NotSupportedError: { exempt: 'an error class' },
  AbortedError: { exempt: 'an error class' },
  backendInfo: { exempt: 'takes no argument' },
  ready: { exempt: 'takes no argument' },
  describe: [one('null', 'describe(null) renders', () => [null], c.describe, 'ok'), one('type', 'describe(a function) renders', () => [() => 1], c.describe, 'ok')],
  isNdArray: [one('null', 'isNdArray(null) is false', () => [null], c.isNdArray, 'ok'), one('type', 'isNdArray(a string) is false', () => ['abc'], c.isNdArray, 'ok')],
  initBackend: [one('type', "initBackend('bogus')", () => ['bogus'], c.initBackend, ArgumentError, 'backend')],
  tidyObject: [one('type', 'fn = a number', () => [3], c.tidyObject, ArgumentError, 'fn')],

  // --- errors helpers ---
  checkMode: [...modeArg((m) => [m, 3], c.checkMode, 3), one('type', 'ndim = a string', () => [0, 'abc'], c.checkMode, TenfoldError, 'ndim')],
  checkPositiveInt: [...rankArg((r) => [r, 'rank'], c.checkPositiveInt, 'rank', { huge: false })],
  checkNdim: [one('null', 'shape = null', () => [null, 2, 'x'], c.checkNdim, TenfoldError, 'x'), one('ndim', 'wrong ndim', () => [[3], 2, 'x'], c.checkNdim, ShapeError, 'x')],

  // --- io ---
  toTensor: [
    ...tensorArg('x', (x) => [x, 'x'], c.toTensor, 'propagate'),
    one('mismatch', 'ragged nested array', () => [[[1, 2], [3]], 'x'], c.toTensor, ShapeError, 'x'),
    one('mismatch', '{data, shape} of the wrong length', () => [{ data: [1, 2, 3], shape: [2, 2] }, 'x'], c.toTensor, ShapeError, 'x'),
    one('number', '{data, shape} with a negative dim', () => [{ data: [], shape: [-1] }, 'x'], c.toTensor, ShapeError, 'x'),
    one('size', '{data, shape} with an absurd shape', () => [{ data: [], shape: [1e6, 1e6] }, 'x'], c.toTensor, ShapeError, 'x'),
  ],
  toHostArray: [
    one('null', 'x = null', () => [null, 'x'], c.toHostArray, TenfoldError, 'x'),
    one('type', 'x = a string', () => ['abc', 'x'], c.toHostArray, TenfoldError, 'x'),
    one('mismatch', 'ragged nested array', () => [[[1, 2], [3]], 'x'], c.toHostArray, ShapeError, 'x'),
    one('type', '{data: a string, shape}', () => [{ data: 'abcd', shape: [4] }, 'x'], c.toHostArray, TenfoldError, 'x'),
  ],
  assertFinite: [
    ...tensorArg('t', (x) => [x, 't'], c.assertFinite, 'check').filter((cs) => !cs.finiteChecks),
  ].map((cs) => (cs.expect === 'ok' ? { ...cs, expect: NonFiniteError, names: 't' } : cs)),
  sizeOf: [
    one('null', 'shape = null', () => [null], c.sizeOf, TenfoldError, 'shape'),
    one('type', 'shape = a string', () => ['abc'], c.sizeOf, TenfoldError, 'shape'),
    one('number', 'shape has -1', () => [[3, -1]], c.sizeOf, ShapeError, 'shape'),
    one('number', 'shape has 1.5', () => [[3, 1.5]], c.sizeOf, ShapeError, 'shape'),
  ],
  toNdarray: tensorArg('tensor', (x) => [x], c.toNdarray, 'propagate'),
  encodeNpy: tensorArg('tensor', (x) => [x], c.encodeNpy, 'propagate'),
  parseNpy: [
    one('null', 'bytes = null', () => [null], c.parseNpy, TenfoldError, 'bytes'),
    one('type', 'bytes = a string', () => ['abc'], c.parseNpy, TenfoldError, 'bytes'),
    one('mismatch', 'bytes = garbage', () => [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])], c.parseNpy, TenfoldError, '<buffer>'),
    ...optionsArg((o) => [core.encodeNpy(tf.tensor([1, 2])), '<buffer>', o], c.parseNpy),
  ],
  parseNpyHeader: [
    one('null', 'bytes = null', () => [null], c.parseNpyHeader, TenfoldError, 'bytes'),
    one('type', 'bytes = a string', () => ['abc'], c.parseNpyHeader, TenfoldError, 'bytes'),
    one('mismatch', 'bytes = garbage', () => [new Uint8Array(12)], c.parseNpyHeader, TenfoldError, '<buffer>'),
  ],
  toHostMatrix: [
    ...tensorArg('tensor', (x) => [x], c.toHostMatrix, 'propagate', [3, 4]),
    one('ndim', 'a 3-D tensor', () => [T()], c.toHostMatrix, ShapeError, 'tensor'),
  ],
  toHost64: tensorArg('tensor', (x) => [x], c.toHost64, 'propagate'),
  fromHostMatrix: [
    one('null', 'matrix = null', () => [null], c.fromHostMatrix, TenfoldError, 'matrix'),
    one('type', 'matrix = a string', () => ['abc'], c.fromHostMatrix, TenfoldError, 'matrix'),
    one('type', 'matrix = a tf.Tensor', () => [T([3, 3])], c.fromHostMatrix, TenfoldError, 'matrix'),
    one('mismatch', 'data too short', () => [{ rows: 3, cols: 3, data: new Float64Array(4) }], c.fromHostMatrix, ShapeError, 'matrix'),
    one('number', 'rows = -1', () => [{ rows: -1, cols: 3, data: new Float64Array(0) }], c.fromHostMatrix, ShapeError, 'matrix'),
    one('size', 'rows = 1e6, cols = 1e6', () => [{ rows: 1e6, cols: 1e6, data: new Float64Array(4) }], c.fromHostMatrix, ShapeError, 'matrix'),
    one('nan', 'NaN data propagates', () => [hostM(2, 2, () => NaN)], c.fromHostMatrix, 'ok'),
  ],

  // --- base ---
  unfold: [...tensorArg('tensor', (x) => [x, 0], c.unfold, 'propagate'), ...modeArg((m) => [T(), m], c.unfold, 3), one('ndim', 'a scalar', () => [tf.scalar(1), 0], c.unfold, TenfoldError, 'tensor')],
  fold: [
    ...tensorArg('unfolded', (x) => [x, 0, [3, 4, 5]], c.fold, 'propagate', [3, 20]),
    ...modeArg((m) => [T([3, 20]), m, [3, 4, 5]], c.fold, 3),
    ...shapeArg((s) => [T([3, 20]), 0, s], c.fold),
    one('mismatch', 'shape does not match', () => [T([3, 20]), 0, [3, 4, 6]], c.fold, ShapeError, 'shape'),
  ],
  partialUnfold: [
    ...tensorArg('tensor', (x) => [x, { mode: 0 }], c.partialUnfold, 'propagate'),
    ...optionsArg((o) => [T(), o], c.partialUnfold),
    one('number', 'skipBegin = 5', () => [T(), { skipBegin: 5 }], c.partialUnfold, TenfoldError, 'skipBegin'),
    one('number', 'mode = 0.5', () => [T(), { mode: 0.5 }], c.partialUnfold, TenfoldError, 'mode'),
  ],
  partialFold: [
    ...tensorArg('unfolded', (x) => [x, 0, [3, 4, 5], { skipBegin: 1 }], c.partialFold, 'propagate', [3, 4, 5]),
    ...shapeArg((s) => [T([3, 4, 5]), 0, s, { skipBegin: 1 }], c.partialFold),
    ...optionsArg((o) => [T([4, 15]), 0, [4, 3, 5], o], c.partialFold),
    one('mismatch', 'shape does not match', () => [T([3, 20]), 0, [3, 4, 6]], c.partialFold, ShapeError, 'shape'),
  ],
  tensorToVec: tensorArg('tensor', (x) => [x], c.tensorToVec, 'propagate'),
  vecToTensor: [
    ...tensorArg('vec', (x) => [x, [3, 4, 5]], c.vecToTensor, 'propagate', [60]),
    ...shapeArg((s) => [T([60]), s], c.vecToTensor),
    one('mismatch', 'shape does not match', () => [T([60]), [3, 4, 6]], c.vecToTensor, ShapeError, 'shape'),
  ],
  partialTensorToVec: [...tensorArg('tensor', (x) => [x, { skipBegin: 1 }], c.partialTensorToVec, 'propagate'), ...optionsArg((o) => [T(), o], c.partialTensorToVec)],
  partialVecToTensor: [
    ...tensorArg('unfolded', (x) => [x, [3, 4, 5], { skipBegin: 1 }], c.partialVecToTensor, 'propagate', [3, 20]),
    ...shapeArg((s) => [T([3, 20]), s, { skipBegin: 1 }], c.partialVecToTensor),
    ...optionsArg((o) => [T([60]), [3, 4, 5], o], c.partialVecToTensor),
  ],
  matricize: [
    ...tensorArg('tensor', (x) => [x, [0]], c.matricize, 'propagate'),
    one('rank', 'rowModes = [5]', () => [T(), [5]], c.matricize, ModeError, 'rowModes'),
    one('null', 'rowModes = null', () => [T(), null], c.matricize, TenfoldError, 'rowModes'),
    one('type', 'rowModes = a string', () => [T(), 'abc'], c.matricize, TenfoldError, 'rowModes'),
  ],

  // --- tenalg ---
  modeDot: [
    ...tensorArg('tensor', (x) => [x, T([2, 4]), 1], c.modeDot, 'propagate'),
    ...tensorArg('matrixOrVector', (x) => [T(), x, 1], c.modeDot, 'propagate', [2, 4]),
    ...modeArg((m) => [T(), T([2, 4]), m], c.modeDot, 3),
    one('mismatch', 'matrix columns do not match', () => [T(), T([2, 5]), 1], c.modeDot, ShapeError, 'matrixOrVector'),
    ...optionsArg((o) => [T(), T([2, 4]), 1, o], c.modeDot),
  ],
  multiModeDot: [
    ...tensorArg('tensor', (x) => [x, [T([2, 3]), T([2, 4]), T([2, 5])]], c.multiModeDot, 'propagate'),
    ...listArg('matricesOrVectors', (l) => [T(), l], () => [T([2, 3]), T([2, 4]), T([2, 5])], c.multiModeDot, 'propagate'),
    one('mismatch', 'a matrix does not match', () => [T(), [T([2, 3]), T([2, 3]), T([2, 5])]], c.multiModeDot, ShapeError, 'matricesOrVectors[1]'),
    ...optionsArg((o) => [T(), [T([2, 3]), T([2, 4]), T([2, 5])], o], c.multiModeDot),
    one('rank', 'modes out of range', () => [T(), [T([2, 3])], { modes: [7] }], c.multiModeDot, ModeError, 'modes'),
  ],
  khatriRao: [
    ...listArg('matrices', (l) => [l], mats, c.khatriRao, 'propagate'),
    one('mismatch', 'column counts differ', () => [[T([3, 2]), T([4, 3])]], c.khatriRao, ShapeError, 'matrices[1]'),
    one('ndim', 'a 3-D entry', () => [[T([3, 2]), T([4, 2, 1])]], c.khatriRao, ShapeError, 'matrices[1]'),
    one('empty', 'an empty list', () => [[]], c.khatriRao, TenfoldError, 'matrices'),
    one('mismatch', 'weights of the wrong length', () => [mats(), { weights: T([3]) }], c.khatriRao, ShapeError, 'weights'),
    ...optionsArg((o) => [mats(), o], c.khatriRao),
    one('size', 'a product of absurd size', () => [[tf.ones([50000, 1]), tf.ones([50000, 1]), tf.ones([50000, 1])]], c.khatriRao, ShapeError, 'matrices'),
  ],
  kronecker: [
    ...listArg('matrices', (l) => [l], mats, c.kronecker, 'propagate'),
    one('ndim', 'a 3-D entry', () => [[T([3, 2]), T([4, 2, 1])]], c.kronecker, ShapeError, 'matrices[1]'),
    one('empty', 'an empty list', () => [[]], c.kronecker, TenfoldError, 'matrices'),
    ...optionsArg((o) => [mats(), o], c.kronecker),
    one('size', 'a product of absurd size', () => [[tf.ones([1000, 1000]), tf.ones([1000, 1000])]], c.kronecker, ShapeError, 'matrices'),
  ],
  outer: [
    ...listArg('tensors', (l) => [l], mats, c.outer, 'propagate'),
    one('size', 'an outer product of absurd size', () => [[tf.ones([50000]), tf.ones([50000])]], c.outer, ShapeError, 'tensors'),
  ],
  batchedOuter: [
    ...listArg('tensors', (l) => [l], () => [T([2, 3]), T([2, 4])], c.batchedOuter, 'propagate'),
    one('mismatch', 'batch sizes differ', () => [[T([2, 3]), T([3, 4])]], c.batchedOuter, ShapeError, 'tensors[1]'),
  ],
  inner: [
    ...tensorArg('a', (x) => [x, T()], c.inner, 'propagate'),
    ...tensorArg('b', (x) => [T(), x], c.inner, 'propagate'),
    one('mismatch', 'shapes differ', () => [T(), T([3, 4, 6])], c.inner, ShapeError, 'b'),
    one('number', 'nModes = 1.5', () => [T(), T(), 1.5], c.inner, TenfoldError, 'nModes'),
    one('number', 'nModes = 9', () => [T(), T(), 9], c.inner, TenfoldError, 'nModes'),
  ],
  tensordot: [
    ...tensorArg('a', (x) => [x, T([5, 2]), [[2], [0]]], c.tensordot, 'propagate'),
    ...tensorArg('b', (x) => [T(), x, [[2], [0]]], c.tensordot, 'propagate', [5, 2]),
    one('mismatch', 'contracted sizes differ', () => [T(), T([4, 2]), [[2], [0]]], c.tensordot, ShapeError, 'b'),
    one('rank', 'modes out of range', () => [T(), T([5, 2]), [[7], [0]]], c.tensordot, ModeError, 'modes'),
    one('type', 'modes = a string', () => [T(), T([5, 2]), 'abc'], c.tensordot, TenfoldError, 'modes'),
    one('null', 'modes = null', () => [T(), T([5, 2]), null], c.tensordot, TenfoldError, 'modes'),
  ],
  mttkrp: [
    ...tensorArg('tensor', (x) => [x, null, [T([3, 2]), T([4, 2]), T([5, 2])], 0], c.mttkrp, 'propagate'),
    ...listArg('factors', (l) => [T(), null, l, 0], () => [T([3, 2]), T([4, 2]), T([5, 2])], c.mttkrp, 'propagate'),
    ...modeArg((m) => [T(), null, [T([3, 2]), T([4, 2]), T([5, 2])], m], c.mttkrp, 3),
    one('mismatch', 'a factor has the wrong rows', () => [T(), null, [T([3, 2]), T([3, 2]), T([5, 2])], 0], c.mttkrp, ShapeError, 'factors[1]'),
  ],
  norm: [
    ...tensorArg('tensor', (x) => [x], c.norm, 'propagate'),
    one('type', "order = 'abc'", () => [T(), 'abc'], c.norm, ArgumentError, 'order'),
    one('number', 'order = NaN', () => [T(), NaN], c.norm, ArgumentError, 'order'),
  ],
  higherOrderMoment: [
    ...tensorArg('tensor', (x) => [x, 2], c.higherOrderMoment, 'propagate', [4, 3]),
    ...rankArg((r) => [T([4, 3]), r], c.higherOrderMoment, 'order'),
    one('ndim', 'a 1-D tensor', () => [T([4]), 2], c.higherOrderMoment, ShapeError, 'tensor'),
  ],

  // --- linalg ---
  svd: [
    ...tensorArg('matrix', (x) => [x], c.svd, 'check', [4, 3]),
    one('ndim', 'a 3-D tensor', () => [T()], c.svd, ShapeError, 'matrix'),
    one('empty', 'an empty matrix', () => [tf.zeros([0, 3])], c.svd, ShapeError, 'matrix'),
    ...optionsArg((o) => [T([4, 3]), o], c.svd),
    ...rankArg((r) => [T([4, 3]), { rank: r }], c.svd, 'rank', { huge: false }),
    one('type', "method = 'bogus'", () => [T([4, 3]), { method: 'bogus' }], c.svd, ArgumentError, 'method'),
  ],
  svdFlip: [
    ...tensorArg('u', (x) => [x, T([3, 4])], c.svdFlip, 'check', [4, 3]),
    ...tensorArg('vt', (x) => [T([4, 3]), x], c.svdFlip, 'check', [3, 4]),
    one('mismatch', 'u columns and vt rows differ', () => [T([4, 3]), T([2, 4])], c.svdFlip, ShapeError, 'vt'),
  ],
  eigh: [
    ...tensorArg('symmetric', (x) => [x], c.eigh, 'check', [4, 4]),
    one('mismatch', 'not square', () => [T([3, 4])], c.eigh, ShapeError, 'symmetric'),
    one('ndim', 'a 3-D tensor', () => [T()], c.eigh, ShapeError, 'symmetric'),
  ],
  qr: [...tensorArg('matrix', (x) => [x], c.qr, 'check', [4, 3]), one('ndim', 'a 3-D tensor', () => [T()], c.qr, ShapeError, 'matrix'), one('empty', 'an empty matrix', () => [tf.zeros([0, 3])], c.qr, ShapeError, 'matrix')],
  lstsq: [
    ...tensorArg('a', (x) => [x, T([4, 2])], c.lstsq, 'check', [4, 3]),
    ...tensorArg('b', (x) => [T([4, 3]), x], c.lstsq, 'check', [4, 2]),
    one('mismatch', 'rows differ', () => [T([4, 3]), T([5, 2])], c.lstsq, ShapeError, 'b'),
    ...optionsArg((o) => [T([4, 3]), T([4, 2]), o], c.lstsq),
    one('number', 'rcond = -1', () => [T([4, 3]), T([4, 2]), { rcond: -1 }], c.lstsq, ArgumentError, 'rcond'),
  ],
  solve: [
    ...tensorArg('a', (x) => [x, T([4, 2])], c.solve, 'check', [4, 4]),
    ...tensorArg('b', (x) => [spd(4), x], c.solve, 'check', [4, 2]),
    one('mismatch', 'a not square', () => [T([4, 3]), T([4, 2])], c.solve, ShapeError, 'a'),
    one('mismatch', 'rows differ', () => [spd(4), T([5, 2])], c.solve, ShapeError, 'b'),
    one('rank', 'a singular', () => [tf.ones([3, 3]), T([3, 2])], c.solve, ArgumentError, 'a'),
  ],
  hostCholesky: [
    ...hostFns('hostCholesky', c.hostCholesky, (m) => [m], 'a'),
    one('rank', 'not positive definite', () => [hostM(2, 2, () => 1)], c.hostCholesky, ArgumentError, 'a'),
    ...optionsArg((o) => [hostM(3, 3, (i) => (i % 4 === 0 ? 5 : 1)), o], c.hostCholesky),
    one('number', 'pivotRtol = -1', () => [hostM(3, 3, (i) => (i % 4 === 0 ? 5 : 1)), { pivotRtol: -1 }], c.hostCholesky, ArgumentError, 'pivotRtol'),
    one('rank', 'a pivot below pivotRtol * max(diag a)', () => [hostM(2, 2, (i) => (i === 3 ? 1 + 1e-9 : 1)), { pivotRtol: 1e-5 }], c.hostCholesky, ArgumentError, 'a'),
  ],
  hostEigh: hostFns('hostEigh', c.hostEigh, (m) => [m], 'a'),
  hostQr: hostFns('hostQr', c.hostQr, (m) => [m], 'a', false),
  hostSvd: [...hostFns('hostSvd', c.hostSvd, (m) => [m], 'm', false), ...optionsArg((o) => [hostM(3, 3), o], c.hostSvd), ...rankArg((r) => [hostM(3, 3), { rank: r }], c.hostSvd, 'rank', { huge: false })],
  hostSingularValues: hostFns('hostSingularValues', c.hostSingularValues, (m) => [m], 'm', false),
  hostSolve: [
    ...hostFns('hostSolve', c.hostSolve, (m) => [m, hostM(3, 1)], 'a'),
    ...hostFns('hostSolve', c.hostSolve, (m) => [hostM(3, 3), m], 'b', false).filter((x) => !x.label.includes('tf.Tensor')),
    ...optionsArg((o) => [hostM(3, 3), hostM(3, 1), o], c.hostSolve),
  ],
  hostLstsq: [
    ...hostFns('hostLstsq', c.hostLstsq, (m) => [m, hostM(3, 1)], 'a', false),
    ...optionsArg((o) => [hostM(3, 3), hostM(3, 1), o], c.hostLstsq),
    one('number', 'rcond = -1', () => [hostM(3, 3), hostM(3, 1), { rcond: -1 }], c.hostLstsq, ArgumentError, 'rcond'),
  ],
  hostSvdFlip: [
    one('null', 'u = null', () => [null, hostM(3, 3)], c.hostSvdFlip, TenfoldError, 'u'),
    one('mismatch', 'u and vt do not match', () => [hostM(3, 2), hostM(3, 3)], c.hostSvdFlip, ShapeError, 'vt'),
  ],
  hostFromArray: [
    one('null', 'rows = null', () => [null], c.hostFromArray, TenfoldError, 'rows'),
    one('mismatch', 'ragged rows', () => [[[1, 2], [3]]], c.hostFromArray, ShapeError, 'rows'),
    one('type', 'a string entry', () => [[['a']]], c.hostFromArray, TenfoldError, 'rows'),
  ],
  svdInterface: [
    one('null', 'req = null', () => [T([4, 3]), null], c.svdInterface, ArgumentError, 'req'),
    one('type', "output = 'dense'", () => [T([4, 3]), { output: 'dense' }], c.svdInterface, ArgumentError, 'output'),
    one('options', "unknown key 'rank' for output 'tensor'", () => [T([4, 3]), { output: 'tensor', method: 'truncated', k: 2, flipSign: true, nIter: 2, oversamples: 5, rng: null, rank: 2 }], c.svdInterface, ArgumentError, 'rank'),
    one('type', "method = 'qr'", () => [T([4, 3]), { output: 'host', method: 'qr', k: 2, rng: core.createRng(0) }], c.svdInterface, ArgumentError, 'method'),
    one('rank', 'k = 4 above min(m, n) = 3', () => [T([4, 3]), { output: 'host', method: 'truncated', k: 4, rng: core.createRng(0) }], c.svdInterface, RankError, 'k'),
    one('type', 'rng missing for output host', () => [T([4, 3]), { output: 'host', method: 'truncated', k: 2 }], c.svdInterface, ArgumentError, 'rng'),
    one('ndim', 'y 3-D', () => [T([2, 2, 2]), { output: 'host', method: 'truncated', k: 1, rng: core.createRng(0) }], c.svdInterface, ShapeError, 'y'),
    one('nan', 'NaN in y', () => [nanT([4, 3]), { output: 'spectrum', route: 'auto' }], c.svdInterface, NonFiniteError, 'y'),
    one('disposed', 'disposed y', () => [gone([4, 3]), { output: 'spectrum', route: 'auto' }], c.svdInterface, ArgumentError, 'y'),
    one('type', "route = 'device'", () => [T([4, 3]), { output: 'spectrum', route: 'device' }], c.svdInterface, ArgumentError, 'route'),
    one('mismatch', 'host y whose data does not fit', () => [{ rows: 2, cols: 2, data: new Float64Array(3) }, { output: 'spectrum', route: 'host' }], c.svdInterface, ShapeError, 'y'),
    one('mismatch', 'yT not the transpose of y', () => [T([4, 3]), { output: 'host', method: 'gram', k: 2, rng: core.createRng(0), yT: T([4, 3]) }], c.svdInterface, ShapeError, 'yT'),
  ],
  pairwiseSum: [
    one('type', 'a = a string', () => ['abc'], c.pairwiseSum, ArgumentError, 'a'),
    one('null', 'a = null', () => [null], c.pairwiseSum, ArgumentError, 'a'),
    one('number', 'n beyond the end', () => [new Float64Array(4), 1, 4], c.pairwiseSum, ArgumentError, 'n'),
    one('number', 'start = -1', () => [new Float64Array(4), -1], c.pairwiseSum, ArgumentError, 'start'),
  ],
  EVBMF_HOST_SVD_LIMIT: { exempt: 'a constant' },
  EVBMF_EXACT_SVD_LIMIT: { exempt: 'a constant' },
  TWO_STAGE_MIN_SIZE: { exempt: 'a constant' },
  GRAM_TAIL_TOLERANCE: { exempt: 'a constant' },
  symmetricEigen: [
    one('type', 'a = a string', () => ['abc', 2], c.symmetricEigen, ArgumentError, 'a'),
    one('mismatch', 'a does not hold n * n entries', () => [new Float64Array(3), 2], c.symmetricEigen, ShapeError, 'a'),
    one('number', 'n = 1.5', () => [new Float64Array(4), 1.5], c.symmetricEigen, ArgumentError, 'n'),
  ],
  symmetricEigenTwoStage: [
    one('type', 'g = a string', () => ['abc'], c.symmetricEigenTwoStage, ArgumentError, 'g'),
    one('mismatch', 'g not square', () => [T([3, 2])], c.symmetricEigenTwoStage, ShapeError, 'g'),
    one('number', 'b = 0', () => [tf.eye(3), 0], c.symmetricEigenTwoStage, ArgumentError, 'b'),
  ],
  symmetricEigenTwoStageHost: [
    one('type', 'g = a Float64Array', () => [new Float64Array(4), 2], c.symmetricEigenTwoStageHost, ArgumentError, 'g'),
    one('mismatch', 'g does not hold n * n entries', () => [new Float32Array(3), 2], c.symmetricEigenTwoStageHost, ShapeError, 'g'),
    one('number', 'b = 0', () => [new Float32Array(4), 2, 0], c.symmetricEigenTwoStageHost, ArgumentError, 'b'),
  ],
  hostTridiagonalEigenvalues: [
    one('null', 'd = null', () => [null, new Float64Array(2)], c.hostTridiagonalEigenvalues, TenfoldError, 'd'),
    one('mismatch', 'e of the wrong length', () => [new Float64Array(3), new Float64Array(5)], c.hostTridiagonalEigenvalues, ShapeError, 'e'),
    one('nan', 'd holds NaN', () => [Float64Array.of(1, NaN, 2), new Float64Array(2)], c.hostTridiagonalEigenvalues, NonFiniteError, 'd'),
  ],
};
