/** Standalone SVG plots and the offline HTML report page. */
export { lineChart, barChart, type LineSeries, type LineChartOptions, type BarSeries, type BarChartOptions } from './lineChart.js';
export { gridSvg } from './svg.js';
export { spectraSvg, type LayerSpectrum, type SpectraSvgOptions } from './spectra.js';
export { errorCurveSvg, type ErrorCurve, type ErrorCurveSvgOptions } from './convergence.js';
export { rankSweepSvg, type RankSweepSvgOptions } from './rankSweep.js';
export { compressionSvg, type LayerCompression, type CompressionSvgOptions } from './compression.js';
export { cpFactorsSvg, type CpFactorsSvgOptions } from './cpFactors.js';
export { reportHtml, type ReportOptions, type ReportSection } from './report.js';
