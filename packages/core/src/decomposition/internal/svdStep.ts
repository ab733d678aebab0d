/**
 * One step of the sequential SVDs of TT-SVD and TR-SVD (Oseledets 2011, Alg. 1; Zhao et
 * al. 2016, TR-SVD): the leading `want` left singular vectors of an unfolding `Y` and the
 * remainder `S V^T` that the next step reshapes. Private to the decompositions.
 */
import * as tf from '@tensorflow/tfjs';
import { fromHostMatrix, type HostMatrix } from '../../backend/transfer.js';
import { hostTranspose } from '../../linalg/host.js';
import { truncatedSvdHost, usesExactSvd } from '../../linalg/truncatedSvdHost.js';
import type { Rng } from '../../base/rng.js';

export interface SvdStep {
  /** `U` (rows x r) on the host, sign-flipped as TensorLy's `svd_flip` (largest |entry| of each column positive). */
  u: HostMatrix;
  /** The realised rank `r = min(rows, cols, want)`. */
  r: number;
  /** The remainder `S V^T` (r x cols), a new tensor owned by the caller. */
  remainder: tf.Tensor2D;
}

/**
 * Leading-`want` truncated SVD of `y` (float32, rows x cols) with its remainder. On the wide
 * Gram route the remainder is `U^T Y`, one backend product that needs no V download and no
 * division by small singular values; otherwise it is `diag(s) V^T` uploaded from the host.
 * `y` is not disposed.
 */
export function svdStep(y: tf.Tensor2D, want: number, method: 'truncated' | 'randomized' | 'gram', rng: Rng): SvdStep {
  const [rows, cols] = y.shape;
  const gramWide = rows <= cols && !usesExactSvd(rows, cols, method);
  const res = truncatedSvdHost(y, Math.min(want, rows, cols), { method, rng, wantV: !gramWide });
  const r = res.s.length;
  if (gramWide) {
    return { u: res.u, r, remainder: tf.tidy(() => tf.matMul(fromHostMatrix(hostTranspose(res.u)), y)) };
  }
  const vt = res.vt as HostMatrix;
  const sv: HostMatrix = { rows: r, cols: vt.cols, data: vt.data.map((v, i) => v * res.s[Math.floor(i / vt.cols)]) };
  return { u: res.u, r, remainder: fromHostMatrix(sv) };
}
