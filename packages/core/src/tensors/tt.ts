/**
 * Tensor-train (TT, matrix-product-state) tensors: cores `G_k` of shape `(r_k, I_k, r_{k+1})`
 * with `r_0 = r_N = 1`, `T[i_0, ..., i_{N-1}] = G_0[:, i_0, :] G_1[:, i_1, :] ... G_{N-1}[:, i_{N-1}, :]`
 * (Oseledets, "Tensor-Train Decomposition", SIAM J. Sci. Comput. 2011).
 * Mirrors TensorLy 0.9 `tensorly/tt_tensor.py`.
 */
import * as tf from '@tensorflow/tfjs';
import { readScalar } from '../backend/transfer.js';
import { checkLiveTensors } from './internal/ownedTensors.js';
import { checkAllocation } from '../checks/index.js';
import { assertFinite, checkFiniteIfEnabled, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { unfold } from '../base/index.js';
import { qr } from '../linalg/qr.js';
import { checkList } from './internal/ownedTensors.js';
import { CoreChain } from './internal/coreChain.js';

/** TT cores: a {@link TTTensor} or a plain list of `(r_k, I_k, r_{k+1})` tensors. */
export type TTTensorLike = TTTensor | readonly TensorLike[];

/**
 * Check TT cores: 3-D, consecutive ranks equal, `r_0 = r_N = 1`. Returns `{ shape, rank }`
 * with `rank` of length N+1.
 */
export function validateTtTensor(cores: readonly tf.Tensor[], argName = 'cores'): { shape: number[]; rank: number[] } {
  checkLiveTensors(cores, argName);
  if (cores.length < 1) throw new ArgumentError(`${argName} must hold at least one core; got 0`);
  cores.forEach((c, i) => {
    if (c.rank !== 3) throw new ShapeError(`${argName}[${i}] must be 3-D (r_${i}, I_${i}, r_${i + 1}); got shape ${describe(c.shape)}`);
    if (i > 0 && cores[i - 1].shape[2] !== c.shape[0]) {
      throw new ShapeError(`consecutive TT ranks must match: ${argName}[${i - 1}].shape[2] = ${cores[i - 1].shape[2]} but ${argName}[${i}].shape[0] = ${c.shape[0]}`);
    }
  });
  if (cores[0].shape[0] !== 1) throw new ShapeError(`boundary condition: ${argName}[0].shape[0] must be 1; got shape ${describe(cores[0].shape)}`);
  const last = cores[cores.length - 1];
  if (last.shape[2] !== 1) throw new ShapeError(`boundary condition: ${argName}[${cores.length - 1}].shape[2] must be 1; got shape ${describe(last.shape)}`);
  return { shape: cores.map((c) => c.shape[1] as number), rank: [...cores.map((c) => c.shape[0] as number), 1] };
}

function coresOf(tt: TTTensorLike, argName: string): readonly TensorLike[] {
  if (tt instanceof TTTensor) {
    tt.assertAlive(argName);
    return tt.cores;
  }
  return checkList(tt, argName, 1) as TensorLike[];
}

function readTt(tt: TTTensorLike, argName = 'cores'): tf.Tensor3D[] {
  const cores = coresOf(tt, argName).map((c, i) => toTensor(c, `${argName}[${i}]`)) as tf.Tensor3D[];
  validateTtTensor(cores, argName);
  return cores;
}

/**
 * Entry check of a TT argument named `argName`: live, well-formed cores (messages name
 * `${argName}.cores[k]`), finite always with `finite: 'always'`, else when `setFiniteChecks`
 * is on. Keeps no tensor.
 *
 * @throws ArgumentError, ShapeError, NonFiniteError naming `argName`
 */
export function checkTtArg(tt: TTTensorLike, argName: string, finite: 'always' | 'ifEnabled' = 'ifEnabled'): void {
  if (tt === null || tt === undefined || typeof tt !== 'object') throw new ArgumentError(`${argName} must be a TTTensor or a list of cores; got ${describe(tt)}`);
  if (tt instanceof TTTensor) tt.assertAlive(argName);
  tf.tidy(() => {
    const cores = readTt(tt, `${argName}.cores`);
    const check = finite === 'always' ? assertFinite : checkFiniteIfEnabled;
    cores.forEach((c, i) => check(c, `${argName}.cores[${i}]`));
  });
}

/** Contract validated cores left to right into the full tensor (inside a tidy). */
export function ttChain(cores: readonly tf.Tensor3D[]): tf.Tensor {
  const shape = cores.map((c) => c.shape[1]);
  let full: tf.Tensor2D = tf.reshape(cores[0], [shape[0], -1]);
  for (let k = 1; k < cores.length; k++) {
    const [rPrev, , rNext] = cores[k].shape;
    full = tf.reshape(tf.matMul(full, tf.reshape(cores[k], [rPrev, -1])), [-1, rNext]);
  }
  return tf.reshape(full, shape);
}

/**
 * The full tensor of a TT decomposition (TensorLy `tt_to_tensor`): a left-to-right chain
 * of `reshape(T, (-1, r_k)) @ reshape(G_k, (r_k, -1))` matmuls.
 */
export function ttToTensor(tt: TTTensorLike): tf.Tensor {
  return tf.tidy(() => ttChain(readTt(tt)));
}

/** Mode-`mode` unfolding of a TT tensor (TensorLy `tt_to_unfolded`). */
export function ttToUnfolded(tt: TTTensorLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const full = ttChain(readTt(tt));
    return unfold(full, checkMode(mode, full.rank, 'mode'));
  });
}

