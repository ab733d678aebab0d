/**
 * PARAFAC2 by alternating least squares: TensorLy 0.9 `parafac2` (`_parafac2.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, type HostMatrix, readSync } from '../backend/transfer.js';
import { ArgumentError, NonFiniteError, RankError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/index.js';
import { hostTranspose } from '../linalg/host.js';
import { randomParafac2 } from '../random/parafac2.js';
import type { Seed } from '../base/rng.js';
import { Parafac2Tensor } from '../tensors/parafac2.js';
import {
  checkBoolOption,
  checkCallback,
  checkIntOption, checkIterations,
  checkOptions,
  checkModeList,
  checkNumberOption,
  throwIfAborted,
} from './internal/inputChecks.js';
import { StepProgress, type ProgressCallback, optionKeys } from '../checks/index.js';
import type { IterationCallback } from './cp.js';
import { materializeProjections, parafac2Als, sliceGrams, svdInit, withGramRoute, type HostParafac2, type HostSlices } from './parafac2Host.js';

export interface Parafac2Options {
  /** Maximum number of PARAFAC2 iterations (default 2000, as TensorLy). */
  nIterMax?: number;
  /** 'random' (default, as TensorLy: {@link randomParafac2} with `seed`), 'svd', or a Parafac2Tensor to start from. */
  init?: 'svd' | 'random' | Parafac2Tensor;
  /** Stop when the relative error changes by less than `tol` (default 1e-8; 0 runs every iteration). */
  tol?: number;
  /** CP (or HALS) sweeps on the projected tensor per iteration (default 5). */
  nIterParafac?: number;
  /** Return `{ decomposition, errors }` with TensorLy's `rec_errors`. */
  returnErrors?: boolean;
  /** Normalise the factors after every iteration, the norms going to the weights (default false). */
  normalizeFactors?: boolean;
  /** Non-negative modes (HALS updates): 'all' or a list of modes in [0, 2] (default none). B_i = P_i B is not non-negative even when mode 1 is listed. */
  nnModes?: 'all' | number[] | null;
  /** Bro's line search on even iterations > 5 (default true, as TensorLy's function). */
  linesearch?: boolean;
  /** Seed of the random init. */
  seed?: Seed;
  /** Called once before the first iteration and after every iteration; returning true stops. */
  callback?: IterationCallback;
  /** Checked every iteration: when aborted, throws AbortedError. */
  signal?: AbortSignal;
  /** Progress records: step 0 then one per outer iteration, total nIterMax, error as the callback's. */
  onProgress?: ProgressCallback;
}

export interface Parafac2Result {
  decomposition: Parafac2Tensor;
  errors: number[];
}

const PARAFAC2_OPTIONS = optionKeys<Parafac2Options>()(
  'nIterMax', 'init', 'tol', 'nIterParafac', 'returnErrors', 'normalizeFactors', 'nnModes', 'linesearch', 'seed', 'callback', 'signal', 'onProgress',
);

/**
 * Read the slices to the host: a list of matrices `X_i` (J_i x K), or a 3-D tensor whose
 * first-mode slices are the `X_i`. One device read for all of them.
 */
function readSlices(tensorSlices: readonly TensorLike[] | TensorLike): HostSlices {
  const owned: tf.Tensor[] = [];
  try {
    let mats: tf.Tensor[];
    if (Array.isArray(tensorSlices)) {
      if (tensorSlices.length === 0) throw new ShapeError(`tensorSlices must hold at least one matrix; got an empty list`);
      mats = tensorSlices.map((s, i) => {
        const t = toTensor(s as TensorLike, `tensorSlices[${i}]`);
        if (t !== (s as unknown)) owned.push(t);
        return t;
      });
    } else {
      const t = toTensor(tensorSlices as TensorLike, 'tensorSlices');
      if (t !== tensorSlices) owned.push(t);
      if (t.rank !== 3) throw new ShapeError(`tensorSlices must be a list of matrices or a 3-D tensor; got shape ${describe(t.shape)}`);
      mats = tf.unstack(t);
      owned.push(...mats);
    }
    mats.forEach((m, i) => {
      if (m.rank !== 2 || m.size === 0) {
        throw new ShapeError(`tensorSlices[${i}] must be a non-empty matrix (J_${i}, K); got shape ${describe(m.shape)}`);
      }
    });
    const K = mats[0].shape[1] as number;
    mats.forEach((m, i) => {
      if (m.shape[1] !== K) {
        throw new ShapeError(`all tensor slices must have the same number of columns K = ${K} (tensorSlices[0]); tensorSlices[${i}] has shape ${describe(m.shape)}`);
      }
    });
    const flat = tf.tidy(() => tf.concat(mats.map((m) => tf.reshape(m, [-1]))));
    const all = readSync(flat);
    flat.dispose();
    const rows = mats.map((m) => m.shape[0] as number);
    let off = 0;
    const data = rows.map((J, i) => {
      const d = Float64Array.from(all.subarray(off, off + J * K));
      off += J * K;
      for (let k = 0; k < d.length; k++) {
        if (!Number.isFinite(d[k])) throw new NonFiniteError(`tensorSlices[${i}] must be finite; it holds NaN or Inf (shape ${describe([J, K])})`);
      }
      return d;
    });
    return { data, rows, K };
  } finally {
    for (const t of owned) if (!t.isDisposed) t.dispose();
  }
}

