/**
 * CP factor plots: for every mode, the columns of its factor matrix as lines over the index.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { ArgumentError, describe } from '@tenfold/core';
import { lineChart } from './lineChart.js';
import { gridSvg } from './svg.js';

export interface CpFactorsSvgOptions {
  /** Names of the modes (default 'mode 0', 'mode 1', ...). */
  modeNames?: string[];
  panelWidth?: number;
  panelHeight?: number;
  /** Panels per row (default: one per mode up to 3). */
  columns?: number;
  title?: string;
}

const CP_FACTORS_SVG_OPTIONS = optionKeys<CpFactorsSvgOptions>()('modeNames', 'panelWidth', 'panelHeight', 'columns', 'title');

/**
 * One panel per mode; in each, one line per component r: `A_n[i, r]` against the index i.
 * `factors[n]` is the `(I_n, R)` factor as row-major values (e.g. `await a.data()`).
 *
 * @throws ArgumentError when the factors do not share a rank R or are not `I_n x R`.
 */
export function cpFactorsSvg(factors: readonly { values: ArrayLike<number>; shape: readonly number[] }[], options: CpFactorsSvgOptions = {}): string {
  options = checkOptions(options, CP_FACTORS_SVG_OPTIONS, 'cpFactorsSvg');
  if (!Array.isArray(factors) || factors.length === 0) throw new ArgumentError(`cpFactorsSvg: factors must be a non-empty array of { values, shape: [I_n, R] }; got ${describe(factors)}`);
  const rank = factors[0]?.shape?.[1];
  factors.forEach((f, n) => {
    if (!f || !Array.isArray(f.shape) || f.shape.length !== 2 || f.shape[1] !== rank || f.values.length !== f.shape[0] * f.shape[1]) {
      throw new ArgumentError(`cpFactorsSvg: factors[${n}] must be an (I_${n}, ${rank}) matrix with I_${n} x ${rank} values; got ${describe(f?.shape)}`);
    }
  });
  const width = options.panelWidth ?? 420;
  const height = options.panelHeight ?? 280;
  const panels = factors.map((f, n) => {
    const rows = f.shape[0];
    const series = Array.from({ length: rank }, (_, r) => ({
      name: `component ${r}`,
      x: Array.from({ length: rows }, (_, i) => i),
      y: Array.from({ length: rows }, (_, i) => f.values[i * rank + r]),
    }));
    const mode = options.modeNames?.[n] ?? `mode ${n}`;
    return { svg: lineChart(series, { title: `${mode} factor (${rows} x ${rank})`, xLabel: `index along ${mode}`, yLabel: 'loading (unitless)', integerX: true, width, height }), width, height };
  });
  return gridSvg(panels, options.columns ?? Math.min(3, factors.length), options.title ?? 'CP factors');
}
