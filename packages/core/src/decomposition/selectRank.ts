/**
 * CP rank selection by fitting a range of ranks with seeded restarts and reporting, per rank,
 * the fit, the core consistency and the stability across restarts (the diagnostics TLViz
 * plots; Bro & Kiers 2003, Adali, Acar et al. for split-half/restart stability).
 */
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { coreConsistency, factorMatchScore } from '../metrics/index.js';
import type { CPTensor } from '../tensors/index.js';
import { checkCallback, checkInputTensor, checkIntOption, checkIterations, checkOptions, checkNumberOption, releaseInput, throwIfAborted } from './internal/inputChecks.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import { parafac } from './cp.js';

export interface SelectRankOptions {
  /** Restarts per rank, each from `init: 'random'` with seed `seed + restart` (default 5). */
  nRestarts?: number;
  /** Seed of the first restart (default 0). */
  seed?: number;
  /** ALS sweeps per fit (default 200). */
  nIterMax?: number;
  /** ALS tolerance (default 1e-8). */
  tol?: number;
  /** Keep the best model of every rank in the result (default false: they are disposed). */
  keepModels?: boolean;
  /** Called after every rank with `{ iteration: ranks done, error: best relative error }`; true stops. */
  callback?: (info: { iteration: number; error: number }) => boolean | void;
  /** Checked before every fit and every ALS sweep; an aborted signal throws `AbortedError`. */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per fit (total ranks x nRestarts), stage `rank R`, error = the fit's last error. */
  onProgress?: ProgressCallback;
}

/** The diagnostics of one rank. */
export interface RankDiagnostics {
  rank: number;
  /** Relative error `||T - T_hat|| / ||T||` of the best restart. */
  error: number;
  /** Relative errors of all restarts, in restart order. */
  restartErrors: number[];
  /** Core consistency (Bro & Kiers, not normalised) of the best restart. */
  coreConsistency: number;
  /** Mean factor match score (no weights, absolute) between the best restart and each other one (1 with one restart). */
  stability: number;
  /** The best model, when `keepModels` (the caller disposes it). */
  model?: CPTensor;
}

const OPTIONS = optionKeys<SelectRankOptions>()('nRestarts', 'seed', 'nIterMax', 'tol', 'keepModels', 'callback', 'signal', 'onProgress');

/**
 * Fit CP models of every rank in `ranks` with `nRestarts` seeded random restarts of
 * {@link parafac}, keep the best (lowest error) per rank and report its error, its core
 * consistency ({@link coreConsistency}) and its stability: the mean factor match score
 * ({@link factorMatchScore}, weights ignored) between the best model and the other restarts.
 * A sound rank has a low error that stops improving, core consistency near 100 and stability
 * near 1; above it the core consistency drops and the restarts disagree.
 *
 * Progress: task 'selectRank', one record per fit (total ranks.length x nRestarts), stage
 * `rank R`, error = that fit's last relative error (the restartErrors entry).
 *
 * @throws ShapeError / NonFiniteError for a bad tensor; ArgumentError for bad ranks or
 *   options; AbortedError when `signal` fires (models built so far are disposed).
 */
export function selectRank(tensor: TensorLike, ranks: readonly number[], opts: SelectRankOptions = {}): RankDiagnostics[] {
  opts = checkOptions(opts, OPTIONS, 'selectRank');
  if (!Array.isArray(ranks) || ranks.length === 0 || ranks.some((r) => !Number.isInteger(r) || r < 1)) {
    throw new ArgumentError(`ranks must be a non-empty list of positive integers; got ${describe(ranks)}`);
  }
  const nRestarts = checkIterations(opts.nRestarts ?? 5, 'nRestarts', 1);
  const seed = checkIntOption(opts.seed ?? 0, 'seed', 0);
  const nIterMax = checkIterations(opts.nIterMax ?? 200, 'nIterMax', 1);
  const tol = checkNumberOption(opts.tol ?? 1e-8, 'tol', 0);
  const keepModels = opts.keepModels ?? false;
  if (typeof keepModels !== 'boolean') throw new ArgumentError(`keepModels must be true or false; got ${describe(keepModels)}`);
  checkCallback(opts.callback);
  const progress = StepProgress.from('selectRank', opts, ranks.length * nRestarts);
  const signal = progress.signal;
  const input = checkInputTensor(tensor, 'tensor', 2);
  const out: RankDiagnostics[] = [];
  let fits: CPTensor[] = [];
  try {
    progress.begin();
    let fitsDone = 0;
    for (const [i, rank] of ranks.entries()) {
      const errs: number[] = [];
      for (let s = 0; s < nRestarts; s++) {
        throwIfAborted(signal, 'selectRank');
        const { cp, errors } = parafac(input.t, rank, { init: 'random', seed: seed + s, nIterMax, tol, returnErrors: true, signal });
        fits.push(cp);
        errs.push(errors.length ? errors[errors.length - 1] : NaN);
        progress.step(++fitsDone, errs[errs.length - 1], `rank ${rank}`);
      }
      const best = errs.reduce((b, e, k) => (e < errs[b] ? k : b), 0);
      const cc = coreConsistency(input.t, fits[best]);
      cc.core.dispose();
      let stability = 1;
      if (nRestarts > 1) {
        let sum = 0;
        fits.forEach((f, k) => {
          if (k !== best) sum += factorMatchScore(fits[best], f, { considerWeights: false }).fms;
        });
        stability = sum / (nRestarts - 1);
      }
      const entry: RankDiagnostics = { rank, error: errs[best], restartErrors: errs, coreConsistency: cc.coreConsistency, stability };
      if (keepModels) entry.model = fits[best];
      fits.forEach((f, k) => {
        if (!(keepModels && k === best)) f.dispose();
      });
      fits = [];
      out.push(entry);
      if (opts.callback && opts.callback({ iteration: i + 1, error: entry.error }) === true) break;
    }
    return out;
  } catch (err) {
    fits.forEach((f) => f.dispose());
    out.forEach((e) => e.model?.dispose());
    throw err;
  } finally {
    releaseInput(input);
  }
}