function toHostParts(p: Parafac2Tensor): HostParafac2 {
  const read = (t: tf.Tensor2D): HostMatrix => ({ rows: t.shape[0], cols: t.shape[1], data: Float64Array.from(readSync(t)) });
  return {
    weights: Float64Array.from(readSync(p.weights)),
    factors: p.factors.map(read) as HostParafac2['factors'],
    projectionsT: p.projections.map((q) => ({ pt: hostTranspose(read(q)).data })),
  };
}

/** The init as a host model, checked against the slices. */
function initialModel(x: HostSlices, R: number, init: 'svd' | 'random' | Parafac2Tensor, seed: Seed, grams: (Float64Array | null)[]): HostParafac2 {
  if (init === 'svd') return svdInit(x, R, grams);
  if (init === 'random') {
    const p = randomParafac2(x.rows.map((J) => [J, x.K]), R, { seed });
    try {
      return toHostParts(p);
    } finally {
      p.dispose();
    }
  }
  const I = x.data.length;
  const ok = init.factors[0].shape[0] === I && init.factors[2].shape[0] === x.K && init.sliceShapes.every((s, i) => s[0] === x.rows[i]);
  if (!ok) {
    throw new ShapeError(`init must fit the slices (I = ${I} slices of ${describe(x.rows)} rows, K = ${x.K}); got A ${describe(init.factors[0].shape)}, C ${describe(init.factors[2].shape)}, projection rows ${describe(init.sliceShapes.map((s) => s[0]))}`);
  }
  return toHostParts(init);
}

/**
 * PARAFAC2 decomposition by ALS (Kiers, ten Berge & Bro, "PARAFAC2 - Part I. A direct
 * fitting algorithm for the PARAFAC2 model", J. Chemometrics 1999; TensorLy `parafac2`):
 * slices `X_i ~ P_i B diag(A[i] * w) C^T` with `P_i^T P_i = I`.
 *
 * Each iteration: B absorbs the weights; `P_i = (U V^T)^T` from the SVD `U S V^T` of
 * `B diag(A[i]) C^T X_i^T` (orthogonal Procrustes); `nIterParafac` CP-ALS sweeps (HALS on
 * `nnModes`) on the projected tensor `[P_i^T X_i]` (I x R x K) update A, B, C; on even
 * iterations > 5 Bro's line search (R. Bro, PhD thesis 1998; Yu, Augustijn & Bro 2021)
 * tries `F_last + (F - F_last) iteration^(1/accPow)` and keeps it when the error drops; the
 * relative error `||X - X_hat|| / ||X||` comes from the inner-product identity. It stops
 * when two consecutive errors differ by less than `tol`.
 *
 * Engine: the slices are read once and every step runs on the host in float64 (core's host
 * SVD, CP-ALS and HALS kernels); the result is uploaded once.
 *
 * Deviations from TensorLy 0.9 (docs/fidelity/decomposition.md): `nnModes: 'all'` works
 * (TensorLy raises a TypeError at the first line search); the line search clips every
 * non-negative mode; errors are computed whenever the line search, `returnErrors` or a
 * callback needs them, also with `tol: 0` (TensorLy's line search then fails on an empty list).
 *
 * Progress: task 'parafac2', one record per outer iteration, total nIterMax; `error` is the
 * latest relative error when errors are computed (the value the callback sees: on a line-search
 * iteration the previous one, possibly improved by the jump).
 *
 * @param tensorSlices a list of matrices `X_i` (J_i x K; J_i may differ) or a 3-D tensor.
 * @param rank R, an integer with `R <= K` and `R <= J_i` for every slice.
 * @returns a Parafac2Tensor (or `{ decomposition, errors }` with `returnErrors: true`) that the caller disposes.
 * @throws ShapeError (bad or ragged-column slices, an init that does not fit), RankError,
 *   NonFiniteError (NaN/Inf), ArgumentError (bad or unknown options), ModeError (nnModes),
 *   AbortedError (signal).
 */
