/**
 * Tucker tensor regression: TensorLy 0.9 `regression.TuckerRegressor` (`tucker_regression.py`);
 * Li, Zhou & Li, "Tucker tensor regression and neuroimaging analysis", Stat. Biosci. 2018.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, RankError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { normalTensor, toRng } from '../base/rng.js';
import { kronecker } from '../tenalg/index.js';
import { unfold } from '../base/index.js';
import { TuckerTensor, tuckerToTensor } from '../tensors/index.js';
import { checkIntOption, checkIterations, checkOptions, checkNumberOption, releaseInput } from '../decomposition/internal/inputChecks.js';
import { StepProgress, checkAllocation, optionKeys } from '../checks/index.js';
import { checkXy, predictSamples, recordNormAndCheckStop, ridge, ridgeUpdateFactor } from './internal/ridgeProblem.js';
import type { CpRegressionOptions } from './cpRegression.js';

export type TuckerRegressionOptions = CpRegressionOptions;

const TUCKER_REGRESSION_OPTIONS = optionKeys<TuckerRegressionOptions>()('tol', 'regW', 'nIterMax', 'seed', 'onProgress', 'signal');

export interface TuckerRegressionResult {
  /** The weight tensor in Tucker form. */
  tucker: TuckerTensor;
  normHistory: number[];
  nIterations: number;
}

/**
 * Fit `y_n ~ <X_n, W>` with a Tucker weight tensor `W = [[G; U_1, ..., U_N]]` of ranks
 * `weightRanks` by alternating ridge regressions (TensorLy `TuckerRegressor.fit`): mode i uses
 * `phi = vec_n(unfold_i(X_n) (kron_{k != i} U_k) unfold_i(G)^T)`, then the core uses
 * `phi = vec(X_n)^T kron(U)`. Systems in float64 on the host. Scalar targets only.
 *
 * Progress: task 'tuckerRegression', one record per sweep (total nIterMax), no error field.
 *
 * @throws ShapeError for bad X / y shapes or ranks of the wrong length; ArgumentError;
 *   AbortedError when `signal` fires.
 */
export function tuckerRegression(X: TensorLike, y: TensorLike, weightRanks: readonly number[], opts: TuckerRegressionOptions = {}): TuckerRegressionResult {
  opts = checkOptions(opts, TUCKER_REGRESSION_OPTIONS, 'tuckerRegression');
  const tol = checkNumberOption(opts.tol ?? 1e-6, 'tol', 0);
  const reg = checkNumberOption(opts.regW ?? 1, 'regW', 0);
  const nIterMax = checkIterations(opts.nIterMax ?? 100, 'nIterMax', 1);
  const progress = StepProgress.from('tuckerRegression', opts, nIterMax);
  progress.check();
  const rng = toRng(opts.seed);
  const { X: xi, Y: yi } = checkXy(X, y);
  const shape = xi.shape;
  const N = shape.length - 1;
  let G: tf.Tensor | null = null;
  let W: tf.Tensor2D[] = [];
  try {
    if (!Array.isArray(weightRanks) || weightRanks.length !== N || weightRanks.some((r) => !Number.isInteger(r) || r < 1)) {
      throw new ShapeError(`weightRanks must hold ${N} positive integers (one per non-sample mode of X); got ${describe(weightRanks)}`);
    }
    if (N < 2) throw new ShapeError(`X must have at least 2 modes besides the samples for a Tucker weight; got shape ${describe(shape)}`);
    checkAllocation(weightRanks.reduce((a, r) => a * r, 1), `weightRanks = ${describe(weightRanks)}: the core`, RankError);
    shape.slice(1).forEach((d, k) => checkAllocation(d * weightRanks[k], `weightRanks = ${describe(weightRanks)}: factor ${k} (${d} x ${weightRanks[k]})`, RankError));
    G = normalTensor(weightRanks, rng);
    W = shape.slice(1).map((d, k) => normalTensor([d, weightRanks[k]], rng) as tf.Tensor2D);
    const normHistory: number[] = [];
    let it = 0;
    progress.begin();
    for (; it < nIterMax; it++) {
      for (let i = 0; i < N; i++) {
        const g = G as tf.Tensor;
        const phi = tf.tidy(() => {
          const perm = [0, i + 1, ...[...Array(N).keys()].filter((k) => k !== i).map((k) => k + 1)];
          const xm = tf.reshape(tf.transpose(xi.t, perm), [shape[0] * shape[i + 1], -1]);
          const kr = kronecker(W, { skipMatrix: i });
          const p = tf.matMul(xm, tf.matMul(kr, tf.transpose(unfold(g, i))));
          return tf.reshape(p, [shape[0], shape[i + 1] * weightRanks[i]]) as tf.Tensor2D;
        });
        ridgeUpdateFactor(W, i, phi, yi.t as tf.Tensor1D, reg, weightRanks[i]);
      }
      const phi = tf.tidy(() => tf.matMul(tf.reshape(xi.t, [shape[0], -1]), kronecker(W)) as tf.Tensor2D);
      const v = ridge(phi, yi.t as tf.Tensor1D, reg);
      phi.dispose();
      (G as tf.Tensor).dispose();
      G = tf.reshape(v, weightRanks as number[]);
      v.dispose();
      const g2 = G;
      const stop = recordNormAndCheckStop(normHistory, tf.tidy(() => tf.norm(tuckerToTensor({ core: g2, factors: W }))), it, tol);
      progress.step(it + 1);
      if (stop) {
        it++;
        break;
      }
    }
    const tucker = new TuckerTensor(G as tf.Tensor, W);
    G = null;
    W = [];
    return { tucker, normHistory, nIterations: Math.min(it, nIterMax) };
  } finally {
    G?.dispose();
    tf.dispose(W);
    releaseInput(yi);
    releaseInput(xi);
  }
}

/** TensorLy's `TuckerRegressor`: `fit(X, y)`, `predict(X)`, `dispose()`. */
export class TuckerRegressor {
  result: TuckerRegressionResult | null = null;
  constructor(readonly weightRanks: readonly number[], readonly options: TuckerRegressionOptions = {}) {}

  fit(X: TensorLike, y: TensorLike): this {
    const r = tuckerRegression(X, y, this.weightRanks, this.options);
    this.dispose();
    this.result = r;
    return this;
  }

  /** @throws ArgumentError before `fit`; ShapeError for a wrong X shape. */
  predict(X: TensorLike): tf.Tensor1D {
    if (!this.result) throw new ArgumentError('TuckerRegressor.predict: call fit first');
    const tk = this.result.tucker;
    return predictSamples(X, () => tk.toTensor());
  }

  dispose(): void {
    this.result?.tucker.dispose();
    this.result = null;
  }
}
