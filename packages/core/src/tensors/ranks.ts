/**
 * Rank resolution for CP, Tucker, TT (MPS), TT-matrix and tensor-ring decompositions:
 * `'same'` and fractional ranks are turned into integer ranks that keep (about) a given
 * fraction of the parameters of the full tensor, with TensorLy 0.9's exact formulas
 * (`cp_tensor.py::validate_cp_rank`, `tucker_tensor.py::validate_tucker_rank`,
 * `tt_tensor.py::validate_tt_rank`, `tt_matrix.py::validate_tt_matrix_rank`,
 * `tr_tensor.py::validate_tr_rank`). Rounding `'round'` is NumPy's half-to-even.
 *
 * Deliberate differences from TensorLy are listed in `docs/fidelity/tensors.md`.
 */
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, RankError, ShapeError, checkMode, describe } from '../errors/index.js';
import { brentRoot } from './brentRoot.js';

/**
 * How a rank is given: an integer is an explicit rank, a non-integer number is a fraction
 * of the parameters of the full tensor (TensorLy's float rank), `'same'` is the fraction
 * 1.0, `{ fraction }` states a fraction explicitly (needed for integral fractions such as
 * 2.0, which JavaScript cannot tell from the integer 2), and a list gives per-mode (Tucker)
 * or per-bond (TT, TR) ranks.
 */
export type RankSpec = 'same' | number | number[] | { fraction: number };

/** Rounding of fractional ranks: `'round'` (half to even, like `np.round`), `'floor'`, `'ceil'`. */
export type Rounding = 'round' | 'floor' | 'ceil';

/** A RankSpec after parsing. */
export type ParsedRank = { kind: 'fraction'; value: number } | { kind: 'int'; value: number } | { kind: 'list'; value: number[] };

/**
 * Round half to even (banker's rounding), like `np.round`: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
 * JavaScript's `Math.round` rounds halves up (2.5 -> 3), which would change TensorLy's ranks.
 */
export function roundHalfEven(x: number): number {
  if (typeof x !== 'number') throw new ArgumentError(`x must be a number; got ${describe(x)}`);
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const diff = x - f; // exact in binary floating point
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function roundingFunction(rounding: unknown): (x: number) => number {
  if (rounding === 'round') return roundHalfEven;
  if (rounding === 'floor') return Math.floor;
  if (rounding === 'ceil') return Math.ceil;
  throw new ArgumentError(`rounding must be 'round', 'floor' or 'ceil'; got ${describe(rounding)}`);
}

/** Check that `shape` is a non-empty list of positive integers; returns a copy. */
export function checkShape(shape: unknown, argName = 'shape'): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1)) {
    throw new ShapeError(`${argName} must be a non-empty list of positive integers; got ${describe(shape)}`);
  }
  return [...shape];
}

function checkBoolOpt(v: unknown, name: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new ArgumentError(`${name} must be true or false; got ${describe(v)}`);
  return v;
}

/** Parse a RankSpec; throws a RankError naming `argName` for anything malformed. */
export function parseRank(rank: unknown, argName = 'rank'): ParsedRank {
  if (rank === 'same') return { kind: 'fraction', value: 1 };
  if (typeof rank === 'number') {
    if (!Number.isFinite(rank) || rank <= 0) {
      throw new RankError(`${argName} must be a positive integer, a positive fraction, 'same', {fraction} or a list of positive integers; got ${describe(rank)}`);
    }
    return Number.isInteger(rank) ? { kind: 'int', value: rank } : { kind: 'fraction', value: rank };
  }
  if (Array.isArray(rank)) {
    if (!rank.every((r) => typeof r === 'number' && Number.isInteger(r) && r >= 1)) {
      throw new RankError(`${argName} given as a list must hold positive integers; got ${describe(rank)}`);
    }
    return { kind: 'list', value: [...rank] };
  }
  if (typeof rank === 'object' && rank !== null && 'fraction' in rank) {
    const v = (rank as { fraction: unknown }).fraction;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new RankError(`${argName}.fraction must be a positive finite number; got ${describe(v)}`);
    }
    return { kind: 'fraction', value: v };
  }
  throw new RankError(`${argName} must be 'same', a positive number, {fraction: number} or a list of positive integers; got ${describe(rank)}`);
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export interface RankOptions {
  rounding?: Rounding;
}

