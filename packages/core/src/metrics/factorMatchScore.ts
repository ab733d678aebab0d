/**
 * Factor match score between two CP models, as TLViz `factor_tools.factor_match_score`
 * (0.1.1) defines it (Acar et al., "Scalable tensor factorizations for incomplete data",
 * Chemometr. Intell. Lab. 2011; Tomasi & Bro 2006 for the weight penalty).
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { ArgumentError, ModeError, ShapeError, describe } from '../errors/index.js';
import { checkOptions, optionKeys } from '../checks/index.js';
import { toTensor } from '../io/tensorLike.js';
import type { CPTensorLike } from '../tensors/index.js';
import { checkCpArg } from '../tensors/cp.js';
import { linearSumAssignment } from '../base/internal/hungarian.js';

export interface FactorMatchScoreOptions {
  /** Multiply each congruence by `1 - |w1 - w2| / max(w1, w2)` (default true; ignored with `skipMode`). */
  considerWeights?: boolean;
  /** A mode left out of the congruence product (default none). */
  skipMode?: number | null;
  /** Take `|congruence|` (default true), so sign flips within a component do not count. */
  absoluteValue?: boolean;
}

const FACTOR_MATCH_SCORE_OPTIONS = optionKeys<FactorMatchScoreOptions>()('considerWeights', 'skipMode', 'absoluteValue');

export interface FactorMatchScoreResult {
  /** Mean congruence of the matched component pairs, in [0, 1] (1 = same model). */
  fms: number;
  /**
   * `permutation[r]` is the component of `cp2` matched to component r of `cp1`; with more
   * components in `cp2`, the unmatched ones follow in increasing order (TLViz's rule).
   */
  permutation: number[];
  /** The `R1 x R2` congruence matrix, row-major. */
  congruence: Float64Array;
}

/** Host float64 copy of a CP model, normalised: unit columns, norms multiplied into the weights. */
function normalisedHost(cp: CPTensorLike, name: string): { factors: Float64Array[]; shape: number[]; R: number; w: Float64Array } {
  if (typeof cp !== 'object' || cp === null || !Array.isArray(cp.factors) || cp.factors.length === 0) {
    throw new ArgumentError(`${name} must be a CP tensor {weights, factors}; got ${describe(cp)}`);
  }
  const ts = tf.tidy(() => cp.factors.map((f, i) => toTensor(f, `${name}.factors[${i}]`).clone()));
  try {
    ts.forEach((t, i) => {
      if (t.rank !== 2) throw new ShapeError(`${name}.factors[${i}] must be a matrix; got shape ${describe(t.shape)}`);
    });
    const R = ts[0].shape[1] as number;
    ts.forEach((t, i) => {
      if (t.shape[1] !== R) throw new ShapeError(`${name}.factors[${i}] must have ${R} columns; got shape ${describe(t.shape)}`);
    });
    let w = new Float64Array(R).fill(1);
    if (cp.weights !== null && cp.weights !== undefined) {
      const wt = toTensor(cp.weights, `${name}.weights`);
      w = Float64Array.from(readSync(wt));
      if (wt !== cp.weights) wt.dispose();
      if (w.length !== R) throw new ShapeError(`${name}.weights must have length ${R}; got ${w.length}`);
    }
    const factors = ts.map((t) => {
      const d = Float64Array.from(readSync(t));
      const rows = t.shape[0] as number;
      for (let r = 0; r < R; r++) {
        let n = 0;
        for (let i = 0; i < rows; i++) n += d[i * R + r] ** 2;
        n = Math.sqrt(n);
        w[r] *= n;
        const div = n === 0 ? 1 : n;
        for (let i = 0; i < rows; i++) d[i * R + r] /= div;
      }
      return d;
    });
    return { factors, shape: ts.map((t) => t.shape[0] as number), R, w };
  } finally {
    tf.dispose(ts);
  }
}

