/**
 * The PARAFAC2 ALS engine on the host in float64 (Kiers, ten Berge & Bro 1999; TensorLy
 * 0.9 `_parafac2.py`). A PARAFAC2 problem is many small dense problems (one R x J_i SVD and
 * two R x J x J_i products per slice and iteration, then CP-ALS on an I x R x K tensor), so
 * per-slice tfjs ops and host round trips would dominate on the backend: the slices are
 * downloaded once, every step runs here, and the result is uploaded once.
 *
 * Slices are row-major `J_i x K` Float64Arrays; factors are HostMatrix `A (I x R)`,
 * `B (R x R)`, `C (K x R)`; projections are kept transposed (`parafac2Procrustes.ts`).
 */
import type { HostMatrix } from '../backend/transfer.js';
import { eighUnchecked, hostTranspose, hostZeros, svdUnchecked } from '../linalg/host.js';
import { hostAls, hostCpNormalize, type HostCpState } from './internal/cpAlsHost.js';
import { computeProjections, projectSlices, type HostSlices, type ProjectionT } from './parafac2Procrustes.js';
import { halsNnlsHost } from '../proximal/halsNnls.js';
import { throwIfAborted } from './internal/inputChecks.js';
import type { StepProgress } from '../checks/index.js';
import type { IterationCallback } from './cp.js';

export type { HostSlices } from './parafac2Procrustes.js';
export { materializeProjections, sliceGrams, withGramRoute } from './parafac2Procrustes.js';

/** A PARAFAC2 model on the host. */
export interface HostParafac2 {
  weights: Float64Array;
  factors: [HostMatrix, HostMatrix, HostMatrix];
  /** `P_i^T` (R x J_i), or its Gram-route factor ({@link ProjectionT}). */
  projectionsT: ProjectionT[];
}

export interface HostParafac2Options {
  nIterMax: number;
  tol: number;
  nIterParafac: number;
  normalizeFactors: boolean;
  /** Modes updated by HALS (non-negative); empty = plain ALS. */
  nnModes: number[];
  linesearch: boolean;
  needErrors: boolean;
  callback?: IterationCallback;
  signal?: AbortSignal;
  /** Progress records and the signal check of every iteration. */
  progress?: StepProgress;
}

/**
 * `||X - X_hat||` (not normalised) by `||X||^2 - 2 <X, X_hat> + ||X_hat||^2` (TensorLy
 * `_parafac2_reconstruction_error`), with the projected tensor of the model's projections:
 * `<X_i, X_hat_i> = sum_r a_ir (B^T Y_i C)_rr` and `||X_hat_i||^2 = a_i^T (B^T B * C^T C) a_i`
 * (`P_i^T P_i = I`), where `a_i = A[i] * w`. Without `y`, `knownInner` is `<X, X_hat>`
 * (from {@link computeProjections}, for unit weights).
 */
export function parafac2Error(normX2: number, model: { weights: Float64Array; factors: readonly HostMatrix[] }, y: Float64Array | null, knownInner = 0): number {
  const [A, B, C] = model.factors;
  const R = B.cols;
  const K = C.rows;
  const I = A.rows;
  const g = new Float64Array(R * R);
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < R; t++) {
      let bb = 0;
      for (let s = 0; s < R; s++) bb += B.data[s * R + r] * B.data[s * R + t];
      let cc = 0;
      for (let k = 0; k < K; k++) cc += C.data[k * R + r] * C.data[k * R + t];
      g[r * R + t] = bb * cc;
    }
  }
  const yc = new Float64Array(R * R);
  const a = new Float64Array(R);
  let inner = 0;
  let model2 = 0;
  for (let i = 0; i < I; i++) {
    for (let r = 0; r < R; r++) a[r] = A.data[i * R + r] * model.weights[r];
    for (let r = 0; r < R; r++) for (let t = 0; t < R; t++) model2 += a[r] * a[t] * g[r * R + t];
    if (!y) continue;
    // YC = Y_i C (R x R).
    const base = i * R * K;
    for (let s = 0; s < R; s++) {
      for (let r = 0; r < R; r++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += y[base + s * K + k] * C.data[k * R + r];
        yc[s * R + r] = acc;
      }
    }
    for (let r = 0; r < R; r++) {
      let d = 0;
      for (let s = 0; s < R; s++) d += B.data[s * R + r] * yc[s * R + r];
      inner += a[r] * d;
    }
  }
  if (!y) inner = knownInner;
  return Math.sqrt(Math.max(normX2 - 2 * inner + model2, 0));
}

