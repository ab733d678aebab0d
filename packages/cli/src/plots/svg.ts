/**
 * The SVG primitives every Tenfold plot is drawn with: linear and log scales with "nice" ticks,
 * a framed panel with axes, labels and a legend, line series and grouped bars, and a grid that
 * places whole plots side by side.
 *
 * Hand-built rather than vega-lite: the plots are a handful of lines and bars, rank's
 * `spectrumSvg` is already hand-built SVG of the same style, and vega + vega-lite would add
 * about 10 MB of dependencies (and a async `View.toSVG()`) to draw them.
 */
import { ArgumentError, describe } from '@tenfold/core';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** XML-escape text for an attribute or element body. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for a label: 3 significant digits, no trailing zeros. */
export function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(1).replace('e+', 'e');
  return Number(x.toPrecision(3)).toString();
}

/** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi] (Heckbert's "nice numbers"). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A scale maps data to pixels and lists its ticks. */
export interface Scale {
  (v: number): number;
  ticks: number[];
  tickLabel(v: number): string;
}

/** A linear scale over [lo, hi] (padded when flat), onto [p0, p1]. */
export function linearScale(lo: number, hi: number, p0: number, p1: number, integer = false): Scale {
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  let ticks = niceTicks(lo, hi);
  if (integer) ticks = [...new Set(ticks.map((t) => Math.round(t)))].filter((t) => t >= lo && t <= hi);
  const f = ((v: number) => p0 + ((v - lo) / (hi - lo)) * (p1 - p0)) as Scale;
  f.ticks = ticks;
  f.tickLabel = fmt;
  return f;
}

/** A log10 scale over [lo, hi] (positive; padded when flat) onto [p0, p1]; values <= 0 go to p0. */
export function logScale(lo: number, hi: number, p0: number, p1: number): Scale {
  if (lo === hi) {
    lo /= 2;
    hi *= 2;
  }
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const f = ((v: number) => (v > 0 ? p0 + ((Math.log10(v) - a) / (b - a)) * (p1 - p0) : p0)) as Scale;
  const decades: number[] = [];
  for (let e = Math.ceil(a); e <= Math.floor(b); e++) decades.push(10 ** e);
  // Fewer than two decades in range: label 1-2-5 steps, or linear nice steps when even those
  // leave fewer than three ticks (a narrow range such as 0.85 .. 0.96).
  if (decades.length < 2) {
    const fine: number[] = [];
    for (let e = Math.floor(a); e <= Math.ceil(b); e++) for (const m of [1, 2, 5]) if (m * 10 ** e >= lo && m * 10 ** e <= hi) fine.push(m * 10 ** e);
    f.ticks = fine.length >= 3 ? fine : niceTicks(lo, hi, 4).filter((t) => t > 0 && t >= lo && t <= hi);
    if (f.ticks.length === 0) f.ticks = [lo, hi];
  } else f.ticks = decades;
  f.tickLabel = (v) => (decades.length >= 2 ? `1e${Math.round(Math.log10(v))}` : fmt(v));
  return f;
}

/** Layout of one plot: its size and the plotting area inside the margins. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface PanelText {
  title?: string;
  xLabel: string;
  yLabel: string;
}

/** Checks and defaults shared by the plot functions: a size of at least 100 x 80. */
export function plotSize(width: unknown, height: unknown, fn: string, dw = 640, dh = 360): { width: number; height: number } {
  const w = width ?? dw;
  const h = height ?? dh;
  if (!(typeof w === 'number' && Number.isFinite(w) && w >= 100 && typeof h === 'number' && Number.isFinite(h) && h >= 80)) {
    throw new ArgumentError(`${fn}: width and height must be numbers of at least 100 x 80; got ${describe(w)} x ${describe(h)}`);
  }
  return { width: w, height: h };
}

