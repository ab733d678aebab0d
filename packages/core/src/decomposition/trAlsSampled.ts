/**
 * Tensor-ring decomposition by sampled alternating least squares: TensorLy 0.9
 * `tensor_ring_als_sampled` (`_tr_als.py`), TR-ALS-Sampled of Malik & Becker, "A
 * Sampling-Based Method for Tensor Ring Decomposition", ICML 2021 (PMLR 139:7400-7411).
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { checkAllocation } from '../checks/limits.js';
import type { HostMatrix } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { EPS64, lstsqUnchecked, svdUnchecked } from '../linalg/host.js';
import type { Rng } from '../base/rng.js';
import { TRTensor, type RankSpec } from '../tensors/index.js';
import { checkBoolOption, checkInputTensor, checkOptions, releaseInput } from './internal/inputChecks.js';
import { TR_ALS_COMMON_OPTIONS, checkTrAlsOptions, fullRelativeError, initialCores, resolveTrRanks, runAlsLoop, tensorNorm, type TensorRingAlsCommonOptions } from './internal/trAlsCommon.js';
import { coreFromSolution, cyclicOrder } from './trAls.js';
import { optionKeys } from '../checks/index.js';

export interface TensorRingAlsSampledOptions extends TensorRingAlsCommonOptions {
  /** Uniform instead of leverage-score sampling (default false). */
  uniformSampling?: boolean;
  /** Estimate the error from the last sampled problem instead of the full reconstruction (default false). */
  randomizedError?: boolean;
}

const TR_ALS_SAMPLED_OPTIONS = optionKeys<TensorRingAlsSampledOptions>()(...TR_ALS_COMMON_OPTIONS, 'uniformSampling', 'randomizedError');

/**
 * Leverage-score distribution of the rows of a host matrix (TensorLy
 * `leverage_score_dist`): `||U_i,:k||^2 / k` with `U` the left singular vectors and `k` the
 * numerical rank (singular values above `s_max max(m, n) eps64`).
 */
export function leverageScoreDist(m: HostMatrix): Float64Array {
  const p = Math.min(m.rows, m.cols);
  const { u, s } = svdUnchecked(m, p, false);
  const cutoff = s[0] * Math.max(m.rows, m.cols) * EPS64;
  let k = 0;
  for (let j = 0; j < p; j++) if (s[j] > cutoff) k = j + 1;
  const out = new Float64Array(m.rows);
  if (k === 0) return out.fill(1 / m.rows);
  for (let i = 0; i < m.rows; i++) {
    let acc = 0;
    for (let j = 0; j < k; j++) acc += u.data[i * p + j] ** 2;
    out[i] = acc / k;
  }
  return out;
}

/** A core `(r, I, r')` on the host as its mode-1 matricization `(I, r r')`. */
function coreRows(core: Float64Array, r: number, iN: number, r1: number): HostMatrix {
  const out = new Float64Array(iN * r * r1);
  for (let a = 0; a < r; a++) for (let i = 0; i < iN; i++) for (let b = 0; b < r1; b++) out[i * r * r1 + a * r1 + b] = core[(a * iN + i) * r1 + b];
  return { rows: iN, cols: r * r1, data: out };
}

