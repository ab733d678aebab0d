/**
 * Non-negative Tucker by HALS (TensorLy 0.9 `non_negative_tucker_hals`, `_tucker.py`), with
 * its host float64 helpers (n-mode product, FISTA core update, largest eigenvalue). The
 * options, the shared frame and the multiplicative-update variant are in ./nnTucker.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { HostMatrix } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng } from '../base/rng.js';
import { TuckerTensor, type RankSpec } from '../tensors/index.js';
import { checkBoolOption, checkModeList, checkNumberOption } from './internal/inputChecks.js';
import { gramHost, sqNorm64, toHost } from './internal/float64Reductions.js';
import { hostTranspose } from '../linalg/host.js';
import { fromHostMatrix, readSync } from '../backend/transfer.js';
import { projectCore } from './internal/tuckerCore.js';
import { halsNnlsHost as halsNnls } from '../proximal/halsNnls.js';
import { HALS_OPTIONS, factorNormalTerms, finish, initNonNegativeTucker, runNonNegativeTucker, type NonNegativeTuckerHalsOptions } from './nnTucker.js';

/** Host n-mode product of a C-order tensor `x` (shape) with `m` (J x I_mode). */
function hostModeDot(x: Float64Array, shape: readonly number[], mode: number, m: HostMatrix): { data: Float64Array; shape: number[] } {
  const I = shape[mode];
  const J = m.rows;
  const outer = shape.slice(0, mode).reduce((a, b) => a * b, 1);
  const inner = shape.slice(mode + 1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(outer * J * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < J; j++) {
      const dst = (o * J + j) * inner;
      for (let i = 0; i < I; i++) {
        const a = m.data[j * I + i];
        if (a === 0) continue;
        const src = (o * I + i) * inner;
        for (let q = 0; q < inner; q++) out[dst + q] += a * x[src + q];
      }
    }
  }
  const s = [...shape];
  s[mode] = J;
  return { data: out, shape: s };
}

/**
 * TensorLy `fista(UtM, UtU, x, n_iter_max, sparsity_coef, lr)` for the Tucker core on the
 * host (Beck & Teboulle 2009): projected accelerated gradient on
 * `1/2 ||T - core x_k U_k||^2`, whose gradient is `-UtM + core x_k U_k^T U_k`.
 */
function fistaCore(utm: Float64Array, grams: HostMatrix[], x0: Float64Array, shape: number[], nIterMax: number, sparsity: number, lr: number): Float64Array {
  let x = x0.slice();
  let xUpdate = x0.slice();
  let momentumOld = 1;
  let norm0 = 0;
  const n = x.length;
  for (let it = 0; it < nIterMax; it++) {
    let prod: { data: Float64Array; shape: number[] } = { data: xUpdate, shape };
    grams.forEach((g, k) => {
      prod = hostModeDot(prod.data, prod.shape, k, g);
    });
    const xNew = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let grad = -utm[i] + prod.data[i] + sparsity;
      if (!(lr * grad < xUpdate[i])) grad = xUpdate[i] / lr;
      xNew[i] = xUpdate[i] - lr * grad;
      norm += lr * grad;
    }
    const momentum = (1 + Math.sqrt(1 + 4 * momentumOld * momentumOld)) / 2;
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = xNew[i] + ((momentumOld - 1) / momentum) * (xNew[i] - x[i]);
    xUpdate = next;
    momentumOld = momentum;
    x = xNew;
    norm = Math.abs(norm);
    if (it === 1) norm0 = norm;
    if (norm < 1e-7 * norm0) break;
  }
  return x;
}

/**
 * Non-negative Tucker by HALS (TensorLy `non_negative_tucker_hals`, after Phan & Cichocki,
 * "Extended HALS algorithm for nonnegative Tucker decomposition", 2011): each non-fixed
 * factor is updated by `hals_nnls` on `UtM = (T x_{k != m} U_k^T)_(m) core_(m)^T` and
 * `UtU = (core x_{k != m} U_k^T U_k)_(m) core_(m)^T`; the core by FISTA with step
 * `prod_k 1 / sigma_max(U_k^T U_k)`. The error is `||T - T_hat|| / ||T||` from the
 * projected core (TensorLy reports its square: see docs/fidelity/decomposition.md).
 * Defaults: nIterMax 100, tol 1e-8. The small problems run on the host in float64.
 * Progress: task 'nonNegativeTuckerHals', one record per sweep, total nIterMax, error = the sweep's error.
 * @throws ArgumentError for bad options; AbortedError when `signal` fires.
 */
