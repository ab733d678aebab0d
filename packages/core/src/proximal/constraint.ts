/**
 * The constraints of TensorLy 0.9's `proximal_operator` / `constrained_parafac` as a
 * discriminated union, and their proximal operators on a float64 host matrix (the work of
 * `admm` and `constrainedParafac`, whose factors are small).
 */
import type { HostMatrix } from '../backend/transfer.js';
import { ArgumentError, describe } from '../errors/index.js';
import {
  hardThreshold,
  isotonicDecreasing,
  isotonicIncreasing,
  mapColumns,
  projectL1Ball,
  projectSimplex,
  projectUnimodal,
  smoothnessSolve,
} from './internal/columns.js';

/**
 * One constraint or penalty r(x); its proximal operator is `argmin_z r(z) + ||z - x||^2 / 2`
 * (for the projections, the nearest point of the set).
 * - `nonNegative`: x >= 0 (`max(x, 0)`).
 * - `l1Reg`: value * ||x||_1 (soft thresholding).
 * - `l2Reg`: value * ||x||_F (block soft thresholding of the whole matrix).
 * - `l2SquareReg`: value * ||x||_F^2 (`x / (1 + 2 value)`).
 * - `unimodality`: every column unimodal (increasing then decreasing).
 * - `normalize`: `x / max|x|` (TensorLy's scaling, not a projection).
 * - `simplex`: every column on `{v >= 0, sum v = value}`.
 * - `normalizedSparsity`: keep the `value` largest-|.| entries, then unit Frobenius norm.
 * - `softSparsity`: every column in the l1 ball `{||v||_1 <= value}`.
 * - `smoothness`: value * (x_0^2 + sum_i (x_{i+1} - x_i)^2 + x_{n-1}^2) / 2 per column,
 *   i.e. `(I + value tridiag(-1, 2, -1)) z = x`.
 * - `monotonicity`: every column non-decreasing (`decreasing`: non-increasing).
 * - `hardSparsity`: at most `value` non-zero entries in the whole matrix.
 */
export type Constraint =
  | { type: 'nonNegative' }
  | { type: 'l1Reg'; value: number }
  | { type: 'l2Reg'; value: number }
  | { type: 'l2SquareReg'; value: number }
  | { type: 'unimodality' }
  | { type: 'normalize' }
  | { type: 'simplex'; value: number }
  | { type: 'normalizedSparsity'; value: number }
  | { type: 'softSparsity'; value: number }
  | { type: 'smoothness'; value: number }
  | { type: 'monotonicity'; decreasing?: boolean }
  | { type: 'hardSparsity'; value: number };

export type ConstraintType = Constraint['type'];

/** Constraints without a parameter (TensorLy takes `True`). */
export const FLAG_CONSTRAINTS: readonly ConstraintType[] = ['nonNegative', 'unimodality', 'normalize', 'monotonicity'];
/** Constraints whose parameter counts entries (an integer >= 1). */
export const COUNT_CONSTRAINTS: readonly ConstraintType[] = ['normalizedSparsity', 'hardSparsity'];
/** Every constraint name, in TensorLy's order. */
export const CONSTRAINT_TYPES: readonly ConstraintType[] = [
  'nonNegative', 'l1Reg', 'l2Reg', 'l2SquareReg', 'unimodality', 'normalize', 'simplex',
  'normalizedSparsity', 'softSparsity', 'smoothness', 'monotonicity', 'hardSparsity',
];

/**
 * Check a constraint object: a known type and a parameter of the right kind (finite and
 * >= 0; an integer >= 1 for the sparsity counts; > 0 for the simplex and l1 ball radii).
 * @throws ArgumentError naming `argName`.
 */
