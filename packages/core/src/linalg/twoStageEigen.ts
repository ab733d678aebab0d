/**
 * All eigenvalues (and the top eigenvectors on demand) of a large symmetric matrix that lives
 * on the backend, by two-stage tridiagonalisation, so that the O(n^3) part runs as matmuls:
 *
 * 1. Band reduction on the backend (Bischof, Lang & Sun, "A framework for symmetric band
 *    reduction", ACM TOMS 26, 2000; LAPACK dsytrd_sy2sb): for each panel of `b` columns, a
 *    Householder QR of the part below the band on the host (float64, compact WY form
 *    Q = I - V T V^T, Schreiber & Van Loan 1989) and the two-sided update of the trailing
 *    matrix A <- Q^T A Q = A - V W^T - W V^T with W = A V T - 1/2 V (T^T V^T A V T): three
 *    thin matmuls per panel, 2 n^3 flops in all at the backend's matmul speed.
 * 2. Band to tridiagonal on the host by Givens rotations chasing the bulge down the band
 *    (Schwarz, "Tridiagonalization of a symmetric band matrix", Numer. Math. 12, 1968;
 *    EISPACK bandr): O(n^2 b), on the lower triangle only, so both halves of each
 *    rotation touch contiguous memory.
 * 3. Eigenvalues of the tridiagonal by implicit QL (core's `hostTridiagonalEigenvalues`);
 *    eigenvectors for the top k by inverse iteration on T, then back through the rotations
 *    (reverse order) and the panels' reflectors.
 *
 * The band reduction runs in float32 (the backend's type): it adds about eps32 ||A|| per
 * panel to the error the float32 matrix already carries, so callers should treat
 * eigenvalues below ~sqrt(n / b) eps32 lambda_max as unresolved.
 *
 * Moved here from @tenfold/rank (issue 11); EVBMF uses it for Gram matrices with n >= 1024.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { readFloat32Into } from '../io/transfer.js';
import { hostTridiagonalEigenvalues } from './host.js';
import type { SymmetricEigen } from './symmetricEigen.js';
import { checkSquareBuffer, tridiagonalVectors } from './symmetricEigen.js';

/** Default panel width: thin enough for a cheap band chase, wide enough for fast matmuls. */
export const BAND_WIDTH = 32;

interface Panel {
  /** First row the panel's reflectors act on. */
  row0: number;
  /** Householder vectors, rows x cols row-major (unit lower trapezoidal). */
  v: Float64Array;
  rows: number;
  cols: number;
  /** The compact WY factor, cols x cols row-major (upper triangular). */
  t: Float64Array;
}

/**
 * Householder QR of the rows x cols row-major `p` in compact WY form: p = Q [R; 0],
 * Q = H_0 ... H_{cols-1} = I - V T V^T. Returns V, T and R (cols x cols, upper).
 */
