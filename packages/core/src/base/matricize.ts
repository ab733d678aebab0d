import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { notInput, permute, prod } from './internal/shapeHelpers.js';

function modeList(value: unknown, ndim: number, argName: string): number[] {
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list)) throw new ArgumentError(`${argName} must be a mode or an array of modes; got ${describe(value)}`);
  const out = list.map((m, i) => checkMode(m as number, ndim, `${argName}[${i}]`));
  if (new Set(out).size !== out.length) throw new ArgumentError(`${argName} must not repeat a mode; got ${describe(list)}`);
  return out;
}

/**
 * Matricize a tensor along a partition of its modes:
 *
 *   matricize(T, rows, cols) = reshape(transpose(T, [...rows, ...cols]), (prod I_rows, prod I_cols))
 *
 * The column modes default to the remaining modes in ascending order. The rows and the
 * columns enumerate their modes in the order given, the last fastest (C order).
 * Mirrors `tensorly.base.matricize` (not re-exported at `tl.*` in TensorLy 0.9).
 *
 * @throws ModeError for a mode out of range; ArgumentError when a mode repeats or, with
 *   both lists given, they do not partition all modes
 */
export function matricize(t: TensorLike, rowModes: number | readonly number[], columnModes?: number | readonly number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    const n = x.rank;
    if (n === 0) throw new ShapeError(`tensor must have at least 1 dimension to be matricized; got a scalar`);
    const rows = modeList(rowModes, n, 'rowModes');
    let cols: number[];
    if (columnModes === undefined || columnModes === null) {
      cols = [];
      for (let i = 0; i < n; i++) if (!rows.includes(i)) cols.push(i);
    } else {
      cols = modeList(columnModes, n, 'columnModes');
      const all = [...rows, ...cols].sort((a, b) => a - b);
      if (all.length !== n || all.some((m, i) => m !== i)) {
        throw new ArgumentError(`rowModes ${describe(rows)} and columnModes ${describe(cols)} must together list every mode of the ${n}-D tensor exactly once`);
      }
    }
    const r = prod(rows.map((m) => x.shape[m]));
    const c = prod(cols.map((m) => x.shape[m]));
    return notInput(tf.reshape(permute(x, [...rows, ...cols]), [r, c]), x) as tf.Tensor2D;
  });
}
