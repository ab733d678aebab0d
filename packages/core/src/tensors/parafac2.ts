/**
 * PARAFAC2 tensors (Harshman 1972; Kiers, ten Berge & Bro, "PARAFAC2 - Part I. A direct
 * fitting algorithm for the PARAFAC2 model", J. Chemometrics 1999): a list of slices
 *
 *   `X_i = B_i diag(a_i * w) C^T`,  `B_i = P_i B`,  `P_i^T P_i = I_R`,
 *
 * with `A` (I x R), `B` (R x R), `C` (K x R), weights `w` (R,) and one orthonormal
 * projection `P_i` (J_i x R) per slice, so the slices may have different row counts J_i
 * while `B_i^T B_i = B^T B` is the same for all of them. Mirrors TensorLy 0.9
 * `tensorly/parafac2_tensor.py`.
 */
import * as tf from '@tensorflow/tfjs';
import { readSync } from '../backend/transfer.js';
import { ArgumentError, RankError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { unfold } from '../base/index.js';
import { OwnsTensors, adopt, checkList, checkLiveTensor, checkLiveTensors, safeColumnNorms } from './internal/ownedTensors.js';

/** Anything with PARAFAC2 weights, factors `[A, B, C]` and projections `P_i`. */
export interface Parafac2TensorLike {
  /** `(R,)`; `null`/absent means all ones. */
  weights?: TensorLike | null;
  /** `[A (I x R), B (R x R), C (K x R)]`. */
  factors: readonly TensorLike[];
  /** I matrices `P_i` of shape `(J_i, R)` with orthonormal columns. */
  projections: readonly TensorLike[];
}

/** Largest allowed `max |P_i^T P_i - I|` (TensorLy's 1e-5). */
const ORTHONORMAL_TOL = 1e-5;

/**
 * Check a PARAFAC2 tensor's parts (TensorLy `_validate_parafac2_tensor`): three factors with
 * R columns, B square, one projection `(J_i, R)` per row of A with `max |P_i^T P_i - I| <= 1e-5`
 * (one host read for all of them). Returns the slice shapes `(J_i, K)` and the rank.
 * @throws ShapeError / ArgumentError naming the offending part.
 */
export function validateParafac2Tensor(
  weights: tf.Tensor | null,
  factors: readonly tf.Tensor[],
  projections: readonly tf.Tensor[],
): { sliceShapes: [number, number][]; rank: number } {
  checkLiveTensors(factors, 'factors');
  checkLiveTensors(projections, 'projections');
  if (weights !== null) checkLiveTensor(weights, 'weights');
  if (factors.length !== 3) throw new ArgumentError(`factors must hold exactly three matrices [A, B, C]; got ${factors.length}`);
  factors.forEach((f, i) => {
    if (f.rank !== 2) throw new ShapeError(`factors[${i}] must be a matrix; got shape ${describe(f.shape)}`);
  });
  const rank = factors[0].shape[1] as number;
  if (rank < 1) throw new RankError(`the PARAFAC2 rank (columns of factors[0]) must be at least 1; got shape ${describe(factors[0].shape)}`);
  factors.forEach((f, i) => {
    if (f.shape[1] !== rank) throw new ShapeError(`factors[${i}] must have R = ${rank} columns like factors[0]; got shape ${describe(f.shape)}`);
  });
  if (factors[1].shape[0] !== rank) throw new ShapeError(`factors[1] (B) must be ${rank} x ${rank}; got shape ${describe(factors[1].shape)}`);
  const I = factors[0].shape[0] as number;
  if (projections.length !== I) {
    throw new ShapeError(`projections must hold one matrix per row of factors[0] (A has ${I} rows); got ${projections.length}`);
  }
  if (weights !== null && (weights.rank !== 1 || weights.shape[0] !== rank)) {
    throw new ShapeError(`weights must be a vector of length R = ${rank}; got shape ${describe(weights.shape)}`);
  }
  const K = factors[2].shape[0] as number;
  const sliceShapes = projections.map((p, i): [number, number] => {
    if (p.rank !== 2 || p.shape[1] !== rank) {
      throw new ShapeError(`projections[${i}] must be a (J_${i}, ${rank}) matrix; got shape ${describe(p.shape)}`);
    }
    return [p.shape[0] as number, K];
  });
  // One host read for all projections: max |P_i^T P_i - I| per slice.
  const devs = tf.tidy(() => {
    const eye = tf.eye(rank);
    return readSync(tf.stack(projections.map((p) => tf.max(tf.abs(tf.sub(tf.matMul(p, p, true, false), eye))))));
  });
  devs.forEach((dev, i) => {
    if (!(dev <= ORTHONORMAL_TOL)) {
      throw new ArgumentError(`projections[${i}] must have orthonormal columns (P^T P = I within ${ORTHONORMAL_TOL}); max |P^T P - I| = ${dev}`);
    }
  });
  return { sliceShapes, rank };
}

interface ReadParafac2 {
  weights: tf.Tensor1D;
  factors: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  projections: tf.Tensor2D[];
  sliceShapes: [number, number][];
  rank: number;
}

/** Convert a Parafac2TensorLike inside a tidy (validation skipped for a live Parafac2Tensor). */
function readParafac2(p: Parafac2TensorLike, argName = 'parafac2'): ReadParafac2 {
  if (typeof p !== 'object' || p === null || !('factors' in p) || !('projections' in p)) {
    throw new ArgumentError(`${argName} must be a Parafac2Tensor or {weights, factors, projections}; got ${describe(p)}`);
  }
  if (p instanceof Parafac2Tensor) {
    p.assertAlive(argName);
    return { weights: p.weights, factors: p.factors, projections: p.projections, sliceShapes: p.sliceShapes, rank: p.rank };
  }
  const factors = checkList(p.factors, `${argName}.factors`, 1).map((f, i) => toTensor(f as TensorLike, `${argName}.factors[${i}]`)) as tf.Tensor2D[];
  const projections = checkList(p.projections, `${argName}.projections`, 1).map((f, i) => toTensor(f as TensorLike, `${argName}.projections[${i}]`)) as tf.Tensor2D[];
  const w = p.weights === undefined || p.weights === null ? null : toTensor(p.weights, `${argName}.weights`);
  const { sliceShapes, rank } = validateParafac2Tensor(w, factors, projections);
  return { weights: (w ?? tf.ones([rank])) as tf.Tensor1D, factors: factors as ReadParafac2['factors'], projections, sliceShapes, rank };
}

function sliceOf(r: ReadParafac2, i: number): tf.Tensor2D {
  const [A, B, C] = r.factors;
  const a = tf.mul(tf.reshape(tf.slice(A, [i, 0], [1, -1]), [-1]), r.weights);
  return tf.matMul(tf.mul(tf.matMul(r.projections[i], B), a), C, false, true);
}

/**
 * Slice `sliceIdx` of a PARAFAC2 tensor (TensorLy `parafac2_to_slice`):
 * `X_i = (P_i B) diag(A[i] * w) C^T`, shape `(J_i, K)`.
 * @throws ModeError when `sliceIdx` is not in [0, I).
 */
export function parafac2ToSlice(p: Parafac2TensorLike, sliceIdx: number): tf.Tensor2D {
  return tf.tidy(() => {
    const r = readParafac2(p);
    const i = checkMode(sliceIdx, r.projections.length, 'sliceIdx');
    return sliceOf(r, i);
  });
}

/** All slices `X_i = (P_i B) diag(A[i] * w) C^T` (TensorLy `parafac2_to_slices`); a list because the J_i may differ. */
export function parafac2ToSlices(p: Parafac2TensorLike): tf.Tensor2D[] {
  return tf.tidy(() => {
    const r = readParafac2(p);
    return r.projections.map((_, i) => sliceOf(r, i));
  });
}

/**
 * The full `(I, max J_i, K)` tensor (TensorLy `parafac2_to_tensor`): slice i fills rows
 * `0 .. J_i - 1` of `T[i]`, shorter slices are zero-padded at the end of mode 1.
 */
export function parafac2ToTensor(p: Parafac2TensorLike): tf.Tensor3D {
  return tf.tidy(() => {
    const r = readParafac2(p);
    const maxJ = Math.max(...r.sliceShapes.map((s) => s[0]));
    const padded = r.projections.map((_, i) => {
      const s = sliceOf(r, i);
      return s.shape[0] === maxJ ? s : tf.pad(s, [[0, maxJ - (s.shape[0] as number)], [0, 0]]);
    });
    return tf.stack(padded) as tf.Tensor3D;
  });
}

/** Mode-`mode` unfolding of the zero-padded tensor (TensorLy `parafac2_to_unfolded`). */
export function parafac2ToUnfolded(p: Parafac2TensorLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    checkMode(mode, 3, 'mode');
    return unfold(parafac2ToTensor(p), mode);
  });
}

