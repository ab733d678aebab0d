/**
 * Tensor-ring decomposition by alternating least squares: TensorLy 0.9 `tensor_ring_als`
 * (`_tr_als.py`), TR-ALS of Zhao, Zhou, Xie, Zhang & Cichocki, "Tensor Ring Decomposition",
 * arXiv:1606.05535, 2016 (Alg. 2).
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import { ArgumentError } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { EPS32, lstsqUnchecked, solveUnchecked } from '../linalg/host.js';
import { TRTensor, type RankSpec } from '../tensors/index.js';
import { checkEnumOption, checkInputTensor, checkOptions, releaseInput } from './internal/inputChecks.js';
import { dot64, gramHost, toHost } from './internal/float64Reductions.js';
import {
  TR_ALS_COMMON_OPTIONS,
  checkTrAlsOptions,
  fullRelativeError,
  initialCores,
  resolveTrRanks,
  runAlsLoop,
  tensorNorm,
  type TensorRingAlsCommonOptions,
} from './internal/trAlsCommon.js';
import { optionKeys } from '../checks/index.js';

export interface TensorRingAlsOptions extends TensorRingAlsCommonOptions {
  /**
   * 'lstsq' (default): minimum-norm least squares; 'normal_eq': the normal equations solved
   * by LU (TensorLy `ls_solve`). Both work on the Gram `D^T D` (see {@link tensorRingAls}).
   */
  lsSolve?: 'lstsq' | 'normal_eq';
}

const TR_ALS_OPTIONS = optionKeys<TensorRingAlsOptions>()(...TR_ALS_COMMON_OPTIONS, 'lsSolve');

/** The modes after `n` around the ring: n+1, ..., N-1, 0, ..., n-1. */
export function cyclicOrder(n: number, ndim: number): number[] {
  return Array.from({ length: ndim - 1 }, (_, j) => (n + 1 + j) % ndim);
}

/**
 * `T` unfolded for mode n with the other modes in ring order: `(I_n, prod_{m != n} I_m)`,
 * columns indexed by `(i_{n+1}, ..., i_{N-1}, i_0, ..., i_{n-1})` (C order).
 */
export function ringUnfolding(t: tf.Tensor, n: number): tf.Tensor2D {
  return tf.tidy(() => {
    const perm = [n, ...cyclicOrder(n, t.rank)];
    const x = n === 0 ? t : tf.transpose(t, perm);
    return tf.reshape(x, [t.shape[n], -1]) as tf.Tensor2D;
  });
}

/**
 * The design matrix of mode n (inside a tidy): the subchain `G_{n+1} ... G_{n-1}` of the
 * other cores, `(prod_{m != n} I_m, r_n r_{n+1})`, rows in ring order (as
 * {@link ringUnfolding}'s columns) and column `(a, b)` holding `[G_{n+1} ... G_{n-1}]_{b, a}`,
 * so that `T_(n)^T ~ D reshape(G_n^T, ...)` with `G_n` read as `(a, i_n, b)`. Built by
 * left-to-right matmuls, then one transpose of the (rows x r^2) result.
 */
export function designMatrix(cores: readonly tf.Tensor3D[], n: number): tf.Tensor2D {
  const ndim = cores.length;
  const order = cyclicOrder(n, ndim);
  const first = cores[order[0]];
  let s: tf.Tensor2D = tf.reshape(first, [-1, first.shape[2]]);
  for (const m of order.slice(1)) {
    const g = cores[m];
    s = tf.reshape(tf.matMul(s, tf.reshape(g, [g.shape[0], -1])), [-1, g.shape[2]]);
  }
  const rn = cores[n].shape[0];
  const rn1 = cores[n].shape[2];
  return tf.reshape(tf.transpose(tf.reshape(s, [rn1, -1, rn]), [1, 2, 0]), [-1, rn * rn1]);
}

/** The host solution X (r_n r_{n+1} x I_n) as a core `(r_n, I_n, r_{n+1})` tensor. */
export function coreFromSolution(x: HostMatrix, rn: number, rn1: number): tf.Tensor3D {
  const iN = x.cols;
  const out = new Float32Array(rn * iN * rn1);
  for (let a = 0; a < rn; a++) for (let b = 0; b < rn1; b++) for (let i = 0; i < iN; i++) out[(a * iN + i) * rn1 + b] = x.data[(a * rn1 + b) * iN + i];
  return tf.tensor3d(out, [rn, iN, rn1]);
}

/** LU solve of the normal equations of core n ('normal_eq'); a singular Gram says which core and what to do. */
function solveNormal(gram: HostMatrix, rhs: HostMatrix, n: number): HostMatrix {
  try {
    return solveUnchecked(gram, rhs, EPS32);
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    throw new ArgumentError(`tensorRingAls: the normal equations of core ${n} are singular to float32 precision (a rank-deficient design matrix); use lsSolve: 'lstsq' (minimum-norm) instead`);
  }
}

