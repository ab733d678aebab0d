import * as tf from '@tensorflow/tfjs';
import { checkAllocation, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { shapeStr } from '../base/internal/shapeHelpers.js';
import { toTensorList } from './internal/toTensorList.js';
import { khatriRaoRows } from './internal/khatriRaoKernels.js';

export interface KhatriRaoOptions {
  /** Column weights `(R,)`, applied to the first (remaining) matrix. */
  weights?: TensorLike | null;
  /** Index of a matrix to leave out (as in an MTTKRP); negative counts from the end. */
  skipMatrix?: number | null;
  /** Row mask, any shape with as many entries as the result has rows; multiplies each row. */
  mask?: TensorLike | null;
}

const KHATRI_RAO_OPTIONS = optionKeys<KhatriRaoOptions>()('weights', 'skipMatrix', 'mask');

/**
 * Khatri–Rao product (column-wise Kronecker product) of matrices `A_k` of shape `(I_k, R)`:
 *
 *   KR(A_0, ..., A_{N-1})[(i_0, ..., i_{N-1}), r] = w_r * prod_k A_k[i_k, r]
 *
 * with the row index in C order, **the first matrix varying slowest** (row `i*J + j` for two
 * matrices), which is the order that matches {@link unfold}:
 * `unfold(cp_to_tensor(w, F), m) = (F_m * w) @ KR(F, skipMatrix: m)^T`.
 * `mask` (as in TensorLy) multiplies row `p` by `mask.flat[p]`. 1-D inputs are treated as
 * one-column matrices. A single (remaining) matrix is returned as a copy, scaled by the
 * weights and the mask. Mirrors `tensorly.tenalg.khatri_rao` (Smilde, Bro & Geladi 2004).
 * Computed by broadcasting on the backend: `(s, 1, R) * (1, I_k, R)` per matrix (the
 * unchecked kernel `khatriRaoRows` of ./internal/khatriRaoKernels.ts, which the
 * decompositions use directly).
 *
 * One deliberate difference: TensorLy 0.9 ignores `mask` when only one matrix remains;
 * here the mask is always applied (docs/fidelity/tenalg.md).
 *
 * @throws ArgumentError for an empty list or when `skipMatrix` removes the only matrix;
 *   ShapeError when the matrices are not 1-D/2-D or their column counts differ, or when
 *   `weights` / `mask` have the wrong size; ModeError for `skipMatrix` out of range
 */
export function khatriRao(matrices: readonly TensorLike[], options: KhatriRaoOptions = {}): tf.Tensor2D {
  const { weights = null, skipMatrix = null, mask = null } = checkOptions(options, KHATRI_RAO_OPTIONS, 'khatriRao');
  return tf.tidy(() => {
    let mats = toTensorList(matrices, 'matrices');
    let labels = mats.map((_, i) => `matrices[${i}]`);
    if (skipMatrix !== null && skipMatrix !== undefined) {
      const s = checkMode(skipMatrix, mats.length, 'skipMatrix');
      if (mats.length === 1) throw new ArgumentError(`skipMatrix (${skipMatrix}) leaves no matrix: matrices holds only one`);
      mats = mats.filter((_, i) => i !== s);
      labels = labels.filter((_, i) => i !== s);
    }
    checkAllocation(mats.reduce((n, m) => n * (m.shape[0] ?? 1), 1) * (mats[0].shape[1] ?? 1), `the Khatri-Rao product of matrices (${mats.map((m) => shapeStr(m.shape)).join(', ')})`);
    mats = mats.map((m, i) => {
      if (m.rank === 1) return tf.reshape(m, [m.shape[0], 1]);
      if (m.rank !== 2) throw new ShapeError(`${labels[i]} must be a matrix (2-D) or a vector (1-D); got shape ${shapeStr(m.shape)}`);
      return m;
    });
    const r = mats[0].shape[1] as number;
    mats.forEach((m, i) => {
      if (m.shape[1] !== r) {
        throw new ShapeError(`all matrices must have the same number of columns: ${labels[i]} has ${m.shape[1]} (shape ${shapeStr(m.shape)}), ${labels[0]} has ${r}`);
      }
    });
    const rows = mats.reduce((acc, m) => acc * (m.shape[0] as number), 1);
    let w: tf.Tensor | null = null;
    if (weights !== null && weights !== undefined) {
      w = toTensor(weights, 'weights');
      if (w.size !== r || w.rank > 2) throw new ShapeError(`weights must have one entry per column (${r}); got shape ${shapeStr(w.shape)}`);
    }
    let mk: tf.Tensor | null = null;
    if (mask !== null && mask !== undefined) {
      mk = toTensor(mask, 'mask');
      if (mk.size !== rows) throw new ShapeError(`mask must have one entry per row of the product (${rows}); got shape ${shapeStr(mk.shape)}`);
    }
    const first = (w ? tf.mul(mats[0], tf.reshape(w, [1, r])) : mats[0]) as tf.Tensor2D;
    // The kernel copies a single matrix, so the result is never the caller's own tensor.
    let res: tf.Tensor = khatriRaoRows([first, ...(mats.slice(1) as tf.Tensor2D[])]);
    if (mk) res = tf.mul(res, tf.reshape(mk, [rows, 1]));
    return res as tf.Tensor2D;
  });
}