const RANK_OPTIONS = optionKeys<RankOptions>()('rounding');

/**
 * CP rank (TensorLy `validate_cp_rank`). For a fraction `f` (`'same'` = 1):
 * `R = rounding(prod(shape) * f / sum(shape))`, the rank whose factors
 * (`R * sum(shape)` numbers; weights not counted) hold `f` times the entries of the full
 * tensor. An integer is returned unchanged.
 *
 * Like TensorLy, a small fraction may resolve to 0 (e.g. `(5,5)` with 0.1); functions
 * that build a CP tensor reject a rank of 0 with a RankError.
 */
export function validateCpRank(shape: readonly number[], rank: RankSpec = 'same', opts: RankOptions = {}): number {
  opts = checkOptions(opts, RANK_OPTIONS, 'validateCpRank');
  const s = checkShape(shape);
  const roundFn = roundingFunction(opts.rounding ?? 'round');
  const r = parseRank(rank);
  if (r.kind === 'int') return r.value;
  if (r.kind === 'list') {
    throw new RankError(`rank of a CP decomposition must be a single integer or a fraction; got the list ${describe(r.value)}`);
  }
  return roundFn((prod(s) * r.value) / sum(s));
}

export interface TuckerRankOptions extends RankOptions {
  /** Modes kept at full size (`rank[i] = shape[i]`), e.g. the spatial modes of a conv kernel. */
  fixedModes?: number[];
}

const TUCKER_RANK_OPTIONS = optionKeys<TuckerRankOptions>()('rounding', 'fixedModes');

/**
 * Tucker rank (TensorLy `validate_tucker_rank`). For a fraction `f`, look for ranks
 * `R_i = round(x * I_i)` on the non-fixed modes that keep `f` of the parameters:
 * with `P = prod(shape)`, `n` non-fixed modes, `S2 = sum_{non-fixed} I_i^2` and
 * `Sf = sum_{fixed} I_i^2`, `x` is the root in `[0, max(f, 1)]` of
 * `P x^n + S2 x + Sf x - f P = 0` (Brent's method, as `scipy.optimize.brentq`), then
 * `R_i = max(rounding(I_i x), 1)` and fixed modes keep their full size.
 * An integer gives that rank on every non-fixed mode (fixed modes keep full size); a list
 * must have one entry per mode and is returned as given.
 *
 * When every mode is fixed there is nothing to compress and the full shape is returned
 * (TensorLy would solve a degenerate equation).
 */
export function validateTuckerRank(shape: readonly number[], rank: RankSpec = 'same', opts: TuckerRankOptions = {}): number[] {
  opts = checkOptions(opts, TUCKER_RANK_OPTIONS, 'validateTuckerRank');
  const s = checkShape(shape);
  const roundFn = roundingFunction(opts.rounding ?? 'round');
  const r = parseRank(rank);
  const fixed = new Set<number>();
  if (opts.fixedModes !== undefined && opts.fixedModes !== null) {
    if (!Array.isArray(opts.fixedModes)) throw new ArgumentError(`fixedModes must be a list of modes; got ${describe(opts.fixedModes)}`);
    for (const m of opts.fixedModes) {
      const mode = checkMode(m, s.length, 'fixedModes');
      if (fixed.has(mode)) throw new ArgumentError(`fixedModes must not repeat a mode; got ${describe(opts.fixedModes)}`);
      fixed.add(mode);
    }
  }
  if (r.kind === 'list') {
    if (r.value.length !== s.length) {
      throw new RankError(`rank of a Tucker decomposition of an order-${s.length} tensor must have ${s.length} entries; got ${describe(r.value)}`);
    }
    return r.value;
  }
  if (r.kind === 'int') return s.map((d, i) => (fixed.has(i) ? d : r.value));

  const f = r.value;
  const free = s.filter((_, i) => !fixed.has(i));
  if (free.length === 0) return [...s];
  const P = prod(s);
  const n = free.length;
  const S2 = sum(free.map((d) => d * d));
  const Sf = sum(s.filter((_, i) => fixed.has(i)).map((d) => d * d));
  const x = brentRoot((t) => P * t ** n + S2 * t + Sf * t - f * P, 0, Math.max(f, 1));
  return s.map((d, i) => (fixed.has(i) ? d : Math.max(roundFn(d * x), 1)));
}

