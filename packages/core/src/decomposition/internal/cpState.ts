/**
 * CP initialisation (TensorLy `initialize_cp`, `_cp.py`) and the host bookkeeping shared by
 * the CP algorithms: Gram matrices, weights, `cp_normalize` and the error identity.
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../../errors/index.js';
import { EPS32 } from '../../linalg/host.js';
import type { Rng } from '../../base/rng.js';
import { uniformTensor } from '../../base/rng.js';
import { CPTensor } from '../../tensors/index.js';
import { gramHost, toHost } from './float64Reductions.js';
import { matMulMaterialised } from './matMulMaterialised.js';
import { unfoldForSvd, unfoldT } from './unfoldings.js';
import { truncatedSvdHost } from '../../linalg/truncatedSvdHost.js';
import { hostZeros } from '../../linalg/host.js';
import { nndsvdHost } from '../../linalg/makeSvdNonNegative.js';
import { fromHostMatrix, readSync, readScalar } from '../../backend/transfer.js';

/** Working state of a CP algorithm: device factors, host weights and host Grams (float64). */
export interface CpState {
  factors: tf.Tensor2D[];
  weights: Float64Array;
  grams: HostMatrix[];
}

export function disposeState(s: CpState): void {
  for (const f of s.factors) if (!f.isDisposed) f.dispose();
}

/** Hand the state over to a CPTensor (which takes ownership of the factors). */
export function stateToCp(s: CpState): CPTensor {
  return new CPTensor(tf.tensor1d(Float32Array.from(s.weights)), s.factors);
}

/**
 * `cp_normalize` on the state, in place: the first factor absorbs the weights, every
 * column is divided by its norm (zero-norm columns by 1) and the norms multiply into the
 * weights. Norms come from the Gram diagonals, so only an element-wise scaling runs on
 * the backend; the Grams are rescaled on the host.
 */
export function normalizeState(s: CpState): void {
  const R = s.weights.length;
  const w = s.weights;
  const newW = new Float64Array(R).fill(1);
  s.factors = s.factors.map((f, k) => {
    const g = s.grams[k];
    const pre = k === 0 ? w : null;
    const scale = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      const a = pre ? pre[r] : 1;
      const n = Math.sqrt(Math.max(g.data[r * R + r], 0)) * Math.abs(a);
      newW[r] *= n;
      const div = n === 0 ? 1 : n;
      scale[r] = a / div;
    }
    for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) g.data[i * R + j] *= scale[i] * scale[j];
    const out = tf.tidy(() => tf.mul(f, tf.tensor2d(Float32Array.from(scale), [1, R]))) as tf.Tensor2D;
    f.dispose();
    return out;
  });
  s.weights = newW;
}

/** `||[w; F]||^2 = sum_ij w_i w_j prod_k G_k[i, j]` from the host Grams. */
export function cpSqNorm(s: CpState): number {
  const R = s.weights.length;
  let total = 0;
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < R; j++) {
      let p = s.weights[i] * s.weights[j];
      for (const g of s.grams) p *= g.data[i * R + j];
      total += p;
    }
  }
  return total;
}

/** Hadamard product of all Grams but `skip`, plus `l2 I`, scaled by `w w^T` (the ALS normal matrix). */
export function normalMatrix(s: CpState, skip: number, l2: number): HostMatrix {
  const R = s.weights.length;
  const v = hostZeros(R, R);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < R; j++) {
      let p = 1;
      s.grams.forEach((g, k) => {
        if (k !== skip) p *= g.data[i * R + j];
      });
      if (i === j) p += l2;
      v.data[i * R + j] = s.weights[i] * p * s.weights[j];
    }
  }
  return v;
}

/** Multiply the columns of a device matrix by host weights. */
export function scaleColumns(m: tf.Tensor2D, w: Float64Array): tf.Tensor2D {
  return tf.tidy(() => tf.mul(m, tf.tensor2d(Float32Array.from(w), [1, w.length]))) as tf.Tensor2D;
}

/**
 * NNDSVD (Boutsidis & Gallopoulos, "SVD based initialization: a head start for
 * nonnegative matrix factorization", Pattern Recognition 2008), TensorLy's
 * `make_svd_non_negative` with `nntype='nndsvda'`: entries below eps become `mean(Y)`.
 */
export function nndsvda(u: HostMatrix, s: Float64Array, vt: HostMatrix, meanY: number): HostMatrix {
  return nndsvdHost(u, s, vt, meanY, 'nndsvda').w;
}

export interface CpInitOptions {
  init: 'svd' | 'random' | CPTensor;
  svd: 'truncated' | 'randomized' | 'gram';
  rng: Rng;
  nonNegative: boolean;
  normalizeFactors: boolean;
  /** Mask for the SVD imputation (svd_interface's `mask`), or null. */
  mask: tf.Tensor | null;
  svdMaskRepeats: number;
}

