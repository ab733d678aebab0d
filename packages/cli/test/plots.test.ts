import { describe, expect, it } from 'vitest';
import { ArgumentError, type RankDiagnostics } from '@tenfold/core';
import { estimateRank } from '@tenfold/rank';
import { barChart, compressionSvg, cpFactorsSvg, errorCurveSvg, lineChart, rankSweepSvg, reportHtml, spectraSvg } from '@tenfold/cli';
import { fixtureCase, fx, loadFixtures } from '../../../test-utils/index.js';
import { circlesOf, panelsOf, parseSvg, seriesOf } from './helpers.js';

const rankFixtures = loadFixtures('rank');

describe('plots', () => {
  it('spectraSvg: one panel per layer, kept dots = the EVBMF rank of each (fixture est_rank cases)', () => {
    const names = ['est_rank_conv_64x32x3x3', 'est_rank_conv_32x16x3x3'];
    const layers = names.flatMap((n) => {
      const c = fixtureCase(rankFixtures, n);
      const w = fx(c.inputs.weight);
      const r = estimateRank(w);
      w.dispose();
      expect(r.ranks).toEqual([c.expected.scipy_default.r0, c.expected.scipy_default.r1]);
      return r.perMode.map((p) => ({ name: `${n} mode ${p.mode}`, spectrum: p, expected: p.rank }));
    });
    const svg = parseSvg(spectraSvg(layers, { title: 'spectra' }));
    const panels = panelsOf(svg);
    expect(panels).toHaveLength(4);
    panels.forEach((p, i) => {
      expect(circlesOf(p, 'kept')).toBe(layers[i].expected);
      expect(circlesOf(p, 'kept') + circlesOf(p, 'noise')).toBe(layers[i].spectrum.singularValues.length);
    });
    // The shared legend names the threshold.
    expect(JSON.stringify(svg)).toContain('EVBMF threshold');
  });

  it('errorCurveSvg / lineChart: one series per curve; axes and legend present', () => {
    const svg = parseSvg(errorCurveSvg([{ name: 'a', errors: [1, 0.5, 0.25] }, { name: 'b', errors: [1, 0.1, 0.01, 0.001] }]));
    expect(seriesOf(svg)).toHaveLength(2);
    const text = JSON.stringify(svg);
    for (const label of ['iteration', 'relative error', 'legend']) expect(text).toContain(label);
    // Path vertices: one per finite point (M + L commands).
    const d = (seriesOf(svg)[1].path as Record<string, string>)['@d'];
    expect(d.match(/[ML]/g)).toHaveLength(4);
  });

  it('rankSweepSvg: two panels (error: best + restarts; core consistency + stability)', () => {
    const diags: RankDiagnostics[] = [1, 2, 3].map((r) => ({ rank: r, error: 1 / r, restartErrors: [1 / r, 1.1 / r], coreConsistency: 100 - 20 * r, stability: 1 - 0.1 * r }));
    const panels = panelsOf(parseSvg(rankSweepSvg(diags)));
    expect(panels.map((p) => seriesOf(p).length)).toEqual([2, 2]);
  });

  it('compressionSvg: params, FLOPs and error panels with before/after series', () => {
    const layers = [
      { layer: 'd1', paramsBefore: 100, paramsAfter: 40, flopsBefore: 200, flopsAfter: 80, weightError: 0.1, nmse: 0.01 },
      { layer: 'c1', paramsBefore: 300, paramsAfter: 300, flopsBefore: 600, flopsAfter: 600, weightError: null, nmse: null },
    ];
    const panels = panelsOf(parseSvg(compressionSvg(layers)));
    expect(panels.map((p) => seriesOf(p).length)).toEqual([2, 2, 2]);
    // Bars: 2 per series in the params panel; the unreplaced layer has no error bar.
    const rects = (g: Record<string, unknown>) => [g.rect].flat().filter(Boolean).length;
    expect(seriesOf(panels[0]).map(rects)).toEqual([2, 2]);
    expect(seriesOf(panels[2]).map(rects)).toEqual([1, 1]);
  });

  it('cpFactorsSvg: one panel per mode, one line per component', () => {
    const factors = [[4, 3], [5, 3], [2, 3]].map((s) => ({ values: Float32Array.from({ length: s[0] * s[1] }, (_, i) => Math.sin(i)), shape: s }));
    const panels = panelsOf(parseSvg(cpFactorsSvg(factors)));
    expect(panels).toHaveLength(3);
    expect(panels.map((p) => seriesOf(p).length)).toEqual([3, 3, 3]);
  });

  it('bad input: typed ArgumentError naming the argument', () => {
    expect(() => lineChart([], { xLabel: 'x', yLabel: 'y' })).toThrow(ArgumentError);
    expect(() => lineChart([{ name: 'a', x: [1, 2], y: [1] }], { xLabel: 'x', yLabel: 'y' })).toThrow(/series\[0\]/);
    expect(() => barChart([{ name: 'a', values: [1] }], { categories: ['a', 'b'], xLabel: 'x', yLabel: 'y' })).toThrow(/one value per category/);
    expect(() => cpFactorsSvg([{ values: [1, 2], shape: [2, 1] }, { values: [1, 2], shape: [1, 2] }])).toThrow(ArgumentError);
    expect(() => spectraSvg([])).toThrow(ArgumentError);
    expect(() => lineChart([{ name: 'a', x: [1], y: [1] }], { xLabel: 'x', yLabel: 'y', width: 10 })).toThrow(/width and height/);
  });

  it('reportHtml: self-contained page embedding the SVGs, escaped text', () => {
    const svg = errorCurveSvg([{ name: 'a', errors: [1, 0.5] }]);
    const html = reportHtml({ title: 'T <x>', sections: [{ heading: 'h', svg, table: { columns: ['a'], rows: [['<b>']] } }] });
    expect(html).toContain(svg);
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});
