/**
 * CorrIndex between the factors of two decompositions: TensorLy 0.9
 * `metrics.correlation_index` (`similarity.py`); Sobhani, Comon, Jutten & Babaie-Zadeh,
 * "CorrIndex: a permutation invariant performance index", Signal Processing 2022.
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { assertFinite, checkOptions, optionKeys } from '../checks/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';

export type CorrelationIndexMethod = 'stacked' | 'max_score' | 'min_score' | 'avg_score';

export interface CorrelationIndexOptions {
  /** Scores below `tol` are reported as 0 (default 5e-16). */
  tol?: number;
  /** 'stacked' (default): one score of the vertically stacked factors; otherwise per mode, then max / min / mean. */
  method?: CorrelationIndexMethod;
}

const CORRELATION_INDEX_OPTIONS = optionKeys<CorrelationIndexOptions>()('tol', 'method');

function hostMatrices(list: readonly TensorLike[], name: string): { data: Float64Array; rows: number; cols: number }[] {
  if (!Array.isArray(list) || list.length === 0) throw new ArgumentError(`${name} must be a non-empty list of factor matrices; got ${describe(list)}`);
  return list.map((m, i) => {
    const t = toTensor(m, `${name}[${i}]`);
    try {
      if (t.rank !== 2) throw new ShapeError(`${name}[${i}] must be a matrix; got shape ${describe(t.shape)}`);
      assertFinite(t, `${name}[${i}]`);
      return { data: Float64Array.from(readSync(t)), rows: t.shape[0] as number, cols: t.shape[1] as number };
    } finally {
      if (t !== m) t.dispose();
    }
  });
}

function score(x1: { data: Float64Array; rows: number; cols: number }, x2: { data: Float64Array; rows: number; cols: number }, tol: number): number {
  const { rows, cols: R1 } = x1;
  const R2 = x2.cols;
  const n1 = new Float64Array(R1);
  const n2 = new Float64Array(R2);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < R1; r++) n1[r] += x1.data[i * R1 + r] ** 2;
    for (let s = 0; s < R2; s++) n2[s] += x2.data[i * R2 + s] ** 2;
  }
  if ([...n1, ...n2].some((v) => v === 0)) throw new ArgumentError('every factor column must have a nonzero norm (TensorLy: "Column norms must be non-zero")');
  const rowMax = new Float64Array(R1);
  const colMax = new Float64Array(R2);
  for (let r = 0; r < R1; r++) {
    for (let s = 0; s < R2; s++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += x1.data[i * R1 + r] * x2.data[i * R2 + s];
      const c = Math.abs(dot) / Math.sqrt(n1[r] * n2[s]);
      rowMax[r] = Math.max(rowMax[r], c);
      colMax[s] = Math.max(colMax[s], c);
    }
  }
  let sum = 0;
  for (const v of rowMax) sum += Math.abs(v - 1);
  for (const v of colMax) sum += Math.abs(v - 1);
  const out = sum / (R1 + R2);
  return out < tol ? 0 : out;
}

/**
 * CorrIndex of two lists of factor matrices (TensorLy `correlation_index`): columns are
 * l2-normalised, `C = |X1^T X2|`, and the score is
 * `(sum_r |max_s C[r, s] - 1| + sum_s |max_r C[r, s] - 1|) / (R1 + R2)`, 0 below `tol`;
 * 0 means equal up to column permutation and scaling. 'stacked' stacks each list's matrices
 * vertically; the other methods score mode by mode and take the max, min or mean.
 * Runs on the host in float64.
 *
 * @throws ShapeError when a list mixes ranks or paired matrices differ in shape;
 *   ArgumentError for an unknown method or a zero column; NonFiniteError for NaN or Inf in a
 *   matrix (checked on entry)
 */
export function correlationIndex(factors1: readonly TensorLike[], factors2: readonly TensorLike[], options: CorrelationIndexOptions | null = {}): number {
  const opts = checkOptions(options, CORRELATION_INDEX_OPTIONS, 'correlationIndex');
  const tol = opts.tol ?? 5e-16;
  if (typeof tol !== 'number' || !(tol >= 0)) throw new ArgumentError(`tol must be a number >= 0; got ${describe(tol)}`);
  const method = opts.method ?? 'stacked';
  const methods: CorrelationIndexMethod[] = ['stacked', 'max_score', 'min_score', 'avg_score'];
  if (!methods.includes(method)) throw new ArgumentError(`method must be one of ${methods.map((m) => `'${m}'`).join(', ')}; got ${describe(method)}`);
  const a = hostMatrices(factors1, 'factors1');
  const b = hostMatrices(factors2, 'factors2');
  for (const [l, name] of [[a, 'factors1'], [b, 'factors2']] as const) {
    if (new Set(l.map((m) => m.cols)).size !== 1) throw new ShapeError(`${name} must hold matrices of the same rank (columns); got ${describe(l.map((m) => m.cols))}`);
  }
  const stack = (l: typeof a) => {
    const cols = l[0].cols;
    const rows = l.reduce((s, m) => s + m.rows, 0);
    const data = new Float64Array(rows * cols);
    let o = 0;
    for (const m of l) {
      data.set(m.data, o);
      o += m.data.length;
    }
    return { data, rows, cols };
  };
  const x1 = method === 'stacked' ? [stack(a)] : a;
  const x2 = method === 'stacked' ? [stack(b)] : b;
  if (x1.length !== x2.length) throw new ShapeError(`factors1 and factors2 must hold as many matrices; got ${a.length} and ${b.length}`);
  x1.forEach((m, i) => {
    if (m.rows !== x2[i].rows || m.cols !== x2[i].cols) {
      const which = method === 'stacked' ? 'factors2 (stacked)' : `factors2[${i}]`;
      throw new ShapeError(`${which} must have the shape (${m.rows}, ${m.cols}) of its factors1 counterpart; got (${x2[i].rows}, ${x2[i].cols})`);
    }
  });
  const scores = x1.map((m, i) => score(m, x2[i], tol));
  if (method === 'stacked') return scores[0];
  if (method === 'max_score') return Math.max(...scores);
  if (method === 'min_score') return Math.min(...scores);
  return scores.reduce((s, v) => s + v, 0) / scores.length;
}