/**
 * Tensor ring by alternating least squares (Zhao et al. 2016, Alg. 2; TensorLy
 * `tensor_ring_als`). From a random start (U[0,1) cores, TensorLy's `random_tr`), each sweep
 * updates the cores in order: core n solves `min ||D_n X - T_(n)^T||`, `D_n` the subchain of
 * the other cores ({@link designMatrix}), `X` the core read as `(r_n r_{n+1}, I_n)`. The
 * error of a sweep is the last mode's residual `||D X - T_(n)^T|| / ||T||` (TensorLy's), and
 * it stops when the error decreases by less than `tol` (from the second sweep) or the callback
 * returns true.
 *
 * Engine: the big products stay on the backend as matmuls (the subchain, `T_(n) D` and the
 * residual); the `r^2 x r^2` Gram `D^T D` and `T_(n) D` go to the host, where the small system
 * is solved in float64. Both `lsSolve` settings therefore solve the normal equations: 'lstsq'
 * with the minimum-norm pseudo-inverse of the Gram (numpy `lstsq` semantics on it, rcond
 * eps32 r^2), 'normal_eq' with LU (TensorLy `tl.solve`). TensorLy's 'lstsq' factorises `D`
 * itself; the Gram squares the condition number (docs/fidelity/decomposition.md).
 *
 * Progress: task 'tensorRingAls', one record per sweep, total nIterMax, error when computed (tol > 0 or callback).
 *
 * @returns a TRTensor (the caller disposes it).
 * @throws ShapeError for an input with fewer than 2 modes or an `init` of the wrong shape;
 *   RankError for a bad rank; NonFiniteError for NaN/Inf; ArgumentError for unknown or bad
 *   options (an `lsSolve` other than 'lstsq'/'normal_eq'), or a singular system with
 *   'normal_eq'; AbortedError when the signal fires.
 */
export function tensorRingAls(tensor: TensorLike, rank: RankSpec, opts: TensorRingAlsOptions = {}): TRTensor {
  opts = checkOptions(opts, TR_ALS_OPTIONS, 'tensorRingAls');
  const lsSolve = checkEnumOption(opts.lsSolve ?? 'lstsq', 'lsSolve', ['lstsq', 'normal_eq'] as const);
  const o = checkTrAlsOptions(opts, 'tensorRingAls');
  const input = checkInputTensor(tensor, 'tensor', 2);
  const unfoldings: tf.Tensor2D[] = [];
  let cores: tf.Tensor3D[] = [];
  try {
    const shape = input.shape;
    const ndim = shape.length;
    const ranks = resolveTrRanks(shape, rank);
    cores = initialCores(shape, ranks, o.init, o.rng);
    const normT = tensorNorm(input.t) || 1;
    for (let n = 0; n < ndim; n++) unfoldings.push(ringUnfolding(input.t, n));

    const updateCore = (n: number, wantError: boolean): number => {
      const d = tf.tidy(() => designMatrix(cores, n));
      try {
        const gram = gramHost(d);
        const rhs = tf.tidy(() => tf.matMul(unfoldings[n], d)); // (I_n, r^2) = T_(n) D
        const b = toHost(rhs);
        rhs.dispose();
        const bt: HostMatrix = { rows: b.cols, cols: b.rows, data: new Float64Array(b.data.length) };
        for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) bt.data[j * b.rows + i] = b.data[i * b.cols + j];
        const x = lsSolve === 'lstsq' ? lstsqUnchecked(gram, bt, EPS32 * gram.rows) : solveNormal(gram, bt, n);
        const core = coreFromSolution(x, ranks[n], ranks[n + 1]);
        cores[n].dispose();
        cores[n] = core;
        if (!wantError) return NaN;
        // TensorLy's error: the residual of this least-squares problem, on the backend.
        const res = tf.tidy(() => {
          const xt = tf.reshape(tf.transpose(core, [1, 0, 2]), [shape[n], -1]); // (I_n, r^2)
          return tf.sub(unfoldings[n], tf.matMul(xt, tf.transpose(d)));
        });
        const e = Math.sqrt(dot64(res, res));
        res.dispose();
        return e / normT;
      } finally {
        d.dispose();
      }
    };

    runAlsLoop({
      fnName: 'tensorRingAls',
      o,
      initialError: () => fullRelativeError(cores, input.t, normT),
      sweep: (needErrors) => {
        let err = NaN;
        for (let n = 0; n < ndim; n++) err = updateCore(n, needErrors && n === ndim - 1);
        return err;
      },
    });
    const out = new TRTensor(cores);
    cores = [];
    return out;
  } finally {
    for (const c of cores) c.dispose();
    for (const u of unfoldings) u.dispose();
    releaseInput(input);
  }
}
