/** The bad-input table, part 2: factorized tensors, decompositions, metrics, random. */
import * as tf from '@tensorflow/tfjs';
import * as core from '../../src/index.js';
import { type Case, ArgumentError, ModeError, ShapeError, TenfoldError, T, listArg, modeArg, one, optionsArg, rankArg, shapeArg, tensorArg } from './cases.js';
import { gone, nanT } from './inputs.js';
import { TABLE1, decomposition, factorizedArg } from './table.js';

const c = core as any;
const cpLike = () => ({ weights: tf.ones([2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const tuckerLike = () => ({ core: T([2, 2, 2]), factors: [T([3, 2]), T([4, 2]), T([5, 2])] });
const ttCores = () => [T([1, 3, 2]), T([2, 4, 2]), T([2, 5, 1])];
const ttmCores = () => [T([1, 2, 3, 2]), T([2, 3, 2, 1])];

/** The rank validators share (shape, rank, opts). */
function rankValidator(run: (...a: any[]) => unknown, shape: number[] = [3, 4, 5], shapeName = 'shape'): Case[] {
  return [
    ...shapeArg((s) => [s, 2], run, shapeName, false),
    ...rankArg((r) => [shape, r], run, 'rank', { fractional: false, huge: false }),
    one('type', "rank = 'bogus'", () => [shape, 'bogus'], run, TenfoldError, 'rank'),
    ...optionsArg((o) => [shape, 2, o], run),
    one('options', "rounding = 'bogus'", () => [shape, 0.5, { rounding: 'bogus' }], run, ArgumentError, 'rounding'),
  ];
}

/** Functions of a factorized tensor with an optional mode argument. */
function factorizedFn(kind: 'cp' | 'tucker' | 'tt' | 'ttm', argName: string, run: (...a: any[]) => unknown, withMode = false): Case[] {
  const good = { cp: cpLike, tucker: tuckerLike, tt: ttCores, ttm: ttmCores }[kind] as () => unknown;
  const ndim = kind === 'ttm' ? 4 : 3;
  const out = factorizedArg(kind, argName, (x) => (withMode ? [x, 0] : [x]), run);
  if (withMode) out.push(...modeArg((m) => [good(), m], run, ndim));
  return out;
}

const TABLE2: Record<string, Case[] | { exempt: string }> = {
  // --- the checks kit ---
  MAX_ELEMENTS_CEILING: { exempt: 'a constant' },
  optionKeys: { exempt: 'compile-time helper: returns its (type-checked) arguments, no run-time check (test/architecture/optionKeys.test.ts)' },
  DEFAULT_MAX_ELEMENTS: { exempt: 'a constant' },
  MAX_ITERATIONS: { exempt: 'a constant' },
  maxElements: { exempt: 'takes no argument' },
  finiteChecksEnabled: { exempt: 'takes no argument' },
  checkOptions: [
    ...optionsArg((o) => [o, ['a'], 'f'], c.checkOptions),
    one('type', 'a typed array', () => [new Float32Array(2), ['a'], 'f'], c.checkOptions, ArgumentError, 'options'),
  ],
  checkIntOption: [one('number', 'value = 1.5', () => [1.5, 'n', 0], c.checkIntOption, ArgumentError, 'n'), one('null', 'value = null', () => [null, 'n', 0], c.checkIntOption, ArgumentError, 'n')],
  checkIterations: [one('size', 'value = 1e12', () => [1e12, 'nIterMax'], c.checkIterations, ArgumentError, 'nIterMax'), one('number', 'value = -1', () => [-1, 'nIterMax'], c.checkIterations, ArgumentError, 'nIterMax')],
  checkNumberOption: [one('number', 'value = NaN', () => [NaN, 'tol', 0], c.checkNumberOption, ArgumentError, 'tol'), one('type', 'value = a string', () => ['1', 'tol', 0], c.checkNumberOption, ArgumentError, 'tol')],
  checkBoolOption: [one('type', 'value = 1', () => [1, 'flag'], c.checkBoolOption, ArgumentError, 'flag')],
  checkEnumOption: [one('type', "value = 'c'", () => ['c', 'method', ['a', 'b']], c.checkEnumOption, ArgumentError, 'method'), one('null', 'value = null', () => [null, 'method', ['a']], c.checkEnumOption, ArgumentError, 'method')],
  checkCallback: [one('type', 'value = 1', () => [1, 'callback'], c.checkCallback, ArgumentError, 'callback')],
  checkSignal: [one('type', 'value = 1', () => [1, 'signal'], c.checkSignal, ArgumentError, 'signal'), one('type', 'value = {}', () => [{}, 'signal'], c.checkSignal, ArgumentError, 'signal')],
  throwIfAborted: [one('type', 'an aborted signal', () => [AbortSignal.abort(), 'f'], c.throwIfAborted, core.AbortedError, 'f')],
  checkProgress: [one('type', 'value = 1', () => [1], c.checkProgress, ArgumentError, 'onProgress'), one('type', "value = 'log'", () => ['log', 'onProgress'], c.checkProgress, ArgumentError, 'onProgress')],
  ProgressReporter: { exempt: 'a clock over an already checked callback (checkProgress / StepProgress validate it)' },
  StepProgress: [
    one('type', 'StepProgress.from with onProgress = 1', () => ['t', { onProgress: 1 }], (t: string, o: object) => core.StepProgress.from(t, o), ArgumentError, 'onProgress'),
    one('type', 'StepProgress.from with signal = {}', () => ['t', { signal: {} }], (t: string, o: object) => core.StepProgress.from(t, o), ArgumentError, 'signal'),
    one('type', 'new StepProgress with onProgress = 1', () => ['t', 1, undefined], (t: string, f: any, s: any) => new core.StepProgress(t, f, s), ArgumentError, 'onProgress'),
    one('type', 'begin() on an aborted signal', () => [], () => new core.StepProgress('t', undefined, AbortSignal.abort()).begin(), core.AbortedError, 't'),
  ],
  setMaxElements: [one('number', 'n = 0', () => [0], c.setMaxElements, ArgumentError, 'maxElements'), one('size', 'n = 2^40', () => [2 ** 40], c.setMaxElements, ArgumentError, 'maxElements'), one('type', 'n = a string', () => ['1'], c.setMaxElements, ArgumentError, 'maxElements')],
  checkAllocation: [one('size', '1e12 elements', () => [1e12, 'thing'], c.checkAllocation, ShapeError, 'thing'), one('number', 'NaN elements', () => [NaN, 'thing'], c.checkAllocation, ShapeError, 'thing')],
  checkShape: shapeArg((s) => [s, 'shape'], c.checkShape),
  elementCount: [one('null', 'shape = null', () => [null], c.elementCount, TenfoldError, 'shape'), one('number', 'shape has -1', () => [[2, -1]], c.elementCount, ShapeError, 'shape')],
  checkFiniteIfEnabled: [{ ...one('nan', 'NaN with the switch on', () => [nanT(), 'x'], c.checkFiniteIfEnabled, core.NonFiniteError, 'x'), finiteChecks: true }, one('nan', 'NaN with the switch off', () => [nanT(), 'x'], c.checkFiniteIfEnabled, 'ok'), one('disposed', 'disposed with the switch off', () => [gone(), 'x'], c.checkFiniteIfEnabled, 'ok')],
  setFiniteChecks: [one('type', 'on = 1', () => [1], c.setFiniteChecks, ArgumentError, 'on'), one('null', 'on = null', () => [null], c.setFiniteChecks, ArgumentError, 'on')],

  // --- rank validation ---
  roundHalfEven: [one('type', 'x = a string', () => ['abc'], c.roundHalfEven, TenfoldError, 'x'), one('null', 'x = null', () => [null], c.roundHalfEven, TenfoldError, 'x')],
  parseRank: [...rankArg((r) => [r], c.parseRank, 'rank', { fractional: false, huge: false }), one('type', "rank = 'bogus'", () => ['bogus'], c.parseRank, TenfoldError, 'rank')],
  validateCpRank: rankValidator(c.validateCpRank),
  validateTuckerRank: [...rankValidator(c.validateTuckerRank), one('rank', 'fixedModes out of range', () => [[3, 4, 5], 0.5, { fixedModes: [7] }], c.validateTuckerRank, ModeError, 'fixedModes')],
  validateTtRank: [...rankValidator(c.validateTtRank), one('options', 'constantRank = 1', () => [[3, 4, 5], 0.5, { constantRank: 1 }], c.validateTtRank, ArgumentError, 'constantRank')],
  validateTtMatrixRank: rankValidator(c.validateTtMatrixRank, [2, 3, 3, 2], 'tensorizedShape'),
  validateTrRank: rankValidator(c.validateTrRank),

  // --- factorized tensors ---
  CPTensor: [
    ...factorizedArg('cp', 'factors', (x: any) => [x?.weights ?? null, x?.factors ?? x], (w: unknown, f: unknown) => new core.CPTensor(w as any, f as any)).filter((cs) => !cs.label.includes('.factors = null')),
    one('mismatch', 'weights of the wrong length', () => [T([3]), [T([3, 2]), T([4, 2])]], (w: any, f: any) => new core.CPTensor(w, f), ShapeError, 'weights'),
  ],
  cpToTensor: [...factorizedFn('cp', 'cp', c.cpToTensor), ...optionsArg((o) => [cpLike(), o], c.cpToTensor), one('mismatch', 'mask of the wrong shape', () => [cpLike(), { mask: T([3, 4]) }], c.cpToTensor, ShapeError, 'mask')],
  cpToUnfolded: factorizedFn('cp', 'cp', c.cpToUnfolded, true),
  cpToVec: factorizedFn('cp', 'cp', c.cpToVec),
  cpNorm: factorizedFn('cp', 'cp', c.cpNorm),
  cpNormalize: factorizedFn('cp', 'cp', c.cpNormalize),
  cpModeDot: [
    ...factorizedArg('cp', 'cp', (x) => [x, T([2, 4]), 1], c.cpModeDot),
    ...tensorArg('matrixOrVector', (x) => [cpLike(), x, 1], c.cpModeDot, 'propagate', [2, 4]),
    ...modeArg((m) => [cpLike(), T([2, 4]), m], c.cpModeDot, 3),
    one('mismatch', 'matrix columns do not match', () => [cpLike(), T([2, 5]), 1], c.cpModeDot, ShapeError, 'matrixOrVector'),
    ...optionsArg((o) => [cpLike(), T([2, 4]), 1, o], c.cpModeDot),
  ],
  validateCpTensor: [
    one('null', 'factors = null', () => [null, null], c.validateCpTensor, TenfoldError, 'factors'),
    one('disposed', 'a disposed factor', () => [null, [gone([3, 2]), T([4, 2])]], c.validateCpTensor, ArgumentError, 'factors[0]'),
    one('type', 'a string factor', () => [null, ['abc']], c.validateCpTensor, TenfoldError, 'factors[0]'),
    one('mismatch', 'columns differ', () => [null, [T([3, 2]), T([4, 3])]], c.validateCpTensor, ShapeError, 'factors[1]'),
    one('type', 'weights = a string', () => ['abc', [T([3, 2])]], c.validateCpTensor, TenfoldError, 'weights'),
  ],
  TuckerTensor: [
    ...factorizedArg('tucker', 'tucker', (x: any) => [x?.core ?? x, x?.factors ?? x], (cr: unknown, f: unknown) => new core.TuckerTensor(cr as any, f as any)).filter((cs) => cs.cls === 'nan' && cs.expect === 'ok'),
    ...tensorArg('core', (x) => [x, [T([3, 2]), T([4, 2]), T([5, 2])]], (cr: any, f: any) => new core.TuckerTensor(cr, f), 'propagate', [2, 2, 2]),
    ...listArg('factors', (l) => [T([2, 2, 2]), l], () => [T([3, 2]), T([4, 2]), T([5, 2])], (cr: any, f: any) => new core.TuckerTensor(cr, f), 'propagate'),
  ],
  tuckerToTensor: [...factorizedFn('tucker', 'tucker', c.tuckerToTensor), ...optionsArg((o) => [tuckerLike(), o], c.tuckerToTensor), one('number', 'skipFactor = 9', () => [tuckerLike(), { skipFactor: 9 }], c.tuckerToTensor, TenfoldError, 'skipFactor')],
  tuckerToUnfolded: factorizedFn('tucker', 'tucker', c.tuckerToUnfolded, true),
  tuckerToVec: factorizedFn('tucker', 'tucker', c.tuckerToVec),
  tuckerNorm: factorizedFn('tucker', 'tucker', c.tuckerNorm),
  tuckerNormalize: factorizedFn('tucker', 'tucker', c.tuckerNormalize),
  validateTuckerTensor: [
    one('null', 'core = null', () => [null, [T([3, 2])]], c.validateTuckerTensor, TenfoldError, 'core'),
    one('null', 'factors = null', () => [T([2, 2, 2]), null], c.validateTuckerTensor, TenfoldError, 'factors'),
    one('disposed', 'a disposed core', () => [gone([2, 2, 2]), [T([3, 2]), T([4, 2]), T([5, 2])]], c.validateTuckerTensor, ArgumentError, 'core'),
    one('mismatch', 'factor columns do not match the core', () => [T([2, 2, 2]), [T([3, 2]), T([4, 3]), T([5, 2])]], c.validateTuckerTensor, ShapeError, 'factors[1]'),
  ],
  TTTensor: [...factorizedArg('tt', 'cores', (x) => [x], (x: any) => new core.TTTensor(x)).filter((cs) => !cs.label.includes('disposed object'))],
  ttToTensor: factorizedFn('tt', 'cores', c.ttToTensor),
  ttToUnfolded: factorizedFn('tt', 'cores', c.ttToUnfolded, true),
  ttToVec: factorizedFn('tt', 'cores', c.ttToVec),
  ttNorm: factorizedFn('tt', 'cores', c.ttNorm),
  padTtRank: [...factorizedFn('tt', 'cores', c.padTtRank).filter((cs) => cs.cls !== 'mismatch'), ...optionsArg((o) => [ttCores(), o], c.padTtRank), one('number', 'nPadding = -1', () => [ttCores(), { nPadding: -1 }], c.padTtRank, ArgumentError, 'nPadding'), one('size', 'nPadding = 1e9', () => [ttCores(), { nPadding: 1e9 }], c.padTtRank, TenfoldError, 'nPadding')],
  validateTtTensor: [
    one('null', 'cores = null', () => [null], c.validateTtTensor, TenfoldError, 'cores'),
    one('disposed', 'a disposed core', () => [[gone([1, 3, 1])]], c.validateTtTensor, ArgumentError, 'cores[0]'),
    one('mismatch', 'ranks do not chain', () => [[T([1, 3, 2]), T([3, 4, 1])]], c.validateTtTensor, ShapeError, 'cores'),
    one('type', 'a string core', () => [['abc']], c.validateTtTensor, TenfoldError, 'cores[0]'),
  ],
  TTMatrix: factorizedArg('ttm', 'cores', (x) => [x], (x: any) => new core.TTMatrix(x)).filter((cs) => !cs.label.includes('disposed object')),
  ttMatrixToTensor: factorizedFn('ttm', 'cores', c.ttMatrixToTensor),
  ttMatrixToMatrix: factorizedFn('ttm', 'cores', c.ttMatrixToMatrix),
  ttMatrixToUnfolded: factorizedFn('ttm', 'cores', c.ttMatrixToUnfolded, true),
  ttMatrixToVec: factorizedFn('ttm', 'cores', c.ttMatrixToVec),
  ttMatrixNorm: factorizedFn('ttm', 'cores', c.ttMatrixNorm),
  validateTtMatrix: [
    one('null', 'cores = null', () => [null], c.validateTtMatrix, TenfoldError, 'cores'),
    one('disposed', 'a disposed core', () => [[gone([1, 2, 3, 1])]], c.validateTtMatrix, ArgumentError, 'cores[0]'),
    one('mismatch', 'ranks do not chain', () => [[T([1, 2, 3, 2]), T([3, 3, 2, 1])]], c.validateTtMatrix, ShapeError, 'cores'),
  ],

  // --- decompositions ---
  parafac: [
    ...decomposition(c.parafac, (t, r, o) => [t, r, o]),
    one('rank', 'a rank-deficient tensor (ones, rank 2) decomposes', () => [tf.ones([3, 4, 5]), 2], c.parafac, 'ok'),
    one('rank', "a rank-deficient tensor (ones, rank 2, engine 'host') decomposes", () => [tf.ones([3, 4, 5]), 2, { engine: 'host' }], c.parafac, 'ok'),
    one('rank', "a rank-deficient tensor (ones, rank 2, engine 'device') decomposes", () => [tf.ones([3, 4, 5]), 2, { engine: 'device' }], c.parafac, 'ok'),
    one('mismatch', 'mask of the wrong shape', () => [T(), 2, { mask: T([3, 4]) }], c.parafac, ShapeError, 'mask'),
    one('number', 'tol = NaN', () => [T(), 2, { tol: NaN }], c.parafac, ArgumentError, 'tol'),
  ],
  nonNegativeParafac: [...decomposition(c.nonNegativeParafac, (t, r, o) => [t, r, o]), one('rank', 'a rank-deficient tensor decomposes', () => [tf.ones([3, 4, 5]), 2], c.nonNegativeParafac, 'ok')],
  nonNegativeParafacHals: [...decomposition(c.nonNegativeParafacHals, (t, r, o) => [t, r, o]), one('rank', 'a rank-deficient tensor decomposes', () => [tf.ones([3, 4, 5]), 2], c.nonNegativeParafacHals, 'ok')],
  randomisedParafac: [
    ...decomposition(c.randomisedParafac, (t, r, o) => [t, r, 6, o]),
    ...rankArg((n) => [T(), 2, n, { nIterMax: 2 }], c.randomisedParafac, 'nSamples', { fractional: true }),
    one('rank', 'a rank-deficient tensor decomposes', () => [tf.ones([3, 4, 5]), 2, 6], c.randomisedParafac, 'ok'),
  ],
  tucker: [...decomposition(c.tucker, (t, r, o) => [t, r, o], { capped: true }), one('mismatch', 'rank list of the wrong length', () => [T(), [2, 2]], c.tucker, TenfoldError, 'rank')],
  partialTucker: [...decomposition(c.partialTucker, (t, r, o) => [t, r, o], { minNdim: 1, capped: true }), one('rank', 'modes out of range', () => [T(), 2, { modes: [7] }], c.partialTucker, ModeError, 'modes')],
  nonNegativeTucker: decomposition(c.nonNegativeTucker, (t, r, o) => [t, r, o], { capped: true }),
  nonNegativeTuckerHals: decomposition(c.nonNegativeTuckerHals, (t, r, o) => [t, r, o], { capped: true }),
  tensorTrain: decomposition(c.tensorTrain, (t, r, o) => [t, r, o], { minNdim: 1, iterative: false, capped: true }),
  tensorTrainMatrix: decomposition(c.tensorTrainMatrix, (t, r, o) => [t, r, o], { iterative: false, capped: true, good: () => T([2, 3, 3, 2]) }).filter((cs) => !(cs.cls === 'ndim')).concat([one('ndim', 'an odd number of dimensions', () => [T(), 2], c.tensorTrainMatrix, ShapeError, 'tensor')]),

  // --- metrics ---
  mse: [...tensorArg('yTrue', (x) => [x, T()], c.mse, 'propagate'), ...tensorArg('yPred', (x) => [T(), x], c.mse, 'propagate'), one('mismatch', 'shapes differ', () => [T(), T([3, 4])], c.mse, ShapeError, 'yPred')],
  rmse: [...tensorArg('yTrue', (x) => [x, T()], c.rmse, 'propagate'), one('mismatch', 'shapes differ', () => [T(), T([3, 4])], c.rmse, ShapeError, 'yPred')],
  congruenceCoefficient: [
    ...tensorArg('m1s', (x) => [x, T([4, 3])], c.congruenceCoefficient, 'check', [4, 3]).filter((cs) => cs.cls !== 'disposed' && cs.cls !== 'type'),
    one('disposed', 'a disposed matrix', () => [gone([4, 3]), T([4, 3])], c.congruenceCoefficient, ArgumentError, 'm1s'),
    one('mismatch', 'shapes differ', () => [T([4, 3]), T([4, 2])], c.congruenceCoefficient, ShapeError, 'm2s'),
    ...optionsArg((o) => [T([4, 3]), T([4, 3]), o], c.congruenceCoefficient),
  ],
  linearSumAssignment: [
    one('null', 'cost = null', () => [null, 2, 2], c.linearSumAssignment, TenfoldError, 'cost'),
    one('type', 'cost = a string', () => ['abcd', 2, 2], c.linearSumAssignment, TenfoldError, 'cost'),
    one('nan', 'cost holds NaN', () => [[1, NaN, 3, 4], 2, 2], c.linearSumAssignment, NonFiniteErrorOrTyped(), 'cost'),
    one('mismatch', 'cost of the wrong length', () => [[1, 2, 3], 2, 2], c.linearSumAssignment, ShapeError, 'cost'),
    one('number', 'rows = 1.5', () => [[1, 2, 3, 4], 1.5, 2], c.linearSumAssignment, TenfoldError, 'rows'),
    one('number', 'cols = -2', () => [[1, 2, 3, 4], 2, -2], c.linearSumAssignment, TenfoldError, 'cols'),
  ],

  // --- random ---
  createRng: [one('number', 'seed = 1.5', () => [1.5], c.createRng, ArgumentError, 'seed'), one('type', 'seed = a string', () => ['abc'], c.createRng, ArgumentError, 'seed'), one('number', 'seed = NaN', () => [NaN], c.createRng, ArgumentError, 'seed')],
  toRng: [one('type', 'seed = a string', () => ['abc'], c.toRng, ArgumentError, 'seed'), one('type', 'seed = {}', () => [{}], c.toRng, ArgumentError, 'seed'), one('number', 'seed = 1.5', () => [1.5], c.toRng, ArgumentError, 'seed')],
  uniformTensor: [...shapeArg((s) => [s, core.createRng(1)], c.uniformTensor), one('null', 'rng = null', () => [[2, 2], null], c.uniformTensor, TenfoldError, 'rng'), one('type', "rng = 'abc'", () => [[2, 2], 'abc'], c.uniformTensor, TenfoldError, 'rng')],
  normalTensor: [...shapeArg((s) => [s, core.createRng(1)], c.normalTensor), one('null', 'rng = null', () => [[2, 2], null], c.normalTensor, TenfoldError, 'rng')],
  randomTensor: [...shapeArg((s) => [s], c.randomTensor), ...optionsArg((o) => [[2, 2], o], c.randomTensor), one('number', 'seed = 1.5', () => [[2, 2], { seed: 1.5 }], c.randomTensor, ArgumentError, 'seed')],
  randomCp: [...shapeArg((s) => [s, 2], c.randomCp, 'shape', false), ...rankArg((r) => [[3, 4, 5], r], c.randomCp, 'rank', { fractional: false }), ...optionsArg((o) => [[3, 4, 5], 2, o], c.randomCp), one('options', 'full = 1', () => [[3, 4, 5], 2, { full: 1 }], c.randomCp, ArgumentError, 'full')],
  randomTucker: [...shapeArg((s) => [s, 2], c.randomTucker, 'shape', false), ...rankArg((r) => [[3, 4, 5], r], c.randomTucker, 'rank', { fractional: false }), ...optionsArg((o) => [[3, 4, 5], 2, o], c.randomTucker)],
  randomTt: [...shapeArg((s) => [s, 2], c.randomTt, 'shape', false), ...rankArg((r) => [[3, 4, 5], r], c.randomTt, 'rank', { fractional: false }), ...optionsArg((o) => [[3, 4, 5], 2, o], c.randomTt)],
  randomTtMatrix: [...shapeArg((s) => [s, 2], c.randomTtMatrix, 'shape', false), ...rankArg((r) => [[2, 3, 3, 2], r], c.randomTtMatrix, 'rank', { fractional: false }), ...optionsArg((o) => [[2, 3, 3, 2], 2, o], c.randomTtMatrix)],
};

function NonFiniteErrorOrTyped() {
  return TenfoldError;
}

export const TABLE: Record<string, Case[] | { exempt: string }> = { ...TABLE1, ...TABLE2 };
