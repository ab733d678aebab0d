/**
 * Line and grouped-bar charts: the two shapes behind every CLI plot.
 */
import { ArgumentError, describe } from '@tenfold/core';
import { checkOptions, optionKeys } from '../internal/checks.js';
import { PALETTE, esc, fmt, frameOf, linearScale, logScale, panel, plotSize, type PanelText } from './svg.js';

/** One line: points `(x[i], y[i])`; non-finite y values break the line. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
  /** Draw a dot at every point (default: when there are at most 40 points). */
  dots?: boolean;
}

export interface LineChartOptions extends PanelText {
  width?: number;
  height?: number;
  /** Log-scale y axis (values <= 0 are dropped). */
  logY?: boolean;
  /** Integer ticks on the x axis (iterations, ranks). */
  integerX?: boolean;
  /** Series named in the legend at most (default 10); more are summarised in one entry. */
  legendMax?: number;
  /** Horizontal reference lines, drawn dashed with their label. */
  hLines?: { y: number; label: string; color?: string }[];
}

const LINE_CHART_OPTIONS = optionKeys<LineChartOptions>()('title', 'xLabel', 'yLabel', 'width', 'height', 'logY', 'integerX', 'legendMax', 'hLines');

/** Axis labels are required (every plot names its axes and units). */
function checkLabels(options: { xLabel?: unknown; yLabel?: unknown; title?: unknown } | null | undefined, fn: string): void {
  if (!options || typeof options.xLabel !== 'string' || typeof options.yLabel !== 'string') {
    throw new ArgumentError(`${fn}: options.xLabel and options.yLabel must be strings (axis labels with units); got ${describe(options?.xLabel)} and ${describe(options?.yLabel)}`);
  }
  if (options.title !== undefined && typeof options.title !== 'string') throw new ArgumentError(`${fn}: options.title must be a string; got ${describe(options.title)}`);
}

function checkSeries(series: readonly LineSeries[], fn: string): void {
  if (!Array.isArray(series) || series.length === 0) throw new ArgumentError(`${fn}: series must be a non-empty array; got ${describe(series)}`);
  series.forEach((s, i) => {
    if (!s || typeof s.name !== 'string' || !s.x || !s.y || s.x.length !== s.y.length) {
      throw new ArgumentError(`${fn}: series[${i}] must have a name and x, y of equal length; got ${describe(s)}`);
    }
  });
}