export function checkConstraint(c: unknown, argName = 'constraint'): Constraint {
  if (typeof c !== 'object' || c === null || !CONSTRAINT_TYPES.includes((c as Constraint).type)) {
    throw new ArgumentError(`${argName} must be an object { type, value? } with type one of ${CONSTRAINT_TYPES.map((t) => `'${t}'`).join(', ')}; got ${describe(c)}`);
  }
  const k = c as Constraint;
  for (const key of Object.keys(k)) {
    if ((k as unknown as Record<string, unknown>)[key] !== undefined && !['type', 'value', 'decreasing'].includes(key)) throw new ArgumentError(`${argName} has an unknown key '${key}'; expected 'type', 'value' or 'decreasing'`);
  }
  if (k.type === 'monotonicity') {
    if (k.decreasing !== undefined && typeof k.decreasing !== 'boolean') throw new ArgumentError(`${argName}.decreasing must be true or false; got ${describe(k.decreasing)}`);
    return k;
  }
  if (FLAG_CONSTRAINTS.includes(k.type)) return k;
  const v = (k as { value: unknown }).value;
  checkConstraintValue(k.type, v, `${argName}.value`);
  return k;
}

/** The parameter check shared by `checkConstraint` and `constrainedParafac`'s options. */
export function checkConstraintValue(type: ConstraintType, v: unknown, argName: string): number {
  if (COUNT_CONSTRAINTS.includes(type)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${argName} (${type}) must be an integer >= 1 (number of non-zero entries); got ${describe(v)}`);
    return v;
  }
  const positive = type === 'simplex' || type === 'softSparsity';
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new ArgumentError(`${argName} (${type}) must be a finite number ${positive ? '> 0' : '>= 0'}; got ${describe(v)}`);
  }
  return v;
}

function mapData(m: HostMatrix, f: (x: number) => number): HostMatrix {
  return { rows: m.rows, cols: m.cols, data: m.data.map(f) };
}

function frobenius(data: Float64Array): number {
  let s = 0;
  for (const x of data) s += x * x;
  return Math.sqrt(s);
}

/**
 * The proximal operator of `c` applied to a host matrix (rows x columns; a vector is one
 * column). Returns a new matrix.
 *
 * Deviations from TensorLy 0.9 (docs/fidelity/decomposition.md): `nonNegative` is
 * `max(x, 0)` (TensorLy's `clip(x, 0, max(x))` returns max(x) < 0 everywhere when all
 * entries are negative); `monotonicity` and `unimodality` are the exact projections (PAVA;
 * TensorLy's running-mean scheme clips negative prefix means to 0); `softSparsity` projects
 * onto the l1 ball its docstring describes (TensorLy projects onto the l1 sphere, inflating
 * columns whose l1 norm is below the bound); zero matrices are left unchanged by
 * `normalize` / `normalizedSparsity` (TensorLy divides 0 by 0).
 */
export function proxHost(m: HostMatrix, c: Constraint): HostMatrix {
  switch (c.type) {
    case 'nonNegative':
      return mapData(m, (x) => Math.max(x, 0));
    case 'l1Reg':
      return mapData(m, (x) => Math.sign(x) * Math.max(Math.abs(x) - c.value, 0));
    case 'l2Reg': {
      const n = frobenius(m.data);
      const big = Math.max(n, c.value);
      return big === 0 ? mapData(m, (x) => x) : mapData(m, (x) => x - (x * c.value) / big);
    }
    case 'l2SquareReg':
      return mapData(m, (x) => x / (1 + 2 * c.value));
    case 'normalize': {
      let mx = 0;
      for (const x of m.data) mx = Math.max(mx, Math.abs(x));
      return mx === 0 ? mapData(m, (x) => x) : mapData(m, (x) => x / mx);
    }
    case 'hardSparsity':
      return { rows: m.rows, cols: m.cols, data: hardThreshold(m.data, c.value) };
    case 'normalizedSparsity': {
      const h = hardThreshold(m.data, c.value);
      const n = frobenius(h);
      return { rows: m.rows, cols: m.cols, data: n === 0 ? h : h.map((x) => x / n) };
    }
    case 'simplex':
      return mapColumns(m, (v) => projectSimplex(v, c.value));
    case 'softSparsity':
      return mapColumns(m, (v) => projectL1Ball(v, c.value));
    case 'smoothness':
      return mapColumns(m, (v) => smoothnessSolve(v, c.value));
    case 'monotonicity':
      return mapColumns(m, (v) => (c.decreasing ? isotonicDecreasing(v) : isotonicIncreasing(v)));
    case 'unimodality':
      return mapColumns(m, projectUnimodal);
  }
}