/** The vectorised TT tensor (TensorLy `tt_to_vec`). */
export function ttToVec(tt: TTTensorLike): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(ttChain(readTt(tt)), [-1]) as tf.Tensor1D);
}

/**
 * Frobenius norm of a chain of cores `(r_k, n_k, r_{k+1})` without forming the tensor:
 * left-to-right Gram contraction `M_{k+1} = G_k^T (M_k x G_k)` with `M_0 = [[1]]`, each step
 * two small matmuls; `||T||^2 = M_N` (1 x 1). Inside a tidy; returns a scalar tensor.
 */
export function chainNormSquared(cores: readonly tf.Tensor3D[]): tf.Tensor {
  let m: tf.Tensor2D = tf.ones([1, 1]);
  for (const c of cores) {
    const [r, n, rn] = c.shape;
    const x = tf.reshape(tf.matMul(m, tf.reshape(c, [r, n * rn])), [r * n, rn]); // M G_k
    m = tf.matMul(tf.transpose(tf.reshape(c, [r * n, rn])), x); // G_k^T (M G_k)
  }
  return tf.reshape(m, []);
}

/** Frobenius norm of a TT tensor from the Gram contraction (no full tensor; one sync). */
export function ttNorm(tt: TTTensorLike): number {
  const s = tf.tidy(() => chainNormSquared(readTt(tt)));
  const v = readScalar(s);
  s.dispose();
  return Math.sqrt(Math.max(v, 0));
}

/**
 * Left-orthonormalise a chain of cores `(r_k, n_k, r_{k+1})` (inside a tidy): QR of each
 * left unfolding `(r_k n_k, r_{k+1})`, the R factor pushed into the next core. Cores
 * 0..N-2 become left-orthonormal and the last core carries the norm; bond ranks become
 * `min(r_k n_k, r_{k+1})` where that is smaller.
 */
export function leftOrthonormalize(cores: readonly tf.Tensor3D[]): tf.Tensor3D[] {
  const out: tf.Tensor3D[] = [];
  let carry: tf.Tensor2D | null = null;
  cores.forEach((c0, k) => {
    let c: tf.Tensor3D = c0;
    if (carry !== null) {
      const [r, n, rn] = c.shape;
      c = tf.reshape(tf.matMul(carry, tf.reshape(c, [r, n * rn])), [carry.shape[0], n, rn]);
    }
    if (k === cores.length - 1) {
      out.push(c === c0 ? tf.clone(c) : c); // never hand back an input core
      return;
    }
    const [r, n, rn] = c.shape;
    const { q, r: rr } = qr(tf.reshape(c, [r * n, rn]));
    out.push(tf.reshape(q, [r, n, q.shape[1]]));
    carry = rr;
  });
  return out;
}