/**
 * TensorLy's `init='svd'` (`grams`: every slice's `X_i^T X_i`): `A = 1`, `B = I`, `C` = the R leading left singular vectors
 * (svd_flip signs) of `sum_i X_i^T X_i` when `sum J_i > K`, else of `[X_0; ...; X_{I-1}]^T`
 * (same subspace, smaller matrix); then the projections of that model. The Gram's leading
 * vectors come from core's symmetric eigensolver (its SVD), the wide matrix's from the host SVD.
 */
export function svdInit(x: HostSlices, R: number, grams: readonly (Float64Array | null)[]): HostParafac2 {
  const K = x.K;
  const I = x.data.length;
  const total = x.rows.reduce((s, j) => s + j, 0);
  let m: HostMatrix;
  if (total > K) {
    m = hostZeros(K, K);
    for (const g of grams) {
      const gi = g as Float64Array;
      for (let k = 0; k < K * K; k++) m.data[k] += gi[k];
    }
  } else {
    m = hostZeros(K, total);
    let col = 0;
    x.data.forEach((xi, i) => {
      for (let j = 0; j < x.rows[i]; j++, col++) for (let a = 0; a < K; a++) m.data[a * total + col] = xi[j * K + a];
    });
  }
  let C: HostMatrix;
  if (total > K) {
    // The Gram is symmetric PSD: its SVD is its eigendecomposition (core's eigh, signed
    // as svd_flip does: largest-|.| entry of each vector positive), descending.
    const { vectors } = eighUnchecked(m, true);
    C = hostZeros(K, R);
    for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) C.data[k * R + r] = vectors.data[k * K + (K - 1 - r)];
  } else {
    C = svdUnchecked(m, R, true).u;
  }
  const A = hostZeros(I, R);
  A.data.fill(1);
  const B = hostZeros(R, R);
  for (let r = 0; r < R; r++) B.data[r * R + r] = 1;
  const factors: [HostMatrix, HostMatrix, HostMatrix] = [A, B, C];
  return { weights: new Float64Array(R).fill(1), factors, projectionsT: computeProjections(x, factors).projectionsT };
}

/** `n_iter_parafac` CP sweeps on the projected tensor from the current factors (TensorLy: `parafac` / `non_negative_parafac_hals` with `tol=1e-100`). */
function innerSweeps(y: Float64Array, shape: number[], factors: HostMatrix[], o: HostParafac2Options): HostMatrix[] {
  const R = factors[1].cols;
  const state: HostCpState = { factors: [...factors], weights: new Float64Array(R).fill(1) };
  const nn = o.nnModes;
  hostAls(y, shape, state, {
    nIterMax: o.nIterParafac,
    tol: 1e-100,
    l2Reg: 0,
    cvgCriterion: 'abs_rec_error',
    normalizeFactors: false,
    orthogonalise: -1,
    modes: [0, 1, 2],
    needErrors: true,
    modeSolver: nn.length === 0 ? undefined : (mode, m, v, current) => {
      if (!nn.includes(mode)) return null;
      const vt = hostTranspose(current);
      halsNnlsHost(hostTranspose(m), v, vt, 100, null, false);
      return hostTranspose(vt);
    },
  });
  return state.factors;
}

