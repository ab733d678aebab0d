/**
 * Tensor-ring decomposition by sequential SVDs: TensorLy 0.9 `tensor_ring` (`_tr_svd.py`),
 * TR-SVD of Zhao, Zhou, Xie, Zhang & Cichocki, "Tensor Ring Decomposition",
 * arXiv:1606.05535, 2016 (Alg. 1).
 */
import * as tf from '@tensorflow/tfjs';
import { RankError, checkMode, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { fromHostMatrix } from '../backend/transfer.js';
import { toRng, type Seed } from '../base/rng.js';
import { TRTensor, validateTrRank, type RankSpec } from '../tensors/index.js';
import { checkInputTensor, checkOptions, checkSvdMethod, releaseInput, type DecompositionSvdMethod } from './internal/inputChecks.js';
import { svdStep } from './internal/svdStep.js';
import { optionKeys } from '../checks/index.js';

export interface TensorRingOptions {
  /** The mode whose core is computed first (default 0); the modes are rotated so that it leads. */
  mode?: number;
  /** SVD of each unfolding: 'truncated' (default), 'randomized', 'gram' (TensorLy names accepted). */
  svd?: DecompositionSvdMethod;
  /** Seed of the randomized SVD. */
  seed?: Seed;
}

const TR_OPTIONS = optionKeys<TensorRingOptions>()('mode', 'svd', 'seed');

/**
 * Resolve the ranks and rotate them so that `mode` leads: `rot[k] = rank[(mode + k) mod N]`,
 * k = 0..N, which keeps the ring closed (`rot[N] == rot[0]`). TensorLy rotates the length-N+1
 * list as `rank[mode:] + rank[:mode]`, which repeats `rank[0]` for mode >= 2, so bonds
 * 1..mode-1 get `rank[k-1]`; Tenfold rotates the ring (docs/fidelity/decomposition.md).
 */
function rotatedRanks(ranks: readonly number[], mode: number): number[] {
  const n = ranks.length - 1;
  return Array.from({ length: n + 1 }, (_, k) => ranks[(mode + k) % n]);
}

/**
 * TR-SVD on a checked tensor whose leading mode is the one to start from: owned cores in
 * that (rotated) order. `ranks` is updated in place with the realised ranks.
 */
function trSvd(x: tf.Tensor, ranks: number[], method: 'truncated' | 'randomized' | 'gram', seed: Seed): tf.Tensor3D[] {
  const sz = x.shape;
  const n = sz.length;
  const rng = toRng(seed);
  const cores: tf.Tensor3D[] = [];
  let rem: tf.Tensor | null = null;
  try {
    // First core: the leading r_0 r_1 left singular vectors of the (I_0, rest) unfolding,
    // split into the two bonds (I_0, r_0, r_1) -> (r_0, I_0, r_1).
    const y0 = tf.reshape(x, [sz[0], -1]) as tf.Tensor2D;
    const first = (() => {
      try {
        return svdStep(y0, ranks[0] * ranks[1], method, rng);
      } finally {
        if (y0 !== x) y0.dispose();
      }
    })();
    cores.push(tf.tidy(() => tf.transpose(tf.reshape(fromHostMatrix(first.u), [sz[0], ranks[0], ranks[1]]), [1, 0, 2])) as tf.Tensor3D);
    // The remainder (r_0 r_1, rest) -> (r_1, rest, r_0): r_0 travels to the far end of the chain.
    rem = tf.tidy(() => tf.transpose(tf.reshape(first.remainder, [ranks[0], ranks[1], -1]), [1, 2, 0]));
    first.remainder.dispose();
    // Middle cores: TT-SVD steps, each bond capped at the size of its unfolding.
    for (let k = 1; k < n - 1; k++) {
      const rows = ranks[k] * sz[k];
      const y = tf.reshape(rem, [rows, -1]) as tf.Tensor2D;
      let step;
      try {
        step = svdStep(y, Math.min(rows, y.shape[1], ranks[k + 1]), method, rng);
      } finally {
        y.dispose();
      }
      ranks[k + 1] = step.r;
      const u = step.u;
      cores.push(tf.tidy(() => tf.reshape(fromHostMatrix(u), [ranks[k], sz[k], step.r])) as tf.Tensor3D);
      rem.dispose();
      rem = step.remainder;
    }
    // Last core: the remainder (r_{N-1}, I_{N-1} r_0) closes the ring.
    const last = rem;
    cores.push(tf.tidy(() => tf.reshape(last, [last.shape[0], -1, ranks[0]])) as tf.Tensor3D);
    return cores;
  } catch (err) {
    for (const c of cores) c.dispose();
    throw err;
  } finally {
    if (rem && !rem.isDisposed) rem.dispose();
  }
}

/**
 * Tensor-ring decomposition by TR-SVD (Zhao et al. 2016, Alg. 1; TensorLy `tensor_ring`):
 * `T[i_0..i_{N-1}] ~ trace(G_0[:, i_0, :] ... G_{N-1}[:, i_{N-1}, :])`.
 *
 * The modes are rotated so that `mode` leads. The first unfolding `(I_mode, rest)` gives the
 * leading `r_mode r_{mode+1}` singular vectors, split into the two bonds of the first core;
 * `S V^T` is reshaped so that `r_mode` moves to the end of the chain, then TT-SVD steps
 * follow, each bond capped at `min(rows, cols, rank)`; the last remainder closes the ring.
 * Cores follow TensorLy's signs (u-based `svd_flip`). TR-SVD is not optimal and not exact on
 * a general TR tensor of that rank (only with boundary rank 1, where it is TT-SVD); use
 * {@link tensorRingAls} to refine. The rank goes through `validateTrRank` (int, list with
 * `rank[0] == rank[N]`, 'same' or a fraction).
 *
 * Deviation: for `mode >= 2` the ranks are rotated around the ring, so every core gets the
 * requested ranks; TensorLy's list rotation repeats `rank[0]`, so bonds 1..mode-1 get
 * `rank[k-1]` instead of `rank[k]` (docs/fidelity/decomposition.md).
 *
 * @returns a TRTensor with cores `(r_k, I_k, r_{k+1})` in the input's mode order (the caller disposes it).
 * @throws ShapeError for an input with fewer than 2 modes; RankError for a bad rank or when
 *   `rank[mode] * rank[mode+1]` exceeds the smaller side of the first unfolding; ModeError for
 *   a mode out of range; NonFiniteError for NaN/Inf; ArgumentError for unknown options.
 */
export function tensorRing(tensor: TensorLike, rank: RankSpec, opts: TensorRingOptions = {}): TRTensor {
  opts = checkOptions(opts, TR_OPTIONS, 'tensorRing');
  const method = checkSvdMethod(opts.svd ?? 'truncated');
  toRng(opts.seed);
  const input = checkInputTensor(tensor, 'tensor', 2);
  try {
    const shape = input.shape;
    const n = shape.length;
    const mode = opts.mode === undefined ? 0 : checkMode(opts.mode, n, 'mode');
    const ranks = validateTrRank(shape, rank);
    if (ranks.some((r) => r < 1)) throw new RankError(`rank resolved to ${describe(ranks)} for shape ${describe(shape)}; every rank must be at least 1`);
    const rot = rotatedRanks(ranks, mode);
    const rows = shape[mode];
    const cols = input.t.size / rows;
    if (rot[0] * rot[1] > Math.min(rows, cols)) {
      throw new RankError(
        `rank[${mode}] * rank[${(mode + 1) % n}] = ${rot[0] * rot[1]} is larger than the first unfolding ${rows} x ${cols} allows (at most ${Math.min(rows, cols)}); reduce those ranks or start from another mode`,
      );
    }
    const order = Array.from({ length: n }, (_, k) => (mode + k) % n);
    const x = mode === 0 ? input.t : tf.transpose(input.t, order);
    let cores: tf.Tensor3D[];
    try {
      cores = trSvd(x, rot, method, opts.seed);
    } finally {
      if (x !== input.t) x.dispose();
    }
    // Rotated core k belongs to mode (mode + k) mod N.
    const back = Array.from({ length: n }, (_, j) => cores[(j - mode + n) % n]);
    return new TRTensor(back);
  } finally {
    releaseInput(input);
  }
}
