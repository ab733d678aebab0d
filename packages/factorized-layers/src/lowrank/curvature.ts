/**
 * Curvature-weighted low-rank transfer: the rank-`r` weight that loses the least loss under a
 * Kronecker-factored (KFAC) curvature model. Tenfold's own (no anchor has it); the math is in
 * docs/guide-curvature.md. The curvature model is that of Martens & Grosse, "Optimizing Neural
 * Networks with Kronecker-factored Approximate Curvature", ICML 2015.
 */
import { ArgumentError, RankError, ShapeError, assertFinite, describe, fromHostMatrix, hostEigh, hostMatmul, hostSvd, tf, toHostMatrix, toTensor, type HostMatrix, type TensorLike } from '@tenfold/core';
import { checkNumberOption, checkOptions, optionKeys } from '../internal/checks.js';
import { LowRankSolution, resolveLowRank } from './factorizeMatrix.js';

export interface CurvatureLowRankOptions {
  /**
   * Tikhonov damping of each factor, relative to its mean eigenvalue: `A + δ (tr A / D) I`
   * (likewise `G`). Relative because the minimiser does not change when `A` or `G` is scaled.
   * It keeps directions the calibration data never excited from being discarded. Default 1e-3.
   */
  damping?: number;
  /** Bias `[M]` carried into the solution unchanged (the weighting does not move it). */
  bias?: TensorLike | null;
}

const CURVATURE_LOW_RANK_OPTIONS = optionKeys<CurvatureLowRankOptions>()('damping', 'bias');

/**
 * A {@link LowRankSolution} from {@link curvatureWeightedLowRank}. It saw no data, so `nmse`
 * and `composerNmse` are NaN; `weightedError` is `||G^{1/2}(W - W_r)A^{1/2}||_F / ||G^{1/2} W A^{1/2}||_F`
 * with the damped factors.
 */
export class CurvatureLowRankSolution extends LowRankSolution {
  constructor(wa: tf.Tensor, wb: tf.Tensor, bias: tf.Tensor1D | null, rank: number, public weightedError: number) {
    super(wa, wb, bias, rank, NaN, NaN);
  }
}

/** `Q diag(f(λ)) Qᵀ` of a host eigendecomposition. */
function spectralFunction(q: HostMatrix, values: Float64Array, f: (v: number) => number): HostMatrix {
  const n = q.rows;
  const scaled = new Float64Array(n * n);
  const fv = Array.from(values, f);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = q.data[i * n + j] * fv[j];
  return hostMatmul({ rows: n, cols: n, data: scaled }, q, false, true);
}

/**
 * Damped symmetric square root and inverse square root of a PSD factor (float64, core's
 * `hostEigh`). Negative eigenvalues (float32 round-off in a Gram matrix) are clipped to 0; an
 * all-zero factor (a layer the data never reached) is treated as the identity.
 */
export function dampedSqrtPair(factor: Float64Array, n: number, damping: number): { sqrt: HostMatrix; invSqrt: HostMatrix } {
  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sym[i * n + j] = 0.5 * (factor[i * n + j] + factor[j * n + i]);
  const { values, vectors } = hostEigh({ rows: n, cols: n, data: sym });
  const clipped = Array.from(values, (v) => Math.max(v, 0));
  const mean = clipped.reduce((a, b) => a + b, 0) / n;
  const max = Math.max(...clipped);
  if (!(max > 0)) clipped.fill(1);
  const shift = max > 0 ? damping * mean : 0;
  // Without damping a singular factor gets a floor, so that its inverse square root stays finite.
  const floor = max > 0 ? max * n * 1e-15 : 0;
  const lam = Float64Array.from(clipped, (v) => Math.max(v + shift, floor));
  return { sqrt: spectralFunction(vectors, lam, Math.sqrt), invSqrt: spectralFunction(vectors, lam, (v) => 1 / Math.sqrt(v)) };
}

function checkFactor(t: tf.Tensor, n: number, argName: string, role: string): void {
  if (t.rank !== 2 || t.shape[0] !== n || t.shape[1] !== n) {
    throw new ShapeError(`${argName} must be [${n}, ${n}] (${role}); got shape ${describe(t.shape)}`);
  }
}

/**
 * The rank-`r` weight closest to `W` in the KFAC curvature norm:
 *
 *   `W_r = argmin_{rank(X) <= r} || A^{1/2} (W - X) G^{1/2} ||_F`
 *
 * for `W` in the `x ↦ x W` layout (`[D, M]`, a tfjs Dense kernel), `A = E[a aᵀ]` (`[D, D]`,
 * the input factor) and `G = E[g gᵀ]` (`[M, M]`, the output factor). Under the KFAC model
 * `F ≈ A ⊗ G` (Martens & Grosse 2015) the second-order loss increase of replacing `W` by `X`
 * is `½ vec(W - X)ᵀ (A ⊗ G) vec(W - X) = ½ ||A^{1/2}(W - X)G^{1/2}||_F²`, so `W_r` is the
 * transfer that the loss (not the weight or the layer output) notices least.
 *
 * Closed form: the map `X ↦ A^{1/2} X G^{1/2}` is invertible (damped factors) and preserves
 * rank, so with `P = A^{1/2} W G^{1/2} = U S Vᵀ` (Eckart–Young) the minimiser is
 * `W_r = A^{-1/2} U_r S_r V_rᵀ G^{-1/2}`, returned load-balanced as
 * `Wa = A^{-1/2} U_r √S_r` (`[D, r]`) and `Wb = √S_r V_rᵀ G^{-1/2}` (`[r, M]`). With
 * `A = G = I` this is the truncated SVD; at full rank it is `W`. Eigendecompositions and SVD
 * run in float64 on the host (core's `hostEigh`, `hostSvd`).
 *
 * For a conv, `weight` is `(out, C, kh, kw)` (torch layout, as {@link factorizeConv2d}),
 * `A` is over the im2col patch columns in `(c, kh, kw)` order (`D = C kh kw`, see
 * `extractPatches`) and `G` over the output channels; the result is `wa` `(r, C, kh, kw)`,
 * `wb` `(out, r, 1, 1)`, the layouts of the Conv2D low-rank pair ({@link lowRankConvSpecs}).
 *
 * @param weight `[D, M]`, or `(out, C, kh, kw)` for a conv.
 * @param inputFactor `A`, symmetric PSD `[D, D]` (e.g. `kfacFactors(...).inputFactor`).
 * @param outputFactor `G`, symmetric PSD `[M, M]`.
 * @param rank an integer in `[1, min(D, M)]` or a fraction in (0, 1) of `D` (as {@link factorizeMatrix}).
 * @throws ShapeError for a weight that is not 2-D/4-D or factors of the wrong size.
 * @throws RankError for a rank outside `[1, min(D, M)]`.
 * @throws ArgumentError for unknown options or a negative damping; NonFiniteError for NaN/Inf.
 */