export interface TtRankOptions extends RankOptions {
  /** Same rank on every bond instead of ranks proportional to the neighbouring dimensions. */
  constantRank?: boolean;
  /**
   * When false, cap each bond at what a TT-SVD can realise:
   * `r_{k+1} = min(r_k * I_k, prod(I_{k+1..}), r_{k+1})` (TensorLy uses the unclipped
   * `r_k` of the requested rank here; so do we, for exact agreement).
   */
  allowOverparametrization?: boolean;
}

const TT_RANK_OPTIONS = optionKeys<TtRankOptions>()('rounding', 'constantRank', 'allowOverparametrization');

/**
 * TT rank (TensorLy `validate_tt_rank`), a list `(1, r_1, ..., r_{N-1}, 1)` of length N+1.
 *
 * Fraction `f`, proportional (default): with `avg_i = (I_i + I_{i+1}) / 2`,
 * `a = sum_{i=1}^{N-2} avg_{i-1} I_i avg_i` (for N = 2, TensorLy's `a = avg_0^2 I_0`),
 * `b = I_0 avg_0 + I_{N-1} avg_{N-2}`, `c = -f prod(shape)`, the positive root
 * `x = (-b + sqrt(b^2 - 4ac)) / 2a` gives `r_i = max(rounding(avg_i x), 1)`.
 *
 * Fraction, `constantRank`: `a = sum(I_1..I_{N-2})`, `b = I_0 + I_{N-1}`, same root, and
 * every bond gets `rounding(x)`. For N = 2 (a = 0), TensorLy divides by zero; here the
 * linear equation `b x + c = 0` is solved instead (`x = f I_0 I_1 / (I_0 + I_1)`).
 *
 * An order-1 shape has no bond: its TT rank is `[1, 1]` for any rank (TensorLy raises an
 * IndexError for fractions).
 *
 * An integer gives `[1, r, ..., r, 1]`; a list must have N+1 entries with 1 at both ends.
 */
