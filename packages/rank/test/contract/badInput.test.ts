/**
 * Bad-input contract of every public export of @tenfold/rank (Tenfold issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, RankError, ShapeError, ModeError } from '@tenfold/core';
import * as pkg from '@tenfold/rank';
import { checkCoverage, countByClass, runCases, type BadCase } from '../../../../test-utils/contract.js';

const P = pkg as Record<string, any>;
const m = [[1, 2, 3], [4, 5, 7], [2, 1, 0]];
const inp = () => ({ L: 3, M: 4, s: Float64Array.of(5, 2, 1), residual: 0 });
// Tensor arguments are built once outside the cases, so the leak check counts only what the
// function under test allocates.
const T: Record<'nan2x2' | 'empty0x3', tf.Tensor> = {} as never;

const cases: BadCase[] = [
  { exp: 'evbmf', cls: 'null', name: 'null options are defaults (then NaN y fails)', run: () => P.evbmf([[NaN, 1], [1, 2]], null), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'unknownOption', name: 'misspelt minRank', run: () => P.evbmf(m, { minrank: 1 }), error: ArgumentError, arg: 'minrank' },
  { exp: 'evbmf', cls: 'nan', name: 'NaN tensor', run: () => P.evbmf(T.nan2x2), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'inf', name: 'Inf host array', run: () => P.evbmf([[Infinity, 1], [1, 2]]), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'ndim', name: '1-D y', run: () => P.evbmf([1, 2, 3]), error: ShapeError, arg: 'y' },
  { exp: 'evbmf', cls: 'empty', name: 'empty y', run: () => P.evbmf(T.empty0x3), error: ShapeError, arg: 'y' },
  { exp: 'evbmf', cls: 'rank', name: 'H 0', run: () => P.evbmf(m, { H: 0 }), error: RankError, arg: 'H' },
  { exp: 'evbmf', cls: 'rank', name: 'H above min(rows, cols)', run: () => P.evbmf(m, { H: 9 }), error: RankError, arg: 'H' },
  { exp: 'evbmf', cls: 'type', name: 'options a string', run: () => P.evbmf(m, 'host'), error: ArgumentError, arg: 'options' },
  { exp: 'vbmf', cls: 'number', name: 'cacb -1', run: () => P.vbmf(m, -1), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmf', cls: 'null', name: 'null options are defaults (then cacb NaN fails)', run: () => P.vbmf(m, NaN, null), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmf', cls: 'unknownOption', name: 'unknown option', run: () => P.vbmf(m, 1, { sigma: 1 }), error: ArgumentError, arg: 'sigma' },
  { exp: 'estimateRank', cls: 'null', name: 'null options are defaults (then a 1-D weight fails)', run: () => P.estimateRank([1, 2, 3], null), error: ShapeError, arg: 'weight' },
  { exp: 'estimateRank', cls: 'unknownOption', name: 'misspelt roundTo', run: () => P.estimateRank(m, { round_to: 8 }), error: ArgumentError, arg: 'round_to' },
  { exp: 'estimateRank', cls: 'nan', name: 'NaN weight', run: () => P.estimateRank(T.nan2x2), error: NonFiniteError, arg: 'weight' },
  { exp: 'estimateRank', cls: 'number', name: 'mode 5', run: () => P.estimateRank(m, { modes: [5] }), error: ModeError, arg: 'modes' },
  { exp: 'tuckerRanks', cls: 'null', name: 'null options are defaults (then a 1-D tensor fails)', run: () => P.tuckerRanks([1, 2, 3], null), error: ShapeError, arg: 'tensor' },
  { exp: 'tuckerRanks', cls: 'unknownOption', name: 'unknown option', run: () => P.tuckerRanks(m, { mode: [0] }), error: ArgumentError, arg: 'mode' },
  { exp: 'estimateRank', cls: 'type', name: 'onProgress = 1', run: () => P.estimateRank(m, { onProgress: 1 as never }), error: ArgumentError, arg: 'onProgress' },
  { exp: 'estimateRank', cls: 'type', name: 'signal = {}', run: () => P.estimateRank(m, { signal: {} as never }), error: ArgumentError, arg: 'signal' },
  { exp: 'tuckerRanks', cls: 'type', name: "onProgress = 'log'", run: () => P.tuckerRanks(m, { onProgress: 'log' as never }), error: ArgumentError, arg: 'onProgress' },
  { exp: 'tuckerRanks', cls: 'type', name: 'signal = 1', run: () => P.tuckerRanks(m, { signal: 1 as never }), error: ArgumentError, arg: 'signal' },
  { exp: 'tuckerRanksWithFactors', cls: 'ndim', name: '1-D tensor', run: () => P.tuckerRanksWithFactors([1, 2, 3]), error: ShapeError, arg: 'tensor' },
  { exp: 'tuckerRanksWithFactors', cls: 'unknownOption', name: 'modes is not an option (all modes)', run: () => P.tuckerRanksWithFactors(m, { modes: [0] } as never), error: ArgumentError, arg: 'modes' },
  { exp: 'tuckerRanksWithFactors', cls: 'nan', name: 'NaN entry', run: () => P.tuckerRanksWithFactors(T.nan2x2), error: NonFiniteError, arg: 'tensor' },
  { exp: 'tuckerRanksWithFactors', cls: 'rank', name: 'minRank -1', run: () => P.tuckerRanksWithFactors(m, { minRank: -1 }), error: RankError, arg: 'minRank' },
  { exp: 'tuckerRanks', cls: 'disposed', name: 'disposed tensor', run: () => { const t = tf.ones([2, 2]); t.dispose(); return P.tuckerRanks(t); }, error: ArgumentError, arg: 'tensor' },
  { exp: 'spectrumSvg', cls: 'null', name: 'null result', run: () => P.spectrumSvg(null), error: ArgumentError, arg: 'result' },
  { exp: 'spectrumSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.spectrumSvg({ singularValues: [3, 1], threshold: 2 }, { widht: 300 }), error: ArgumentError, arg: 'widht' },
  { exp: 'spectrumSvg', cls: 'nan', name: 'NaN threshold', run: () => P.spectrumSvg({ singularValues: [3, 1], threshold: NaN }), error: ArgumentError, arg: 'threshold' },
  { exp: 'boundedMinimize', cls: 'type', name: 'f not a function', run: () => P.boundedMinimize(3, 0, 1), error: ArgumentError, arg: 'f' },
  { exp: 'boundedMinimize', cls: 'nan', name: 'NaN bound', run: () => P.boundedMinimize((x: number) => x * x, NaN, 1), error: ArgumentError, arg: 'bounds' },
  { exp: 'boundedMinimize', cls: 'unknownOption', name: 'unknown option', run: () => P.boundedMinimize((x: number) => x * x, 0, 1, { tol: 1 }), error: ArgumentError, arg: 'tol' },
  { exp: 'boundedMinimize', cls: 'size', name: 'maxiter 1e12', run: () => P.boundedMinimize((x: number) => x * x, 0, 1, { maxiter: 1e12 }), error: ArgumentError, arg: 'maxiter' },
  { exp: 'evbmfSpectrum', cls: 'null', name: 'null input', run: () => P.evbmfSpectrum(null), error: ArgumentError, arg: 'inp' },
  { exp: 'evbmfSpectrum', cls: 'number', name: 'L > M', run: () => P.evbmfSpectrum({ ...inp(), L: 5, M: 4 }), error: ArgumentError, arg: 'L' },
  { exp: 'evbmfSpectrum', cls: 'nan', name: 'NaN singular value', run: () => P.evbmfSpectrum({ ...inp(), s: Float64Array.of(NaN, 1, 1) }), arg: 's' },
  { exp: 'vbmfSpectrum', cls: 'number', name: 'cacb -1 (NaN results)', run: () => P.vbmfSpectrum(inp(), -1), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmfSpectrum', cls: 'number', name: 'negative residual', run: () => P.vbmfSpectrum({ ...inp(), residual: -1 }, 1), error: ArgumentError, arg: 'residual' },
  { exp: 'evbObjective', cls: 'number', name: 'sigma2 -1', run: () => P.evbObjective(-1, 3, 4, Float64Array.of(5, 2, 1), 0, 2), error: ArgumentError, arg: 'sigma2' },
  { exp: 'evbBracket', cls: 'empty', name: 'no singular values', run: () => P.evbBracket({ ...inp(), s: new Float64Array(0) }), error: ArgumentError, arg: 's' },
  { exp: 'evbConstants', cls: 'number', name: 'M 0 (division by zero)', run: () => P.evbConstants(3, 0), error: ArgumentError, arg: 'M' },
  { exp: 'evbmf', cls: 'size', name: 'maxiter 1e12 (refused before the SVD)', run: () => P.evbmf(m, { maxiter: 1e12 }), error: ArgumentError, arg: 'maxiter' },
  { exp: 'spectrumSvg', cls: 'type', name: 'title a number', run: () => P.spectrumSvg({ singularValues: [3, 1], threshold: 2 }, { title: 5 }), error: ArgumentError, arg: 'title' },
  { exp: 'spectrumSvg', cls: 'type', name: 'options an array', run: () => P.spectrumSvg({ singularValues: [3, 1], threshold: 2 }, [300]), error: ArgumentError, arg: 'options' },
  { exp: 'boundedMinimize', cls: 'null', name: 'null options are defaults (then NaN bound fails)', run: () => P.boundedMinimize((x: number) => x, NaN, 1, null), error: ArgumentError, arg: 'bounds' },
  { exp: 'evbmfSpectrum', cls: 'unknownOption', name: 'unknown option', run: () => P.evbmfSpectrum(inp(), { sigma: 1 }), error: ArgumentError, arg: 'sigma' },
  { exp: 'evbmfSpectrum', cls: 'number', name: 'sigma2 0', run: () => P.evbmfSpectrum(inp(), { sigma2: 0 }), error: ArgumentError, arg: 'sigma2' },
  { exp: 'evbmfSpectrum', cls: 'size', name: 'maxiter 1e12', run: () => P.evbmfSpectrum(inp(), { maxiter: 1e12 }), error: ArgumentError, arg: 'maxiter' },
  { exp: 'evbmfSpectrum', cls: 'shape', name: 's longer than L', run: () => P.evbmfSpectrum({ ...inp(), s: Float64Array.of(5, 4, 2, 1) }), error: ArgumentError, arg: 's' },
  { exp: 'evbmfSpectrum', cls: 'number', name: 's not descending', run: () => P.evbmfSpectrum({ ...inp(), s: Float64Array.of(1, 2, 5) }), error: ArgumentError, arg: 's' },
  { exp: 'evbmfSpectrum', cls: 'number', name: 'zero singular value with sigma2 searched (ln 0)', run: () => P.evbmfSpectrum({ ...inp(), s: Float64Array.of(5, 2, 0) }), error: ArgumentError, arg: 's' },
  { exp: 'evbmfSpectrum', cls: 'type', name: 's a string', run: () => P.evbmfSpectrum({ ...inp(), s: 'abc' }), error: ArgumentError, arg: 's' },
  { exp: 'vbmfSpectrum', cls: 'nan', name: 'cacb NaN', run: () => P.vbmfSpectrum(inp(), NaN), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmfSpectrum', cls: 'null', name: 'null input', run: () => P.vbmfSpectrum(null, 1), error: ArgumentError, arg: 'inp' },
  { exp: 'vbmfSpectrum', cls: 'number', name: 'H < L with residual 0 and sigma2 searched (bracket starts at 0)', run: () => P.vbmfSpectrum({ ...inp(), s: Float64Array.of(5, 2) }, 1), error: ArgumentError, arg: 'residual' },
  { exp: 'evbObjective', cls: 'nan', name: 'NaN in s', run: () => P.evbObjective(1, 3, 4, Float64Array.of(5, NaN, 1), 0, 2), error: NonFiniteError, arg: 's' },
  { exp: 'evbObjective', cls: 'number', name: 'xubar 0', run: () => P.evbObjective(1, 3, 4, Float64Array.of(5, 2, 1), 0, 0), error: ArgumentError, arg: 'xubar' },
  { exp: 'evbBracket', cls: 'null', name: 'undefined input', run: () => P.evbBracket(undefined), error: ArgumentError, arg: 'inp' },
  { exp: 'evbBracket', cls: 'inf', name: 'Inf residual', run: () => P.evbBracket({ ...inp(), residual: Infinity }), error: ArgumentError, arg: 'residual' },
  { exp: 'evbConstants', cls: 'number', name: 'L > M', run: () => P.evbConstants(5, 4), error: ArgumentError, arg: 'L' },
  { exp: 'evbConstants', cls: 'type', name: 'L a string', run: () => P.evbConstants('3', 4), error: ArgumentError, arg: 'L' },
];

describe('bad input: @tenfold/rank', () => {
  beforeAll(() => {
    T.nan2x2 = tf.tensor2d([[NaN, 1], [1, 2]]);
    T.empty0x3 = tf.zeros([0, 3]);
  });
  afterAll(() => tf.dispose(Object.values(T)));
  checkCoverage(P, cases, {
    HOST_SVD_LIMIT: 'a constant',
    TAU_BAR_COEFF: 'a constant',
  });
  runCases(cases);
  it('reports its counts per class', () => {
    console.log(`rank bad-input cases: ${cases.length} ${JSON.stringify(countByClass(cases))}`);
    expect(cases.length).toBeGreaterThan(20);
  });
});
