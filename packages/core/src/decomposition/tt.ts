/**
 * Tensor-train decompositions by TT-SVD: TensorLy 0.9 `tensor_train` and
 * `tensor_train_matrix` (`_tt.py`).
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng, type Seed } from '../random/rng.js';
import { TTMatrix, TTTensor, validateTtRank, type RankSpec } from '../tensors/index.js';
import { checkInputTensor, checkOptions, checkSvdMethod, releaseInput, type DecompositionSvdMethod } from './_common.js';
import { type HostTruncatedSvd, truncatedSvdHost, usesExactSvd } from '../linalg/truncatedSvdHost.js';
import { hostTranspose } from '../linalg/host.js';
import { fromHostMatrix } from '../backend/transfer.js';
import type { HostMatrix } from '../backend/transfer.js';

export interface TensorTrainOptions {
  /** SVD of each unfolding: 'truncated' (default), 'randomized', 'gram' (TensorLy names accepted). */
  svd?: DecompositionSvdMethod;
  /** Seed of the randomized SVD. */
  seed?: Seed;
}

const TT_OPTIONS = ['svd', 'seed'] as const;

/**
 * TT-SVD on a checked tensor: owned cores `(r_k, I_k, r_{k+1})`.
 *
 * For k = 0..N-2: the remainder is reshaped to `(r_k I_k, -1)`, its leading
 * `r_{k+1} = min(rows, cols, rank[k+1])` left singular vectors form core k, and the new
 * remainder is `S V^T` (computed as `U^T Y` on the Gram route, which needs no division by
 * small singular values). The last remainder is the last core.
 */
function ttSvd(t: tf.Tensor, ranks: readonly number[], method: 'truncated' | 'randomized' | 'gram', seed: Seed): tf.Tensor3D[] {
  const shape = t.shape;
  const N = shape.length;
  const rng = toRng(seed);
  const cores: tf.Tensor3D[] = [];
  let rem: tf.Tensor = t;
  let rPrev = 1;
  try {
    for (let k = 0; k < N - 1; k++) {
      const rows = rPrev * shape[k];
      const y = tf.reshape(rem, [rows, -1]) as tf.Tensor2D;
      const cols = y.shape[1];
      const want = Math.min(rows, cols, ranks[k + 1]);
      // Wide Gram route: the remainder S V^T is U^T Y, one backend product (no V download).
      const gramWide = rows <= cols && !usesExactSvd(rows, cols, method);
      const res: HostTruncatedSvd = truncatedSvdHost(y, want, { method, rng, wantV: !gramWide });
      const r = res.s.length;
      let next: tf.Tensor;
      if (gramWide) {
        next = tf.tidy(() => tf.matMul(fromHostMatrix(hostTranspose(res.u)), y));
      } else {
        const vt = res.vt as HostMatrix;
        const sv: HostMatrix = { rows: r, cols: vt.cols, data: vt.data.map((v, i) => v * res.s[Math.floor(i / vt.cols)]) };
        next = fromHostMatrix(sv);
      }
      cores.push(tf.tidy(() => tf.reshape(fromHostMatrix(res.u), [rPrev, shape[k], r])) as tf.Tensor3D);
      y.dispose();
      if (rem !== t) rem.dispose();
      rem = next;
      rPrev = r;
    }
    cores.push(tf.tidy(() => tf.reshape(rem, [rPrev, shape[N - 1], 1])) as tf.Tensor3D);
    return cores;
  } catch (err) {
    for (const c of cores) c.dispose();
    throw err;
  } finally {
    if (rem !== t && !rem.isDisposed) rem.dispose();
  }
}

function resolveTtRanks(shape: readonly number[], rank: RankSpec, argName = 'rank'): number[] {
  const ranks = validateTtRank(shape, rank);
  if (ranks.length !== shape.length + 1) throw new ShapeError(`${argName} must give ${shape.length + 1} TT ranks for shape ${describe([...shape])}; got ${describe(ranks)}`);
  return ranks;
}

