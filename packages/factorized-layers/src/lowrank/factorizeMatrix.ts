/**
 * Data-aware low-rank factorization of a linear map, after Composer's
 * `composer.algorithms.factorize.factorize_core` (`LowRankSolution`, `factorize_matrix`).
 * The structure is that of Zhang, Zou, He & Sun, "Accelerating Very Deep Convolutional
 * Networks for Classification and Detection", TPAMI 2016.
 */
import { tf } from '@tenfold/core';
import { ArgumentError, RankError, ShapeError, assertFinite, describe, svd, tidyObject, toTensor, type TensorLike } from '@tenfold/core';
import { MAX_ITERATIONS, StepProgress, checkOptions, optionKeys, type ProgressCallback } from '../internal/checks.js';
import { lstsqFromGram, matMulT, minNormLstsq, tMatMul } from './gramSolve.js';

/**
 * A factorized linear operator `x ↦ x Wa Wb + bias` (Composer's `LowRankSolution`).
 *
 * - `wa`: the first operator (`[D, rank]` for a matrix, `(rank, C, kh, kw)` for a conv);
 *   when a skip rule fired, the single full operator (`[D, M]`) or the unchanged input.
 * - `wb`: the second operator (`[rank, M]`, or `(out, rank, 1, 1)` for a conv); null when
 *   `wa` is a single full operator.
 * - `bias`: added after `wb` (null when there is none).
 * - `rank`: the latent size, or -1 when a skip rule fired (Composer's convention).
 * - `nmse`: `mean((Y - Ŷ)²) / var(Y)` of the returned operator on the data, with `Y` the
 *   target as given (including its bias) and the unbiased variance over all elements.
 * - `composerNmse`: the value Composer reports, which differs in two documented ways: with a
 *   `bias` argument it measures against `Y - bias` while `Ŷ` includes the bias (so the
 *   offset counts as error), and both skip rules leave it at 0.
 *
 * The object owns its tensors: call `dispose()`.
 */
export class LowRankSolution {
  constructor(
    public wa: tf.Tensor,
    public wb: tf.Tensor | null,
    public bias: tf.Tensor1D | null,
    public rank: number,
    public nmse: number,
    public composerNmse: number,
  ) {
    const live = (t: unknown, name: string, nullable: boolean) => {
      if (nullable && t === null) return;
      if (!(t instanceof tf.Tensor)) throw new ArgumentError(`LowRankSolution: ${name} must be a tf.Tensor${nullable ? ' or null' : ''}; got ${describe(t)}`);
      if (t.isDisposed) throw new ArgumentError(`LowRankSolution: ${name} is a disposed tensor`);
    };
    live(wa, 'wa', false);
    live(wb, 'wb', true);
    live(bias, 'bias', true);
    // -1 is Composer's "a skip rule fired"; otherwise the latent size.
    if (typeof rank !== 'number' || !Number.isInteger(rank) || (rank < 1 && rank !== -1)) {
      throw new ArgumentError(`LowRankSolution: rank must be a positive integer or -1 (skipped); got ${describe(rank)}`);
    }
    if (typeof nmse !== 'number') throw new ArgumentError(`LowRankSolution: nmse must be a number; got ${describe(nmse)}`);
    if (typeof composerNmse !== 'number') throw new ArgumentError(`LowRankSolution: composerNmse must be a number; got ${describe(composerNmse)}`);
  }

  /** Dispose `wa`, `wb` and `bias`. */
  dispose(): void {
    this.wa.dispose();
    this.wb?.dispose();
    this.bias?.dispose();
  }
}

export interface FactorizeMatrixOptions {
  /** Second factor `[d, M]`: `wa` (`[D, d]`) and `wb` are an already-factorized operator. */
  wb?: TensorLike | null;
  /** Bias `[M]` included in `y`. */
  bias?: TensorLike | null;
  /**
   * Latent size: an integer >= 1, or a fraction in (0, 1) of the input dimension `D`,
   * capped at the current latent size (`min(floor(rank D), wa.shape[1])`). Default 0.25.
   */
  rank?: number;
  /** Alternating least-squares sweeps. Default 3. */
  nIters?: number;
  /**
   * SVD used for the initialisation (core's `svd` methods). `'auto'` (default) is the exact
   * `'truncated'` SVD, as Composer, when `min(D, M) <= 512`, and `'randomized'` above, where
   * the exact host SVD dominates the run time; the ALS sweeps then refine the subspace.
   */
  svdMethod?: 'auto' | 'truncated' | 'randomized' | 'gram';
  /** Progress records: step 0 then one per ALS sweep (total nIters), no error (nmse is computed once, at the end). */
  onProgress?: ProgressCallback;
  /** Checked before the work and after every sweep; an aborted signal throws `AbortedError` (nothing leaks). */
  signal?: AbortSignal;
}

