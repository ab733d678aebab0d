/**
 * @tenfold/cli: the `tenfold` command (bin) and, as a library, the plots it draws: spectra
 * with EVBMF thresholds, convergence curves, rank sweeps, per-layer compression bars, CP
 * factor plots, and the offline HTML report page that embeds them.
 */
export * from './plots/index.js';
/**
 * tfjs model files and weight files on disk (Node). Stand-ins for the `file://` handlers and
 * loaders of `@tenfold/core/node`; they will re-export those once they land.
 */
export { readModelFile, readModelWeights, loadLayersModel, saveLayersModel, type ModelFile } from './files/model.js';
export { readArrays, arrayInfos, type ArrayInfo } from './files/arrays.js';
