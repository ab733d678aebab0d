/**
 * The rank-selection diagnostics of `selectRank`: fit error and core consistency against the
 * CP rank, side by side.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { ArgumentError, describe, type RankDiagnostics } from '@tenfold/core';
import { lineChart } from './lineChart.js';
import { gridSvg } from './svg.js';

export interface RankSweepSvgOptions {
  /** Size of each of the two panels (default 460 x 320). */
  panelWidth?: number;
  panelHeight?: number;
  title?: string;
}

const RANK_SWEEP_SVG_OPTIONS = optionKeys<RankSweepSvgOptions>()('panelWidth', 'panelHeight', 'title');

/**
 * Two panels over the CP rank: the relative error of the best restart and of every restart
 * (log scale), and the core consistency in percent (Bro & Kiers 2003) with the 100 % and
 * 0 % reference lines, plus the restart stability (mean factor match score x 100).
 *
 * @throws ArgumentError for an empty diagnostics list.
 */
export function rankSweepSvg(diagnostics: readonly Pick<RankDiagnostics, 'rank' | 'error' | 'restartErrors' | 'coreConsistency' | 'stability'>[], options: RankSweepSvgOptions = {}): string {
  options = checkOptions(options, RANK_SWEEP_SVG_OPTIONS, 'rankSweepSvg');
  if (!Array.isArray(diagnostics) || diagnostics.length === 0) throw new ArgumentError(`rankSweepSvg: diagnostics must be a non-empty array (selectRank's result); got ${describe(diagnostics)}`);
  const width = options.panelWidth ?? 460;
  const height = options.panelHeight ?? 320;
  const ranks = diagnostics.map((d) => d.rank);
  const restarts: number[][] = [[], []];
  for (const d of diagnostics) for (const e of d.restartErrors) restarts[0].push(d.rank), restarts[1].push(e);
  const errorPanel = lineChart(
    [
      { name: 'best restart', x: ranks, y: diagnostics.map((d) => d.error) },
      // Every restart as loose dots: a break (NaN) between points keeps them unjoined.
      { name: 'each restart', x: restarts[0].flatMap((r) => [r, NaN]), y: restarts[1].flatMap((e) => [e, NaN]), color: '#aaaaaa', dots: true },
    ],
    { title: 'Fit error', xLabel: 'CP rank', yLabel: 'relative error (log)', logY: true, integerX: true, width, height },
  );
  const ccPanel = lineChart(
    [
      { name: 'core consistency (%)', x: ranks, y: diagnostics.map((d) => d.coreConsistency) },
      { name: 'stability x 100', x: ranks, y: diagnostics.map((d) => 100 * d.stability), dashed: true },
    ],
    { title: 'Core consistency and stability', xLabel: 'CP rank', yLabel: 'percent', integerX: true, width, height, hLines: [{ y: 100, label: '100 %', color: '#2ca02c' }, { y: 0, label: '0 %', color: '#888888' }] },
  );
  return gridSvg([{ svg: errorPanel, width, height }, { svg: ccPanel, width, height }], 2, options.title ?? 'CP rank sweep');
}