/**
 * Tensor-train (MPS) decomposition by TT-SVD (Oseledets, "Tensor-train decomposition",
 * SIAM J. Sci. Comput. 2011, Alg. 1; TensorLy `tensor_train`):
 * `T[i_0, ..., i_{N-1}] ~ G_0[:, i_0, :] G_1[:, i_1, :] ... G_{N-1}[:, i_{N-1}, :]`.
 *
 * The rank goes through `validateTtRank` (an int for every bond, a list `[1, r_1, ..., 1]`,
 * 'same' or a fraction); each bond is capped at the size of its unfolding. There is no
 * tolerance-based truncation (as TensorLy). Cores follow TensorLy's signs (u-based
 * `svd_flip`). Big unfoldings use the Gram route: one backend product `Y Y^T`, a host
 * eigensolver for the leading vectors, and `U^T Y` for the remainder.
 *
 * @returns a TTTensor with cores `(r_k, I_k, r_{k+1})` (the caller disposes it).
 */
export function tensorTrain(tensor: TensorLike, rank: RankSpec, opts: TensorTrainOptions = {}): TTTensor {
  opts = checkOptions(opts, TT_OPTIONS, 'tensorTrain');
  const input = checkInputTensor(tensor, 'tensor', 1);
  try {
    const ranks = resolveTtRanks(input.shape, rank);
    const method = checkSvdMethod(opts.svd ?? 'truncated');
    toRng(opts.seed);
    return new TTTensor(ttSvd(input.t, ranks, method, opts.seed));
  } finally {
    releaseInput(input);
  }
}

/**
 * TT-matrix decomposition (TensorLy `tensor_train_matrix`): the input is a tensorized
 * matrix of shape `(in_0, ..., in_{n-1}, out_0, ..., out_{n-1})`; its modes are
 * interleaved to `(in_0 out_0, in_1 out_1, ...)`, decomposed by TT-SVD, and each core is
 * reshaped to `(r_k, in_k, out_k, r_{k+1})`. The rank is validated on the merged shape
 * (`validateTtMatrixRank`).
 *
 * @returns a TTMatrix (the caller disposes it).
 */
export function tensorTrainMatrix(tensor: TensorLike, rank: RankSpec, opts: TensorTrainOptions = {}): TTMatrix {
  opts = checkOptions(opts, TT_OPTIONS, 'tensorTrainMatrix');
  const input = checkInputTensor(tensor, 'tensor', 2);
  try {
    const shape = input.shape;
    if (shape.length % 2 !== 0) {
      throw new ShapeError(`tensor must have an even number of modes (in_0..in_{n-1}, out_0..out_{n-1}); got shape ${describe(shape)}`);
    }
    const n = shape.length / 2;
    const inShape = shape.slice(0, n);
    const outShape = shape.slice(n);
    const merged = inShape.map((d, i) => d * outShape[i]);
    const ranks = resolveTtRanks(merged, rank);
    const method = checkSvdMethod(opts.svd ?? 'truncated');
    toRng(opts.seed);
    if (n === 1) return new TTMatrix([tf.reshape(input.t, [1, inShape[0], outShape[0], 1])]);
    const perm: number[] = [];
    for (let i = 0; i < n; i++) perm.push(i, n + i);
    const interleaved = tf.tidy(() => tf.reshape(tf.transpose(input.t, perm), merged));
    let cores: tf.Tensor3D[];
    try {
      cores = ttSvd(interleaved, ranks, method, opts.seed);
    } finally {
      interleaved.dispose();
    }
    const cores4 = cores.map((c, i) => {
      const r = tf.reshape(c, [c.shape[0], inShape[i], outShape[i], c.shape[2]]) as tf.Tensor4D;
      c.dispose();
      return r;
    });
    return new TTMatrix(cores4);
  } finally {
    releaseInput(input);
  }
}
