/**
 * Per-layer compression bars: parameters, FLOPs and error before and after factorization.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { ArgumentError, describe } from '@tenfold/core';
import { barChart } from './lineChart.js';
import { gridSvg } from './svg.js';

/** One layer's figures (a subset of `LayerFactorizationReport` / compressModel's report). */
export interface LayerCompression {
  layer: string;
  paramsBefore: number;
  paramsAfter: number;
  flopsBefore: number;
  flopsAfter: number;
  /** Relative weight error of the replacement (null / undefined when not replaced). */
  weightError?: number | null;
  /** Normalised output error on calibration data, when measured. */
  nmse?: number | null;
}

export interface CompressionSvgOptions {
  width?: number;
  panelHeight?: number;
  title?: string;
}

const COMPRESSION_SVG_OPTIONS = optionKeys<CompressionSvgOptions>()('width', 'panelHeight', 'title');

/**
 * Three bar panels, one group per layer: parameters before / after, FLOPs per sample before /
 * after, and the relative weight error (plus the output NMSE when calibration data was used).
 *
 * @throws ArgumentError for an empty report.
 */
export function compressionSvg(layers: readonly LayerCompression[], options: CompressionSvgOptions = {}): string {
  options = checkOptions(options, COMPRESSION_SVG_OPTIONS, 'compressionSvg');
  if (!Array.isArray(layers) || layers.length === 0) throw new ArgumentError(`compressionSvg: layers must be a non-empty array of per-layer reports; got ${describe(layers)}`);
  const categories = layers.map((l) => l.layer);
  const width = options.width ?? Math.max(640, 80 + layers.length * 36);
  const height = options.panelHeight ?? 380;
  const params = barChart(
    [
      { name: 'before', values: layers.map((l) => l.paramsBefore), color: '#aaaaaa' },
      { name: 'after', values: layers.map((l) => l.paramsAfter), color: '#1f77b4' },
    ],
    { categories, title: 'Parameters', xLabel: 'layer', yLabel: 'parameters (count)', width, height },
  );
  const flops = barChart(
    [
      { name: 'before', values: layers.map((l) => l.flopsBefore), color: '#aaaaaa' },
      { name: 'after', values: layers.map((l) => l.flopsAfter), color: '#ff7f0e' },
    ],
    { categories, title: 'FLOPs per sample', xLabel: 'layer', yLabel: 'FLOPs (2 per multiply-add)', width, height },
  );
  const errorSeries = [{ name: 'weight error ||W - Ŵ|| / ||W||', values: layers.map((l) => l.weightError ?? NaN), color: '#d62728' }];
  if (layers.some((l) => l.nmse != null)) errorSeries.push({ name: 'output NMSE (calibration)', values: layers.map((l) => l.nmse ?? NaN), color: '#9467bd' });
  const errors = barChart(errorSeries, { categories, title: 'Error of the replacement', xLabel: 'layer', yLabel: 'relative error (unitless)', width, height });
  return gridSvg([params, flops, errors].map((svg) => ({ svg, width, height })), 1, options.title ?? 'Compression per layer');
}