function householderWy(p: Float64Array, rows: number, cols: number): { v: Float64Array; t: Float64Array; r: Float64Array } {
  const a = Float64Array.from(p);
  const v = new Float64Array(rows * cols);
  const tau = new Float64Array(cols);
  const k = Math.min(rows, cols);
  for (let j = 0; j < k; j++) {
    let nrm2 = 0;
    for (let i = j; i < rows; i++) nrm2 += a[i * cols + j] * a[i * cols + j];
    const x0 = a[j * cols + j];
    const nrm = Math.sqrt(nrm2);
    if (nrm === 0) {
      v[j * cols + j] = 1;
      continue; // tau 0: H_j = I
    }
    const alpha = x0 >= 0 ? -nrm : nrm;
    const v0 = x0 - alpha;
    // v = x - alpha e_j scaled so that v_j = 1; tau = (alpha - x0) / alpha.
    v[j * cols + j] = 1;
    for (let i = j + 1; i < rows; i++) v[i * cols + j] = a[i * cols + j] / v0;
    tau[j] = (alpha - x0) / alpha;
    a[j * cols + j] = alpha;
    for (let i = j + 1; i < rows; i++) a[i * cols + j] = 0;
    // Apply H_j = I - tau v v^T to the remaining columns.
    for (let c = j + 1; c < cols; c++) {
      let dot = a[j * cols + c];
      for (let i = j + 1; i < rows; i++) dot += v[i * cols + j] * a[i * cols + c];
      dot *= tau[j];
      a[j * cols + c] -= dot;
      for (let i = j + 1; i < rows; i++) a[i * cols + c] -= dot * v[i * cols + j];
    }
  }
  // T: T[j][j] = tau_j, T[0:j, j] = -tau_j T[0:j, 0:j] (V[:, 0:j]^T v_j).
  const t = new Float64Array(cols * cols);
  const z = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = j; r < rows; r++) dot += v[r * cols + i] * v[r * cols + j];
      z[i] = dot;
    }
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let m = i; m < j; m++) s += t[i * cols + m] * z[m];
      t[i * cols + j] = -tau[j] * s;
    }
    t[j * cols + j] = tau[j];
  }
  const r = new Float64Array(cols * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) for (let c = i; c < cols; c++) r[i * cols + c] = a[i * cols + c];
  return { v, t, r };
}

/**
 * Stage 1: reduce the symmetric n x n row-major `g` (overwritten as work space) to a band of
 * half-width b. Returns the band in a dense row-major n x n array (lower triangle valid) and
 * the panels for the back-transform. The shrinking trailing matrix stays on the host
 * (float32, contiguous): wasm's Slice and elementwise kernels over n^2 elements cost more
 * than the matmuls, so only the two products go to the backend.
 */