export function nonNegativeTuckerHals(tensor: TensorLike, rank: RankSpec, opts: NonNegativeTuckerHalsOptions & { returnErrors: true }): { tucker: TuckerTensor; errors: number[] };
export function nonNegativeTuckerHals(tensor: TensorLike, rank: RankSpec, opts?: NonNegativeTuckerHalsOptions): TuckerTensor;
export function nonNegativeTuckerHals(tensor: TensorLike, rank: RankSpec, opts: NonNegativeTuckerHalsOptions = {}): TuckerTensor | { tucker: TuckerTensor; errors: number[] } {
  return runNonNegativeTucker('nonNegativeTuckerHals', HALS_OPTIONS, tensor, rank, opts, { nIterMax: 100, tol: 1e-8 }, ({ t, N, ranks, c, own }) => {
    const fixed = opts.fixedModes === undefined ? [] : checkModeList(opts.fixedModes, N, 'fixedModes');
    let sparsity: (number | null)[] = Array(N).fill(null);
    const sc = opts.sparsityCoefficients;
    if (sc !== undefined && sc !== null) {
      const list = Array.isArray(sc) ? sc : Array(N).fill(sc);
      if (list.length !== N || !list.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new ArgumentError(`sparsityCoefficients must be a finite number or a list of ${N} numbers / nulls; got ${describe(sc)}`);
      }
      sparsity = [...list];
    }
    const coreSparsity = opts.coreSparsityCoefficient ?? 0;
    checkNumberOption(coreSparsity, 'coreSparsityCoefficient', 0);
    const exact = checkBoolOption(opts.exact ?? false, 'exact');
    for (const m of fixed) sparsity[m] = null;
    const modes = [...Array(N).keys()].filter((m) => !fixed.includes(m));
    const rng = toRng(opts.seed);
    const s = own(initNonNegativeTucker(t, ranks, c.init, c.svd, rng));
    const labels = [...Array(N).keys()];
    const normT2 = sqNorm64(t);
    const errors: number[] = [];
    c.progress.begin();
    for (let iteration = 0; iteration < c.nIterMax; iteration++) {
      for (const m of modes) {
        const { utm, utu } = tf.tidy(() => factorNormalTerms(t, s.core, s.factors, m, labels));
        const utmH = hostTranspose(toHost(utm));
        const utuH = toHost(utu);
        tf.dispose([utm, utu]);
        const v = hostTranspose(toHost(s.factors[m]));
        halsNnls(utmH, utuH, v, 100, sparsity[m], exact);
        s.factors[m].dispose();
        s.factors[m] = fromHostMatrix(hostTranspose(v));
      }
      const grams = s.factors.map(gramHost);
      const est = projectCore(t, s.factors, labels);
      const estH = Float64Array.from(readSync(est));
      est.dispose();
      let lr = 1;
      for (const g of grams) {
        // sigma_max of the PSD Gram = its largest eigenvalue (power iteration, converged).
        lr *= 1 / largestEigen(g);
      }
      const coreH = fistaCore(estH, grams, Float64Array.from(readSync(s.core)), ranks, c.nIterMax, coreSparsity, lr);
      s.core.dispose();
      s.core = tf.tensor(Float32Array.from(coreH), ranks);
      // ||T - T_hat||^2 = ||T||^2 - 2 <core, T x U^T> + <core, core x G>.
      let prod: { data: Float64Array; shape: number[] } = { data: coreH, shape: ranks };
      grams.forEach((g, k) => {
        prod = hostModeDot(prod.data, prod.shape, k, g);
      });
      let ip = 0;
      let nn = 0;
      for (let i = 0; i < coreH.length; i++) {
        ip += coreH[i] * estH[i];
        nn += coreH[i] * prod.data[i];
      }
      const err = Math.sqrt(Math.abs(normT2 - 2 * ip + nn) / normT2);
      errors.push(err);
      const stopCb = opts.callback ? opts.callback({ iteration: iteration + 1, error: err }) === true : false;
      c.progress.step(iteration + 1, err);
      if (stopCb) break;
      if (iteration > 1 && c.tol > 0 && Math.abs(errors[errors.length - 2] - errors[errors.length - 1]) < c.tol) break;
    }
    return finish(s, errors, c);
  });
}

function largestEigen(g: HostMatrix): number {
  const n = g.rows;
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[i] += g.data[i * n + j] * v[j];
    let nrm = 0;
    for (const x of w) nrm += x * x;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) return 1;
    const next = w.map((x) => x / nrm);
    const change = Math.abs(nrm - lambda);
    lambda = nrm;
    v = next;
    if (change <= 1e-12 * lambda) break;
  }
  return lambda;
}