/** Check a CPTensor given as `init` against the tensor's shape and the rank. */
export function checkCpInit(init: CPTensor, shape: readonly number[], rank: number): void {
  if (init.isDisposed) throw new ArgumentError('init is a disposed CPTensor');
  const ok = init.shape.length === shape.length && init.shape.every((d, i) => d === shape[i]);
  if (!ok) throw new ShapeError(`init must be a CPTensor of the tensor's shape ${describe([...shape])}; got shape ${describe(init.shape)}`);
  if (init.rank !== rank) throw new ShapeError(`init must have rank ${rank} (the requested rank); got rank ${init.rank}`);
}

/**
 * TensorLy `initialize_cp`:
 * - 'svd': factor m = the leading `rank` left singular vectors of `unfold(T, m)`
 *   (u-based sign flip); only mode 0 is scaled by the singular values; when the unfolding
 *   has fewer than `rank` singular vectors, U[0,1) columns are appended (TensorLy pads when
 *   `I_m < rank`). With `nonNegative`, NNDSVDa replaces U first (then the mode-0 scaling).
 * - 'random': U[0,1) factors (`random_cp(..., normalise_factors=False)`).
 * - a CPTensor: weights all one -> factors as given; otherwise every factor is multiplied
 *   by `prod(w)^(1/R)` and the weights dropped (TensorLy's rule, which does not preserve the
 *   reconstruction), returned without abs or normalisation.
 * Then abs (non-negative) and `cp_normalize` (normalizeFactors) for 'svd' / 'random'.
 */
export function initializeCpState(t: tf.Tensor, rank: number, o: CpInitOptions): CpState {
  const shape = t.shape;
  const N = shape.length;
  let factors: tf.Tensor2D[] = [];
  if (o.init instanceof CPTensor) {
    const w = Float64Array.from(readSync(o.init.weights));
    const allOne = w.every((v) => v === 1);
    let avg = 1;
    if (!allOne) {
      let p = 1;
      for (const v of w) p *= v;
      avg = Math.pow(p, 1 / rank);
    }
    factors = o.init.factors.map((f) => (allOne ? tf.clone(f) : (tf.mul(f, avg) as tf.Tensor2D)));
    return { factors, weights: new Float64Array(rank).fill(1), grams: factors.map(gramHost) };
  }
  try {
    if (o.init === 'random') {
      for (let m = 0; m < N; m++) factors.push(uniformTensor([shape[m], rank], o.rng) as tf.Tensor2D);
    } else {
      const meanY = o.nonNegative ? tf.tidy(() => readScalar(tf.mean(t))) : 0;
      for (let m = 0; m < N; m++) {
        const { y: y0, yT } = o.mask ? { y: unfoldT(t, m), yT: undefined } : unfoldForSvd(t, m, o.svd);
        const maskM = o.mask ? unfoldT(o.mask, m) : null;
        let y = y0;
        let res = truncatedSvdHost(y, rank, { method: o.svd, rng: o.rng, wantV: o.nonNegative || maskM !== null, yT });
        yT?.dispose();
        if (maskM) {
          // svd_interface's mask imputation: fill the missing entries from the current rank-k SVD and re-SVD.
          for (let rep = 0; rep < o.svdMaskRepeats; rep++) {
            const k = res.s.length;
            const us = hostZeros(res.u.rows, k);
            for (let i = 0; i < res.u.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = res.u.data[i * k + j] * res.s[j];
            const vt = res.vt as HostMatrix;
            const next = tf.tidy(() => {
              const rec = tf.matMul(fromHostMatrix(us), fromHostMatrix(vt));
              return tf.add(tf.mul(y, maskM), tf.mul(rec, tf.sub(1, maskM))) as tf.Tensor2D;
            });
            if (y !== y0) y.dispose();
            y = next;
            res = truncatedSvdHost(y, rank, { method: o.svd, rng: o.rng, wantV: true });
          }
        }
        if (y !== y0) y.dispose();
        y0.dispose();
        maskM?.dispose();
        let u = res.u;
        if (o.nonNegative) u = nndsvda(u, res.s, res.vt as HostMatrix, meanY);
        const k = u.cols;
        if (m === 0) for (let i = 0; i < u.rows; i++) for (let j = 0; j < k; j++) u.data[i * k + j] *= res.s[j];
        let f = fromHostMatrix(u);
        if (k < rank) {
          const pad = uniformTensor([shape[m], rank - k], o.rng);
          const cat = tf.concat([f, pad], 1) as tf.Tensor2D;
          f.dispose();
          pad.dispose();
          f = cat;
        }
        factors.push(f);
      }
    }
    if (o.nonNegative) factors = factors.map((f) => {
      const a = tf.abs(f) as tf.Tensor2D;
      f.dispose();
      return a;
    });
  } catch (err) {
    for (const f of factors) f.dispose();
    throw err;
  }
  const state: CpState = { factors, weights: new Float64Array(rank).fill(1), grams: factors.map(gramHost) };
  if (o.normalizeFactors) normalizeState(state);
  return state;
}

/** Q of the reduced QR of a device factor (for `orthogonalise`), on the host. */
export function orthonormalize(f: tf.Tensor2D, qr: (h: HostMatrix) => HostMatrix): tf.Tensor2D {
  return fromHostMatrix(qr(toHost(f)));
}