export function validateTtRank(shape: readonly number[], rank: RankSpec = 'same', opts: TtRankOptions = {}): number[] {
  opts = checkOptions(opts, TT_RANK_OPTIONS, 'validateTtRank');
  const s = checkShape(shape);
  const roundFn = roundingFunction(opts.rounding ?? 'round');
  const r = parseRank(rank);
  const N = s.length;
  let ranks: number[];
  if (r.kind === 'fraction' && N === 1) {
    ranks = [1, 1];
  } else if (r.kind === 'fraction' && checkBoolOpt(opts.constantRank, 'constantRank')) {
    const c = -prod(s) * r.value;
    const a = sum(s.slice(1, -1));
    const b = s[0] + s[N - 1];
    const x = a === 0 ? -c / b : (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    const solution = roundFn(x);
    ranks = [1, ...new Array<number>(N - 1).fill(solution), 1];
  } else if (r.kind === 'fraction') {
    const avg: number[] = [];
    for (let i = 0; i < N - 1; i++) avg.push((s[i] + s[i + 1]) / 2);
    let a = 0;
    if (avg.length > 1) {
      for (let i = 1; i < N - 1; i++) a += avg[i - 1] * s[i] * avg[i];
    } else {
      a = avg[0] ** 2 * s[0];
    }
    const b = s[0] * avg[0] + s[N - 1] * avg[avg.length - 1];
    const c = -prod(s) * r.value;
    const x = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    ranks = [1, ...avg.map((d) => Math.max(roundFn(d * x), 1)), 1];
  } else if (r.kind === 'int') {
    ranks = [1, ...new Array<number>(N - 1).fill(r.value), 1];
  } else {
    ranks = r.value;
    if (ranks.length !== N + 1) {
      throw new RankError(`rank of a TT decomposition of an order-${N} tensor must have ${N + 1} entries (len = ndim + 1); got ${ranks.length}: ${describe(ranks)}`);
    }
    if (ranks[0] !== 1 || ranks[N] !== 1) {
      throw new RankError(`rank of a TT decomposition must start and end with 1 (boundary conditions rank[0] == rank[-1] == 1); got ${describe(ranks)}`);
    }
  }
  if (opts.allowOverparametrization === false) {
    const out = [1];
    for (let i = 0; i < N - 1; i++) {
      // TensorLy caps with the *requested* rank[i], not the capped one; kept for agreement.
      out.push(Math.min(ranks[i] * s[i], prod(s.slice(i + 1)), ranks[i + 1]));
    }
    out.push(1);
    return out;
  }
  return ranks;
}

/**
 * TT-matrix rank (TensorLy `validate_tt_matrix_rank`): a tensorized shape
 * `(left_1..left_N, right_1..right_N)` is merged into `(left_1 right_1, ..., left_N right_N)`
 * and resolved with {@link validateTtRank}. An odd order is a ShapeError.
 */
export function validateTtMatrixRank(tensorizedShape: readonly number[], rank: RankSpec = 'same', opts: TtRankOptions = {}): number[] {
  opts = checkOptions(opts, TT_RANK_OPTIONS, 'validateTtMatrixRank');
  const s = checkShape(tensorizedShape, 'tensorizedShape');
  if (s.length % 2 !== 0) {
    throw new ShapeError(`tensorizedShape must have an even order (as many left/row dimensions as right/column ones); got ${describe(s)}`);
  }
  const n = s.length / 2;
  const merged = s.slice(0, n).map((l, i) => l * s[n + i]);
  return validateTtRank(merged, rank, opts);
}

/**
 * Tensor-ring rank (TensorLy `validate_tr_rank`), a list of length N+1 with
 * `rank[0] == rank[N]`. A fraction `f` gives `R = rounding(sqrt(f prod(shape) / sum(shape)))`
 * on every bond; an integer `r` gives `r` on every bond; a list must have N+1 entries and
 * equal ends. Like TensorLy, a tiny fraction may resolve to 0.
 */
export function validateTrRank(shape: readonly number[], rank: RankSpec = 'same', opts: RankOptions = {}): number[] {
  opts = checkOptions(opts, RANK_OPTIONS, 'validateTrRank');
  const s = checkShape(shape);
  const roundFn = roundingFunction(opts.rounding ?? 'round');
  const r = parseRank(rank);
  const N = s.length;
  if (r.kind === 'fraction') {
    const R = roundFn(Math.sqrt((prod(s) * r.value) / sum(s)));
    return new Array<number>(N + 1).fill(R);
  }
  if (r.kind === 'int') return new Array<number>(N + 1).fill(r.value);
  if (r.value.length !== N + 1) {
    throw new RankError(`rank of a tensor-ring decomposition of an order-${N} tensor must have ${N + 1} entries; got ${describe(r.value)}`);
  }
  if (r.value[0] !== r.value[N]) {
    throw new RankError(`rank of a tensor ring must close the ring (rank[0] == rank[-1]); got ${describe(r.value)}`);
  }
  return r.value;
}