export interface PadTtRankOptions {
  /** How much to increase every bond rank by (default 1). */
  nPadding?: number;
  /** Also pad the boundary ranks (for a tensor ring; default false keeps r_0 = r_N = 1). */
  padBoundaries?: boolean;
}

const PAD_TT_RANK_OPTIONS = optionKeys<PadTtRankOptions>()('nPadding', 'padBoundaries');

/**
 * Zero-pad the bond ranks of TT cores without changing the represented tensor (TensorLy
 * `pad_tt_rank`): core `k` of shape `(r_k, ..., r_{k+1})` becomes
 * `(r_k + p, ..., r_{k+1} + p)` with the original block in the top-left corner.
 * Works for TT-matrix cores too (any number of middle modes). Returns new tensors.
 */
export function padTtRank(cores: TTTensorLike | readonly TensorLike[], options: PadTtRankOptions = {}): tf.Tensor[] {
  const { nPadding = 1, padBoundaries = false } = checkOptions(options, PAD_TT_RANK_OPTIONS, 'padTtRank');
  if (!Number.isInteger(nPadding) || nPadding < 0) throw new ArgumentError(`nPadding must be a non-negative integer; got ${describe(nPadding)}`);
  if (typeof padBoundaries !== 'boolean') throw new ArgumentError(`padBoundaries must be a boolean; got ${describe(padBoundaries)}`);
  const list: readonly TensorLike[] = cores instanceof TTTensor ? (cores.assertAlive('cores'), cores.cores) : (checkList(cores, 'cores', 1) as TensorLike[]);
  return tf.tidy(() => {
    const ts = list.map((c, i) => toTensor(c, `cores[${i}]`));
    ts.forEach((t, i) => {
      if (t.rank < 3) throw new ShapeError(`cores[${i}] must have at least 3 dimensions (r, ..., r'); got shape ${describe(t.shape)}`);
    });
    const n = ts.length;
    ts.forEach((t, i) => checkAllocation((t.size / (t.shape[0] * t.shape[t.rank - 1] || 1)) * (t.shape[0] + nPadding) * (t.shape[t.rank - 1] + nPadding), `nPadding ${nPadding} of cores[${i}] (shape ${describe(t.shape)})`));
    return ts.map((t, i) => {
      const left = i === 0 && !padBoundaries ? 0 : nPadding;
      const right = i === n - 1 && !padBoundaries ? 0 : nPadding;
      const pads: [number, number][] = t.shape.map(() => [0, 0] as [number, number]);
      pads[0] = [0, left];
      pads[t.rank - 1] = [0, right];
      return tf.pad(t, pads);
    });
  });
}

/**
 * A TT tensor that owns its cores (TensorLy `TTTensor`).
 * `new TTTensor(cores)` takes ownership of the given tf.Tensors.
 */
export class TTTensor extends CoreChain<tf.Tensor3D> {
  // shape `(I_0, ..., I_{N-1})`; rank `(1, r_1, ..., r_{N-1}, 1)`.
  protected readonly kind = 'TTTensor';
  protected readonly defaultArgName = 'tt';

  constructor(cores: readonly TensorLike[]) {
    super(cores, 1, (ts) => validateTtTensor(ts));
  }

  toTensor(): tf.Tensor {
    return ttToTensor(this);
  }

  toUnfolded(mode: number): tf.Tensor2D {
    return ttToUnfolded(this, mode);
  }

  toVec(): tf.Tensor1D {
    return ttToVec(this);
  }

  /** Frobenius norm by left-to-right Gram contraction ({@link ttNorm}). */
  norm(): number {
    return ttNorm(this);
  }

  /**
   * A new TTTensor in left-canonical form representing the same tensor: cores 0..N-2
   * left-orthonormal (QR sweep), the last core carrying the norm. TensorLy has no TT
   * normalisation; ranks can shrink to `min(r_k I_k, r_{k+1})`.
   */
  normalize(): TTTensor {
    this.assertAlive();
    return new TTTensor(tf.tidy(() => leftOrthonormalize(this.cores)));
  }
}