const FACTORIZE_MATRIX_OPTIONS = optionKeys<FactorizeMatrixOptions>()('wb', 'bias', 'rank', 'nIters', 'svdMethod', 'onProgress', 'signal');

/**
 * Resolve Composer's rank rule: a fraction `r < 1` becomes `min(floor(r D), latent)`,
 * otherwise the integer itself. Throws a RankError for 0, negatives, non-integers >= 1.
 */
export function resolveLowRank(rank: number, inputDim: number, latent: number, argName = 'rank'): number {
  for (const [name, v] of [['inputDim', inputDim], ['latent', latent]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${name} must be a positive integer; got ${describe(v)}`);
  }
  if (typeof rank !== 'number' || !Number.isFinite(rank) || rank <= 0) {
    throw new RankError(`${argName} must be a positive integer or a fraction in (0, 1); got ${describe(rank)}`);
  }
  if (rank < 1) {
    const k = Math.min(Math.floor(rank * inputDim), latent);
    if (k < 1) {
      throw new RankError(`${argName} ${rank} is a fraction of the input dimension ${inputDim} that rounds down to ${k}; the latent size must be >= 1`);
    }
    return k;
  }
  if (!Number.isInteger(rank)) {
    throw new RankError(`${argName} must be an integer when >= 1 (fractions must be < 1); got ${rank}`);
  }
  return rank;
}

/** `mean((r - shift)²) / var_unbiased(y)` over all elements, in float64. `shift` is per column. */
export function hostNmse(r: ArrayLike<number>, shift: ArrayLike<number> | null, y: ArrayLike<number>, cols: number): number {
  let num = 0;
  for (let i = 0; i < r.length; i++) {
    const d = r[i] - (shift ? shift[i % cols] : 0);
    num += d * d;
  }
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (y[i] - mean) ** 2;
  return num / r.length / (ss / (y.length - 1));
}

/** Largest min(D, M) for which `svdMethod: 'auto'` uses the exact SVD. */
const AUTO_EXACT_SVD = 512;

function checkFactorizeInputs(
  x: tf.Tensor,
  y: tf.Tensor,
  wa: tf.Tensor,
  wb: tf.Tensor | null,
  bias: tf.Tensor | null,
  nIters: number,
  svdMethod: unknown,
): void {
  if (x.rank !== 2) throw new ShapeError(`x must be 2-D [N, D]; got shape ${describe(x.shape)}`);
  if (y.rank !== 2) throw new ShapeError(`y must be 2-D [N, M]; got shape ${describe(y.shape)}`);
  if (y.shape[0] !== x.shape[0]) {
    throw new ShapeError(`y must have as many rows as x (${x.shape[0]}); got shape ${describe(y.shape)}`);
  }
  if (x.size === 0) throw new ShapeError(`x must have at least one sample and one feature; got shape ${describe(x.shape)}`);
  if (y.size === 0) throw new ShapeError(`y must have at least one column; got shape ${describe(y.shape)}`);
  const [, d] = x.shape;
  const m = y.shape[1];
  if (wb === null) {
    if (wa.rank !== 2 || wa.shape[0] !== d || wa.shape[1] !== m) {
      throw new ShapeError(`wa must be [D, M] = [${d}, ${m}] (no wb given); got shape ${describe(wa.shape)}`);
    }
  } else {
    if (wa.rank !== 2 || wa.shape[0] !== d) throw new ShapeError(`wa must be [D, d] with D = ${d} (wb given); got shape ${describe(wa.shape)}`);
    if (wb.rank !== 2 || wb.shape[0] !== wa.shape[1] || wb.shape[1] !== m) {
      throw new ShapeError(`wb must be [${wa.shape[1]}, ${m}] to follow wa and produce y's ${m} columns; got shape ${describe(wb.shape)}`);
    }
  }
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== m)) {
    throw new ShapeError(`bias must have shape [${m}]; got shape ${describe(bias.shape)}`);
  }
  if (svdMethod !== undefined && !(['auto', 'truncated', 'randomized', 'gram'] as unknown[]).includes(svdMethod)) {
    throw new ArgumentError(`opts.svdMethod must be 'auto', 'truncated', 'randomized' or 'gram'; got ${describe(svdMethod)}`);
  }
  if (!Number.isInteger(nIters) || nIters < 0 || nIters > MAX_ITERATIONS) {
    throw new ArgumentError(`opts.nIters must be an integer in [0, ${MAX_ITERATIONS}]; got ${describe(nIters)}`);
  }
  assertFinite(x, 'x');
  assertFinite(y, 'y');
  assertFinite(wa, 'wa');
  if (wb) assertFinite(wb, 'wb');
  if (bias) assertFinite(bias, 'bias');
}

