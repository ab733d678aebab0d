/**
 * The spectrum algorithms of the SVD entry point (./svdInterface.ts, output 'spectrum'):
 * *all* singular values of Y now, singular vectors of the leading k later on request. This
 * is what EVBMF needs (@tenfold/rank: the sigma2 bracket and objective read the whole
 * spectrum, U and V only the kept components). Three algorithms:
 * - `exactSpectrum`: float64 Householder QR + one-sided Jacobi (`svdUnchecked`), relative
 *   accuracy for every singular value;
 * - `hostGramSpectrum`: the float64 Gram matrix on the host, all its eigenvalues
 *   (`symmetricEigen`), eigenvectors for the kept components only;
 * - `backendGramSpectrum`: the float32 Gram matrix on the backend, eigenvalues on the host
 *   (the two-stage reduction from TWO_STAGE_MIN_SIZE on).
 * Vectors come out in Y's orientation with TensorLy's signs (u-based `svd_flip`).
 * Moved here from @tenfold/rank's evbmf.ts (issue 11), which now calls the entry point.
 *
 * Internal: inputs are validated (finite, non-empty 2-D) by the caller.
 */
import * as tf from '@tensorflow/tfjs';
import { TWO_STAGE_MIN_SIZE } from '../backend/placement.js';
import { fromHostMatrix, readFloat32Into, toHost64, type HostMatrix } from '../backend/transfer.js';
import { EPS32, EPS64, hostMatmul, hostSingularValues, hostTranspose, svdFlipUnchecked, svdUnchecked } from './host.js';
import { hostGram } from './hostGram.js';
import { pairwiseSum } from './host/pairwiseSum.js';
import { svdFlipTensors } from './svdFlip.js';
import { symmetricEigen, type SymmetricEigen } from './symmetricEigen.js';
import { symmetricEigenTwoStageHost } from './twoStageEigen.js';

/** All singular values of a matrix, and the leading singular vectors on demand. */
export interface SvdSpectrum {
  /** All min(rows, cols) singular values, descending. */
  s: Float64Array;
  /** sum of y^2 (numpy's pairwise float64 sum on host data; the trace of the Gram matrix otherwise). */
  sumSq: number;
  /** 'host' (float64) or 'gram' (float32 backend Gram matrix). */
  route: 'host' | 'gram';
  /**
   * Singular values at or below this are numerically zero on the route taken: eps64 * s_max
   * (exact), sqrt(eps64 * lambda_max) (float64 Gram), sqrt(eps32 * lambda_max) (float32 Gram).
   */
  resolution: number;
  /** Gram route: seconds spent forming + downloading Y Y^T, and in the host eigenvalue solver. */
  parts?: { gram: number; eigen: number };
  /** Left (rows x k) and right (cols x k) singular vectors of the first k components: y ~ u diag(s) v^T. */
  vectors(k: number): { u: tf.Tensor2D; v: tf.Tensor2D };
  /** Dispose what the spectrum holds on the backend. */
  release(): void;
}

/** The input: a float32 tensor on the backend, or float64 data on the host. */
export type SpectrumSource = tf.Tensor2D | HostMatrix;

/** TensorLy's svd_flip (u-based) on U (rows x k) and V (cols x k), on the backend. */
function flipSigns(u: tf.Tensor2D, v: tf.Tensor2D): { u: tf.Tensor2D; v: tf.Tensor2D } {
  if (u.shape[1] === 0) return { u, v };
  return tf.tidy(() => {
    const f = svdFlipTensors(u, tf.transpose(v) as tf.Tensor2D);
    return { u: f.u, v: tf.transpose(f.vt) as tf.Tensor2D };
  });
}

/**
 * Float64 spectrum on the host (`exact`: QR + one-sided Jacobi; else the float64 Gram matrix
 * G = Y Y^T or Y^T Y, L x L, all its eigenvalues and eigenvectors for the kept components
 * only). In float64 the Gram route's squared condition number costs nothing EVBMF can see
 * (a singular value is exact to about eps64 * s_max^2 / s), and it is 5-10x cheaper than
 * QR + one-sided Jacobi with vectors.
 */
export function hostSpectrum(src: SpectrumSource, exact: boolean, wantVectors: boolean): SvdSpectrum {
  const hm: HostMatrix = src instanceof tf.Tensor ? { rows: src.shape[0], cols: src.shape[1], data: toHost64(src) } : src;
  // The reference's np.sum(Y**2), pairwise as NumPy sums (the residual when H < L reads it).
  // A plain loop: Float64Array.from with a map callback runs ~1 us an entry until V8 optimises it.
  const squares = new Float64Array(hm.data.length);
  for (let i = 0; i < squares.length; i++) squares[i] = hm.data[i] * hm.data[i];
  const sumSq = pairwiseSum(squares);
  return exact ? exactSpectrum(hm, sumSq, wantVectors) : hostGramSpectrum(hm, sumSq);
}