/** The zero-padded tensor as a C-order vector (TensorLy `parafac2_to_vec`). */
export function parafac2ToVec(p: Parafac2TensorLike): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(parafac2ToTensor(p), [-1]) as tf.Tensor1D);
}

/** What {@link applyParafac2Projections} returns: `A`, the evolving `B_i = P_i B`, and `C`. */
export interface Parafac2Evolving {
  weights: tf.Tensor1D;
  factors: [tf.Tensor2D, tf.Tensor2D[], tf.Tensor2D];
}

/**
 * The evolving mode-1 factors `B_i = P_i B` (TensorLy `apply_parafac2_projections`):
 * returns `{ weights, factors: [A, [B_0, ..., B_{I-1}], C] }`, so that
 * `X_i = B_i diag(A[i] * w) C^T`. Every returned tensor is new (TensorLy hands back its
 * own A, C and weights); the caller disposes them.
 */
export function applyParafac2Projections(p: Parafac2TensorLike): Parafac2Evolving {
  return tf.tidy(() => {
    const r = readParafac2(p);
    const [A, B, C] = r.factors;
    return {
      weights: tf.clone(r.weights),
      factors: [tf.clone(A), r.projections.map((P) => tf.matMul(P, B) as tf.Tensor2D), tf.clone(C)] as Parafac2Evolving['factors'],
    };
  });
}

