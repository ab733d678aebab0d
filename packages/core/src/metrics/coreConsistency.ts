/**
 * Core consistency diagnostic (CORCONDIA) of a CP model: Bro & Kiers, "A new efficient method
 * for determining the number of components in PARAFAC models", J. Chemometrics 2003;
 * definitions as in TLViz `model_evaluation.core_consistency`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, readSync } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { svdUnchecked, EPS64 } from '../linalg/host.js';
import type { HostMatrix } from '../backend/transfer.js';
import { multiModeDot } from '../tenalg/index.js';
import type { CPTensorLike } from '../tensors/index.js';
import { checkCpArg } from '../tensors/cp.js';
import { assertFinite, checkOptions, optionKeys } from '../checks/index.js';

export interface CoreConsistencyOptions {
  /** false (default): `100 - 100 ||G - I||^2 / R` (Bro & Kiers); true: divide by `||G||^2` (N-way toolbox). */
  normalised?: boolean;
}

const CORE_CONSISTENCY_OPTIONS = optionKeys<CoreConsistencyOptions>()('normalised');

export interface CoreConsistencyResult {
  /** The core consistency in percent (100 = perfectly superdiagonal core). */
  coreConsistency: number;
  /** The least-squares Tucker core `G` of the CP factors, `(R, ..., R)`; the caller disposes it. */
  core: tf.Tensor;
}

/** Moore–Penrose pseudo-inverse by the float64 host SVD (cut-off `max(m, n) eps s_max`). */
export function hostPinv(a: HostMatrix): HostMatrix {
  const p = Math.min(a.rows, a.cols);
  const { u, s, vt } = svdUnchecked(a, p, false);
  const cutoff = Math.max(a.rows, a.cols) * EPS64 * (s[0] ?? 0);
  // pinv = V diag(1/s) U^T, (n x m).
  const out = new Float64Array(a.cols * a.rows);
  for (let k = 0; k < p; k++) {
    if (!(s[k] > cutoff)) continue;
    const inv = 1 / s[k];
    for (let i = 0; i < a.cols; i++) {
      const vik = vt.data[k * a.cols + i] * inv;
      if (vik === 0) continue;
      for (let j = 0; j < a.rows; j++) out[i * a.rows + j] += vik * u.data[j * p + k];
    }
  }
  return { rows: a.cols, cols: a.rows, data: out };
}

/**
 * Core consistency of a CP model `[[w; F_0, ..., F_{N-1}]]` of a data tensor `T`
 * (CORCONDIA; Bro & Kiers 2003): with the weights multiplied into `F_0`, the least-squares
 * Tucker core for the CP factors is `G = T x_0 pinv(F_0) x_1 ... x_{N-1} pinv(F_{N-1})`, and
 *
 *   CC = 100 (1 - ||G - I||^2 / R)         (Bro & Kiers; TLViz `normalised=False`)
 *   CC = 100 (1 - ||G - I||^2 / ||G||^2)   (N-way toolbox; TLViz `normalised=True`)
 *
 * with `I` the superdiagonal ones tensor. Near 100 at an appropriate rank; it drops (often
 * below 0) when the model has more components than the data support. The pseudo-inverses
 * are float64 SVDs on the host (over-ranked fits have ill-conditioned factors); the mode
 * products run on the backend.
 *
 * @throws ShapeError when the model's shape differs from the tensor's;
 *   ArgumentError for a bad option or a malformed/disposed `cp`; NonFiniteError for NaN or
 *   Inf in `tensor` or `cp` (checked on entry)
 */
export function coreConsistency(tensor: TensorLike, cp: CPTensorLike, options: CoreConsistencyOptions | null = {}): CoreConsistencyResult {
  const opts = checkOptions(options, CORE_CONSISTENCY_OPTIONS, 'coreConsistency');
  const normalised = opts.normalised ?? false;
  if (typeof normalised !== 'boolean') throw new ArgumentError(`normalised must be true or false; got ${describe(normalised)}`);
  tf.tidy(() => assertFinite(toTensor(tensor, 'tensor'), 'tensor'));
  checkCpArg(cp, 'cp', 'always');
  const core = tf.tidy(() => {
    const t = toTensor(tensor, 'tensor');
    const factors = cp.factors.map((f, i) => toTensor(f, `cp.factors[${i}]`));
    if (factors.length !== t.rank) throw new ShapeError(`cp must have one factor per mode of tensor (${t.rank}); got ${factors.length}`);
    const R = factors[0].shape[1] as number;
    factors.forEach((f, i) => {
      if (f.rank !== 2 || f.shape[0] !== t.shape[i] || f.shape[1] !== R) {
        throw new ShapeError(`cp.factors[${i}] must have shape (${t.shape[i]}, ${R}); got ${describe(f.shape)}`);
      }
    });
    const w = cp.weights === null || cp.weights === undefined ? null : toTensor(cp.weights, 'cp.weights');
    if (w && (w.rank !== 1 || w.shape[0] !== R)) throw new ShapeError(`cp.weights must have length ${R}; got shape ${describe(w.shape)}`);
    const f0 = w ? tf.mul(factors[0], w) : factors[0];
    const pinvs = [f0, ...factors.slice(1)].map((f) => fromHostMatrix(hostPinv(toHostMatrix(f))));
    return multiModeDot(t, pinvs);
  });
  const g = Float64Array.from(readSync(core));
  const R = core.shape[0] as number;
  const N = core.rank;
  let diff = 0;
  let gg = 0;
  const stride = (Math.pow(R, N) - 1) / (R - 1 || 1);
  for (let i = 0; i < g.length; i++) {
    const target = R === 1 || i % stride === 0 ? 1 : 0;
    diff += (g[i] - target) ** 2;
    gg += g[i] ** 2;
  }
  const denom = normalised ? gg : R;
  return { coreConsistency: 100 - (100 * diff) / denom, core };
}

/**
 * Explained variance (fit) of a model: `1 - ||T - T_hat||^2 / ||T||^2` (TensorLy's
 * `R2_score`, TLViz `model_evaluation.fit`). `reconstruction` is the model's full tensor.
 *
 * @throws ShapeError when the shapes differ
 */
export function explainedVariance(tensor: TensorLike, reconstruction: TensorLike): number {
  const r = tf.tidy(() => {
    const t = toTensor(tensor, 'tensor');
    const h = toTensor(reconstruction, 'reconstruction');
    if (t.shape.length !== h.shape.length || t.shape.some((d, i) => d !== h.shape[i])) {
      throw new ShapeError(`reconstruction must have the tensor's shape ${describe(t.shape)}; got ${describe(h.shape)}`);
    }
    return tf.stack([tf.sum(tf.square(tf.sub(t, h))), tf.sum(tf.square(t))]);
  });
  const [num, den] = readSync(r);
  r.dispose();
  return den > 0 ? 1 - num / den : 0;
}

