/**
 * CP tensor regression: TensorLy 0.9 `regression.CPRegressor` (`cp_regression.py`); Zhou, Li
 * & Zhu, "Tensor regression with applications in neuroimaging data analysis", JASA 2013.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, describe } from '../errors/index.js';
import { StepProgress, checkAllocation, type ProgressCallback, optionKeys } from '../checks/index.js';
import type { TensorLike } from '../io/index.js';
import { normalTensor, toRng, type Seed } from '../base/rng.js';
import { khatriRao } from '../tenalg/index.js';
import { CPTensor, cpToTensor } from '../tensors/index.js';
import { checkIntOption, checkIterations, checkOptions, checkNumberOption, releaseInput } from '../decomposition/internal/inputChecks.js';
import { checkXy, predictSamples, recordNormAndCheckStop, ridgeUpdateFactor } from './internal/ridgeProblem.js';

export interface CpRegressionOptions {
  /** Stop when `|‖W_k‖ - ‖W_{k-1}‖| / ‖W_k‖ <= tol`, from the third sweep on (default 1e-6). */
  tol?: number;
  /** Ridge penalty (default 1). */
  regW?: number;
  /** Maximum number of sweeps (default 100). */
  nIterMax?: number;
  /** Seed of the N(0, 1) initial factors. */
  seed?: Seed;
  /** Progress records: step 0 then one per sweep (total nIterMax), no error field. */
  onProgress?: ProgressCallback;
  /** Checked before the work and after every sweep; an aborted signal throws `AbortedError` (nothing leaks). */
  signal?: AbortSignal;
}

export interface CpRegressionResult {
  /** The weight tensor in CP form (unit weights). */
  cp: CPTensor;
  /** `‖W‖` after every sweep. */
  normHistory: number[];
  nIterations: number;
}

const OPTIONS = optionKeys<CpRegressionOptions>()('tol', 'regW', 'nIterMax', 'seed', 'onProgress', 'signal');

/**
 * Fit `y_n ~ <X_n, W>` with a rank-R CP weight tensor `W = [[F_1, ..., F_N]]` by alternating
 * ridge regressions (TensorLy `CPRegressor.fit`): for mode i the design is
 * `phi[n, (j, r)] = (X_n unfolded on mode i) (Khatri–Rao of the other factors)[j, r]`, and
 * `vec(F_i) = (phi^T phi + regW I)^{-1} phi^T y`. Products on the backend, the
 * `(I_i R)`-sized systems in float64 on the host. Scalar targets only (`y` is `(n,)`).
 *
 * Progress: task 'cpRegression', one record per sweep (total nIterMax), no error field
 * (the sweeps track `‖W‖`, not an error).
 *
 * @throws ShapeError for X with fewer than 2 modes or y not `(n,)`; ArgumentError;
 *   NonFiniteError; AbortedError when `signal` fires.
 */
export function cpRegression(X: TensorLike, y: TensorLike, rank: number, opts: CpRegressionOptions = {}): CpRegressionResult {
  return fitCpRegression(X, y, rank, opts, 'rank');
}

/** {@link cpRegression}, with the rank's name for messages (`weightRank` from {@link CPRegressor}). */
function fitCpRegression(X: TensorLike, y: TensorLike, rank: number, opts: CpRegressionOptions | null | undefined, rankName: string): CpRegressionResult {
  opts = checkOptions(opts, OPTIONS, 'cpRegression');
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) throw new ArgumentError(`${rankName} must be a positive integer; got ${describe(rank)}`);
  const tol = checkNumberOption(opts.tol ?? 1e-6, 'tol', 0);
  const reg = checkNumberOption(opts.regW ?? 1, 'regW', 0);
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 1);
  const progress = StepProgress.from('cpRegression', opts, nIterMax);
  progress.check();
  const rng = toRng(opts.seed);
  const { X: xi, Y: yi } = checkXy(X, y);
  const shape = xi.shape;
  const N = shape.length - 1;
  let W: tf.Tensor2D[] = [];
  try {
    for (const d of shape.slice(1)) checkAllocation(d * rank, `${rankName} = ${rank}: a weight factor (${d} x ${rank})`, RankError);
    W = shape.slice(1).map((d) => normalTensor([d, rank], rng) as tf.Tensor2D);
    const normHistory: number[] = [];
    let it = 0;
    progress.begin();
    for (; it < nIterMax; it++) {
      for (let i = 0; i < N; i++) {
        const phi = tf.tidy(() => {
          const perm = [0, i + 1, ...[...Array(N).keys()].filter((k) => k !== i).map((k) => k + 1)];
          const xm = tf.reshape(tf.transpose(xi.t, perm), [shape[0] * shape[i + 1], -1]);
          const kr = N === 1 ? tf.ones([1, rank]) : khatriRao(W, { skipMatrix: i });
          return tf.reshape(tf.matMul(xm, kr), [shape[0], shape[i + 1] * rank]) as tf.Tensor2D;
        });
        ridgeUpdateFactor(W, i, phi, yi.t as tf.Tensor1D, reg, rank);
      }
      const stop = recordNormAndCheckStop(normHistory, tf.tidy(() => tf.norm(cpToTensor({ weights: null, factors: W }))), it, tol);
      progress.step(it + 1);
      if (stop) {
        it++;
        break;
      }
    }
    const cp = new CPTensor(null, W);
    W = [];
    return { cp, normHistory, nIterations: Math.min(it, nIterMax) };
  } finally {
    tf.dispose(W);
    releaseInput(yi);
    releaseInput(xi);
  }
}

/** TensorLy's `CPRegressor`: options in the constructor, `fit(X, y)`, `predict(X)`, `dispose()`. */
export class CPRegressor {
  result: CpRegressionResult | null = null;
  constructor(readonly weightRank: number, readonly options: CpRegressionOptions = {}) {}

  fit(X: TensorLike, y: TensorLike): this {
    const r = fitCpRegression(X, y, this.weightRank, this.options, 'weightRank');
    this.dispose();
    this.result = r;
    return this;
  }

  /** `<X_n, W>` per sample. @throws ArgumentError before `fit`; ShapeError for a wrong X shape. */
  predict(X: TensorLike): tf.Tensor1D {
    if (!this.result) throw new ArgumentError('CPRegressor.predict: call fit first');
    const cp = this.result.cp;
    return predictSamples(X, () => cp.toTensor());
  }

  dispose(): void {
    this.result?.cp.dispose();
    this.result = null;
  }
}
