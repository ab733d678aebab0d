/**
 * The options of `tucker` and `partialTucker` (TensorLy 0.9 `_tucker.py`): their types, the
 * accepted-key lists made from the types, the rank rule and the checks of the options and of
 * a given start (all before any work). The algorithm is ./tucker.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import type { Seed } from '../base/rng.js';
import { TuckerTensor, validateTuckerRank, type RankSpec } from '../tensors/index.js';
import {
  checkCallback,
  checkEnumOption,
  checkIntOption,
  checkIterations,
  checkNumberOption,
  checkSvdMethod,
  type DecompositionSvdMethod,
} from './internal/inputChecks.js';
import type { IterationCallback } from './cp.js';
import { StepProgress, optionKeys, type ProgressCallback } from '../checks/index.js';

export interface PartialTuckerOptions {
  /** The modes to decompose (default: all). */
  modes?: number[];
  /** Maximum number of HOOI sweeps (default 100). */
  nIterMax?: number;
  /** 'svd' (HOSVD, default), 'random', or `{ core, factors }` / a TuckerTensor to start from. */
  init?: 'svd' | 'random' | TuckerTensor | { core: tf.Tensor; factors: tf.Tensor[] };
  /** Stop when the change of the relative error is below `tol` (default 1e-4), tested from the third sweep. */
  tol?: number;
  /** SVD of the init: 'truncated' (default), 'randomized', 'gram' (TensorLy names accepted). The in-loop SVD is always the truncated one. */
  svd?: DecompositionSvdMethod;
  /** Seed of the random init (and of the rare basis completions). */
  seed?: Seed;
  /** 1 where observed, 0 where missing. */
  mask?: TensorLike;
  /** Imputation rounds of the masked SVD init (default 5). */
  svdMaskRepeats?: number;
  /** Called after every sweep; returning true stops. */
  callback?: IterationCallback;
  /** Progress records: step 0 then one per HOOI sweep, total nIterMax, error always. */
  onProgress?: ProgressCallback;
  /** Checked every sweep; an aborted signal throws `AbortedError` (everything built is disposed). */
  signal?: AbortSignal;
}

export interface PartialTuckerResult {
  /** The core: decomposed modes at their ranks, the others at full size. */
  core: tf.Tensor;
  /** One (I_k, R_k) factor per entry of `modes`. */
  factors: tf.Tensor2D[];
  modes: number[];
  /** Relative error of every sweep. */
  errors: number[];
  dispose(): void;
}

export interface TuckerOptions extends Omit<PartialTuckerOptions, 'modes'> {
  /** Modes whose factor stays as given by `init` (which must then be a Tucker tensor). */
  fixedFactors?: number[];
  /** Return `{ tucker, errors }`. */
  returnErrors?: boolean;
}

export interface TuckerResult {
  tucker: TuckerTensor;
  errors: number[];
}

export const PARTIAL_OPTIONS = optionKeys<PartialTuckerOptions>()('modes', 'nIterMax', 'init', 'tol', 'svd', 'seed', 'mask', 'svdMaskRepeats', 'callback', 'onProgress', 'signal');
export const TUCKER_OPTIONS = optionKeys<TuckerOptions>()('nIterMax', 'init', 'tol', 'svd', 'seed', 'mask', 'svdMaskRepeats', 'callback', 'fixedFactors', 'returnErrors', 'onProgress', 'signal');

export interface GivenInit {
  core: tf.Tensor;
  factors: tf.Tensor[];
}

export function isGivenInit(x: unknown): x is GivenInit {
  return x instanceof TuckerTensor || (typeof x === 'object' && x !== null && 'core' in x && 'factors' in x);
}

/** Resolve ranks for `modes` of `shape`: an int is replicated, a list must have one entry per mode, a fraction goes through validateTuckerRank. */
export function resolvePartialRanks(shape: readonly number[], rank: RankSpec, modes: readonly number[]): number[] {
  let ranks: number[];
  if (Array.isArray(rank)) {
    if (rank.length !== modes.length) {
      throw new RankError(`rank must have one entry per decomposed mode (${modes.length}: modes ${describe([...modes])}); got ${describe(rank)}`);
    }
    ranks = [...rank];
  } else if (typeof rank === 'number' && Number.isInteger(rank)) {
    ranks = modes.map(() => rank);
  } else {
    const fixed = [...shape.keys()].filter((k) => !modes.includes(k));
    const all = validateTuckerRank(shape, rank, { fixedModes: fixed });
    ranks = modes.map((m) => all[m]);
  }
  ranks.forEach((r, i) => {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) {
      throw new RankError(`rank for mode ${modes[i]} must be a positive integer; got ${describe(r)} (rank ${describe(rank)})`);
    }
  });
  // A factor cannot have more orthonormal columns than rows (TensorLy returns min(rank, I_k) as well).
  return ranks.map((r, i) => Math.min(r, shape[modes[i]]));
}

export interface CheckedTuckerOpts {
  nIterMax: number;
  tol: number;
  svd: 'truncated' | 'randomized' | 'gram';
  svdMaskRepeats: number;
  init: 'svd' | 'random' | GivenInit;
  progress: StepProgress;
}

export function checkTuckerOpts(opts: PartialTuckerOptions, task: string): CheckedTuckerOpts {
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 0);
  const tol = checkNumberOption(opts.tol ?? 1e-4, 'tol', 0);
  const svd = checkSvdMethod(opts.svd ?? 'truncated');
  const svdMaskRepeats = checkIntOption(opts.svdMaskRepeats ?? 5, 'svdMaskRepeats', 0);
  const init = opts.init ?? 'svd';
  if (!isGivenInit(init)) checkEnumOption(init, 'init', ['svd', 'random'] as const);
  checkCallback(opts.callback);
  const progress = StepProgress.from(task, opts, nIterMax);
  return { nIterMax, tol, svd, svdMaskRepeats, init: init as CheckedTuckerOpts['init'], progress };
}

export function checkGivenInit(init: GivenInit, shape: readonly number[], modes: readonly number[], ranks: readonly number[]): void {
  if (init instanceof TuckerTensor && init.isDisposed) throw new ArgumentError('init is a disposed TuckerTensor');
  const { core, factors } = init;
  if (!(core instanceof tf.Tensor) || !Array.isArray(factors) || factors.length !== modes.length || !factors.every((f) => f instanceof tf.Tensor)) {
    throw new ArgumentError(`init must hold a core tensor and ${modes.length} factor tensors (one per decomposed mode); got ${describe(init)}`);
  }
  const coreShape = shape.map((d, k) => (modes.includes(k) ? ranks[modes.indexOf(k)] : d));
  if (core.shape.length !== shape.length || !core.shape.every((d, i) => d === coreShape[i])) {
    throw new ShapeError(`init core must have shape ${describe(coreShape)}; got ${describe(core.shape)}`);
  }
  factors.forEach((f, i) => {
    const want = [shape[modes[i]], ranks[i]];
    if (f.shape.length !== 2 || f.shape[0] !== want[0] || f.shape[1] !== want[1]) {
      throw new ShapeError(`init factors[${i}] must have shape ${describe(want)}; got ${describe(f.shape)}`);
    }
  });
}