/** One draw from a discrete distribution by inversion (numpy `choice(p=...)`). */
function drawIndex(cdf: Float64Array, rng: Rng): number {
  const u = rng.random() * cdf[cdf.length - 1];
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulative(p: Float64Array): Float64Array {
  const c = new Float64Array(p.length);
  let acc = 0;
  p.forEach((v, i) => {
    acc += v;
    c[i] = acc;
  });
  return c;
}

/**
 * Tensor ring by sampled ALS (Malik & Becker 2021; TensorLy `tensor_ring_als_sampled`).
 * Each core update solves a least-squares problem on `nSamples` rows of the design matrix,
 * drawn mode by mode from the leverage-score distributions of the other cores' mode-1
 * matricizations (or uniformly); repeated rows are merged with weight
 * `sqrt(count / nSamples) / prod sqrt(p_m(i_m))`. The sampled design rows are products of
 * core slices `G_{n+1}[:, i_{n+1}, :] ... G_{n-1}[:, i_{n-1}, :]` built on the host in float64,
 * the sampled tensor fibres gathered on the backend, and the small problem solved by
 * minimum-norm `lstsq` on the host. The error of a sweep is the exact `||T - TR|| / ||T||`
 * (or, with `randomizedError`, the last sampled residual). Sampling draws from the seeded
 * generator, so a seed reproduces a run (not TensorLy's NumPy stream).
 *
 * @param nSamples rows per least-squares problem: one integer for every mode or one per mode.
 * Progress: task 'tensorRingAlsSampled', one record per sweep, total nIterMax, error when computed (tol > 0 or callback).
 *
 * @returns a TRTensor (the caller disposes it).
 * @throws ArgumentError for bad `nSamples` or options; RankError, ShapeError,
 *   NonFiniteError, AbortedError as {@link tensorRingAls}.
 */
export function tensorRingAlsSampled(tensor: TensorLike, rank: RankSpec, nSamples: number | number[], opts: TensorRingAlsSampledOptions = {}): TRTensor {
  opts = checkOptions(opts, TR_ALS_SAMPLED_OPTIONS, 'tensorRingAlsSampled');
  const uniform = checkBoolOption(opts.uniformSampling ?? false, 'uniformSampling');
  const randomizedError = checkBoolOption(opts.randomizedError ?? false, 'randomizedError');
  const o = checkTrAlsOptions(opts, 'tensorRingAlsSampled');
  const input = checkInputTensor(tensor, 'tensor', 2);
  let cores: tf.Tensor3D[] = [];
  try {
    const shape = input.shape;
    const ndim = shape.length;
    const samples = typeof nSamples === 'number' ? new Array<number>(ndim).fill(nSamples) : nSamples;
    if (!Array.isArray(samples) || samples.length !== ndim || !samples.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new ArgumentError(`nSamples must be a positive integer or a list of ${ndim} positive integers; got ${describe(nSamples)}`);
    }
    samples.forEach((s) => checkAllocation(s, `nSamples = ${s} sampled rows`));
    const ranks = resolveTrRanks(shape, rank);
    cores = initialCores(shape, ranks, o.init, o.rng);
    const host: Float64Array[] = cores.map((c) => Float64Array.from(readSync(c)));
    const normT = tensorNorm(input.t) || 1;
    const flat = tf.reshape(input.t, [-1]);
    const strides = shape.map((_, m) => shape.slice(m + 1).reduce((a, b) => a * b, 1));
    const probs: Float64Array[] = shape.map((d, m) => (uniform ? new Float64Array(d).fill(1 / d) : leverageScoreDist(coreRows(host[m], ranks[m], d, ranks[m + 1]))));
    let lastResidual = NaN;

    const updateCore = (n: number): void => {
      const others = cyclicOrder(n, ndim);
      const cdfs = others.map((m) => cumulative(probs[m]));
      // Draw, then merge repeated index tuples.
      const counts = new Map<string, { idx: number[]; count: number }>();
      for (let s = 0; s < samples[n]; s++) {
        const idx = cdfs.map((c) => drawIndex(c, o.rng));
        const key = idx.join(',');
        const hit = counts.get(key);
        if (hit) hit.count++;
        else counts.set(key, { idx, count: 1 });
      }
      const rows = [...counts.values()];
      const rn = ranks[n];
      const rn1 = ranks[n + 1];
      const cols = rn * rn1;
      // Design rows: the product of the sampled slices, (r_{n+1} x r_n), stored at (a, b) = M[b, a].
      const a: HostMatrix = { rows: rows.length, cols, data: new Float64Array(rows.length * cols) };
      const scale = new Float64Array(rows.length);
      rows.forEach(({ idx, count }, row) => {
        let w = Math.sqrt(count / samples[n]);
        let mat = new Float64Array(0);
        let mr = 0;
        let mc = 0;
        others.forEach((m, j) => {
          const i = idx[j];
          w /= Math.sqrt(probs[m][i]);
          const r0 = ranks[m];
          const r1 = ranks[m + 1];
          const slice = new Float64Array(r0 * r1);
          for (let p = 0; p < r0; p++) for (let q = 0; q < r1; q++) slice[p * r1 + q] = host[m][(p * shape[m] + i) * r1 + q];
          if (j === 0) {
            mat = slice;
            [mr, mc] = [r0, r1];
            return;
          }
          const next = new Float64Array(mr * r1);
          for (let p = 0; p < mr; p++) for (let t = 0; t < mc; t++) {
            const v = mat[p * mc + t];
            if (v !== 0) for (let q = 0; q < r1; q++) next[p * r1 + q] += v * slice[t * r1 + q];
          }
          mat = next;
          mc = r1;
        });
        scale[row] = w;
        for (let x = 0; x < rn; x++) for (let y = 0; y < rn1; y++) a.data[row * cols + x * rn1 + y] = w * mat[y * mc + x];
      });
      // Sampled fibres T[i_0..:..i_{N-1}] along mode n, gathered on the backend.
      const iN = shape[n];
      const flatIdx = new Int32Array(rows.length * iN);
      rows.forEach(({ idx }, row) => {
        let base = 0;
        others.forEach((m, j) => (base += idx[j] * strides[m]));
        for (let i = 0; i < iN; i++) flatIdx[row * iN + i] = base + i * strides[n];
      });
      const fib = tf.tidy(() => tf.gather(flat, tf.tensor1d(flatIdx, 'int32')));
      const fd = readSync(fib);
      fib.dispose();
      const b: HostMatrix = { rows: rows.length, cols: iN, data: new Float64Array(rows.length * iN) };
      for (let r = 0; r < rows.length; r++) for (let i = 0; i < iN; i++) b.data[r * iN + i] = scale[r] * fd[r * iN + i];
      const x = lstsqUnchecked(a, b, EPS64 * Math.max(a.rows, a.cols));
      const core = coreFromSolution(x, rn, rn1);
      host[n] = Float64Array.from(readSync(core));
      cores[n].dispose();
      cores[n] = core;
      if (!uniform) probs[n] = leverageScoreDist(coreRows(host[n], rn, iN, rn1));
      if (randomizedError) {
        let acc = 0;
        for (let r = 0; r < a.rows; r++) for (let i = 0; i < iN; i++) {
          let v = -b.data[r * iN + i];
          for (let c = 0; c < cols; c++) v += a.data[r * cols + c] * x.data[c * iN + i];
          acc += v * v;
        }
        lastResidual = Math.sqrt(acc);
      }
    };

    try {
      runAlsLoop({
        fnName: 'tensorRingAlsSampled',
        o,
        initialError: () => fullRelativeError(cores, input.t, normT),
        sweep: (needErrors) => {
          for (let n = 0; n < ndim; n++) updateCore(n);
          if (!needErrors) return NaN;
          return randomizedError ? lastResidual / normT : fullRelativeError(cores, input.t, normT);
        },
      });
    } finally {
      flat.dispose();
    }
    const out = new TRTensor(cores);
    cores = [];
    return out;
  } finally {
    for (const c of cores) c.dispose();
    releaseInput(input);
  }
}
