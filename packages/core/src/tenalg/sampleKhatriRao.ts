/**
 * Sampled rows of a Khatri–Rao product: TensorLy 0.9 `sample_khatri_rao` (`_cp.py`), used by
 * randomised CP (Battaglino, Ballard & Kolda, "A practical randomized CP tensor
 * decomposition", SIAM J. Matrix Anal. Appl. 2018).
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import type { TensorLike } from '../io/index.js';
import { toRng, type Seed } from '../base/rng.js';
import { toTensorList } from './internal/toTensorList.js';
import { checkOptions, optionKeys } from '../checks/options.js';
import { sampledKhatriRaoRows } from './internal/khatriRaoKernels.js';
import { checkAllocation } from '../checks/limits.js';

export interface SampleKhatriRaoOptions {
  /** Index of a matrix to leave out (default none). */
  skipMatrix?: number | null;
  /** Row indices per (kept) matrix, each of length nSamples; drawn uniformly with replacement when absent. */
  indicesList?: readonly (readonly number[])[];
  /** Seed of the draws. */
  seed?: Seed;
}

const SAMPLE_KHATRI_RAO_OPTIONS = optionKeys<SampleKhatriRaoOptions>()('skipMatrix', 'indicesList', 'seed');

export interface SampledKhatriRao {
  /** `(nSamples, R)`: row q is `prod_k M_k[indices_k[q], :]`. */
  sampled: tf.Tensor2D;
  /** The row indices used, one list per kept matrix. */
  indicesList: number[][];
  /** The matching rows of the full Khatri–Rao product (first matrix slowest, TensorLy's order). */
  rows: number[];
}

/**
 * `nSamples` rows of `khatriRao(matrices, { skipMatrix })` without forming it (TensorLy
 * `sample_khatri_rao` with `return_sampled_rows=True`): for each kept matrix a row index is
 * drawn uniformly with replacement (seeded), and the sampled row is the entry-wise product of
 * the chosen rows. `rows[q] = sum_k indices_k[q] prod_{l > k} I_l` locates it in the full
 * product.
 *
 * @throws ShapeError when the column counts differ or an index is out of range;
 *   ArgumentError for a bad nSamples, skipMatrix or indicesList
 */
export function sampleKhatriRao(matrices: readonly TensorLike[], nSamples: number, options: SampleKhatriRaoOptions = {}): SampledKhatriRao {
  options = checkOptions(options, SAMPLE_KHATRI_RAO_OPTIONS, 'sampleKhatriRao');
  if (typeof nSamples !== 'number' || !Number.isInteger(nSamples) || nSamples < 1) throw new ArgumentError(`nSamples must be a positive integer; got ${describe(nSamples)}`);
  checkAllocation(nSamples, `nSamples = ${nSamples} sampled rows`);
  const rng = toRng(options.seed);
  let indicesList: number[][] = [];
  let rows: number[] = [];
  const sampled = tf.tidy(() => {
    let mats = toTensorList(matrices, 'matrices', 1) as tf.Tensor2D[];
    const skip = options.skipMatrix ?? null;
    if (skip !== null && (!Number.isInteger(skip) || skip < 0 || skip >= mats.length)) {
      throw new ArgumentError(`skipMatrix must be null or an index in [0, ${mats.length - 1}]; got ${describe(skip)}`);
    }
    if (skip !== null) mats = mats.filter((_, i) => i !== skip);
    if (mats.length === 0) throw new ArgumentError('sampleKhatriRao needs at least one matrix besides skipMatrix');
    mats.forEach((m, i) => {
      if (m.rank !== 2 || m.shape[1] !== mats[0].shape[1]) throw new ShapeError(`matrices must be matrices with the same number of columns; got shape ${describe(m.shape)} at kept index ${i}`);
    });
    const given = options.indicesList;
    if (given !== undefined && (!Array.isArray(given) || given.length !== mats.length)) {
      throw new ArgumentError(`indicesList must hold one index list per kept matrix (${mats.length}); got ${describe(given)}`);
    }
    indicesList = mats.map((m, k) => {
      const size = m.shape[0];
      if (!given) return Array.from({ length: nSamples }, () => rng.int(size));
      const idx = [...given[k]];
      if (idx.length !== nSamples || idx.some((i) => !Number.isInteger(i) || i < 0 || i >= size)) {
        throw new ShapeError(`indicesList[${k}] must hold ${nSamples} row indices in [0, ${size - 1}]; got ${describe(idx)}`);
      }
      return idx;
    });
    rows = new Array<number>(nSamples).fill(0);
    mats.forEach((m, k) => indicesList[k].forEach((i, q) => (rows[q] = rows[q] * m.shape[0] + i)));
    return sampledKhatriRaoRows(mats, indicesList);
  });
  return { sampled, indicesList, rows };
}