function reduceToBand(g: Float32Array, n: number, b: number): { band: Float64Array; panels: Panel[]; trace: number } {
  const band = new Float64Array(n * n);
  const panels: Panel[] = [];
  // Two work buffers, reused: the current trailing matrix and the next one (plus the update).
  let cur: Float32Array = g;
  let next: Float32Array = new Float32Array(n * n);
  const upd = new Float32Array(n * n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += cur[i * n + i];
  let j0 = 0;
  while (n - j0 > b + 1) {
    const m = n - j0; // cur is m x m: rows/cols j0.. of the partly reduced matrix
    const rows = m - b;
    // Diagonal block (lower triangle) into the band; the panel below it to the host QR.
    for (let i = 0; i < b; i++) for (let c = 0; c <= i; c++) band[(j0 + i) * n + j0 + c] = cur[i * m + c];
    const below = new Float64Array(rows * b);
    for (let i = 0; i < rows; i++) for (let c = 0; c < b; c++) below[i * b + c] = cur[(b + i) * m + c];
    const { v, t, r } = householderWy(below, rows, b);
    // [R; 0] sits below the diagonal block: entry (j0+b+i, j0+c) = R[i][c], i <= c.
    for (let i = 0; i < b; i++) for (let c = i; c < b; c++) band[(j0 + b + i) * n + j0 + c] = r[i * b + c];
    panels.push({ row0: j0 + b, v, rows, cols: b, t });
    const a22 = next.subarray(0, rows * rows);
    for (let i = 0; i < rows; i++) a22.set(cur.subarray((b + i) * m + b, (b + i + 1) * m), i * rows);
    const update = tf.tidy(() => {
      const at = tf.tensor2d(a22, [rows, rows]);
      const vt = tf.tensor2d(Float32Array.from(v), [rows, b]);
      const tt = tf.tensor2d(Float32Array.from(t), [b, b]);
      const x = tf.matMul(tf.matMul(at, vt), tt); // A V T
      const small = tf.mul(tf.matMul(tt, tf.matMul(vt, x, true, false), true, false), 0.5); // 1/2 T^T V^T X
      const w = tf.sub(x, tf.matMul(vt, small));
      // V W^T + W V^T as one matmul: [V W] [W V]^T.
      return tf.matMul(tf.concat([vt, w], 1), tf.concat([w, vt], 1), false, true);
    });
    readFloat32Into(update, upd);
    update.dispose();
    for (let i = 0; i < a22.length; i++) a22[i] -= upd[i];
    next = cur;
    cur = a22;
    j0 += b;
  }
  const m = n - j0;
  for (let i = 0; i < m; i++) for (let c = 0; c <= i; c++) band[(j0 + i) * n + j0 + c] = cur[i * m + c];
  return { band, panels, trace };
}

/** The rotations of stage 2, in the order applied: rows (p, p+1), cosine, sine. */
interface Rotations {
  p: Int32Array;
  c: Float64Array;
  s: Float64Array;
  count: number;
}

/**
 * Stage 2: Schwarz's band-to-tridiagonal reduction on the lower triangle of the row-major
 * n x n `a` (half-bandwidth b). Each rotation G in the plane (p, q = p+1) is applied as
 * A <- G^T A G; rows p, q of the lower triangle hold columns < p, and columns p, q of rows
 * > q sit side by side in memory.
 */
function bandToTridiagonal(a: Float64Array, n: number, b: number): { d: Float64Array; e: Float64Array; rot: Rotations } {
  let cap = 1 << 16;
  let rot: Rotations = { p: new Int32Array(cap), c: new Float64Array(cap), s: new Float64Array(cap), count: 0 };
  const push = (p: number, c: number, s: number) => {
    if (rot.count === cap) {
      cap *= 2;
      const grow: Rotations = { p: new Int32Array(cap), c: new Float64Array(cap), s: new Float64Array(cap), count: rot.count };
      grow.p.set(rot.p);
      grow.c.set(rot.c);
      grow.s.set(rot.s);
      rot = grow;
    }
    rot.p[rot.count] = p;
    rot.c[rot.count] = c;
    rot.s[rot.count] = s;
    rot.count++;
  };
  // Zero a[i, col] against a[i-1, col] by a rotation in the plane (i-1, i).
  const rotate = (i: number, col: number) => {
    const p = i - 1;
    const q = i;
    const x = a[p * n + col];
    const y = a[q * n + col];
    if (y === 0) return;
    const r = Math.hypot(x, y);
    const c = x / r;
    const s = y / r;
    // Rows p, q, columns lo..p-1 (lower triangle: both rows hold them).
    const lo = Math.max(0, p - b - 2);
    const op = p * n;
    const oq = q * n;
    for (let k = lo; k < p; k++) {
      const u = a[op + k];
      const w = a[oq + k];
      a[op + k] = c * u + s * w;
      a[oq + k] = -s * u + c * w;
    }
    // The 2 x 2 block [[app, aqp], [aqp, aqq]].
    const app = a[op + p];
    const aqp = a[oq + p];
    const aqq = a[oq + q];
    a[op + p] = c * c * app + 2 * c * s * aqp + s * s * aqq;
    a[oq + q] = s * s * app - 2 * c * s * aqp + c * c * aqq;
    a[oq + p] = (c * c - s * s) * aqp + c * s * (aqq - app);
    // Columns p, q of rows q+1..hi.
    const hi = Math.min(n - 1, q + b + 2);
    for (let k = q + 1; k <= hi; k++) {
      const ok = k * n;
      const u = a[ok + p];
      const w = a[ok + q];
      a[ok + p] = c * u + s * w;
      a[ok + q] = -s * u + c * w;
    }
    push(p, c, s);
  };
  for (let j = 0; j < n - 2; j++) {
    for (let dist = Math.min(b, n - 1 - j); dist >= 2; dist--) {
      // Zero a[j + dist, j]; the fill this leaves at (i + b, i - 1) is chased down the band.
      let i = j + dist;
      let col = j;
      while (i < n) {
        if (a[i * n + col] === 0) break;
        rotate(i, col);
        col = i - 1;
        i += b;
      }
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  for (let i = 0; i + 1 < n; i++) e[i] = a[(i + 1) * n + i];
  return { d, e, rot };
}

function checkBandWidth(b: unknown): void {
  if (!Number.isInteger(b) || (b as number) < 1) throw new ArgumentError(`b must be a positive integer band width; got ${describe(b)}`);
}

/**
 * Eigen-analysis of the symmetric n x n tensor `g` (not disposed; `readFloat32Into` gives
 * its data in a buffer {@link symmetricEigenTwoStageHost} may overwrite) by the two-stage reduction.
 * `values` are descending; `topVectors(k)` returns the leading k eigenvectors (n x k row-major).
 *
 * @throws ArgumentError on a disposed / non-tensor `g` or a bad `b`; ShapeError unless `g` is square.
 */
export function symmetricEigenTwoStage(g: tf.Tensor2D, b = BAND_WIDTH): SymmetricEigen {
  if (!(g instanceof tf.Tensor) || g.isDisposed) throw new ArgumentError(`g must be a live tf.Tensor2D; got ${describe(g)}`);
  if (g.rank !== 2 || g.shape[0] !== g.shape[1]) throw new ShapeError(`g must be a square matrix; got shape [${g.shape.join(', ')}]`);
  checkBandWidth(b);
  const n = g.shape[0];
  return symmetricEigenTwoStageHost(readFloat32Into(g, new Float32Array(n * n)), n, b);
}

/** {@link symmetricEigenTwoStage} on a row-major float32 host matrix, which it overwrites. */
export function symmetricEigenTwoStageHost(g: Float32Array, n: number, b = BAND_WIDTH): SymmetricEigen {
  checkSquareBuffer(g, n, Float32Array, 'g');
  checkBandWidth(b);
  const { band, panels, trace } = reduceToBand(g, n, b);
  const { d, e, rot } = bandToTridiagonal(band, n, b);
  const values = hostTridiagonalEigenvalues(d, e);
  values.sort((x, y) => y - x);
  const topVectors = (topK: number): Float64Array => {
    const k = Math.min(topK, n);
    const x = new Float64Array(n * k);
    if (k === 0) return x;
    const tv = tridiagonalVectors(d, e, values.subarray(0, k));
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) x[i * k + c] = tv[c][i];
    // x <- G_1 ... G_m y: the rotations in reverse order. G acts on rows (p, p+1) as
    // [[c, -s], [s, c]] (the transpose of what was applied to the rows of A).
    for (let r = rot.count - 1; r >= 0; r--) {
      const op = rot.p[r] * k;
      const oq = op + k;
      const c = rot.c[r];
      const s = rot.s[r];
      for (let m = 0; m < k; m++) {
        const u = x[op + m];
        const w = x[oq + m];
        x[op + m] = c * u - s * w;
        x[oq + m] = s * u + c * w;
      }
    }
    // x <- Q_1 ... Q_P x, last panel first: Q x = x - V (T (V^T x)) on the panel's rows.
    for (let pi = panels.length - 1; pi >= 0; pi--) {
      const { row0, v, rows, cols, t } = panels[pi];
      const vtx = new Float64Array(cols * k);
      for (let i = 0; i < rows; i++) {
        const ox = (row0 + i) * k;
        for (let a = 0; a < cols; a++) {
          const via = v[i * cols + a];
          if (via === 0) continue;
          for (let m = 0; m < k; m++) vtx[a * k + m] += via * x[ox + m];
        }
      }
      const tvx = new Float64Array(cols * k);
      for (let a = 0; a < cols; a++) for (let bb = a; bb < cols; bb++) {
        const tab = t[a * cols + bb];
        if (tab === 0) continue;
        for (let m = 0; m < k; m++) tvx[a * k + m] += tab * vtx[bb * k + m];
      }
      for (let i = 0; i < rows; i++) {
        const ox = (row0 + i) * k;
        for (let a = 0; a < cols; a++) {
          const via = v[i * cols + a];
          if (via === 0) continue;
          for (let m = 0; m < k; m++) x[ox + m] -= via * tvx[a * k + m];
        }
      }
    }
    return x;
  };
  return { values, topVectors, trace };
}
