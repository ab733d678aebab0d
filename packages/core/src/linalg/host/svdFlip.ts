/**
 * Host sign convention of singular/eigen vectors (TensorLy's / scikit-learn's `svd_flip`).
 */
import type { HostMatrix } from '../../backend/transfer.js';
import { ShapeError } from '../../errors/index.js';
import { checkHostMatrix } from './matrix.js';

/** Flip each column of a row-major rows x cols array so that its largest-|.| entry is positive (first index on ties). */
export function signColumnsByMaxAbs(data: Float64Array, rows: number, cols: number, alsoRowsOf?: Float64Array, otherCols?: number): void {
  for (let j = 0; j < cols; j++) {
    let best = -1;
    let at = 0;
    for (let i = 0; i < rows; i++) {
      const x = Math.abs(data[i * cols + j]);
      if (x > best) {
        best = x;
        at = i;
      }
    }
    if (data[at * cols + j] < 0) {
      for (let i = 0; i < rows; i++) data[i * cols + j] = -data[i * cols + j];
      if (alsoRowsOf && otherCols !== undefined) {
        for (let c = 0; c < otherCols; c++) alsoRowsOf[j * otherCols + c] = -alsoRowsOf[j * otherCols + c];
      }
    }
  }
}

/**
 * TensorLy's `svd_flip` (u-based) on host arrays, in place: the largest-|.| entry of each
 * U column becomes positive (ties to the first index, as numpy's `argmax`), and the matching
 * row of Vt is multiplied by the same sign. A zero column keeps its sign (TensorLy would
 * multiply it by sign(0) = 0).
 */
export function hostSvdFlip(u: HostMatrix, vt: HostMatrix): void {
  checkHostMatrix(u, 'u');
  checkHostMatrix(vt, 'vt');
  if (u.cols !== vt.rows) throw new ShapeError(`hostSvdFlip: u has ${u.cols} columns but vt has ${vt.rows} rows`);
  svdFlipUnchecked(u, vt);
}

/** `hostSvdFlip` without argument checks; `vt` may be omitted when only U is wanted. */
export function svdFlipUnchecked(u: HostMatrix, vt?: HostMatrix): void {
  signColumnsByMaxAbs(u.data, u.rows, u.cols, vt?.data, vt?.cols);
}
