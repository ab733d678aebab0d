/**
 * A self-contained SVG plot of a spectrum and its EVBMF threshold, for reports and notebooks.
 */
import { ArgumentError, describe } from '@tenfold/core';
import { checkOptions, optionKeys } from './internal/checks.js';

/** What {@link spectrumSvg} needs: an {@link EvbmfResult} or a per-mode entry of `estimateRank`. */
export interface SpectrumLike {
  singularValues: ArrayLike<number>;
  threshold: number;
  rank?: number;
  /** EVB's own count (without a minRank floor); preferred over `rank` for colouring. */
  evbRank?: number;
}

export interface SpectrumSvgOptions {
  width?: number;
  height?: number;
  title?: string;
}

const SPECTRUM_SVG_OPTIONS = optionKeys<SpectrumSvgOptions>()('width', 'height', 'title');

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/**
 * Render the singular values (log scale, one dot per index) with the EVBMF threshold as a
 * dashed line: dots above it are the kept components. Zero singular values are drawn at the
 * bottom edge. Returns an SVG document as a string.
 *
 * @throws ArgumentError when `result` has no finite, non-negative singular values or
 *   threshold, an option is unknown, width/height are below 100 x 80 or title is not a string.
 */
export function spectrumSvg(result: SpectrumLike, options: SpectrumSvgOptions | null = {}): string {
  const opts = checkOptions(options, SPECTRUM_SVG_OPTIONS, 'spectrumSvg');
  if (opts.title !== undefined && typeof opts.title !== 'string') throw new ArgumentError(`spectrumSvg: title must be a string; got ${describe(opts.title)}`);
  if (result === null || typeof result !== 'object' || !result.singularValues || typeof result.singularValues.length !== 'number') {
    throw new ArgumentError(`result must have singularValues and threshold (an evbmf result); got ${describe(result)}`);
  }
  const s = Array.from(result.singularValues);
  const threshold = result.threshold;
  if (s.length === 0 || s.some((v) => !(Number.isFinite(v) && v >= 0))) {
    throw new ArgumentError(`result.singularValues must be a non-empty list of finite non-negative numbers; got ${s.length} values`);
  }
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new ArgumentError(`result.threshold must be a finite non-negative number; got ${describe(threshold)}`);
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  if (!(Number.isFinite(width) && width >= 100 && Number.isFinite(height) && height >= 80)) {
    throw new ArgumentError(`width and height must be at least 100 x 80; got ${describe(width)} x ${describe(height)}`);
  }
  const kept = result.evbRank ?? result.rank ?? s.filter((v) => v > threshold).length;
  const positive = s.filter((v) => v > 0);
  if (threshold > 0) positive.push(threshold);
  const hi = positive.length ? Math.max(...positive) : 1;
  let lo = positive.length ? Math.min(...positive) : 1;
  if (lo === hi) lo = hi / 10;
  const lhi = Math.log10(hi) + 0.05 * (Math.log10(hi) - Math.log10(lo));
  const llo = Math.log10(lo) - 0.05 * (Math.log10(hi) - Math.log10(lo));
  const m = { left: 60, right: 16, top: opts.title ? 30 : 14, bottom: 36 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const xOf = (i: number) => m.left + (s.length === 1 ? pw / 2 : (i / (s.length - 1)) * pw);
  const yOf = (v: number) => (v > 0 ? m.top + ((lhi - Math.log10(v)) / (lhi - llo)) * ph : m.top + ph);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`);
  if (opts.title) parts.push(`<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${esc(opts.title)}</text>`);
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  // Decade ticks on the log axis.
  for (let e = Math.ceil(llo); e <= Math.floor(lhi); e++) {
    const y = yOf(10 ** e).toFixed(1);
    parts.push(`<line x1="${m.left - 4}" y1="${y}" x2="${m.left}" y2="${y}" stroke="#888"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">1e${e}</text>`);
  }
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 8}" text-anchor="middle">index h (${s.length} singular values, ${kept} kept)</text>`);
  parts.push(`<text x="14" y="${m.top + ph / 2}" text-anchor="middle" transform="rotate(-90 14 ${m.top + ph / 2})">singular value (log)</text>`);
  if (threshold > 0) {
    const y = yOf(threshold).toFixed(1);
    parts.push(`<line class="threshold" x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#d62728" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${m.left + pw - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#d62728">threshold ${fmt(threshold)}</text>`);
  }
  const r = s.length > 300 ? 1.5 : 3;
  s.forEach((v, i) => {
    const above = i < kept;
    parts.push(`<circle class="${above ? 'kept' : 'noise'}" cx="${xOf(i).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="${r}" fill="${above ? '#1f77b4' : '#aaaaaa'}"><title>s[${i}] = ${fmt(v)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