/**
 * PARAFAC2 ALS iterations in place on `model` (TensorLy `parafac2`'s loop): B absorbs the
 * weights; the projections are refitted; `nIterParafac` CP (or HALS) sweeps update A, B, C on
 * the projected tensor; on even iterations > 5 Bro's line search extrapolates the factors by
 * `iteration^(1/accPow)` and keeps the step if it lowers the error; then the optional
 * normalisation and the relative error. Returns the errors (TensorLy's `rec_errors`).
 */
export function parafac2Als(x: HostSlices, model: HostParafac2, o: HostParafac2Options): number[] {
  const I = x.data.length;
  const R = model.weights.length;
  const shape = [I, R, x.K];
  let normX2 = 0;
  for (const xi of x.data) for (let k = 0; k < xi.length; k++) normX2 += xi[k] * xi[k];
  const normX = Math.sqrt(normX2);
  const errors: number[] = [];
  o.progress?.begin();
  if (o.callback) {
    const e0 = parafac2Error(normX2, model, projectSlices(x, model.projectionsT)) / normX;
    if (o.callback({ iteration: 0, error: e0 }) === true) return errors;
  }
  let accPow = 2;
  let accFail = 0;
  // The projected tensor, refilled by every iteration.
  const y = new Float64Array(I * R * x.K);
  for (let iteration = 0; iteration < o.nIterMax; iteration++) {
    throwIfAborted(o.signal, 'parafac2');
    const B = model.factors[1];
    for (let s = 0; s < R; s++) for (let r = 0; r < R; r++) B.data[s * R + r] *= model.weights[r];
    model.weights = new Float64Array(R).fill(1);
    const lineIter = o.linesearch && iteration % 2 === 0 && iteration > 5;
    const last = lineIter ? model.factors.map((f) => ({ ...f, data: f.data.slice() })) : null;

    model.projectionsT = computeProjections(x, model.factors, y).projectionsT;
    model.factors = innerSweeps(y, shape, model.factors, o) as HostParafac2['factors'];

    if (last) {
      // Bro's line search: jump ahead along the change of this iteration.
      const jump = Math.pow(iteration, 1 / accPow);
      const cand = model.factors.map((f, n) => {
        const d = new Float64Array(f.data.length);
        const clip = o.nnModes.includes(n);
        for (let k = 0; k < d.length; k++) {
          const v = last[n].data[k] + (f.data[k] - last[n].data[k]) * jump;
          d[k] = clip && v < 0 ? 0 : v;
        }
        return { rows: f.rows, cols: f.cols, data: d };
      }) as HostParafac2['factors'];
      // Its projections' <X, X_hat> is sum_i ||M_i||_* (weights are ones here): no projected tensor needed.
      const candProj = computeProjections(x, cand);
      const candErr = parafac2Error(normX2, { weights: model.weights, factors: cand }, null, candProj.inner) / normX;
      if (candErr < errors[errors.length - 1]) {
        model.factors = cand;
        model.projectionsT = candProj.projectionsT;
        errors[errors.length - 1] = candErr;
        accFail = 0;
      } else if (++accFail === 4) {
        accPow += 1;
        accFail = 0;
      }
    }
    if (o.normalizeFactors) {
      const s: HostCpState = { factors: model.factors, weights: model.weights };
      hostCpNormalize(s);
      model.weights = s.weights;
    }
    if (o.needErrors && !lineIter) errors.push(parafac2Error(normX2, model, y) / normX);
    const stopByCallback = o.callback && errors.length > 0 ? o.callback({ iteration: iteration + 1, error: errors[errors.length - 1] }) === true : false;
    o.progress?.step(iteration + 1, errors.length > 0 ? errors[errors.length - 1] : undefined);
    if (o.tol > 0 && iteration >= 1 && Math.abs(errors[errors.length - 2] - errors[errors.length - 1]) < o.tol) break;
    if (stopByCallback) break;
  }
  return errors;
}
