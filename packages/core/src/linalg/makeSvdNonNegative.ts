/**
 * NNDSVD: non-negative factors from an SVD (Boutsidis & Gallopoulos, "SVD based
 * initialization: a head start for nonnegative matrix factorization", Pattern Recognition
 * 2008); TensorLy 0.9 `tenalg.svd.make_svd_non_negative`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, readScalar, toHost64, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { EPS32, hostZeros } from './host.js';
import { checkOptions, optionKeys } from '../checks/options.js';

export type NndsvdType = 'nndsvd' | 'nndsvda';

/** Options of {@link makeSvdNonNegative}: `nntype` (default 'nndsvda'; `true` means 'nndsvda'). */
export interface MakeSvdNonNegativeOptions {
  nntype?: NndsvdType | boolean;
}

const MAKE_SVD_NON_NEGATIVE_OPTIONS = optionKeys<MakeSvdNonNegativeOptions>()('nntype');

/**
 * Host NNDSVD of `u (m, k)`, `s (k)`, `vt (k, n)`: column/row 0 is `sqrt(s_0) |u_0|`, and for
 * j >= 1 the dominant of the positive / negative parts of `(u_j, v_j)` scaled by
 * `sqrt(s_j sigma)`. Then 'nndsvd' soft-thresholds at eps (float32's), 'nndsvda' replaces
 * entries below eps by `meanY`. A zero part gives a zero column (TensorLy divides by 0).
 */
export function nndsvdHost(u: HostMatrix, s: ArrayLike<number>, vt: HostMatrix, meanY: number, type: NndsvdType): { w: HostMatrix; h: HostMatrix } {
  const m = u.rows;
  const k = Math.min(u.cols, vt.rows);
  const n = vt.cols;
  const w = hostZeros(m, u.cols);
  const h = hostZeros(vt.rows, n);
  const kw = u.cols;
  for (let j = 0; j < k; j++) {
    if (j === 0) {
      const a = Math.sqrt(s[0]);
      for (let i = 0; i < m; i++) w.data[i * kw] = a * Math.abs(u.data[i * kw]);
      for (let c = 0; c < n; c++) h.data[c] = a * Math.abs(vt.data[c]);
      continue;
    }
    let xp = 0, xn = 0, yp = 0, yn = 0;
    for (let i = 0; i < m; i++) {
      const x = u.data[i * kw + j];
      if (x > 0) xp += x * x;
      else xn += x * x;
    }
    for (let c = 0; c < n; c++) {
      const y = vt.data[j * n + c];
      if (y > 0) yp += y * y;
      else yn += y * y;
    }
    const [xpn, xnn, ypn, ynn] = [Math.sqrt(xp), Math.sqrt(xn), Math.sqrt(yp), Math.sqrt(yn)];
    const usePos = xpn * ypn > xnn * ynn;
    const sigma = usePos ? xpn * ypn : xnn * ynn;
    const [nx, ny] = usePos ? [xpn, ypn] : [xnn, ynn];
    const lbd = Math.sqrt(s[j] * sigma);
    const part = (x: number) => (usePos ? Math.max(x, 0) : Math.max(-x, 0));
    for (let i = 0; i < m; i++) w.data[i * kw + j] = nx > 0 ? (lbd * part(u.data[i * kw + j])) / nx : 0;
    for (let c = 0; c < n; c++) h.data[j * n + c] = ny > 0 ? (lbd * part(vt.data[j * n + c])) / ny : 0;
  }
  for (const mat of [w, h]) {
    for (let i = 0; i < mat.data.length; i++) {
      const x = mat.data[i];
      if (type === 'nndsvd') mat.data[i] = x > EPS32 ? x - EPS32 : x < -EPS32 ? x + EPS32 : 0;
      else if (x < EPS32) mat.data[i] = meanY;
    }
  }
  return { w, h };
}

/**
 * Non-negative `W (m, k)` and `H (k, n)` from a truncated SVD `tensor ~ U diag(S) V` (TensorLy
 * `make_svd_non_negative`; NNDSVD / NNDSVDa, Boutsidis & Gallopoulos 2008). `nntype`
 * 'nndsvda' (default; TensorLy's `True`) fills entries below eps with `mean(tensor)`, 'nndsvd'
 * soft-thresholds them. Small dense work: runs on the host in float64.
 *
 * @throws ShapeError when U, S, V do not fit together; ArgumentError for an unknown nntype
 */
export function makeSvdNonNegative(tensor: TensorLike, u: TensorLike, s: TensorLike, v: TensorLike, options: MakeSvdNonNegativeOptions = {}): { w: tf.Tensor2D; h: tf.Tensor2D } {
  options = checkOptions(options, MAKE_SVD_NON_NEGATIVE_OPTIONS, 'makeSvdNonNegative');
  const raw = options.nntype ?? 'nndsvda';
  const type = raw === true ? 'nndsvda' : raw;
  if (type !== 'nndsvd' && type !== 'nndsvda') throw new ArgumentError(`nntype must be 'nndsvd' or 'nndsvda'; got ${describe(raw)}`);
  const given = [u, s, v, tensor];
  const ts = [toTensor(u, 'u'), toTensor(s, 's'), toTensor(v, 'v'), toTensor(tensor, 'tensor')];
  let host: { u: HostMatrix; v: HostMatrix; s: Float64Array; mean: number };
  try {
    const [ut, st, vt, t] = ts;
    if (ut.rank !== 2 || vt.rank !== 2 || st.rank !== 1) throw new ShapeError(`u and v must be matrices and s a vector; got shapes ${describe(ut.shape)}, ${describe(st.shape)}, ${describe(vt.shape)}`);
    if (st.shape[0] < Math.min(ut.shape[1] as number, vt.shape[0] as number)) throw new ShapeError(`s must hold at least min(u columns, v rows) values; got ${st.shape[0]}`);
    if (ut.shape[0] !== t.shape[0]) throw new ShapeError(`u must have as many rows as tensor (${t.shape[0]}); got shape ${describe(ut.shape)}`);
    if (t.rank !== 2 || vt.shape[1] !== t.shape[1]) throw new ShapeError(`v must have as many columns as the matrix tensor (${describe(t.shape)}); got shape ${describe(vt.shape)}`);
    const mean = tf.tidy(() => tf.mean(t));
    host = { u: toHostMatrix(ut), v: toHostMatrix(vt), s: toHost64(st), mean: readScalar(mean) };
    mean.dispose();
  } finally {
    ts.forEach((t, i) => {
      if (t !== given[i]) t.dispose();
    });
  }
  const { w, h } = nndsvdHost(host.u, host.s, host.v, host.mean, type);
  return { w: fromHostMatrix(w), h: fromHostMatrix(h) };
}
