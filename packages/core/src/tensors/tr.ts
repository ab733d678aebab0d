/**
 * Tensor-ring (TR) tensors: cores `G_k` of shape `(r_k, I_k, r_{k+1})` with `r_N = r_0`,
 * `T[i_0, ..., i_{N-1}] = trace(G_0[:, i_0, :] G_1[:, i_1, :] ... G_{N-1}[:, i_{N-1}, :])`
 * (Zhao, Zhou, Xie, Zhang & Cichocki, "Tensor Ring Decomposition", arXiv:1606.05535, 2016).
 * Mirrors TensorLy 0.9 `tensorly/tr_tensor.py`. With `r_0 = r_N = 1` a TR tensor is a TT.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { unfold } from '../base/index.js';
import { checkList } from './internal/ownedTensors.js';
import { CoreChain } from './internal/coreChain.js';

/** TR cores: a {@link TRTensor} or a plain list of `(r_k, I_k, r_{k+1})` tensors. */
export type TRTensorLike = TRTensor | readonly TensorLike[];

/**
 * Check TR cores (TensorLy `_validate_tr_tensor`): at least two, 3-D, consecutive ranks
 * equal around the ring (`cores[k-1].shape[2] == cores[k].shape[0]`, k = 0 closing the
 * ring with the last core). Returns `{ shape, rank }`, `rank` of length N+1 with
 * `rank[N] == rank[0]`.
 *
 * @throws ArgumentError for fewer than two cores; ShapeError for a core that is not 3-D or
 *   ranks that do not chain.
 */
export function validateTrTensor(cores: readonly tf.Tensor[], argName = 'cores'): { shape: number[]; rank: number[] } {
  checkList(cores, argName, 2);
  cores.forEach((c, i) => {
    if (c instanceof tf.Tensor && c.isDisposed) throw new ArgumentError(`${argName}[${i}] has been disposed`);
    if (c.rank !== 3) throw new ShapeError(`${argName}[${i}] must be 3-D (r_${i}, I_${i}, r_${i + 1}); got shape ${describe(c.shape)}`);
  });
  const n = cores.length;
  cores.forEach((c, i) => {
    const prev = (i + n - 1) % n;
    if (cores[prev].shape[2] !== c.shape[0]) {
      throw new ShapeError(`consecutive TR ranks must match around the ring: ${argName}[${prev}].shape[2] = ${cores[prev].shape[2]} but ${argName}[${i}].shape[0] = ${c.shape[0]}`);
    }
  });
  return { shape: cores.map((c) => c.shape[1] as number), rank: [...cores.map((c) => c.shape[0] as number), cores[0].shape[0] as number] };
}

function readTr(tr: TRTensorLike, argName = 'cores'): tf.Tensor3D[] {
  let list: readonly TensorLike[];
  if (tr instanceof TRTensor) {
    tr.assertAlive(argName);
    list = tr.cores;
  } else {
    list = checkList(tr, argName, 2) as TensorLike[];
  }
  const cores = list.map((c, i) => toTensor(c, `${argName}[${i}]`)) as tf.Tensor3D[];
  validateTrTensor(cores, argName);
  return cores;
}

/**
 * Contract validated cores into the full tensor (inside a tidy), TensorLy's order: the open
 * chain `G_0 ... G_{N-2}` as `(r_0, I_0 ... I_{N-2}, r_{N-1})` by left-to-right matmuls,
 * then the ring is closed with one matmul against the last core:
 * `X_(I_0..I_{N-2}), (I_{N-1}) = reshape(chain^T, (M, r_{N-1} r_0)) @ reshape(G_{N-1}^T, (r_{N-1} r_0, I_{N-1}))`.
 */
export function trChain(cores: readonly tf.Tensor3D[]): tf.Tensor {
  const shape = cores.map((c) => c.shape[1]);
  const n = cores.length;
  const r0 = cores[0].shape[0];
  let chain: tf.Tensor2D = tf.reshape(cores[0], [-1, cores[0].shape[2]]);
  for (let k = 1; k < n - 1; k++) {
    const [rPrev, , rNext] = cores[k].shape;
    chain = tf.reshape(tf.matMul(chain, tf.reshape(cores[k], [rPrev, -1])), [-1, rNext]);
  }
  const last = cores[n - 1];
  const [rl, il] = last.shape;
  // (r_0, M, r_{N-1}) -> (M, r_{N-1}, r_0): pairs the open bond indices with the last core's.
  const left = tf.reshape(tf.transpose(tf.reshape(chain, [r0, -1, rl]), [1, 2, 0]), [-1, rl * r0]);
  const right = tf.reshape(tf.transpose(last, [0, 2, 1]), [rl * r0, il]);
  return tf.reshape(tf.matMul(left, right), shape);
}

/**
 * The full tensor of a TR decomposition (TensorLy `tr_to_tensor`):
 * `X[i_0..i_{N-1}] = trace(G_0[:, i_0, :] ... G_{N-1}[:, i_{N-1}, :])`.
 *
 * @throws ArgumentError / ShapeError for malformed cores (see {@link validateTrTensor}).
 */
export function trToTensor(tr: TRTensorLike): tf.Tensor {
  return tf.tidy(() => trChain(readTr(tr)));
}

/**
 * Mode-`mode` unfolding of a TR tensor (TensorLy `tr_to_unfolded`): `unfold(trToTensor(tr), mode)`.
 *
 * @throws ModeError for a mode out of range.
 */
export function trToUnfolded(tr: TRTensorLike, mode: number): tf.Tensor2D {
  return tf.tidy(() => {
    const full = trChain(readTr(tr));
    return unfold(full, checkMode(mode, full.rank, 'mode'));
  });
}

/** The vectorised TR tensor (TensorLy `tr_to_vec`), C order. */
export function trToVec(tr: TRTensorLike): tf.Tensor1D {
  return tf.tidy(() => tf.reshape(trChain(readTr(tr)), [-1]) as tf.Tensor1D);
}

/**
 * A TR tensor that owns its cores (TensorLy `TRTensor`).
 * `new TRTensor(cores)` takes ownership of the given tf.Tensors.
 *
 * @throws ArgumentError for fewer than two cores; ShapeError for ranks that do not chain.
 */
export class TRTensor extends CoreChain<tf.Tensor3D> {
  // shape `(I_0, ..., I_{N-1})`; rank `(r_0, r_1, ..., r_{N-1}, r_0)`.
  protected readonly kind = 'TRTensor';
  protected readonly defaultArgName = 'tr';

  constructor(cores: readonly TensorLike[]) {
    super(cores, 2, (ts) => validateTrTensor(ts));
  }

  toTensor(): tf.Tensor {
    return trToTensor(this);
  }

  toUnfolded(mode: number): tf.Tensor2D {
    return trToUnfolded(this, mode);
  }

  toVec(): tf.Tensor1D {
    return trToVec(this);
  }
}
