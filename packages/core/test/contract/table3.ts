/**
 * The bad-input table, part 3: the exports that joined core after parts 1 and 2 (tensor ring,
 * PARAFAC2, proximal operators, power iterations, CMTF, rank selection, metrics, regression,
 * estimator classes, host kernels, WASM kernel fixes).
 */
import * as tf from '@tensorflow/tfjs';
import * as core from '../../src/index.js';
import { type Case, ArgumentError, ModeError, NonFiniteError, ShapeError, TenfoldError, T, listArg, modeArg, one, optionsArg, rankArg, shapeArg, tensorArg } from './cases.js';
import { gone, hostM, nanT } from './inputs.js';
import { decomposition, factorizedArg, progressArgs } from './table.js';
import { TABLE as TABLE12 } from './table2.js';

const c = core as any;
type Run = (...a: any[]) => unknown;
const cpLike = () => ({ weights: tf.ones([2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const tuckerLike = () => ({ core: T([2, 2, 2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const ttCores = () => [T([1, 3, 2]), T([2, 4, 2]), T([2, 5, 1])];
const trCores = () => [T([2, 3, 2]), T([2, 4, 2]), T([2, 5, 2])];
/** Orthonormal (4 x 2) projection: the first two columns of I_4. */
const proj = () => tf.tidy(() => tf.slice(tf.eye(4), [0, 0], [4, 2]));
const p2Like = () => ({ weights: tf.ones([2]), factors: [T([3, 2]), T([2, 2]), T([5, 2])], projections: [proj(), proj(), proj()] });
const factors3 = () => [T([3, 2]), T([4, 2]), T([5, 2])];

/** Cases of a function whose first argument is a tensor ring (a TRTensor or a list of cores). */
function trArg(make: (x: unknown) => unknown[], run: Run, argName = 'cores'): Case[] {
  return [
    ...listArg(argName, make, trCores, run, 'propagate'),
    one('disposed', `${argName} is a disposed TRTensor`, () => { const o = new core.TRTensor(trCores()); o.dispose(); return make(o); }, run, ArgumentError, argName),
    one('mismatch', `${argName} ranks do not chain`, () => make([T([2, 3, 2]), T([3, 4, 2]), T([2, 5, 2])]), run, ShapeError, argName),
    one('ndim', `${argName}[1] is 2-D`, () => make([T([2, 3, 2]), T([2, 4]), T([2, 5, 2])]), run, ShapeError, `${argName}[1]`),
  ];
}

/** Cases of a function whose first argument is a PARAFAC2 tensor (class or {weights, factors, projections}). */
function parafac2Arg(make: (x: unknown) => unknown[], run: Run, argName = 'parafac2'): Case[] {
  const withFactor0 = (f: (s: number[]) => tf.Tensor) => () => { const p = p2Like(); const s = p.factors[0].shape; p.factors[0].dispose(); p.factors[0] = f(s); return make(p); };
  return [
    one('null', `${argName} = null`, () => make(null), run, TenfoldError, argName),
    one('type', `${argName} = a string`, () => make('abc'), run, TenfoldError, argName),
    one('type', `${argName} = 42`, () => make(42), run, TenfoldError, argName),
    one('null', `${argName}.factors = null`, () => make({ weights: null, factors: null, projections: [proj()] }), run, TenfoldError, `${argName}.factors`),
    one('disposed', `${argName} is a disposed Parafac2Tensor`, () => { const x = p2Like(); const o = new core.Parafac2Tensor(x.weights, x.factors, x.projections); o.dispose(); return make(o); }, run, ArgumentError, argName),
    one('disposed', `a factor inside ${argName} is disposed`, withFactor0((s) => gone(s)), run, ArgumentError, argName),
    one('mismatch', `${argName} B is not R x R`, () => { const p = p2Like(); p.factors[1].dispose(); p.factors[1] = T([3, 2]); return make(p); }, run, ShapeError, 'factors[1]'),
    one('mismatch', `${argName} has a projection per row of A missing`, () => { const p = p2Like(); p.projections.pop()!.dispose(); return make(p); }, run, ShapeError, 'projections'),
    one('number', `${argName} has a non-orthonormal projection`, () => { const p = p2Like(); p.projections[0].dispose(); p.projections[0] = T([4, 2]); return make(p); }, run, ArgumentError, 'projections[0]'),
    one('nan', `${argName} holds NaN (propagates)`, withFactor0((s) => nanT(s)), run, 'ok'),
    { ...one('nan', `${argName} holds NaN (setFiniteChecks)`, withFactor0((s) => nanT(s)), run, NonFiniteError, argName), finiteChecks: true },
  ];
}

/** A scalar parameter: NaN, Inf, negative, wrong type. */
function numberArg(make: (v: unknown) => unknown[], run: Run, argName: string, negative = true): Case[] {
  const out: Case[] = [
    one('number', `${argName} = NaN`, () => make(NaN), run, TenfoldError, argName),
    one('number', `${argName} = Infinity`, () => make(Infinity), run, TenfoldError, argName),
    one('type', `${argName} = a string`, () => make('abc'), run, TenfoldError, argName),
    one('null', `${argName} = null`, () => make(null), run, TenfoldError, argName),
  ];
  if (negative) out.push(one('number', `${argName} = -1`, () => make(-1), run, TenfoldError, argName));
  return out;
}

/** The cases of a proximal operator `f(x, value)` on a (4 x 3) matrix. */
function prox(run: Run, paramName: string, param: unknown = 0.5, negative = true): Case[] {
  return [
    ...tensorArg('tensor', (x) => [x, param], run, 'check', [4, 3]),
    ...(paramName ? numberArg((v) => [T([4, 3]), v], run, paramName, negative) : []),
  ];
}

/** An estimator class: `new Cls(rank, options).fitTransform(tensor)` keeps its function's contract. */
function estimator(Cls: any, extra: Record<string, unknown> = {}, opts: { iterative?: boolean; capped?: boolean; minNdim?: number; good?: () => tf.Tensor; rank?: unknown; progress?: boolean } = {}): Case[] {
  const run = (t: unknown, r: unknown, o: unknown) => new Cls(r, o === null || o === undefined ? (Object.keys(extra).length ? extra : o) : typeof o === 'object' && !Array.isArray(o) ? { ...extra, ...(o as object) } : o).fitTransform(t);
  return decomposition(run, (t, r, o) => [t, r, o], opts);
}

/** The regression functions share (X, y, rank-ish, opts). */
function regression(run: Run, rank: unknown, rankName: string): Case[] {
  const X = () => T([6, 3, 4]);
  const y = () => T([6]);
  return [
    ...tensorArg('X', (x) => [x, y(), rank, { nIterMax: 2 }], run, 'check', [6, 3, 4]),
    ...tensorArg('y', (x) => [X(), x, rank, { nIterMax: 2 }], run, 'check', [6]),
    one('mismatch', 'y of the wrong length', () => [X(), T([5]), rank, { nIterMax: 2 }], run, ShapeError, 'y'),
    one('ndim', 'X is a vector', () => [T([6]), y(), rank, { nIterMax: 2 }], run, ShapeError, 'X'),
    one('empty', 'X with no samples', () => [tf.zeros([0, 3, 4]), tf.zeros([0]), rank, { nIterMax: 2 }], run, ShapeError, 'X'),
    ...optionsArg((o) => [X(), y(), rank, o], run),
    one('number', 'nIterMax = -1', () => [X(), y(), rank, { nIterMax: -1 }], run, ArgumentError, 'nIterMax'),
    ...progressArgs((o) => [X(), y(), rank, { nIterMax: 2, ...o }], run),
    one('size', 'nIterMax = 1e12', () => [X(), y(), rank, { nIterMax: 1e12 }], run, ArgumentError, 'nIterMax'),
    one('number', 'tol = NaN', () => [X(), y(), rank, { tol: NaN }], run, ArgumentError, 'tol'),
    one('type', `${rankName} = a string`, () => [X(), y(), 'abc', { nIterMax: 2 }], run, TenfoldError, rankName),
    one('rank', `${rankName} = 0`, () => [X(), y(), Array.isArray(rank) ? [0, 2] : 0, { nIterMax: 2 }], run, TenfoldError, rankName),
    one('rank', `${rankName} = -1`, () => [X(), y(), Array.isArray(rank) ? [-1, 2] : -1, { nIterMax: 2 }], run, TenfoldError, rankName),
    one('rank', `${rankName} = 1.5`, () => [X(), y(), Array.isArray(rank) ? [1.5, 2] : 1.5, { nIterMax: 2 }], run, TenfoldError, rankName),
    one('size', `${rankName} = 1e9`, () => [X(), y(), Array.isArray(rank) ? [1e9, 1e9] : 1e9, { nIterMax: 2 }], run, TenfoldError, rankName),
  ];
}

/** The power iterations `f(tensor, opts)` (no rank) share these. */
function power(run: Run, good: () => tf.Tensor = () => T()): Case[] {
  const probe = good();
  const shape = [...probe.shape];
  probe.dispose();
  const ok = { nIteration: 2, nRepeat: 2 };
  return [
    ...tensorArg('tensor', (x) => [x, ok], run, 'check', shape),
    one('empty', 'tensor with an empty mode', () => [tf.zeros([3, 0, 3]), ok], run, ShapeError, 'tensor'),
    one('ndim', 'tensor with too few dimensions', () => [T([5]), ok], run, ShapeError, 'tensor'),
    ...optionsArg((o) => [good(), o], run),
    one('number', 'nIteration = -1', () => [good(), { nIteration: -1 }], run, ArgumentError, 'nIteration'),
    one('size', 'nIteration = 1e12', () => [good(), { nIteration: 1e12 }], run, ArgumentError, 'nIteration'),
    one('number', 'nRepeat = 1.5', () => [good(), { nRepeat: 1.5 }], run, ArgumentError, 'nRepeat'),
    one('number', 'seed = 1.5', () => [good(), { seed: 1.5 }], run, ArgumentError, 'seed'),
    ...progressArgs((o) => [good(), { ...ok, ...o }], run),
  ];
}

const cube = () => T([3, 3, 3]);
const slices = () => [T([4, 5]), T([4, 5]), T([4, 5])];

const TABLE3: Record<string, Case[] | { exempt: string }> = {
  // --- backend ---
  installWasmKernelFixes: { exempt: 'takes no argument' },
  WASM_FIXED_KERNELS: { exempt: 'a constant' },
  requestWasmThreads: [
    one('number', 'threads = 0', () => [0], c.requestWasmThreads, ArgumentError, 'threads'),
    one('number', 'threads = 1.5', () => [1.5], c.requestWasmThreads, ArgumentError, 'threads'),
    one('size', 'threads = 9', () => [9], c.requestWasmThreads, ArgumentError, 'threads'),
  ],
  wasmThreadsCount: { exempt: 'takes no argument' },
  readFloat32Into: [
    ...tensorArg('t', (x) => [x, new Float32Array(60)], c.readFloat32Into, 'propagate'),
    one('mismatch', 'out too short', () => [T(), new Float32Array(4)], c.readFloat32Into, ShapeError, 'out'),
    one('type', 'out = a plain array', () => [T(), [0, 0]], c.readFloat32Into, TenfoldError, 'out'),
    one('null', 'out = null', () => [T(), null], c.readFloat32Into, TenfoldError, 'out'),
  ],

  // --- tenalg / linalg ---
  sampleKhatriRao: [
    ...listArg('matrices', (l) => [l, 4, { seed: 1 }], () => [T([3, 2]), T([4, 2])], c.sampleKhatriRao, 'propagate'),
    one('mismatch', 'column counts differ', () => [[T([3, 2]), T([4, 3])], 4, { seed: 1 }], c.sampleKhatriRao, ShapeError, 'matrices'),
    one('empty', 'an empty list', () => [[], 4], c.sampleKhatriRao, TenfoldError, 'matrices'),
    ...rankArg((n) => [[T([3, 2]), T([4, 2])], n, { seed: 1 }], c.sampleKhatriRao, 'nSamples'),
    ...optionsArg((o) => [[T([3, 2]), T([4, 2])], 4, o], c.sampleKhatriRao),
    one('number', 'skipMatrix = 5', () => [[T([3, 2]), T([4, 2])], 4, { skipMatrix: 5 }], c.sampleKhatriRao, TenfoldError, 'skipMatrix'),
    one('number', 'seed = 1.5', () => [[T([3, 2]), T([4, 2])], 4, { seed: 1.5 }], c.sampleKhatriRao, ArgumentError, 'seed'),
  ],
  hostGram: [
    one('null', 'a = null', () => [null, 'rows'], c.hostGram, TenfoldError, 'a'),
    one('type', 'a = a string', () => ['abc', 'rows'], c.hostGram, TenfoldError, 'a'),
    one('type', 'a = a tf.Tensor', () => [T([3, 3]), 'rows'], c.hostGram, TenfoldError, 'a'),
    one('mismatch', 'a.data too short', () => [{ rows: 3, cols: 3, data: new Float64Array(4) }, 'rows'], c.hostGram, ShapeError, 'a'),
    one('type', "side = 'bogus'", () => [hostM(3, 3), 'bogus'], c.hostGram, ArgumentError, 'side'),
    one('nan', 'a holds NaN (host kernels check on entry)', () => [hostM(3, 3, (i) => (i === 1 ? NaN : i)), 'rows'], c.hostGram, NonFiniteError, 'a'),
  ],
  hostMatmul: [
    one('null', 'a = null', () => [null, hostM(3, 3)], c.hostMatmul, TenfoldError, 'a'),
    one('null', 'b = null', () => [hostM(3, 3), null], c.hostMatmul, TenfoldError, 'b'),
    one('type', 'a = a tf.Tensor', () => [T([3, 3]), hostM(3, 3)], c.hostMatmul, TenfoldError, 'a'),
    one('mismatch', 'a.data too short', () => [{ rows: 3, cols: 3, data: new Float64Array(4) }, hostM(3, 3)], c.hostMatmul, ShapeError, 'a'),
    one('mismatch', 'inner dimensions differ', () => [hostM(3, 2), hostM(3, 3)], c.hostMatmul, ShapeError, 'b'),
    one('nan', 'a holds NaN (host kernels check on entry)', () => [hostM(3, 3, (i) => (i === 1 ? NaN : i)), hostM(3, 3)], c.hostMatmul, NonFiniteError, 'a'),
  ],
  hostTranspose: [
    one('null', 'a = null', () => [null], c.hostTranspose, TenfoldError, 'a'),
    one('type', 'a = a string', () => ['abc'], c.hostTranspose, TenfoldError, 'a'),
    one('mismatch', 'a.data too short', () => [{ rows: 3, cols: 3, data: new Float64Array(4) }], c.hostTranspose, ShapeError, 'a'),
    one('nan', 'a holds NaN (host kernels check on entry)', () => [hostM(3, 3, (i) => (i === 1 ? NaN : i))], c.hostTranspose, NonFiniteError, 'a'),
  ],
  makeSvdNonNegative: [
    ...tensorArg('tensor', (x) => [x, T([4, 2]), T([2]), T([2, 3])], c.makeSvdNonNegative, 'propagate', [4, 3]),
    ...tensorArg('u', (x) => [T([4, 3]), x, T([2]), T([2, 3])], c.makeSvdNonNegative, 'propagate', [4, 2]),
    one('mismatch', 'u rows differ from tensor', () => [T([4, 3]), T([5, 2]), T([2]), T([2, 3])], c.makeSvdNonNegative, ShapeError, 'u'),
    one('mismatch', 's too short', () => [T([4, 3]), T([4, 2]), T([1]), T([2, 3])], c.makeSvdNonNegative, ShapeError, 's'),
    ...optionsArg((o) => [T([4, 3]), T([4, 2]), T([2]), T([2, 3]), o], c.makeSvdNonNegative),
    one('type', "nntype = 'bogus'", () => [T([4, 3]), T([4, 2]), T([2]), T([2, 3]), { nntype: 'bogus' }], c.makeSvdNonNegative, ArgumentError, 'nntype'),
  ],
  randomizedRangeFinder: [
    ...tensorArg('a', (x) => [x, 2, { seed: 1 }], c.randomizedRangeFinder, 'check', [5, 4]),
    one('ndim', 'a 3-D tensor', () => [T(), 2], c.randomizedRangeFinder, ShapeError, 'a'),
    one('empty', 'an empty matrix', () => [tf.zeros([0, 4]), 2], c.randomizedRangeFinder, ShapeError, 'a'),
    ...rankArg((n) => [T([5, 4]), n, { seed: 1 }], c.randomizedRangeFinder, 'nDims', { huge: false }),
    ...optionsArg((o) => [T([5, 4]), 2, o], c.randomizedRangeFinder),
    one('number', 'nIter = -1', () => [T([5, 4]), 2, { nIter: -1 }], c.randomizedRangeFinder, ArgumentError, 'nIter'),
  ],

  // --- proximal operators ---
  softThresholding: [...prox(c.softThresholding, 'threshold'), one('mismatch', 'threshold tensor of the wrong shape', () => [T([4, 3]), T([5, 2])], c.softThresholding, ShapeError, 'threshold')],
  hardThresholding: [...prox(c.hardThresholding, 'numberOfNonZero', 2), one('number', 'numberOfNonZero = 1.5', () => [T([4, 3]), 1.5], c.hardThresholding, ArgumentError, 'numberOfNonZero')],
  proximalOperator: [
    ...tensorArg('tensor', (x) => [x, { type: 'simplex', value: 1 }], c.proximalOperator, 'check', [4, 3]),
    one('null', 'constraint = null', () => [T([4, 3]), null], c.proximalOperator, TenfoldError, 'constraint'),
    one('type', 'constraint = a string', () => [T([4, 3]), 'abc'], c.proximalOperator, TenfoldError, 'constraint'),
    one('type', "constraint.type = 'bogus'", () => [T([4, 3]), { type: 'bogus' }], c.proximalOperator, ArgumentError, 'constraint'),
    one('options', 'constraint has an unknown key', () => [T([4, 3]), { type: 'simplex', value: 1, bogusKey: 1 }], c.proximalOperator, ArgumentError, 'bogusKey'),
    one('number', 'constraint.value = NaN', () => [T([4, 3]), { type: 'simplex', value: NaN }], c.proximalOperator, TenfoldError, 'value'),
  ],
  simplexProx: prox(c.simplexProx, 'value', 1),
  softSparsityProx: prox(c.softSparsityProx, 'value', 1),
  smoothnessProx: prox(c.smoothnessProx, 'value', 0.5),
  monotonicityProx: [...prox(c.monotonicityProx, '', {}), ...optionsArg((o) => [T([4, 3]), o], c.monotonicityProx, 'opts'), one('type', 'decreasing = 1', () => [T([4, 3]), { decreasing: 1 }], c.monotonicityProx, ArgumentError, 'decreasing')],
  unimodalityProx: tensorArg('tensor', (x) => [x], c.unimodalityProx, 'check', [4, 3]),
  l2Prox: prox(c.l2Prox, 'value', 0.5),
  l2SquareProx: prox(c.l2SquareProx, 'value', 0.5),
  normalizedSparsityProx: prox(c.normalizedSparsityProx, 'value', 2),
  svdThresholding: [
    ...tensorArg('matrix', (x) => [x, 0.5], c.svdThresholding, 'check', [4, 3]),
    one('ndim', 'a 3-D tensor', () => [T(), 0.5], c.svdThresholding, ShapeError, 'matrix'),
    ...numberArg((v) => [T([4, 3]), v], c.svdThresholding, 'threshold'),
  ],
  procrustes: [
    ...tensorArg('matrix', (x) => [x], c.procrustes, 'check', [4, 3]),
    one('ndim', 'a 3-D tensor', () => [T()], c.procrustes, ShapeError, 'matrix'),
    one('empty', 'an empty matrix', () => [tf.zeros([0, 3])], c.procrustes, ShapeError, 'matrix'),
  ],
  admm: [
    ...tensorArg('UtM', (x) => [x, T([2, 2]), T([4, 2]), T([4, 2])], c.admm, 'check', [4, 2]),
    ...tensorArg('UtU', (x) => [T([4, 2]), x, T([4, 2]), T([4, 2])], c.admm, 'check', [2, 2]),
    ...tensorArg('x', (x) => [T([4, 2]), T([2, 2]), x, T([4, 2])], c.admm, 'check', [4, 2]),
    ...tensorArg('dualVar', (x) => [T([4, 2]), T([2, 2]), T([4, 2]), x], c.admm, 'check', [4, 2]),
    one('mismatch', 'UtU not R x R', () => [T([4, 2]), T([3, 2]), T([4, 2]), T([4, 2])], c.admm, ShapeError, 'UtU'),
    one('mismatch', 'x of the wrong shape', () => [T([4, 2]), T([2, 2]), T([5, 2]), T([4, 2])], c.admm, ShapeError, 'x'),
    ...optionsArg((o) => [T([4, 2]), T([2, 2]), T([4, 2]), T([4, 2]), o], c.admm),
    one('number', 'nIterMax = 0', () => [T([4, 2]), T([2, 2]), T([4, 2]), T([4, 2]), { nIterMax: 0 }], c.admm, ArgumentError, 'nIterMax'),
    one('size', 'nIterMax = 1e12', () => [T([4, 2]), T([2, 2]), T([4, 2]), T([4, 2]), { nIterMax: 1e12 }], c.admm, ArgumentError, 'nIterMax'),
    one('type', "constraint = 'bogus'", () => [T([4, 2]), T([2, 2]), T([4, 2]), T([4, 2]), { constraint: 'bogus' }], c.admm, ArgumentError, 'constraint'),
  ],
  halsNnls: [
    ...tensorArg('UtM', (x) => [x, T([2, 2])], c.halsNnls, 'check', [2, 4]),
    ...tensorArg('UtU', (x) => [T([2, 4]), x], c.halsNnls, 'check', [2, 2]),
    one('mismatch', 'UtU not R x R', () => [T([2, 4]), T([3, 2])], c.halsNnls, ShapeError, 'UtU'),
    one('mismatch', 'V of the wrong shape', () => [T([2, 4]), T([2, 2]), { V: T([3, 4]) }], c.halsNnls, ShapeError, 'V'),
    ...optionsArg((o) => [T([2, 4]), T([2, 2]), o], c.halsNnls),
    one('number', 'nIterMax = 0', () => [T([2, 4]), T([2, 2]), { nIterMax: 0 }], c.halsNnls, ArgumentError, 'nIterMax'),
    one('size', 'nIterMax = 1e12', () => [T([2, 4]), T([2, 2]), { nIterMax: 1e12 }], c.halsNnls, ArgumentError, 'nIterMax'),
    one('type', 'exact = 1', () => [T([2, 4]), T([2, 2]), { exact: 1 }], c.halsNnls, ArgumentError, 'exact'),
  ],

  // --- tensor ring ---
  TRTensor: [...listArg('cores', (l) => [l], trCores, (x: any) => new core.TRTensor(x), 'propagate'), one('mismatch', 'ranks do not chain', () => [[T([2, 3, 2]), T([3, 4, 2]), T([2, 5, 2])]], (x: any) => new core.TRTensor(x), ShapeError, 'cores')],
  trToTensor: trArg((x) => [x], c.trToTensor),
  trToUnfolded: [...trArg((x) => [x, 0], c.trToUnfolded), ...modeArg((m) => [trCores(), m], c.trToUnfolded, 3)],
  trToVec: trArg((x) => [x], c.trToVec),
  validateTrTensor: [
    one('null', 'cores = null', () => [null], c.validateTrTensor, TenfoldError, 'cores'),
    one('type', 'cores = a string', () => ['abc'], c.validateTrTensor, TenfoldError, 'cores'),
    one('disposed', 'a disposed core', () => [[gone([2, 3, 2]), T([2, 4, 2])]], c.validateTrTensor, ArgumentError, 'cores[0]'),
    one('mismatch', 'ranks do not chain', () => [[T([2, 3, 2]), T([3, 4, 2])]], c.validateTrTensor, ShapeError, 'cores'),
    one('ndim', 'a 2-D core', () => [[T([2, 3]), T([3, 4, 2])]], c.validateTrTensor, ShapeError, 'cores[0]'),
  ],
  randomTr: [...shapeArg((s) => [s, 2], c.randomTr, 'shape', false), ...rankArg((r) => [[3, 4, 5], r], c.randomTr, 'rank', { fractional: false }), ...optionsArg((o) => [[3, 4, 5], 2, o], c.randomTr), one('number', 'seed = 1.5', () => [[3, 4, 5], 2, { seed: 1.5 }], c.randomTr, ArgumentError, 'seed')],
  tensorRing: decomposition(c.tensorRing, (t, r, o) => [t, r, o], { iterative: false, capped: true, rank: 1 }),
  tensorRingAls: [...decomposition(c.tensorRingAls, (t, r, o) => [t, r, o], { capped: true }), one('type', "lsSolve = 'bogus'", () => [T(), 2, { lsSolve: 'bogus' }], c.tensorRingAls, ArgumentError, 'lsSolve')],
  tensorRingAlsSampled: [
    ...decomposition(c.tensorRingAlsSampled, (t, r, o) => [t, r, 6, o], { capped: true }),
    ...rankArg((n) => [T(), 2, n, { nIterMax: 2 }], c.tensorRingAlsSampled, 'nSamples', { fractional: true }),
    one('type', 'uniformSampling = 1', () => [T(), 2, 6, { uniformSampling: 1 }], c.tensorRingAlsSampled, ArgumentError, 'uniformSampling'),
  ],

  // --- PARAFAC2 ---
  Parafac2Tensor: [
    ...listArg('factors', (l) => [tf.ones([2]), l, [proj(), proj(), proj()]], () => [T([3, 2]), T([2, 2]), T([5, 2])], (w: any, f: any, p: any) => new core.Parafac2Tensor(w, f, p), 'propagate'),
    ...listArg('projections', (l) => [tf.ones([2]), [T([3, 2]), T([2, 2]), T([5, 2])], l], () => [proj(), proj(), proj()], (w: any, f: any, p: any) => new core.Parafac2Tensor(w, f, p), 'propagate').filter((cs) => cs.cls !== 'nan'),
    one('mismatch', 'weights of the wrong length', () => [T([3]), [T([3, 2]), T([2, 2]), T([5, 2])], [proj(), proj(), proj()]], (w: any, f: any, p: any) => new core.Parafac2Tensor(w, f, p), ShapeError, 'weights'),
    one('mismatch', 'two factors', () => [null, [T([3, 2]), T([2, 2])], [proj(), proj(), proj()]], (w: any, f: any, p: any) => new core.Parafac2Tensor(w, f, p), TenfoldError, 'factors'),
  ],
  parafac2ToSlice: [...parafac2Arg((x) => [x, 0], c.parafac2ToSlice), ...modeArg((m) => [p2Like(), m], c.parafac2ToSlice, 3, 'sliceIdx')],
  parafac2ToSlices: parafac2Arg((x) => [x], c.parafac2ToSlices),
  parafac2ToTensor: parafac2Arg((x) => [x], c.parafac2ToTensor),
  parafac2ToUnfolded: [...parafac2Arg((x) => [x, 0], c.parafac2ToUnfolded), ...modeArg((m) => [p2Like(), m], c.parafac2ToUnfolded, 3)],
  parafac2ToVec: parafac2Arg((x) => [x], c.parafac2ToVec),
  applyParafac2Projections: parafac2Arg((x) => [x], c.applyParafac2Projections),
  parafac2Normalise: parafac2Arg((x) => [x], c.parafac2Normalise),
  validateParafac2Tensor: [
    one('mismatch', 'two factors', () => [null, [T([3, 2]), T([2, 2])], [proj()]], c.validateParafac2Tensor, TenfoldError, 'factors'),
    one('ndim', 'a 3-D factor', () => [null, [T([3, 2]), T([2, 2, 1]), T([5, 2])], [proj(), proj(), proj()]], c.validateParafac2Tensor, ShapeError, 'factors[1]'),
    one('mismatch', 'B not R x R', () => [null, [T([3, 2]), T([3, 2]), T([5, 2])], [proj(), proj(), proj()]], c.validateParafac2Tensor, ShapeError, 'factors[1]'),
    one('mismatch', 'weights of the wrong length', () => [T([3]), [T([3, 2]), T([2, 2]), T([5, 2])], [proj(), proj(), proj()]], c.validateParafac2Tensor, ShapeError, 'weights'),
    one('number', 'a non-orthonormal projection', () => [null, [T([3, 2]), T([2, 2]), T([5, 2])], [T([4, 2]), proj(), proj()]], c.validateParafac2Tensor, ArgumentError, 'projections[0]'),
    one('null', 'factors = null', () => [null, null, [proj()]], c.validateParafac2Tensor, TenfoldError, 'factors'),
    one('disposed', 'a disposed factor', () => [null, [gone([3, 2]), T([2, 2]), T([5, 2])], [proj(), proj(), proj()]], c.validateParafac2Tensor, ArgumentError, 'factors[0]'),
  ],
  randomParafac2: [
    one('null', 'shapes = null', () => [null, 2], c.randomParafac2, TenfoldError, 'shapes'),
    one('type', 'shapes = a string', () => ['abc', 2], c.randomParafac2, TenfoldError, 'shapes'),
    one('number', 'a shape has -1', () => [[[4, 5], [-1, 5]], 2], c.randomParafac2, ShapeError, 'shapes'),
    one('mismatch', 'slices with different column counts', () => [[[4, 5], [4, 6]], 2], c.randomParafac2, ShapeError, 'shapes'),
    one('size', 'the full tensor of absurd slices', () => [[[1e6, 1e6], [1e6, 1e6]], 2, { full: true }], c.randomParafac2, TenfoldError, 'shapes'),
    ...rankArg((r) => [[[4, 5], [4, 5], [4, 5]], r], c.randomParafac2, 'rank', { fractional: false }),
    ...optionsArg((o) => [[[4, 5], [4, 5], [4, 5]], 2, o], c.randomParafac2),
    one('number', 'seed = 1.5', () => [[[4, 5], [4, 5]], 2, { seed: 1.5 }], c.randomParafac2, ArgumentError, 'seed'),
  ],
  parafac2: [
    ...decomposition(c.parafac2, (t, r, o) => [t, r, o], { capped: true }).filter((cs) => cs.cls !== 'ndim'),
    one('ndim', 'a 2-D tensor', () => [T([4, 5]), 2, { nIterMax: 2 }], c.parafac2, ShapeError, 'tensorSlices'),
    ...listArg('tensorSlices', (l) => [l, 2, { nIterMax: 2 }], slices, c.parafac2, 'check'),
    one('mismatch', 'slices with different column counts', () => [[T([4, 5]), T([4, 6]), T([4, 5])], 2, { nIterMax: 2 }], c.parafac2, ShapeError, 'tensorSlices[1]'),
    one('empty', 'an empty list of slices', () => [[], 2], c.parafac2, TenfoldError, 'tensorSlices'),
  ],

  // --- other decompositions ---
  robustPca: [
    ...tensorArg('X', (x) => [x, { nIterMax: 2 }], c.robustPca, 'check', [4, 5]),
    one('empty', 'X with an empty mode', () => [tf.zeros([4, 0]), { nIterMax: 2 }], c.robustPca, ShapeError, 'X'),
    one('ndim', 'X is a vector', () => [T([5]), { nIterMax: 2 }], c.robustPca, ShapeError, 'X'),
    ...optionsArg((o) => [T([4, 5]), o], c.robustPca),
    one('mismatch', 'mask of the wrong shape', () => [T([4, 5]), { mask: T([3, 4]), nIterMax: 2 }], c.robustPca, ShapeError, 'mask'),
    one('number', 'nIterMax = -1', () => [T([4, 5]), { nIterMax: -1 }], c.robustPca, ArgumentError, 'nIterMax'),
    one('size', 'nIterMax = 1e12', () => [T([4, 5]), { nIterMax: 1e12 }], c.robustPca, ArgumentError, 'nIterMax'),
    one('number', 'tol = NaN', () => [T([4, 5]), { tol: NaN }], c.robustPca, ArgumentError, 'tol'),
    one('number', 'regE = -1', () => [T([4, 5]), { regE: -1 }], c.robustPca, ArgumentError, 'regE'),
    ...progressArgs((o) => [T([4, 5]), { nIterMax: 2, ...o }], c.robustPca),
  ],
  constrainedParafac: [
    ...decomposition(c.constrainedParafac, (t, r, o) => [t, r, o], { capped: true }),
    one('options', 'nonNegative = 1', () => [T(), 2, { nonNegative: 1, nIterMax: 2 }], c.constrainedParafac, ArgumentError, 'nonNegative'),
  ],
  powerIteration: power(c.powerIteration),
  parafacPowerIteration: [
    ...decomposition(c.parafacPowerIteration, (t, r, o) => [t, r, o], { iterative: false, progress: true }),
    one('number', 'nIteration = -1', () => [T(), 2, { nIteration: -1 }], c.parafacPowerIteration, ArgumentError, 'nIteration'),
    one('size', 'nIteration = 1e12', () => [T(), 2, { nIteration: 1e12 }], c.parafacPowerIteration, ArgumentError, 'nIteration'),
  ],
  symmetricPowerIteration: [...power(c.symmetricPowerIteration, cube), one('mismatch', 'a non-cubical tensor', () => [T(), { nIteration: 2 }], c.symmetricPowerIteration, ShapeError, 'tensor')],
  symmetricParafacPowerIteration: [
    ...decomposition(c.symmetricParafacPowerIteration, (t, r, o) => [t, r, o], { iterative: false, good: cube, progress: true }),
    one('mismatch', 'a non-cubical tensor', () => [T(), 2], c.symmetricParafacPowerIteration, ShapeError, 'tensor'),
  ],
  coupledMatrixTensor3dFactorization: [
    ...decomposition(c.coupledMatrixTensor3dFactorization, (t, r, o) => [t, T([3, 6]), r, o]).filter((cs) => cs.cls !== 'ndim'),
    one('ndim', 'tensor3d is 2-D', () => [T([3, 4]), T([3, 6]), 2, { nIterMax: 2 }], c.coupledMatrixTensor3dFactorization, ShapeError, 'tensor3d'),
    ...tensorArg('matrix', (x) => [T(), x, 2, { nIterMax: 2 }], c.coupledMatrixTensor3dFactorization, 'check', [3, 6]),
    one('mismatch', 'matrix rows differ from the tensor', () => [T(), T([4, 6]), 2, { nIterMax: 2 }], c.coupledMatrixTensor3dFactorization, ShapeError, 'matrix'),
    one('type', "init = 'bogus'", () => [T(), T([3, 6]), 2, { init: 'bogus' }], c.coupledMatrixTensor3dFactorization, ArgumentError, 'init'),
  ],
  selectRank: [
    ...tensorArg('tensor', (x) => [x, [1, 2], { nIterMax: 2 }], c.selectRank, 'check'),
    one('empty', 'tensor with an empty mode', () => [tf.zeros([3, 0, 5]), [1, 2], { nIterMax: 2 }], c.selectRank, ShapeError, 'tensor'),
    one('ndim', 'tensor with too few dimensions', () => [T([5]), [1, 2], { nIterMax: 2 }], c.selectRank, ShapeError, 'tensor'),
    one('null', 'ranks = null', () => [T(), null], c.selectRank, TenfoldError, 'ranks'),
    one('empty', 'ranks = []', () => [T(), []], c.selectRank, TenfoldError, 'ranks'),
    one('rank', 'ranks = [0]', () => [T(), [0]], c.selectRank, TenfoldError, 'ranks'),
    one('rank', 'ranks = [1.5]', () => [T(), [1.5]], c.selectRank, TenfoldError, 'ranks'),
    one('size', 'ranks = [1e9]', () => [T(), [1e9]], c.selectRank, TenfoldError, 'rank'),
    ...progressArgs((o) => [T(), [1, 2], { nIterMax: 2, nRestarts: 1, ...o }], c.selectRank),
    ...optionsArg((o) => [T(), [1], o === null || o === undefined ? o : o], c.selectRank),
    one('number', 'nIterMax = -1', () => [T(), [1], { nIterMax: -1 }], c.selectRank, ArgumentError, 'nIterMax'),
    one('number', 'nRestarts = 0', () => [T(), [1], { nRestarts: 0 }], c.selectRank, ArgumentError, 'nRestarts'),
  ],

  // --- factorized-tensor utilities ---
  cpFlipSign: [...factorizedArg('cp', 'cp', (x) => [x], c.cpFlipSign), ...optionsArg((o) => [cpLike(), o], c.cpFlipSign), ...modeArg((m) => [cpLike(), { mode: m }], c.cpFlipSign, 3), one('type', 'func = 1', () => [cpLike(), { func: 1 }], c.cpFlipSign, ArgumentError, 'func')],
  cpPermuteFactors: [
    ...factorizedArg('cp', 'reference', (x) => [x, cpLike()], c.cpPermuteFactors).filter((cs) => cs.cls !== 'nan').concat([one('nan', 'reference holds NaN', () => { const x = cpLike(); x.factors[0].dispose(); x.factors[0] = nanT([3, 2]); return [x, cpLike()]; }, c.cpPermuteFactors, NonFiniteError, 'reference')]),
    one('null', 'others = null', () => [cpLike(), null], c.cpPermuteFactors, TenfoldError, 'others'),
    one('mismatch', 'others of another shape', () => [cpLike(), { weights: tf.ones([2]), factors: [T([3, 2]), T([4, 2]), T([6, 2])] }], c.cpPermuteFactors, ShapeError, 'others'),
    one('nan', 'others holds NaN', () => { const x = cpLike(); x.factors[0].dispose(); x.factors[0] = nanT([3, 2]); return [cpLike(), x]; }, c.cpPermuteFactors, NonFiniteError, 'others'),
  ],
  tuckerModeDot: [
    ...factorizedArg('tucker', 'tucker', (x) => [x, T([2, 4]), 1], c.tuckerModeDot),
    ...tensorArg('matrixOrVector', (x) => [tuckerLike(), x, 1], c.tuckerModeDot, 'propagate', [2, 4]),
    ...modeArg((m) => [tuckerLike(), T([2, 4]), m], c.tuckerModeDot, 3),
    one('mismatch', 'matrix columns do not match', () => [tuckerLike(), T([2, 5]), 1], c.tuckerModeDot, ShapeError, 'matrixOrVector'),
    ...optionsArg((o) => [tuckerLike(), T([2, 4]), 1, o], c.tuckerModeDot),
    one('type', 'keepDim = 1', () => [tuckerLike(), T([2, 4]), 1, { keepDim: 1 }], c.tuckerModeDot, ArgumentError, 'keepDim'),
  ],

  // --- metrics ---
  coreConsistency: [
    ...tensorArg('tensor', (x) => [x, cpLike()], c.coreConsistency, 'check'),
    ...factorizedArg('cp', 'cp', (x) => [T(), x], c.coreConsistency).filter((cs) => cs.cls !== 'nan').concat([one('nan', 'cp holds NaN', () => { const x = cpLike(); x.factors[0].dispose(); x.factors[0] = nanT([3, 2]); return [T(), x]; }, c.coreConsistency, NonFiniteError, 'cp')]),
    one('mismatch', 'cp of another shape', () => [T([3, 4, 6]), cpLike()], c.coreConsistency, ShapeError, 'cp'),
    ...optionsArg((o) => [T(), cpLike(), o], c.coreConsistency),
    one('type', 'normalised = 1', () => [T(), cpLike(), { normalised: 1 }], c.coreConsistency, ArgumentError, 'normalised'),
  ],
  explainedVariance: [
    ...tensorArg('tensor', (x) => [x, T()], c.explainedVariance, 'propagate'),
    ...tensorArg('reconstruction', (x) => [T(), x], c.explainedVariance, 'propagate'),
    one('mismatch', 'shapes differ', () => [T(), T([3, 4])], c.explainedVariance, ShapeError, 'reconstruction'),
  ],
  factorMatchScore: [
    ...factorizedArg('cp', 'cp1', (x) => [x, cpLike()], c.factorMatchScore).filter((cs) => cs.cls !== 'nan').concat([one('nan', 'cp1 holds NaN', () => { const x = cpLike(); x.factors[0].dispose(); x.factors[0] = nanT([3, 2]); return [x, cpLike()]; }, c.factorMatchScore, NonFiniteError, 'cp1')]),
    one('null', 'cp2 = null', () => [cpLike(), null], c.factorMatchScore, TenfoldError, 'cp2'),
    one('mismatch', 'cp2 of another shape', () => [cpLike(), { weights: tf.ones([2]), factors: [T([3, 2]), T([4, 2]), T([6, 2])] }], c.factorMatchScore, ShapeError, 'cp2'),
    ...optionsArg((o) => [cpLike(), cpLike(), o], c.factorMatchScore),
    one('number', 'skipMode = 7', () => [cpLike(), cpLike(), { skipMode: 7 }], c.factorMatchScore, ModeError, 'skipMode'),
    one('type', 'considerWeights = 1', () => [cpLike(), cpLike(), { considerWeights: 1 }], c.factorMatchScore, ArgumentError, 'considerWeights'),
  ],
  correlationIndex: [
    ...listArg('factors1', (l) => [l, factors3()], factors3, c.correlationIndex, 'check'),
    ...listArg('factors2', (l) => [factors3(), l], factors3, c.correlationIndex, 'check'),
    one('mismatch', 'lists of different lengths', () => [factors3(), [T([3, 2]), T([4, 2])]], c.correlationIndex, ShapeError, 'factors2'),
    ...optionsArg((o) => [factors3(), factors3(), o], c.correlationIndex),
    one('number', 'tol = -1', () => [factors3(), factors3(), { tol: -1 }], c.correlationIndex, ArgumentError, 'tol'),
    one('type', "method = 'bogus'", () => [factors3(), factors3(), { method: 'bogus' }], c.correlationIndex, ArgumentError, 'method'),
  ],
  vonneumannEntropy: [
    ...tensorArg('tensor', (x) => [x], c.vonneumannEntropy, 'check', [4, 4]),
    one('empty', 'an empty matrix', () => [tf.zeros([0, 0])], c.vonneumannEntropy, ShapeError, 'tensor'),
  ],
  ttVonneumannEntropy: [...factorizedArg('tt', 'tt', (x) => [x], c.ttVonneumannEntropy).filter((cs) => cs.cls !== 'nan'), one('nan', 'tt holds NaN', () => { const x = ttCores(); x[0].dispose(); x[0] = nanT([1, 3, 2]); return [x]; }, c.ttVonneumannEntropy, NonFiniteError, 'tt')],
  tensorTrainVonneumannEntropy: [...factorizedArg('tt', 'tt', (x) => [x], c.tensorTrainVonneumannEntropy).filter((cs) => cs.cls !== 'nan'), one('nan', 'tt holds NaN', () => { const x = ttCores(); x[0].dispose(); x[0] = nanT([1, 3, 2]); return [x]; }, c.tensorTrainVonneumannEntropy, NonFiniteError, 'tt')],
  cpVonneumannEntropy: [...factorizedArg('cp', 'cp', (x) => [x], c.cpVonneumannEntropy).filter((cs) => cs.cls !== 'nan'), one('nan', 'cp holds NaN', () => { const x = cpLike(); x.factors[0].dispose(); x.factors[0] = nanT([3, 2]); return [x]; }, c.cpVonneumannEntropy, NonFiniteError, 'cp')],

  // --- regression ---
  cpRegression: regression(c.cpRegression, 2, 'rank'),
  CPRegressor: regression((X: any, y: any, r: any, o: any) => {
    // The regressor owns its fitted model: dispose it so only the prediction is returned.
    const m = new core.CPRegressor(r, o);
    try {
      return m.fit(X, y).predict(X);
    } finally {
      m.dispose();
    }
  }, 2, 'weightRank'),
  tuckerRegression: regression(c.tuckerRegression, [2, 2], 'weightRanks'),
  TuckerRegressor: regression((X: any, y: any, r: any, o: any) => {
    const m = new core.TuckerRegressor(r, o);
    try {
      return m.fit(X, y).predict(X);
    } finally {
      m.dispose();
    }
  }, [2, 2], 'weightRanks'),

  // --- estimator classes ---
  Estimator: { exempt: 'an abstract base class: its contract is that of each concrete estimator below' },
  CP: estimator(core.CP, {}, { capped: false }),
  RandomizedCP: estimator(core.RandomizedCP, { nSamples: 6 }),
  NonNegativeCP: estimator(core.NonNegativeCP),
  NonNegativeCPHals: estimator(core.NonNegativeCPHals),
  CPPower: estimator(core.CPPower, {}, { iterative: false, progress: true }),
  SymmetricCP: estimator(core.SymmetricCP, {}, { iterative: false, good: cube, progress: true }),
  Tucker: estimator(core.Tucker, {}, { capped: true }),
  NonNegativeTucker: estimator(core.NonNegativeTucker, {}, { capped: true }),
  NonNegativeTuckerHals: estimator(core.NonNegativeTuckerHals, {}, { capped: true }),
  TensorTrain: estimator(core.TensorTrain, {}, { iterative: false, capped: true, minNdim: 1 }),
  TensorTrainMatrix: estimator(core.TensorTrainMatrix, {}, { iterative: false, capped: true, good: () => T([2, 3, 3, 2]) }).filter((cs) => cs.cls !== 'ndim'),
  TensorRing: estimator(core.TensorRing, {}, { iterative: false, capped: true, rank: 1 }),
  TensorRingALS: estimator(core.TensorRingALS, {}, { capped: true }),
  TensorRingALSSampled: estimator(core.TensorRingALSSampled, { nSamples: 6 }, { capped: true }),
  Parafac2: estimator(core.Parafac2, {}, { capped: true }).filter((cs) => cs.cls !== 'ndim'),
  ConstrainedCP: estimator(core.ConstrainedCP, {}, { capped: true }),
};

export const TABLE: Record<string, Case[] | { exempt: string }> = { ...TABLE12, ...TABLE3 };
