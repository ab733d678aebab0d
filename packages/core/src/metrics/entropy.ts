/**
 * Von Neumann entropies of density matrices, dense and factorized: TensorLy 0.9
 * `metrics/entropy.py` (`vonneumann_entropy`, `tt_vonneumann_entropy`, `cp_vonneumann_entropy`).
 */
import * as tf from '@tensorflow/tfjs';
import { toHostMatrix, readSync } from '../backend/transfer.js';
import { ShapeError, describe } from '../errors/index.js';
import { assertFinite } from '../checks/index.js';
import { checkCpArg } from '../tensors/cp.js';
import { checkTtArg } from '../tensors/tt.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { EPS32, hostEigh } from '../linalg/index.js';
import { cpNormalize, ttToTensor, type CPTensorLike, type TTTensorLike } from '../tensors/index.js';

/** `-sum_{lambda > eps} lambda log2 lambda`. */
function entropyOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > EPS32) s -= values[i] * Math.log2(values[i]);
  return s;
}

/**
 * Von Neumann entropy `S(rho) = -sum_i lambda_i log2 lambda_i` of a density matrix given as
 * any tensor whose size is a square `d^2` (TensorLy `vonneumann_entropy`): reshaped to
 * `(d, d)`, symmetrised `(rho + rho^T) / 2` (TensorLy does so when eigh fails), eigenvalues
 * by the float64 host eigh; eigenvalues below float32's eps are dropped.
 *
 * @throws ShapeError when the size is not a perfect square; NonFiniteError for NaN or Inf
 */
export function vonneumannEntropy(tensor: TensorLike): number {
  const t = toTensor(tensor, 'tensor');
  try {
    const d = Math.round(Math.sqrt(t.size));
    if (d * d !== t.size || d === 0) throw new ShapeError(`tensor must hold a square number of entries (a d x d density matrix); got shape ${describe(t.shape)}`);
    assertFinite(t, 'tensor');
    const m = toHostMatrix(tf.tidy(() => tf.reshape(t, [d, d])));
    const sym = { rows: d, cols: d, data: new Float64Array(d * d) };
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sym.data[i * d + j] = (m.data[i * d + j] + m.data[j * d + i]) / 2;
    return entropyOf(hostEigh(sym).values);
  } finally {
    if (t !== tensor) t.dispose();
  }
}

/**
 * Von Neumann entropy of a density matrix in TT form (TensorLy `tt_vonneumann_entropy`): of the full tensor.
 *
 * @throws ArgumentError/ShapeError for malformed or disposed cores; NonFiniteError for NaN or Inf in `tt`
 */
export function ttVonneumannEntropy(tt: TTTensorLike): number {
  checkTtArg(tt, 'tt', 'always');
  const full = ttToTensor(tt);
  try {
    return vonneumannEntropy(full);
  } finally {
    full.dispose();
  }
}

/**
 * Von Neumann entropy of a density matrix in CP form (TensorLy `cp_vonneumann_entropy`):
 * the eigenvalues are taken to be the weights after `cp_normalize` (exact for an
 * orthogonal CP model of a Hermitian matrix).
 *
 * @throws ArgumentError/ShapeError for a malformed or disposed `cp`; NonFiniteError for NaN or Inf in `cp`
 */
export function cpVonneumannEntropy(cp: CPTensorLike): number {
  checkCpArg(cp, 'cp', 'always');
  const n = cpNormalize(cp);
  try {
    return entropyOf(readSync(n.weights));
  } finally {
    n.dispose();
  }
}

/** Alias of {@link ttVonneumannEntropy} under the brief's longer name. */
export const tensorTrainVonneumannEntropy = ttVonneumannEntropy;