export function curvatureWeightedLowRank(
  weight: TensorLike,
  inputFactor: TensorLike,
  outputFactor: TensorLike,
  rank: number,
  options: CurvatureLowRankOptions | null = {},
): CurvatureLowRankSolution {
  const opts = checkOptions(options, CURVATURE_LOW_RANK_OPTIONS, 'curvatureWeightedLowRank');
  const damping = opts.damping === undefined ? 1e-3 : checkNumberOption(opts.damping, 'opts.damping', 0);
  let weightedError = NaN;
  let k = 0;
  const out = tf.tidy((): tf.Tensor[] => {
    const w = toTensor(weight, 'weight');
    const a = toTensor(inputFactor, 'inputFactor');
    const g = toTensor(outputFactor, 'outputFactor');
    const bias = opts.bias == null ? null : toTensor(opts.bias, 'opts.bias');
    if (w.rank !== 2 && w.rank !== 4) throw new ShapeError(`weight must be 2-D [D, M] or a 4-D conv weight (out, C, kh, kw); got shape ${describe(w.shape)}`);
    const conv = w.rank === 4;
    // The matrix in the x W layout: a conv weight is W.reshape(out, -1)ᵀ, rows in (c, kh, kw) order.
    const mat = (conv ? tf.transpose(tf.reshape(w, [w.shape[0], -1])) : w) as tf.Tensor2D;
    const [d, m] = mat.shape;
    checkFactor(a, d, 'inputFactor', conv ? 'C kh kw of the conv weight' : "weight's rows");
    checkFactor(g, m, 'outputFactor', conv ? "the conv's output channels" : "weight's columns");
    if (bias && (bias.rank !== 1 || bias.shape[0] !== m)) throw new ShapeError(`opts.bias must have shape [${m}]; got shape ${describe(bias.shape)}`);
    k = resolveLowRank(rank, d, Math.min(d, m));
    if (k > Math.min(d, m)) throw new RankError(`rank must be at most min(D, M) = ${Math.min(d, m)}; got ${rank}`);
    assertFinite(mat, 'weight');
    assertFinite(a, 'inputFactor');
    assertFinite(g, 'outputFactor');
    if (bias) assertFinite(bias, 'opts.bias');

    const A = dampedSqrtPair(toHostMatrix(a).data, d, damping);
    const G = dampedSqrtPair(toHostMatrix(g).data, m, damping);
    const W = toHostMatrix(mat);
    const P = hostMatmul(hostMatmul(A.sqrt, W), G.sqrt);
    const full = hostSvd(P);
    const s = full.s;
    let total = 0;
    let tail = 0;
    for (let i = 0; i < s.length; i++) {
      total += s[i] * s[i];
      if (i >= k) tail += s[i] * s[i];
    }
    weightedError = total > 0 ? Math.sqrt(tail / total) : 0;
    // U_r √S_r and √S_r V_rᵀ, then back through the inverse square roots.
    const p = full.u.cols;
    const ur = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) ur[i * k + j] = full.u.data[i * p + j] * Math.sqrt(s[j]);
    const vr = new Float64Array(k * m);
    for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) vr[i * m + j] = full.vt.data[i * m + j] * Math.sqrt(s[i]);
    const wa = hostMatmul(A.invSqrt, { rows: d, cols: k, data: ur });
    const wb = hostMatmul({ rows: k, cols: m, data: vr }, G.invSqrt);
    let ta: tf.Tensor = fromHostMatrix(wa);
    let tb: tf.Tensor = fromHostMatrix(wb);
    if (conv) {
      const [, c, kh, kw] = w.shape;
      ta = tf.reshape(tf.transpose(ta), [k, c, kh, kw]);
      tb = tf.reshape(tf.transpose(tb), [m, k, 1, 1]);
    }
    return bias ? [ta, tb, tf.clone(bias)] : [ta, tb];
  });
  const [wa, wb, bias = null] = out as [tf.Tensor, tf.Tensor, tf.Tensor1D?];
  if (!Number.isFinite(weightedError)) {
    tf.dispose(out);
    throw new ArgumentError(`curvatureWeightedLowRank: the weighted problem is numerically singular; raise opts.damping (got ${damping})`);
  }
  return new CurvatureLowRankSolution(wa, wb, bias, k, weightedError);
}