/**
 * Factor match score (FMS) between two CP models (TLViz `factor_match_score`): both models
 * are normalised (unit columns, norms into the weights), the congruence of components r and
 * s is `prod_k a_r^(k)T b_s^(k)` over the modes (except `skipMode`), times
 * `1 - |w1_r - w2_s| / max(w1_r, w2_s)` with `considerWeights` (and no `skipMode`), in
 * absolute value with `absoluteValue`; the assignment that maximises the summed congruence
 * (Hungarian algorithm) gives `fms` = the mean over the matched pairs. Runs on the host in
 * float64 (factors are small).
 *
 * @throws ShapeError when the models differ in order or mode sizes; ModeError for a skipMode
 *   out of range; ArgumentError for a bad option or a malformed/disposed model;
 *   NonFiniteError for NaN or Inf in `cp1` or `cp2` (checked on entry)
 */
export function factorMatchScore(cp1: CPTensorLike, cp2: CPTensorLike, options: FactorMatchScoreOptions | null = {}): FactorMatchScoreResult {
  const opts = checkOptions(options, FACTOR_MATCH_SCORE_OPTIONS, 'factorMatchScore');
  const considerWeights = opts.considerWeights ?? true;
  const absoluteValue = opts.absoluteValue ?? true;
  const skipMode = opts.skipMode ?? null;
  if (typeof considerWeights !== 'boolean') throw new ArgumentError(`considerWeights must be true or false; got ${describe(considerWeights)}`);
  if (typeof absoluteValue !== 'boolean') throw new ArgumentError(`absoluteValue must be true or false; got ${describe(absoluteValue)}`);
  const s1 = checkCpArg(cp1, 'cp1', 'always').shape;
  const s2 = checkCpArg(cp2, 'cp2', 'always').shape;
  const N = s1.length;
  if (s2.length !== N || s1.some((d, i) => d !== s2[i])) {
    throw new ShapeError(`cp2 must describe a tensor of the shape of cp1; got ${describe(s2)} and ${describe(s1)}`);
  }
  if (skipMode !== null && (typeof skipMode !== 'number' || !Number.isInteger(skipMode))) {
    throw new ArgumentError(`skipMode must be null or an integer mode; got ${describe(skipMode)}`);
  }
  if (skipMode !== null && (skipMode < 0 || skipMode >= N)) {
    throw new ModeError(`skipMode must be null or an integer mode in [0, ${N - 1}]; got ${describe(skipMode)}`);
  }
  const a = normalisedHost(cp1, 'cp1');
  const b = normalisedHost(cp2, 'cp2');
  const R1 = a.R;
  const R2 = b.R;
  const c = new Float64Array(R1 * R2).fill(1);
  for (let k = 0; k < N; k++) {
    if (k === skipMode) continue;
    const rows = a.shape[k];
    for (let r = 0; r < R1; r++) {
      for (let s = 0; s < R2; s++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += a.factors[k][i * R1 + r] * b.factors[k][i * R2 + s];
        c[r * R2 + s] *= dot;
      }
    }
  }
  if (considerWeights && skipMode === null) {
    for (let r = 0; r < R1; r++) {
      for (let s = 0; s < R2; s++) {
        const m = Math.max(a.w[r], b.w[s]);
        c[r * R2 + s] *= m === 0 ? 1 : 1 - Math.abs(a.w[r] - b.w[s]) / m;
      }
    }
  }
  if (absoluteValue) for (let i = 0; i < c.length; i++) c[i] = Math.abs(c[i]);
  // Maximise: assign the smaller side's rows.
  let rowToCol: number[];
  if (R1 <= R2) {
    rowToCol = linearSumAssignment(c.map((x) => -x), R1, R2);
  } else {
    const ct = new Float64Array(R2 * R1);
    for (let r = 0; r < R1; r++) for (let s = 0; s < R2; s++) ct[s * R1 + r] = -c[r * R2 + s];
    const colToRow = linearSumAssignment(ct, R2, R1);
    rowToCol = new Array<number>(R1).fill(-1);
    colToRow.forEach((r, s) => (rowToCol[r] = s));
  }
  let sum = 0;
  let n = 0;
  rowToCol.forEach((s, r) => {
    if (s >= 0) {
      sum += c[r * R2 + s];
      n += 1;
    }
  });
  const matched = rowToCol.filter((s) => s >= 0);
  const permutation = R1 <= R2 ? [...rowToCol, ...[...Array(R2).keys()].filter((s) => !matched.includes(s))] : rowToCol;
  return { fms: sum / n, permutation, congruence: c };
}
