/**
 * Minimum-norm least squares, `lstsq(a, b)`.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, toHostMatrix, type HostMatrix } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { EPS32, hostMatmul, lstsqUnchecked } from './host.js';
import { mm, svdOnHost, tallSvd } from './engine.js';
import { checkMatrix, release, type CheckedMatrix } from './validate.js';
import { checkOptions, optionKeys } from '../checks/index.js';

export interface LstsqOptions {
  /**
   * Relative cutoff: singular values s_i <= rcond * s_max are treated as zero. Default
   * eps32 * max(m, n), numpy's default for float32 data.
   */
  rcond?: number;
}

const LSTSQ_OPTIONS = optionKeys<LstsqOptions>()('rcond');

/**
 * Minimum-norm least-squares solution of A X ~ B (numpy's / TensorLy's `lstsq`, solution
 * only): X = V diag(1/s_i) U^T B over the singular values s_i > rcond * s_max. It is the X
 * minimising ||A X - B|| with the smallest ||X||, so it works for over-determined,
 * under-determined and rank-deficient A. `b` is a vector (m) or a matrix (m x k); X is n or
 * n x k.
 *
 * Small A: SVD on the host in float64 (Householder QR + one-sided Jacobi). Large A: the
 * exact SVD engine of `svd` (Gram passes on the backend), U^T B on the backend.
 *
 * @throws ShapeError unless A is a non-empty matrix and B has A's row count; NonFiniteError
 *   on NaN/Inf; ArgumentError for a negative rcond.
 */
export function lstsq(a: TensorLike, b: TensorLike, opts: LstsqOptions = {}): tf.Tensor {
  opts = checkOptions(opts, LSTSQ_OPTIONS, 'lstsq');
  if (opts.rcond !== undefined && !(typeof opts.rcond === 'number' && opts.rcond >= 0 && Number.isFinite(opts.rcond))) {
    throw new ArgumentError(`rcond must be a finite non-negative number; got ${describe(opts.rcond)}`);
  }
  const ca = checkMatrix(a, 'a');
  let cb: CheckedMatrix | undefined;
  try {
    cb = checkMatrix(b, 'b', { allowVector: true });
    const [m, n] = ca.t.shape;
    if (cb.t.shape[0] !== m) {
      throw new ShapeError(`b must have ${m} rows to match a (${m} x ${n}); got shape ${describe(cb.t.shape)}`);
    }
    const rcond = opts.rcond ?? EPS32 * Math.max(m, n);
    const isVector = cb.t.rank === 1;
    const b2 = (isVector ? tf.reshape(cb.t, [m, 1]) : cb.t) as tf.Tensor2D;
    try {
      const x = solveLstsq(ca.t, b2, rcond);
      if (!isVector) return x;
      const v = tf.reshape(x, [n]);
      x.dispose();
      return v;
    } finally {
      if (isVector) b2.dispose();
    }
  } finally {
    release(ca, cb);
  }
}

function solveLstsq(a: tf.Tensor2D, b: tf.Tensor2D, rcond: number): tf.Tensor2D {
  const [m, n] = a.shape;
  const tall = m >= n;
  const [tm, tn] = tall ? [m, n] : [n, m];
  if (svdOnHost(tm, tn)) {
    const x = lstsqUnchecked(toHostMatrix(a), toHostMatrix(b), rcond);
    return fromHostMatrix(x);
  }
  const p = tn;
  if (tall) {
    // A = U S V^T: X = V S^+ (U^T B).
    const r = tallSvd(a, p, 'exact');
    const u = r.u as tf.Tensor2D;
    const utb = tf.tidy(() => mm(tf.transpose(u) as tf.Tensor2D, b));
    u.dispose();
    const c = toHostMatrix(utb);
    utb.dispose();
    scaleRows(c, r.s, rcond);
    return fromHostMatrix(hostMatmul(r.v, c));
  }
  // Wide: A^T = U' S V'^T, so A = V' S U'^T and X = U' S^+ (V'^T B).
  const at = tf.transpose(a) as tf.Tensor2D;
  const r = tallSvd(at, p, 'exact');
  at.dispose();
  const c = hostMatmul(r.v, toHostMatrix(b), true, false);
  scaleRows(c, r.s, rcond);
  const ct = fromHostMatrix(c);
  const x = mm(r.u as tf.Tensor2D, ct);
  tf.dispose([r.u as tf.Tensor2D, ct]);
  return x;
}

/** Row j of c times 1/s_j where s_j > rcond * s_max, else zero. */
function scaleRows(c: HostMatrix, s: Float64Array, rcond: number): void {
  const cutoff = rcond * (s[0] ?? 0);
  for (let j = 0; j < c.rows; j++) {
    const f = s[j] > cutoff && s[j] > 0 ? 1 / s[j] : 0;
    for (let col = 0; col < c.cols; col++) c.data[j * c.cols + col] *= f;
  }
}
