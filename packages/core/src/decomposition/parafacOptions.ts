/**
 * The options of the CP-ALS family (`parafac` and the algorithms that share its options:
 * non-negative CP, constrained and randomised CP): their types, the accepted-key list made
 * from the type, the rank rule and the validation of the shared options, and TensorLy's
 * stopping rule (`_cp.py`'s error bookkeeping). The algorithm is ./cp.ts.
 */
import { RankError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import type { Seed } from '../base/rng.js';
import { CPTensor, validateCpRank, type RankSpec } from '../tensors/index.js';
import {
  checkBoolOption,
  checkCallback,
  checkEnumOption,
  checkIntOption,
  checkIterations,
  checkAllocation,
  checkModeList,
  checkNumberOption,
  checkSvdMethod,
  type DecompositionSvdMethod,
} from './internal/inputChecks.js';
import { optionKeys, type ProgressCallback } from '../checks/index.js';

/** What a decomposition's callback receives after each iteration (and once before the first). */
export interface IterationInfo {
  /** 0 before the first iteration, then 1, 2, ... */
  iteration: number;
  /** The relative reconstruction error `||T - T_hat|| / ||T||` at that point. */
  error: number;
}

/** Return `true` to stop the iterations. */
export type IterationCallback = (info: IterationInfo) => boolean | void;

export interface ParafacOptions {
  /** Maximum number of ALS sweeps (default 100). */
  nIterMax?: number;
  /** 'svd' (default), 'random' (U[0,1) factors) or a CPTensor to start from. */
  init?: 'svd' | 'random' | CPTensor;
  /** SVD used by the 'svd' init: 'truncated' (default), 'randomized', 'gram' (TensorLy names accepted). */
  svd?: DecompositionSvdMethod;
  /** Normalise the factors at the end of every sweep, the norms going to the weights (default false). */
  normalizeFactors?: boolean;
  /** Replace factors by Q of their QR for the first sweeps: `true` = every sweep, a number n = sweeps 0..n. */
  orthogonalise?: boolean | number;
  /** Stop when the change of the relative error is below `tol` (default 1e-8; 0 runs every sweep). */
  tol?: number;
  /** Seed for the random init and the padding columns of the SVD init. */
  seed?: Seed;
  /** Return `{ cp, errors }` with the relative error of every sweep. */
  returnErrors?: boolean;
  /** Ridge term added to the normal equations (default 0). */
  l2Reg?: number;
  /** 1 where observed, 0 where missing; missing entries are imputed from the model every sweep. */
  mask?: TensorLike;
  /** 'abs_rec_error' (default): stop on |delta| < tol; 'rec_error': stop on delta < tol. */
  cvgCriterion?: 'abs_rec_error' | 'rec_error';
  /** Modes whose factor is kept at its initial value. The last mode cannot be fixed and is dropped from the list. */
  fixedModes?: number[];
  /** Imputation rounds of the masked SVD init (default 5). */
  svdMaskRepeats?: number;
  /** Bro's line search on even sweeps > 5 (default false). */
  linesearch?: boolean;
  /** Called once before the first sweep and after every sweep; returning true stops. */
  callback?: IterationCallback;
  /** Progress records: task 'parafac', step 0 then one per sweep, total nIterMax, error when computed. */
  onProgress?: ProgressCallback;
  /** Checked every sweep; an aborted signal throws `AbortedError` (everything built is disposed). */
  signal?: AbortSignal;
  /**
   * Where the sweeps run: 'auto' (default) runs small problems (entries x rank <= 2e5,
   * no mask, no line search) on the host in float64 and the rest on the tfjs backend;
   * 'device' and 'host' force one.
   */
  engine?: 'auto' | 'device' | 'host';
}

export interface ParafacResult {
  cp: CPTensor;
  errors: number[];
}

export const PARAFAC_OPTIONS = optionKeys<ParafacOptions>()(
  'nIterMax', 'init', 'svd', 'normalizeFactors', 'orthogonalise', 'tol', 'seed', 'returnErrors', 'l2Reg', 'mask',
  'cvgCriterion', 'fixedModes', 'svdMaskRepeats', 'linesearch', 'callback', 'engine',
  'onProgress', 'signal',
);

/** Resolve and check a CP rank (TensorLy's 'same' / float / int rules). */
export function resolveCpRank(shape: readonly number[], rank: RankSpec): number {
  const r = validateCpRank(shape, rank);
  if (!Number.isInteger(r) || r < 1) {
    throw new RankError(`rank must resolve to a positive integer for shape ${describe([...shape])}; ${describe(rank)} gives ${r}`);
  }
  // The factors (I_k x R) and the R x R normal equations must fit before any work starts.
  checkAllocation(Math.max(r * r, r * Math.max(...shape)), `rank ${r} for a tensor of shape ${describe([...shape])}`, RankError);
  return r;
}

export interface CheckedCpOptions {
  nIterMax: number;
  init: 'svd' | 'random' | CPTensor;
  svd: 'truncated' | 'randomized' | 'gram';
  normalizeFactors: boolean;
  orthogonalise: number;
  tol: number;
  returnErrors: boolean;
  l2Reg: number;
  cvgCriterion: 'abs_rec_error' | 'rec_error';
  fixedModes: number[];
  svdMaskRepeats: number;
  linesearch: boolean;
}

/** Validate the options shared by the CP algorithms (before any work). */
export function checkCpOptions(opts: ParafacOptions, ndim: number, defaults: { tol: number }): CheckedCpOptions {
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
  const init = opts.init ?? 'svd';
  if (!(init instanceof CPTensor)) checkEnumOption(init, 'init', ['svd', 'random'] as const);
  const svd = checkSvdMethod(opts.svd ?? 'truncated');
  const normalizeFactors = checkBoolOption(opts.normalizeFactors ?? false, 'normalizeFactors');
  const o = opts.orthogonalise ?? false;
  let orthogonalise: number;
  if (typeof o === 'boolean') orthogonalise = o ? nIterMax : -1;
  else orthogonalise = checkIntOption(o, 'orthogonalise', 0);
  const tol = checkNumberOption(opts.tol ?? defaults.tol, 'tol', 0);
  const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
  const l2Reg = checkNumberOption(opts.l2Reg ?? 0, 'l2Reg', 0);
  const cvgCriterion = checkEnumOption(opts.cvgCriterion ?? 'abs_rec_error', 'cvgCriterion', ['abs_rec_error', 'rec_error'] as const);
  const fixedModes = opts.fixedModes === undefined ? [] : checkModeList(opts.fixedModes, ndim, 'fixedModes');
  const svdMaskRepeats = checkIntOption(opts.svdMaskRepeats ?? 5, 'svdMaskRepeats', 0);
  const linesearch = checkBoolOption(opts.linesearch ?? false, 'linesearch');
  checkCallback(opts.callback);
  return { nIterMax, init, svd, normalizeFactors, orthogonalise, tol, returnErrors, l2Reg, cvgCriterion, fixedModes, svdMaskRepeats, linesearch };
}

/** Relative-error bookkeeping of the CP algorithms: append, callback, TensorLy's stopping rule. */
export function recordError(errors: number[], error: number, iteration: number, tol: number, criterion: 'abs_rec_error' | 'rec_error', callback?: IterationCallback): boolean {
  errors.push(error);
  const stopByCallback = callback ? callback({ iteration: iteration + 1, error }) === true : false;
  let stop = false;
  if (tol > 0 && iteration >= 1) {
    const dec = errors[errors.length - 2] - errors[errors.length - 1];
    stop = criterion === 'abs_rec_error' ? Math.abs(dec) < tol : dec < tol;
  }
  return stop || stopByCallback;
}
