/**
 * Bad-input contract of every public export of @tenfold/rank (Tenfold issue 10).
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NonFiniteError, RankError, ShapeError, ModeError } from '@tenfold/core';
import * as pkg from '@tenfold/rank';
import { checkCoverage, countByClass, runCases, type BadCase } from './harness.js';

const P = pkg as Record<string, any>;
const m = [[1, 2, 3], [4, 5, 7], [2, 1, 0]];
const inp = () => ({ L: 3, M: 4, s: Float64Array.of(5, 2, 1), residual: 0 });

const cases: BadCase[] = [
  { exp: 'evbmf', cls: 'null', name: 'null options are defaults (then NaN y fails)', run: () => P.evbmf([[NaN, 1], [1, 2]], null), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'unknownOption', name: 'misspelt minRank', run: () => P.evbmf(m, { minrank: 1 }), error: ArgumentError, arg: 'minrank' },
  { exp: 'evbmf', cls: 'nan', name: 'NaN tensor', run: () => P.evbmf(tf.tensor2d([[NaN, 1], [1, 2]])), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'inf', name: 'Inf host array', run: () => P.evbmf([[Infinity, 1], [1, 2]]), error: NonFiniteError, arg: 'y' },
  { exp: 'evbmf', cls: 'ndim', name: '1-D y', run: () => P.evbmf([1, 2, 3]), error: ShapeError, arg: 'y' },
  { exp: 'evbmf', cls: 'empty', name: 'empty y', run: () => P.evbmf(tf.zeros([0, 3])), error: ShapeError, arg: 'y' },
  { exp: 'evbmf', cls: 'rank', name: 'H 0', run: () => P.evbmf(m, { H: 0 }), error: RankError, arg: 'H' },
  { exp: 'evbmf', cls: 'rank', name: 'H above min(rows, cols)', run: () => P.evbmf(m, { H: 9 }), error: RankError, arg: 'H' },
  { exp: 'evbmf', cls: 'type', name: 'options a string', run: () => P.evbmf(m, 'host'), error: ArgumentError, arg: 'options' },
  { exp: 'vbmf', cls: 'number', name: 'cacb -1', run: () => P.vbmf(m, -1), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmf', cls: 'null', name: 'null options are defaults (then cacb NaN fails)', run: () => P.vbmf(m, NaN, null), error: ArgumentError, arg: 'cacb' },
  { exp: 'vbmf', cls: 'unknownOption', name: 'unknown option', run: () => P.vbmf(m, 1, { sigma: 1 }), error: ArgumentError, arg: 'sigma' },
  { exp: 'estimateRank', cls: 'null', name: 'null options are defaults (then a 1-D weight fails)', run: () => P.estimateRank([1, 2, 3], null), error: ShapeError, arg: 'weight' },
  { exp: 'estimateRank', cls: 'unknownOption', name: 'misspelt roundTo', run: () => P.estimateRank(m, { round_to: 8 }), error: ArgumentError, arg: 'round_to' },
  { exp: 'estimateRank', cls: 'nan', name: 'NaN weight', run: () => P.estimateRank(tf.tensor2d([[NaN, 1], [1, 2]])), error: NonFiniteError, arg: 'weight' },
  { exp: 'estimateRank', cls: 'number', name: 'mode 5', run: () => P.estimateRank(m, { modes: [5] }), error: ModeError, arg: 'modes' },
  { exp: 'tuckerRanks', cls: 'null', name: 'null options are defaults (then a 1-D tensor fails)', run: () => P.tuckerRanks([1, 2, 3], null), error: ShapeError, arg: 'tensor' },
  { exp: 'tuckerRanks', cls: 'unknownOption', name: 'unknown option', run: () => P.tuckerRanks(m, { mode: [0] }), error: ArgumentError, arg: 'mode' },
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
];

describe('bad input: @tenfold/rank', () => {
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