export function parafac2(tensorSlices: readonly TensorLike[] | TensorLike, rank: number, opts: Parafac2Options & { returnErrors: true }): Parafac2Result;
export function parafac2(tensorSlices: readonly TensorLike[] | TensorLike, rank: number, opts?: Parafac2Options): Parafac2Tensor;
export function parafac2(tensorSlices: readonly TensorLike[] | TensorLike, rank: number, opts: Parafac2Options = {}): Parafac2Tensor | Parafac2Result {
  opts = checkOptions(opts, PARAFAC2_OPTIONS, 'parafac2');
  const nIterMax = checkIterations(opts.nIterMax ?? 2000, 'nIterMax', 0);
  const init = opts.init ?? 'random';
  if (!(init instanceof Parafac2Tensor) && init !== 'svd' && init !== 'random') {
    throw new ArgumentError(`init must be 'svd', 'random' or a Parafac2Tensor; got ${describe(init)}`);
  }
  const tol = checkNumberOption(opts.tol ?? 1e-8, 'tol', 0);
  const nIterParafac = checkIntOption(opts.nIterParafac ?? 5, 'nIterParafac', 1);
  const returnErrors = checkBoolOption(opts.returnErrors ?? false, 'returnErrors');
  const normalizeFactors = checkBoolOption(opts.normalizeFactors ?? false, 'normalizeFactors');
  const linesearch = checkBoolOption(opts.linesearch ?? true, 'linesearch');
  let nnModes: number[] = [];
  if (opts.nnModes === 'all') nnModes = [0, 1, 2];
  else if (opts.nnModes !== undefined && opts.nnModes !== null) nnModes = checkModeList(opts.nnModes, 3, 'nnModes');
  checkCallback(opts.callback);
  const progress = StepProgress.from('parafac2', opts, nIterMax);
  const signal = progress.signal;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) throw new RankError(`rank must be a positive integer; got ${describe(rank)}`);
  if (init instanceof Parafac2Tensor) {
    init.assertAlive('init');
    if (init.rank !== rank) throw new RankError(`init has rank ${init.rank}; parafac2 was asked for rank ${rank}`);
  }

  const x = readSlices(tensorSlices);
  if (rank > x.K) {
    throw new RankError(`PARAFAC2 rank (${rank}) cannot be greater than the number of columns in each tensor slice (${x.K})`);
  }
  x.rows.forEach((J, i) => {
    if (J < rank) throw new RankError(`rank ${rank} needs at least ${rank} rows in every slice (orthonormal projections); tensorSlices[${i}] has ${J}`);
  });
  throwIfAborted(signal, 'parafac2');
  // Slice Grams X_i^T X_i: every slice's for the SVD init, the Gram-route slices' for the iterations.
  const grams = sliceGrams(x, rank, init === 'svd' && x.rows.reduce((s, j) => s + j, 0) > x.K);
  const model = initialModel(x, rank, init, opts.seed, grams);
  const errors = parafac2Als(nIterMax > 0 ? withGramRoute(x, grams, rank) : x, model, {
    nIterMax, tol, nIterParafac, normalizeFactors, nnModes, linesearch,
    needErrors: tol > 0 || returnErrors || linesearch || opts.callback !== undefined,
    callback: opts.callback,
    signal,
    progress,
  });
  const parts = [tf.tensor1d(Float32Array.from(model.weights)), ...model.factors.map((f) => fromHostMatrix(f)), ...materializeProjections(x, model.projectionsT).map((p) => fromHostMatrix(hostTranspose(p)))];
  let decomposition: Parafac2Tensor;
  try {
    decomposition = new Parafac2Tensor(parts[0], parts.slice(1, 4), parts.slice(4));
  } catch (err) {
    for (const t of parts) t.dispose();
    throw err;
  }
  return returnErrors ? { decomposition, errors } : decomposition;
}