export function frameOf(width: number, height: number, title: boolean, legendRows: number): Frame {
  const top = (title ? 30 : 14) + legendRows * 16;
  return { width, height, left: 62, top, right: width - 16, bottom: height - 40 };
}

/** Opening tag, background, title, legend, plot border, ticks and axis labels of a panel. */
export function panel(f: Frame, text: PanelText, x: Scale, y: Scale, legend: { name: string; color: string; dashed?: boolean }[]): string[] {
  const p: string[] = [];
  p.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="11">`);
  p.push(`<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="white"/>`);
  if (text.title) p.push(`<text class="title" x="${f.width / 2}" y="18" text-anchor="middle" font-size="13">${esc(text.title)}</text>`);
  if (legend.length) {
    p.push('<g class="legend">');
    let lx = f.left;
    let ly = (text.title ? 30 : 14) + 4;
    for (const item of legend) {
      const w = 28 + 6.2 * item.name.length;
      if (lx + w > f.right && lx > f.left) {
        lx = f.left;
        ly += 16;
      }
      p.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 16}" y2="${ly}" stroke="${item.color}" stroke-width="3"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      p.push(`<text x="${lx + 20}" y="${ly}" dominant-baseline="middle">${esc(item.name)}</text>`);
      lx += w;
    }
    p.push('</g>');
  }
  p.push(`<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#888"/>`);
  p.push('<g class="axis x">');
  for (const t of x.ticks) {
    const px = x(t).toFixed(1);
    p.push(`<line x1="${px}" y1="${f.bottom}" x2="${px}" y2="${f.bottom + 4}" stroke="#888"/><text x="${px}" y="${f.bottom + 15}" text-anchor="middle">${esc(x.tickLabel(t))}</text>`);
  }
  p.push(`<text x="${(f.left + f.right) / 2}" y="${f.height - 8}" text-anchor="middle">${esc(text.xLabel)}</text></g>`);
  p.push('<g class="axis y">');
  for (const t of y.ticks) {
    const py = y(t).toFixed(1);
    p.push(`<line x1="${f.left - 4}" y1="${py}" x2="${f.left}" y2="${py}" stroke="#888"/><text x="${f.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${esc(y.tickLabel(t))}</text>`);
  }
  const my = (f.top + f.bottom) / 2;
  p.push(`<text x="14" y="${my}" text-anchor="middle" transform="rotate(-90 14 ${my})">${esc(text.yLabel)}</text></g>`);
  return p;
}

/**
 * Place whole SVG documents in a grid (each keeps its own axes). Returns one SVG document
 * whose children are the plots as nested `<svg>` elements.
 */
export function gridSvg(plots: { svg: string; width: number; height: number }[], columns: number, title?: string): string {
  if (!Array.isArray(plots) || plots.length === 0 || plots.some((p) => !p || typeof p.svg !== 'string' || !p.svg.startsWith('<svg ') || !(p.width > 0) || !(p.height > 0))) {
    throw new ArgumentError(`gridSvg: plots must be a non-empty array of { svg: '<svg ...', width > 0, height > 0 }; got ${describe(plots)}`);
  }
  if (!Number.isInteger(columns) || columns < 1) throw new ArgumentError(`gridSvg: columns must be a positive integer; got ${describe(columns)}`);
  const cols = Math.max(1, Math.min(columns, plots.length));
  const rows = Math.ceil(plots.length / cols);
  const cw = Math.max(...plots.map((p) => p.width));
  const ch = Math.max(...plots.map((p) => p.height));
  const top = title ? 28 : 0;
  const width = cols * cw;
  const height = top + rows * ch;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  if (title) parts.push(`<text class="title" x="${width / 2}" y="19" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  plots.forEach((p, i) => {
    const x = (i % cols) * cw;
    const y = top + Math.floor(i / cols) * ch;
    parts.push(p.svg.replace(/^<svg /, `<svg class="panel" x="${x}" y="${y}" `));
  });
  parts.push('</svg>');
  return parts.join('\n');
}