function hostGramSpectrum(hm: HostMatrix, sumSq: number): SvdSpectrum {
  const { rows, cols } = hm;
  const wide = rows <= cols;
  const L = Math.min(rows, cols);
  const g = hostGram(hm, wide ? 'rows' : 'cols');
  const eig = symmetricEigen(g.data, L);
  const s = Float64Array.from(eig.values, (lam) => Math.sqrt(Math.max(lam, 0)));
  return {
    s,
    sumSq,
    route: 'host',
    // A float64 Gram matrix holds G to about eps64 * lambda_max.
    resolution: Math.sqrt(EPS64 * Math.max(eig.values[0] ?? 0, 0)),
    vectors(k) {
      // w: the L-side vectors; the other side is y^T w / s (y w / s when y is tall).
      const w = { rows: L, cols: k, data: eig.topVectors(k) };
      const other = wide ? hostMatmul(hm, w, true, false) : hostMatmul(hm, w);
      for (let i = 0; i < other.rows; i++) for (let j = 0; j < k; j++) other.data[i * k + j] /= s[j] > 0 ? s[j] : 1;
      const u = wide ? w : other;
      const v = wide ? other : w;
      const vt = hostTranspose(v);
      svdFlipUnchecked(u, vt);
      return { u: fromHostMatrix(u), v: fromHostMatrix(hostTranspose(vt)) };
    },
    release() {},
  };
}

/** The exact float64 SVD (QR + one-sided Jacobi); U, V in y's orientation with TensorLy's signs. */
function exactSpectrum(hm: HostMatrix, sumSq: number, wantVectors: boolean): SvdSpectrum {
  const { rows, cols } = hm;
  const k0 = Math.min(rows, cols);
  const svd = wantVectors ? svdUnchecked(hm, k0, true) : { s: hostSingularValues(hm), u: null, vt: null };
  return {
    s: svd.s,
    sumSq,
    route: 'host',
    // LAPACK-level rounding: the reference sees ~eps * s_max where the exact value is 0.
    resolution: (svd.s[0] ?? 0) * EPS64,
    vectors(k) {
      if (!svd.u || !svd.vt) throw new Error('internal: singular vectors were not computed');
      const u = { rows, cols: k, data: new Float64Array(rows * k) };
      for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) u.data[i * k + j] = svd.u.data[i * svd.u.cols + j];
      const v = { rows: cols, cols: k, data: new Float64Array(cols * k) };
      for (let j = 0; j < k; j++) for (let c = 0; c < cols; c++) v.data[c * k + j] = svd.vt.data[j * cols + c];
      return { u: fromHostMatrix(u), v: fromHostMatrix(v) };
    },
    release() {},
  };
}

/** Gram route: G = Y Y^T (L x L, L = min side) on the backend in float32, eigenvalues on the host. */
export function backendGramSpectrum(src: SpectrumSource): SvdSpectrum {
  const ownsY = !(src instanceof tf.Tensor);
  const y: tf.Tensor2D = src instanceof tf.Tensor ? src : tf.tensor2d(Float32Array.from(src.data), [src.rows, src.cols], 'float32');
  const [rows, cols] = y.shape;
  const L = Math.min(rows, cols);
  const wide = rows <= cols;
  const tg = performance.now();
  const g = tf.tidy(() => tf.matMul(y, y, !wide, wide)) as tf.Tensor2D;
  // The read syncs, so `gram` covers forming and downloading G.
  // On the plain-JS cpu backend matmuls are ~30x slower than wasm's: there the one-stage host solver wins.
  const twoStage = L >= TWO_STAGE_MIN_SIZE && tf.getBackend() !== 'cpu';
  const g32 = twoStage ? readFloat32Into(g, new Float32Array(L * L)) : null;
  const g64 = twoStage ? null : toHost64(g);
  g.dispose();
  const te = performance.now();
  let eig: SymmetricEigen;
  if (g32) eig = symmetricEigenTwoStageHost(g32, L);
  else eig = symmetricEigen(g64 as Float64Array, L);
  const trace = eig.trace;
  const s = Float64Array.from(eig.values, (lam) => Math.sqrt(Math.max(lam, 0)));
  const tEnd = performance.now();
  return {
    s,
    sumSq: trace,
    route: 'gram',
    // The float32 Gram matrix holds G to about eps32 * lambda_max; smaller eigenvalues are noise.
    resolution: Math.sqrt(EPS32 * Math.max(eig.values[0] ?? 0, 0)),
    parts: { gram: (te - tg) / 1000, eigen: (tEnd - te) / 1000 },
    vectors(k) {
      const w = fromHostMatrix({ rows: L, cols: k, data: eig.topVectors(k) });
      const out = tf.tidy(() => {
        // The other side: y^T w / s (or y w / s when y is tall); s > 0 for kept components.
        const inv = tf.tensor1d(Float32Array.from(s.subarray(0, k), (x) => (x > 0 ? 1 / x : 0)));
        const other = tf.mul(wide ? tf.matMul(y, w, true, false) : tf.matMul(y, w), inv) as tf.Tensor2D;
        return wide ? { u: tf.clone(w) as tf.Tensor2D, v: other } : { u: other, v: tf.clone(w) as tf.Tensor2D };
      });
      w.dispose();
      const flipped = flipSigns(out.u, out.v);
      if (flipped.u !== out.u) tf.dispose([out.u, out.v]);
      return flipped;
    },
    release() {
      if (ownsY) y.dispose();
    },
  };
}

/** True when a Gram spectrum's unresolved part could move the tail's energy (from `tailFrom` on) by more than `tolerance`. */
export function gramTailUnresolved(s: Float64Array, resolution: number, tailFrom: number, tolerance: number): boolean {
  let unresolved = 0;
  let tail = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] <= resolution) unresolved++;
    if (i >= tailFrom) tail += s[i] * s[i];
  }
  return unresolved * resolution * resolution > tolerance * tail;
}