/**
 * Approximate the linear map `x ↦ x W + b` (`W = wa` or `wa @ wb`) on data by a rank-`k`
 * product `x Wa Wb + bias`, minimising `||Y - (X Wa Wb + bias)||_F` for the targets `Y`.
 *
 * Exactly Composer's `factorize_matrix(X, Y, Wa, Wb, bias, rank, n_iters)`:
 * 1. `k = rank`, or `min(floor(rank D), wa.shape[1])` for a fractional rank.
 * 2. With a `bias`, `Y ← Y - bias`.
 * 3. Skip A: if `k >= D` or `k >= M`, a factorization cannot pay off: return the single
 *    matrix `lstsq(X, Y)` (`[D, M]`), `wb = null`, the original bias, rank -1.
 * 4. Skip B: if `k >= wa.shape[1]` (already that small), return the inputs, rank -1.
 * 5. SVD initialisation `W = U S Vᵀ`, `Wa = U_k √S_k`, `Wb = √S_k V_kᵀ` ("load balancing").
 * 6. `Ya = lstsq(X, Y)`; then `nIters` times: `Wb = lstsq(X Wa, Y)`, `Wa = lstsq(Wbᵀ, Yaᵀ)ᵀ`.
 * 7. `bias = mean(Y - X Wa Wb, axis 0)` (+ the original bias).
 *
 * All least squares are minimum-norm. They run through the normal equations: `XᵀX`, `XᵀY`
 * and the per-sweep `k x k` Gram matrices are backend matmuls, and only `k x k` (and once
 * `D x D`, or `N x N` when there are fewer samples than inputs) systems are factored on the
 * host in float64; a numerically singular system falls back to core's minimum-norm `lstsq`. `nmse` is the true normalised error; Composer's value
 * is `composerNmse` (see {@link LowRankSolution} and docs/fidelity/lowrank.md).
 *
 * Progress: task 'factorizeMatrix', step 0 after the checks, then one record per ALS sweep
 * (total nIters; none after a skip rule), no error field.
 *
 * @param x inputs `[N, D]` (rows are samples).
 * @param y targets `[N, M]`, usually `x W + b`.
 * @param wa the matrix `[D, M]`, or the first factor `[D, d]` when `opts.wb` is given.
 */
