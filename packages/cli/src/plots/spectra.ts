/**
 * Singular-value spectra of several layers with their EVBMF thresholds: one panel per layer
 * drawn by rank's `spectrumSvg`, placed in a grid under a shared legend.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { spectrumSvg, type SpectrumLike } from '@tenfold/rank';
import { ArgumentError, describe } from '@tenfold/core';
import { gridSvg } from './svg.js';

/** One layer's spectrum: a name and an `evbmf` result or an `estimateRank(...).perMode[m]`. */
export interface LayerSpectrum {
  name: string;
  spectrum: SpectrumLike;
}

export interface SpectraSvgOptions {
  /** Panels per row (default 3). */
  columns?: number;
  /** Size of each panel (default 420 x 260). */
  panelWidth?: number;
  panelHeight?: number;
  title?: string;
}

const SPECTRA_SVG_OPTIONS = optionKeys<SpectraSvgOptions>()('columns', 'panelWidth', 'panelHeight', 'title');

/**
 * A grid of spectra: each panel shows one layer's singular values (log scale), its EVBMF
 * threshold (dashed) and the retained count in the x label and the panel title.
 *
 * @throws ArgumentError for an empty list or a bad entry (see `spectrumSvg`).
 */
export function spectraSvg(layers: readonly LayerSpectrum[], options: SpectraSvgOptions = {}): string {
  options = checkOptions(options, SPECTRA_SVG_OPTIONS, 'spectraSvg');
  if (!Array.isArray(layers) || layers.length === 0) throw new ArgumentError(`spectraSvg: layers must be a non-empty array of { name, spectrum }; got ${describe(layers)}`);
  const width = options.panelWidth ?? 420;
  const height = options.panelHeight ?? 260;
  const panels = layers.map((l, i) => {
    if (!l || typeof l.name !== 'string') throw new ArgumentError(`spectraSvg: layers[${i}] must be { name, spectrum }; got ${describe(l)}`);
    const s = l.spectrum;
    const kept = s.evbRank ?? s.rank ?? Array.from(s.singularValues as ArrayLike<number>).filter((v) => v > s.threshold).length;
    return { svg: spectrumSvg(s, { width, height, title: `${l.name}: ${kept} of ${s.singularValues.length} kept` }), width, height };
  });
  const legend = `<g class="legend" transform="translate(12 ${options.title ? 40 : 14})"><circle cx="4" cy="0" r="4" fill="#1f77b4"/><text x="12" y="4">kept (above the EVBMF threshold)</text><circle cx="214" cy="0" r="4" fill="#aaaaaa"/><text x="222" y="4">noise</text><line x1="270" y1="0" x2="296" y2="0" stroke="#d62728" stroke-dasharray="6 4"/><text x="302" y="4">EVBMF threshold</text></g>`;
  const grid = gridSvg(panels, options.columns ?? 3, options.title);
  // Shift the panels down to make room for the legend row.
  const shift = 22;
  return grid
    .replace(/<svg class="panel" x="(\d+(?:\.\d+)?)" y="(\d+(?:\.\d+)?)"/g, (_m, x, y) => `<svg class="panel" x="${x}" y="${Number(y) + shift}"`)
    .replace(/^(<svg [^>]*?)height="(\d+)" viewBox="0 0 (\d+) (\d+)"/, (_m, head, h, w, vh) => `${head}height="${Number(h) + shift}" viewBox="0 0 ${w} ${Number(vh) + shift}"`)
    .replace(/<rect x="0" y="0" width="(\d+)" height="(\d+)" fill="white"\/>/, (_m, w, h) => `<rect x="0" y="0" width="${w}" height="${Number(h) + shift}" fill="white"/>\n${legend}`);
}