/**
 * A line chart with axes, tick labels, axis labels (with units), a legend and optional
 * reference lines. Each series is one `<g class="series">` holding a `<path>`.
 *
 * @throws ArgumentError for empty or ragged series, or a size below 100 x 80.
 */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions): string {
  checkOptions(options, LINE_CHART_OPTIONS, 'lineChart');
  checkLabels(options, 'lineChart');
  checkSeries(series, 'lineChart');
  const { width, height } = plotSize(options.width, options.height, 'lineChart');
  const ok = (v: number) => Number.isFinite(v) && (!options.logY || v > 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      if (Number.isFinite(s.x[i]) && ok(s.y[i])) {
        xs.push(s.x[i]);
        ys.push(s.y[i]);
      }
    }
  }
  for (const h of options.hLines ?? []) if (ok(h.y)) ys.push(h.y);
  const colors = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], dashed: s.dashed }));
  const many = series.length > (options.legendMax ?? 10);
  const legend = many ? [{ name: `${series.length} lines: ${series[0].name} .. ${series[series.length - 1].name} (colours cycle)`, color: '#888888' }] : colors;
  const f = frameOf(width, height, !!options.title, legendRows(legend.map((l) => l.name), width));
  const xlo = xs.length ? Math.min(...xs) : 0;
  const xhi = xs.length ? Math.max(...xs) : 1;
  const ylo = ys.length ? Math.min(...ys) : options.logY ? 0.1 : 0;
  const yhi = ys.length ? Math.max(...ys) : 1;
  const x = linearScale(xlo, xhi, f.left + 6, f.right - 6, options.integerX);
  const y = options.logY ? logScale(ylo, yhi, f.bottom - 6, f.top + 6) : linearScale(ylo, yhi, f.bottom - 6, f.top + 6);
  const parts = panel(f, options, x, y, legend);
  for (const h of options.hLines ?? []) {
    if (!ok(h.y)) continue;
    const py = y(h.y).toFixed(1);
    const c = h.color ?? '#d62728';
    parts.push(`<g class="reference"><line x1="${f.left}" y1="${py}" x2="${f.right}" y2="${py}" stroke="${c}" stroke-dasharray="6 4"/><text x="${f.right - 4}" y="${Number(py) - 4}" text-anchor="end" fill="${c}">${esc(h.label)}</text></g>`);
  }
  series.forEach((s, k) => {
    const color = colors[k].color;
    let d = '';
    let pen = false;
    const dots: string[] = [];
    const showDots = s.dots ?? s.x.length <= 40;
    for (let i = 0; i < s.x.length; i++) {
      if (!(Number.isFinite(s.x[i]) && ok(s.y[i]))) {
        pen = false;
        continue;
      }
      const px = x(s.x[i]).toFixed(1);
      const py = y(s.y[i]).toFixed(1);
      d += `${pen ? 'L' : 'M'}${px} ${py}`;
      pen = true;
      if (showDots) dots.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"><title>${esc(s.name)}: (${fmt(s.x[i])}, ${fmt(s.y[i])})</title></circle>`);
    }
    parts.push(`<g class="series" data-name="${esc(s.name)}"><path d="${d || 'M0 0'}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>${dots.join('')}</g>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Rows the legend needs at this width (the same wrapping rule as `panel`). */
export function legendRows(names: string[], width: number): number {
  if (names.length === 0) return 0;
  let rows = 1;
  let lx = 62;
  for (const n of names) {
    const w = 28 + 6.2 * n.length;
    if (lx + w > width - 16 && lx > 62) {
      rows++;
      lx = 62;
    }
    lx += w;
  }
  return rows;
}

/** One set of bars (one colour): a value per category. */
export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
  color?: string;
}

export interface BarChartOptions extends PanelText {
  width?: number;
  height?: number;
  /** Category labels along the x axis (layer names). */
  categories: string[];
  logY?: boolean;
}

const BAR_CHART_OPTIONS = optionKeys<BarChartOptions>()('title', 'xLabel', 'yLabel', 'width', 'height', 'categories', 'logY');

/**
 * Grouped vertical bars: one group per category, one bar per series, with axes, labels and
 * a legend. Each series is one `<g class="series">` holding its `<rect>`s.
 *
 * @throws ArgumentError when a series does not have one value per category.
 */
export function barChart(series: readonly BarSeries[], options: BarChartOptions): string {
  checkOptions(options, BAR_CHART_OPTIONS, 'barChart');
  checkLabels(options, 'barChart');
  const cats = options.categories;
  if (!Array.isArray(cats) || cats.length === 0) throw new ArgumentError(`barChart: categories must be a non-empty array; got ${describe(cats)}`);
  if (!Array.isArray(series) || series.length === 0) throw new ArgumentError(`barChart: series must be a non-empty array; got ${describe(series)}`);
  series.forEach((s, i) => {
    if (!s || typeof s.name !== 'string' || !s.values || s.values.length !== cats.length) {
      throw new ArgumentError(`barChart: series[${i}] must have a name and one value per category (${cats.length}); got ${describe(s)}`);
    }
  });
  const { width, height } = plotSize(options.width, options.height, 'barChart', Math.max(640, 60 + cats.length * 14 * (series.length + 1)), 380);
  const legend = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length] }));
  const f = frameOf(width, height, !!options.title, legendRows(legend.map((l) => l.name), width));
  // Room for the category labels, rotated by 40 degrees (about 6.2 px per character).
  const longest = Math.min(24, Math.max(...cats.map((c) => c.length)));
  f.bottom -= Math.ceil(14 + 6.2 * longest * Math.sin((40 * Math.PI) / 180));
  const vals = series.flatMap((s) => Array.from(s.values as ArrayLike<number>)).filter((v) => Number.isFinite(v) && (!options.logY || v > 0));
  const hi = vals.length ? Math.max(...vals) : 1;
  const lo = options.logY ? (vals.length ? Math.min(...vals) : 0.1) : Math.min(0, ...vals);
  const y = options.logY ? logScale(lo, hi, f.bottom, f.top + 6) : linearScale(lo, hi, f.bottom, f.top + 6);
  const x = linearScale(0, cats.length, f.left, f.right);
  x.ticks = [];
  const parts = panel(f, options, x, y, legend);
  const gw = (f.right - f.left) / cats.length;
  const bw = (gw * 0.8) / series.length;
  const base = options.logY ? f.bottom : y(0);
  cats.forEach((c, j) => {
    const cx = f.left + gw * (j + 0.5);
    parts.push(`<text class="category" x="${cx.toFixed(1)}" y="${f.bottom + 10}" text-anchor="end" transform="rotate(-40 ${cx.toFixed(1)} ${f.bottom + 10})">${esc(c.length > 24 ? `…${c.slice(-23)}` : c)}</text>`);
  });
  series.forEach((s, k) => {
    const rects: string[] = [];
    cats.forEach((c, j) => {
      const v = s.values[j];
      if (!(Number.isFinite(v) && (!options.logY || v > 0))) return;
      const px = f.left + gw * j + gw * 0.1 + bw * k;
      const py = y(v);
      rects.push(`<rect x="${px.toFixed(1)}" y="${Math.min(py, base).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.abs(base - py).toFixed(1)}" fill="${legend[k].color}"><title>${esc(c)} ${esc(s.name)}: ${fmt(v)}</title></rect>`);
    });
    parts.push(`<g class="series" data-name="${esc(s.name)}">${rects.join('')}</g>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
