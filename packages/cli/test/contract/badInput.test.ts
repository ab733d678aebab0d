/**
 * Bad-input contract of every public export of @tenfold/cli.
 */
import { describe } from 'vitest';
import { ArgumentError } from '@tenfold/core';
import * as pkg from '@tenfold/cli';
import { checkCoverage, runCases, type BadCase } from '../../../../test-utils/contract.js';

const P = pkg as Record<string, any>;
const labels = { xLabel: 'x (unit)', yLabel: 'y (unit)' };
const line = [{ name: 'a', x: [1, 2], y: [1, 2] }];
const spectrum = { singularValues: [3, 2, 1], threshold: 1.5 };
const diag = [{ rank: 1, error: 0.5, restartErrors: [0.5], coreConsistency: 100, stability: 1 }];
const layer = [{ layer: 'd', paramsBefore: 10, paramsAfter: 5, flopsBefore: 20, flopsAfter: 10 }];
const factors = [{ values: [1, 2], shape: [2, 1] }];

const cases: BadCase[] = [
  { exp: 'lineChart', cls: 'empty', name: 'no series', run: () => P.lineChart([], labels), error: ArgumentError, arg: 'series' },
  { exp: 'lineChart', cls: 'shape', name: 'x and y of different lengths', run: () => P.lineChart([{ name: 'a', x: [1, 2], y: [1] }], labels), error: ArgumentError, arg: 'series[0]' },
  { exp: 'lineChart', cls: 'unknownOption', name: 'misspelt logY', run: () => P.lineChart(line, { ...labels, logy: true }), error: ArgumentError, arg: 'logy' },
  { exp: 'lineChart', cls: 'type', name: 'no axis labels', run: () => P.lineChart(line, {}), error: ArgumentError, arg: 'xLabel' },
  { exp: 'lineChart', cls: 'number', name: 'width 10', run: () => P.lineChart(line, { ...labels, width: 10 }), error: ArgumentError, arg: 'width' },
  { exp: 'barChart', cls: 'shape', name: 'one value for two categories', run: () => P.barChart([{ name: 'a', values: [1] }], { ...labels, categories: ['a', 'b'] }), error: ArgumentError, arg: 'one value per category' },
  { exp: 'barChart', cls: 'empty', name: 'no categories', run: () => P.barChart([{ name: 'a', values: [] }], { ...labels, categories: [] }), error: ArgumentError, arg: 'categories' },
  { exp: 'barChart', cls: 'unknownOption', name: 'unknown option', run: () => P.barChart([{ name: 'a', values: [1] }], { ...labels, categories: ['a'], colour: 'red' }), error: ArgumentError, arg: 'colour' },
  { exp: 'gridSvg', cls: 'empty', name: 'no plots', run: () => P.gridSvg([], 2), error: ArgumentError, arg: 'plots' },
  { exp: 'gridSvg', cls: 'number', name: 'columns 0', run: () => P.gridSvg([{ svg: '<svg x="1"/>', width: 10, height: 10 }], 0), error: ArgumentError, arg: 'columns' },
  { exp: 'gridSvg', cls: 'type', name: 'plot not an SVG', run: () => P.gridSvg([{ svg: 'hello', width: 10, height: 10 }], 1), error: ArgumentError, arg: 'plots' },
  { exp: 'spectraSvg', cls: 'empty', name: 'no layers', run: () => P.spectraSvg([]), error: ArgumentError, arg: 'layers' },
  { exp: 'spectraSvg', cls: 'null', name: 'null entry', run: () => P.spectraSvg([null]), error: ArgumentError, arg: 'layers[0]' },
  { exp: 'spectraSvg', cls: 'nan', name: 'NaN singular value', run: () => P.spectraSvg([{ name: 'l', spectrum: { singularValues: [NaN], threshold: 1 } }]), error: ArgumentError, arg: 'singularValues' },
  { exp: 'spectraSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.spectraSvg([{ name: 'l', spectrum }], { cols: 2 }), error: ArgumentError, arg: 'cols' },
  { exp: 'errorCurveSvg', cls: 'empty', name: 'no curves', run: () => P.errorCurveSvg([]), error: ArgumentError, arg: 'series' },
  { exp: 'errorCurveSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.errorCurveSvg([{ name: 'a', errors: [1] }], { logY: false }), error: ArgumentError, arg: 'logY' },
  { exp: 'rankSweepSvg', cls: 'empty', name: 'no diagnostics', run: () => P.rankSweepSvg([]), error: ArgumentError, arg: 'diagnostics' },
  { exp: 'rankSweepSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.rankSweepSvg(diag, { width: 300 }), error: ArgumentError, arg: 'width' },
  { exp: 'compressionSvg', cls: 'empty', name: 'no layers', run: () => P.compressionSvg([]), error: ArgumentError, arg: 'layers' },
  { exp: 'compressionSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.compressionSvg(layer, { height: 300 }), error: ArgumentError, arg: 'height' },
  { exp: 'cpFactorsSvg', cls: 'shape', name: 'factors of different ranks', run: () => P.cpFactorsSvg([{ values: [1, 2], shape: [2, 1] }, { values: [1, 2], shape: [1, 2] }]), error: ArgumentError, arg: 'factors[1]' },
  { exp: 'cpFactorsSvg', cls: 'size', name: 'values shorter than the shape', run: () => P.cpFactorsSvg([{ values: [1], shape: [2, 1] }]), error: ArgumentError, arg: 'factors[0]' },
  { exp: 'cpFactorsSvg', cls: 'unknownOption', name: 'unknown option', run: () => P.cpFactorsSvg(factors, { modes: ['a'] }), error: ArgumentError, arg: 'modes' },
  { exp: 'reportHtml', cls: 'type', name: 'no sections', run: () => P.reportHtml({ title: 't' }), error: ArgumentError, arg: 'sections' },
  { exp: 'reportHtml', cls: 'unknownOption', name: 'unknown option', run: () => P.reportHtml({ title: 't', sections: [], css: '' }), error: ArgumentError, arg: 'css' },
];

const exempt: Record<string, string> = {};

describe('@tenfold/cli bad-input contract', () => {
  runCases(cases);
  checkCoverage(P, cases, exempt);
});
