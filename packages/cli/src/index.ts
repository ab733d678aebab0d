/**
 * @tenfold/cli: the `tenfold` command (bin) and, as a library, the plots it draws: spectra
 * with EVBMF thresholds, convergence curves, rank sweeps, per-layer compression bars, CP
 * factor plots, and the offline HTML report page that embeds them.
 */
export * from './plots/index.js';