/**
 * PARAFAC2 tensor with unit-norm factor columns (TensorLy `parafac2_normalise`): A absorbs
 * the weights, then every factor's column norms move into the weights (zero columns are
 * divided by 1). The projections are copied unchanged. Returns a new Parafac2Tensor.
 */
export function parafac2Normalise(p: Parafac2TensorLike): Parafac2Tensor {
  const out = tf.tidy(() => {
    const r = readParafac2(p);
    let weights: tf.Tensor1D = tf.onesLike(r.weights);
    const factors = r.factors.map((f0, i) => {
      const f = i === 0 ? (tf.mul(f0, r.weights) as tf.Tensor2D) : f0;
      const { scales, safe } = safeColumnNorms(f);
      weights = tf.mul(weights, scales);
      return tf.div(f, tf.reshape(safe, [1, -1])) as tf.Tensor2D;
    });
    return { weights, factors, projections: r.projections.map((q) => tf.clone(q)) };
  });
  return new Parafac2Tensor(out.weights, out.factors, out.projections);
}

/**
 * A PARAFAC2 tensor that owns its weights, factors `[A, B, C]` and projections (TensorLy
 * `Parafac2Tensor`). Given tf.Tensors are adopted (disposed by `dispose()`); other
 * TensorLikes are converted. `null` weights are ones. The parts are validated once here
 * (projections orthonormal within 1e-5).
 */
export class Parafac2Tensor extends OwnsTensors implements Parafac2TensorLike {
  readonly weights: tf.Tensor1D;
  readonly factors: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  readonly projections: tf.Tensor2D[];
  /** `(J_i, K)` for every slice i (TensorLy's `shape`). */
  readonly sliceShapes: [number, number][];
  /** The shape of the zero-padded full tensor, `(I, max J_i, K)`. */
  readonly shape: [number, number, number];
  /** The number of components R. */
  readonly rank: number;
  protected readonly kind = 'Parafac2Tensor';
  protected readonly defaultArgName = 'parafac2';

  constructor(weights: TensorLike | null, factors: readonly TensorLike[], projections: readonly TensorLike[]) {
    super();
    checkList(factors, 'factors', 1);
    checkList(projections, 'projections', 1);
    const inputs = factors.map((f, i) => ({ value: f, name: `factors[${i}]` }));
    projections.forEach((q, i) => inputs.push({ value: q, name: `projections[${i}]` }));
    const hasW = weights !== null && weights !== undefined;
    if (hasW) inputs.push({ value: weights, name: 'weights' });
    const nf = factors.length;
    const built = adopt(inputs, (ts) => {
      const fs = ts.slice(0, nf) as tf.Tensor2D[];
      const ps = ts.slice(nf, nf + projections.length) as tf.Tensor2D[];
      const w = hasW ? (ts[ts.length - 1] as tf.Tensor1D) : null;
      return { fs, ps, w, ...validateParafac2Tensor(w, fs, ps) };
    });
    this.factors = built.fs as Parafac2Tensor['factors'];
    this.projections = built.ps;
    this.weights = built.w ?? (tf.ones([built.rank]) as tf.Tensor1D);
    this.sliceShapes = built.sliceShapes;
    this.rank = built.rank;
    this.shape = [built.ps.length, Math.max(...built.sliceShapes.map((s) => s[0])), this.factors[2].shape[0] as number];
  }

  /** Slice i ({@link parafac2ToSlice}). */
  toSlice(sliceIdx: number): tf.Tensor2D {
    return parafac2ToSlice(this, sliceIdx);
  }

  /** All slices ({@link parafac2ToSlices}). */
  toSlices(): tf.Tensor2D[] {
    return parafac2ToSlices(this);
  }

  /** The zero-padded full tensor ({@link parafac2ToTensor}). */
  toTensor(): tf.Tensor3D {
    return parafac2ToTensor(this);
  }

  /** The mode-`mode` unfolding of the padded tensor ({@link parafac2ToUnfolded}). */
  toUnfolded(mode: number): tf.Tensor2D {
    return parafac2ToUnfolded(this, mode);
  }

  /** The padded tensor as a vector ({@link parafac2ToVec}). */
  toVec(): tf.Tensor1D {
    return parafac2ToVec(this);
  }

  /** A new, normalised Parafac2Tensor ({@link parafac2Normalise}); this one is unchanged. */
  normalise(): Parafac2Tensor {
    return parafac2Normalise(this);
  }

  /** A deep copy that owns new tensors. */
  clone(): Parafac2Tensor {
    this.assertAlive();
    return new Parafac2Tensor(tf.clone(this.weights), this.factors.map((f) => tf.clone(f)), this.projections.map((q) => tf.clone(q)));
  }

  protected ownedTensors(): tf.Tensor[] {
    return [this.weights, ...this.factors, ...this.projections];
  }
}