export function factorizeMatrix(x: TensorLike, y: TensorLike, wa: TensorLike, options: FactorizeMatrixOptions | null = {}): LowRankSolution {
  const opts = checkOptions(options, FACTORIZE_MATRIX_OPTIONS, 'factorizeMatrix');
  const nIters = opts.nIters ?? 3;
  if (!Number.isInteger(nIters) || nIters < 0 || nIters > MAX_ITERATIONS) {
    throw new ArgumentError(`opts.nIters must be an integer in [0, ${MAX_ITERATIONS}]; got ${describe(nIters)}`);
  }
  const progress = StepProgress.from('factorizeMatrix', opts, nIters);
  let k = 0;
  let nmse = 0;
  let composerNmse = 0;
  let rankOut = -1;
  const out = tidyObject((): { wa: tf.Tensor; wb: tf.Tensor | null; bias: tf.Tensor1D | null } => {
    const X = toTensor(x, 'x') as tf.Tensor2D;
    const Y0 = toTensor(y, 'y') as tf.Tensor2D;
    const WA = toTensor(wa, 'wa') as tf.Tensor2D;
    const WB = opts.wb == null ? null : (toTensor(opts.wb, 'opts.wb') as tf.Tensor2D);
    const B0 = opts.bias == null ? null : (toTensor(opts.bias, 'opts.bias') as tf.Tensor1D);
    checkFactorizeInputs(X, Y0, WA, WB, B0, nIters, opts.svdMethod);
    const [, D] = X.shape;
    const M = Y0.shape[1];
    k = resolveLowRank(opts.rank ?? 0.25, D, WA.shape[1]);
    progress.begin();

    const Y = B0 ? (tf.sub(Y0, B0) as tf.Tensor2D) : Y0;
    const yHost = Y0.dataSync();
    // Tall data: the D x D Gram matrix and XᵀY serve every sweep. Wide data (N < D): work
    // with X Wa directly and solve through X Xᵀ.
    const tall = X.shape[0] >= D;
    const needGram = tall && (nIters > 0 || k >= D || k >= M);
    const G = needGram ? tMatMul(X, X) : null;
    const C = needGram ? tMatMul(X, Y) : null;

    if (k >= D || k >= M) {
      const W = minNormLstsq(X, Y, G, C);
      const R = tf.sub(Y, tf.matMul(X, W));
      nmse = hostNmse(R.dataSync(), null, yHost, M);
      return { wa: W, wb: null, bias: B0 ? tf.clone(B0) : null };
    }
    if (k >= WA.shape[1]) {
      const prod = WB ? tf.matMul(tf.matMul(X, WA), WB) : tf.matMul(X, WA);
      nmse = hostNmse(tf.sub(Y, prod).dataSync(), null, yHost, M);
      return { wa: tf.clone(WA), wb: WB ? tf.clone(WB) : null, bias: B0 ? tf.clone(B0) : null };
    }

    // SVD initialisation, √s on each side.
    const W = WB ? tf.matMul(WA, WB) : WA;
    const method = opts.svdMethod ?? 'auto';
    const { u, s, vt } = svd(W, { rank: k, method: method === 'auto' ? (Math.min(D, M) <= AUTO_EXACT_SVD ? 'truncated' : 'randomized') : method });
    const sq = tf.sqrt(s);
    let fa = tf.mul(u, sq) as tf.Tensor2D;
    let fb = tf.mul(tf.reshape(sq, [k, 1]), vt) as tf.Tensor2D;

    const Ya = nIters > 0 ? minNormLstsq(X, Y, G, C) : null;
    for (let it = 0; it < nIters; it++) {
      const next = tf.tidy(() => {
        // Wb = lstsq(X Wa, Y): Gram WaᵀXᵀX Wa, right-hand side WaᵀXᵀY.
        const nb = G && C ? lstsqFromGram(tMatMul(fa, tf.matMul(G, fa)), tMatMul(fa, C), () => [tf.matMul(X, fa), Y]) : minNormLstsq(tf.matMul(X, fa), Y);
        // Wa = lstsq(Wbᵀ, Yaᵀ)ᵀ: Gram Wb Wbᵀ, right-hand side Wb Yaᵀ.
        const gramA = matMulT(nb, nb);
        const rhsA = matMulT(nb, Ya!);
        const naT = lstsqFromGram(gramA, rhsA, () => [tf.transpose(nb), tf.transpose(Ya!)]);
        return { fa: tf.transpose(naT) as tf.Tensor2D, fb: nb };
      });
      fa.dispose();
      fb.dispose();
      fa = next.fa;
      fb = next.fb;
      progress.step(it + 1);
    }
    const R = tf.sub(Y, tf.matMul(tf.matMul(X, fa), fb));
    const mean = tf.mean(R, 0) as tf.Tensor1D;
    const rHost = R.dataSync();
    const meanHost = mean.dataSync();
    nmse = hostNmse(rHost, meanHost, yHost, M);
    if (B0) {
      // Composer compares Y - b0 with Ŷ + b0: the residual it sees is R - mean - b0.
      const b0 = B0.dataSync();
      const shift = Float64Array.from(meanHost, (v, i) => v + b0[i]);
      composerNmse = hostNmse(rHost, shift, Y.dataSync(), M);
    } else {
      composerNmse = nmse;
    }
    rankOut = k;
    return { wa: fa, wb: fb, bias: (B0 ? tf.add(mean, B0) : mean) as tf.Tensor1D };
  });
  return new LowRankSolution(out.wa, out.wb, out.bias as tf.Tensor1D | null, rankOut, nmse, composerNmse);
}
