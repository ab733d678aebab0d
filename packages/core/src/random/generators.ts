/**
 * Seeded random tensors and factorized tensors (TensorLy 0.9 `tensorly/random/base.py`):
 * `randomTensor`, `randomCp`, `randomTucker`, `randomTt`, `randomTtMatrix`, `randomTr`. Entries are
 * U[0,1) draws made on the host ({@link uniformTensor}), so a seed gives the same values on
 * every backend. Ranks go through the matching validator, so `'same'` and fractions work.
 */
import * as tf from '@tensorflow/tfjs';
import { checkAllocation, checkOptions, optionKeys, elementCount } from '../checks/index.js';
import { ArgumentError, RankError, describe } from '../errors/index.js';
import { qr } from '../linalg/qr.js';
import { checkShape, validateCpRank, validateTrRank, validateTtMatrixRank, validateTtRank, validateTuckerRank, type RankSpec } from '../tensors/ranks.js';
import { CPTensor, cpNormalize, cpToTensor } from '../tensors/cp.js';
import { TuckerTensor, tuckerToTensor } from '../tensors/tucker.js';
import { TTTensor, ttToTensor } from '../tensors/tt.js';
import { TTMatrix, ttMatrixToTensor } from '../tensors/ttMatrix.js';
import { TRTensor, trToTensor } from '../tensors/tr.js';
import { toRng, uniformTensor, type Rng, type Seed } from '../base/rng.js';

export interface RandomOptions {
  /** An integer seed or an Rng (advanced in place); default: fresh entropy. */
  seed?: Seed;
}

const RANDOM_OPTIONS = optionKeys<RandomOptions>()('seed');

export interface RandomFactorizedOptions extends RandomOptions {
  /** Return the full tensor instead of the factorized object. */
  full?: boolean;
}

function checkBool(v: unknown, name: string): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${name} must be a boolean; got ${describe(v)}`);
  return v === true;
}

/** Every tensor a generator will build must fit the size limit (checked before any draw). */
function checkSizes(shapes: number[][], full: number[] | null, rank: unknown): void {
  for (const sh of shapes) checkAllocation(elementCount(sh), `rank ${describe(rank)} (a factor of shape ${describe(sh)})`, RankError);
  if (full) checkAllocation(elementCount(full), `shape ${describe(full)}`);
}

function checkPositiveRanks(ranks: number[], shape: number[], what: string): void {
  if (ranks.some((r) => !(r >= 1))) {
    throw new RankError(`rank resolved to ${describe(ranks)} for a ${what} of shape ${describe(shape)}; every rank must be at least 1 (use a larger fraction or an explicit rank)`);
  }
}

/** `Q` of the reduced QR of a matrix (inside a tidy). */
function qrQ(m: tf.Tensor2D): tf.Tensor2D {
  return qr(m).q;
}

/** A tensor of U[0,1) entries (TensorLy `random_tensor`). */
export function randomTensor(shape: readonly number[], options: RandomOptions = {}): tf.Tensor {
  const { seed } = checkOptions(options, RANDOM_OPTIONS, 'randomTensor');
  const s = checkShape(shape);
  checkSizes([], s, null);
  return uniformTensor(s, toRng(seed));
}

export interface RandomCpOptions extends RandomFactorizedOptions {
  /** Orthonormal factor columns (Q of a QR); needs `rank <= min(shape)`. */
  orthogonal?: boolean;
  /** Return the CP normalised (unit columns, norms in the weights); default true. Ignored with `full`. */
  normaliseFactors?: boolean;
}

const RANDOM_CP_OPTIONS = optionKeys<RandomCpOptions>()('seed', 'full', 'orthogonal', 'normaliseFactors');

/**
 * A random CP tensor (TensorLy `random_cp`): U[0,1) factors `(I_k, R)`, unit weights, then
 * normalised (`normaliseFactors`, default true). `orthogonal` replaces each factor by the Q
 * of its QR; it requires `R <= min(shape)` (TensorLy only warns and returns factors with
 * mismatched widths). `full: true` returns the dense tensor.
 */
export function randomCp(shape: readonly number[], rank: RankSpec, options: RandomCpOptions & { full: true }): tf.Tensor;
export function randomCp(shape: readonly number[], rank: RankSpec, options?: RandomCpOptions & { full?: false }): CPTensor;
export function randomCp(shape: readonly number[], rank: RankSpec, options?: RandomCpOptions): CPTensor | tf.Tensor;
export function randomCp(shape: readonly number[], rank: RankSpec, options: RandomCpOptions = {}): CPTensor | tf.Tensor {
  options = checkOptions(options, RANDOM_CP_OPTIONS, 'randomCp');
  const s = checkShape(shape);
  const full = checkBool(options.full, 'full');
  const orthogonal = checkBool(options.orthogonal, 'orthogonal');
  const normalise = options.normaliseFactors === undefined ? true : checkBool(options.normaliseFactors, 'normaliseFactors');
  const R = validateCpRank(s, rank);
  checkPositiveRanks([R], s, 'CP tensor');
  checkSizes(s.map((d) => [d, R]), full ? s : null, rank);
  if (orthogonal && R > Math.min(...s)) {
    throw new RankError(`rank ${R} cannot have orthonormal factor columns for shape ${describe(s)}: orthogonal needs rank <= min(shape) = ${Math.min(...s)}`);
  }
  const rng = toRng(options.seed);
  const factors = tf.tidy(() => s.map((d) => (orthogonal ? qrQ(uniformTensor([d, R], rng) as tf.Tensor2D) : (uniformTensor([d, R], rng) as tf.Tensor2D))));
  const cp = new CPTensor(null, factors);
  if (full) {
    const t = cpToTensor(cp);
    cp.dispose();
    return t;
  }
  if (normalise) {
    const n = cpNormalize(cp);
    cp.dispose();
    return n;
  }
  return cp;
}

export interface RandomTuckerOptions extends RandomFactorizedOptions {
  /** Orthonormal factor columns: the first `R_k` columns of the Q of an `I_k x I_k` QR; ranks are capped at `I_k`. */
  orthogonal?: boolean;
  /** Take absolute values of the core and factors. */
  nonNegative?: boolean;
}

const RANDOM_TUCKER_OPTIONS = optionKeys<RandomTuckerOptions>()('seed', 'full', 'orthogonal', 'nonNegative');

/**
 * A random Tucker tensor (TensorLy `random_tucker`): U[0,1) factors `(I_k, R_k)` and core.
 * `orthogonal` takes the first `R_k` columns of the Q of a random `I_k x I_k` QR and caps
 * `R_k` at `I_k` (TensorLy warns when it caps); `nonNegative` takes absolute values.
 */
export function randomTucker(shape: readonly number[], rank: RankSpec, options: RandomTuckerOptions & { full: true }): tf.Tensor;
export function randomTucker(shape: readonly number[], rank: RankSpec, options?: RandomTuckerOptions & { full?: false }): TuckerTensor;
export function randomTucker(shape: readonly number[], rank: RankSpec, options?: RandomTuckerOptions): TuckerTensor | tf.Tensor;
export function randomTucker(shape: readonly number[], rank: RankSpec, options: RandomTuckerOptions = {}): TuckerTensor | tf.Tensor {
  options = checkOptions(options, RANDOM_TUCKER_OPTIONS, 'randomTucker');
  const s = checkShape(shape);
  const full = checkBool(options.full, 'full');
  const orthogonal = checkBool(options.orthogonal, 'orthogonal');
  const nonNegative = checkBool(options.nonNegative, 'nonNegative');
  const ranks = validateTuckerRank(s, rank);
  checkPositiveRanks(ranks, s, 'Tucker tensor');
  const r = orthogonal ? ranks.map((rk, i) => Math.min(rk, s[i])) : ranks;
  checkSizes([...s.map((d, i) => [d, orthogonal ? d : r[i]]), r], full ? s : null, rank);
  const rng = toRng(options.seed);
  const { core, factors } = tf.tidy(() => {
    let factors = s.map((d, i) => {
      if (!orthogonal) return uniformTensor([d, r[i]], rng) as tf.Tensor2D;
      const q = qrQ(uniformTensor([d, d], rng) as tf.Tensor2D);
      return tf.slice(q, [0, 0], [d, r[i]]) as tf.Tensor2D;
    });
    let core = uniformTensor(r, rng);
    if (nonNegative) {
      factors = factors.map((f) => tf.abs(f));
      core = tf.abs(core);
    }
    return { core, factors };
  });
  const tk = new TuckerTensor(core, factors);
  if (full) {
    const t = tuckerToTensor(tk);
    tk.dispose();
    return t;
  }
  return tk;
}

export type RandomTtOptions = RandomFactorizedOptions;

const RANDOM_TT_OPTIONS = optionKeys<RandomTtOptions>()('seed', 'full');

/** A random TT tensor (TensorLy `random_tt`): U[0,1) cores `(r_k, I_k, r_{k+1})`, ranks via {@link validateTtRank}. */
export function randomTt(shape: readonly number[], rank: RankSpec, options: RandomTtOptions & { full: true }): tf.Tensor;
export function randomTt(shape: readonly number[], rank: RankSpec, options?: RandomTtOptions & { full?: false }): TTTensor;
export function randomTt(shape: readonly number[], rank: RankSpec, options?: RandomTtOptions): TTTensor | tf.Tensor;
export function randomTt(shape: readonly number[], rank: RankSpec, options: RandomTtOptions = {}): TTTensor | tf.Tensor {
  options = checkOptions(options, RANDOM_TT_OPTIONS, 'randomTt');
  const s = checkShape(shape);
  const full = checkBool(options.full, 'full');
  const ranks = validateTtRank(s, rank);
  checkPositiveRanks(ranks, s, 'TT tensor');
  checkSizes(s.map((d, k) => [ranks[k], d, ranks[k + 1]]), full ? s : null, rank);
  const rng = toRng(options.seed);
  const cores = s.map((d, k) => uniformTensor([ranks[k], d, ranks[k + 1]], rng));
  const tt = new TTTensor(cores);
  if (full) {
    const t = ttToTensor(tt);
    tt.dispose();
    return t;
  }
  return tt;
}

/**
 * A random TT-matrix (TensorLy `random_tt_matrix`) for a tensorized shape
 * `(left_0..left_{N-1}, right_0..right_{N-1})`: U[0,1) cores `(r_k, left_k, right_k, r_{k+1})`,
 * ranks via {@link validateTtMatrixRank}. Every core draws from the same stream in turn, so
 * cores differ; TensorLy re-seeds each core with an int seed, so all its cores start from
 * the same numbers (docs/fidelity/tensors.md).
 */
export function randomTtMatrix(shape: readonly number[], rank: RankSpec, options: RandomTtOptions & { full: true }): tf.Tensor;
export function randomTtMatrix(shape: readonly number[], rank: RankSpec, options?: RandomTtOptions & { full?: false }): TTMatrix;
export function randomTtMatrix(shape: readonly number[], rank: RankSpec, options?: RandomTtOptions): TTMatrix | tf.Tensor;
export function randomTtMatrix(shape: readonly number[], rank: RankSpec, options: RandomTtOptions = {}): TTMatrix | tf.Tensor {
  options = checkOptions(options, RANDOM_TT_OPTIONS, 'randomTtMatrix');
  const s = checkShape(shape);
  const full = checkBool(options.full, 'full');
  const ranks = validateTtMatrixRank(s, rank);
  checkPositiveRanks(ranks, s, 'TT-matrix');
  const n = s.length / 2;
  checkSizes(Array.from({ length: n }, (_, k) => [ranks[k], s[k], s[n + k], ranks[k + 1]]), full ? s : null, rank);
  const rng: Rng = toRng(options.seed);
  const cores = Array.from({ length: n }, (_, k) => uniformTensor([ranks[k], s[k], s[n + k], ranks[k + 1]], rng));
  const ttm = new TTMatrix(cores);
  if (full) {
    const t = ttMatrixToTensor(ttm);
    ttm.dispose();
    return t;
  }
  return ttm;
}

export type RandomTrOptions = RandomFactorizedOptions;

const RANDOM_TR_OPTIONS = optionKeys<RandomTrOptions>()('seed', 'full');

/**
 * A random tensor ring (TensorLy `random_tr`): U[0,1) cores `(r_k, I_k, r_{k+1})` drawn in
 * turn from one stream, ranks via {@link validateTrRank} (`rank[0] == rank[N]`). Needs at
 * least two modes (a TR tensor has at least two cores).
 *
 * @throws RankError when a rank resolves to 0 or the ring does not close; ArgumentError
 *   for a one-mode shape.
 */
export function randomTr(shape: readonly number[], rank: RankSpec, options: RandomTrOptions & { full: true }): tf.Tensor;
export function randomTr(shape: readonly number[], rank: RankSpec, options?: RandomTrOptions & { full?: false }): TRTensor;
export function randomTr(shape: readonly number[], rank: RankSpec, options?: RandomTrOptions): TRTensor | tf.Tensor;
export function randomTr(shape: readonly number[], rank: RankSpec, options: RandomTrOptions = {}): TRTensor | tf.Tensor {
  options = checkOptions(options, RANDOM_TR_OPTIONS, 'randomTr');
  const s = checkShape(shape);
  if (s.length < 2) throw new ArgumentError(`shape of a tensor ring must have at least 2 modes; got ${describe(s)}`);
  const full = checkBool(options.full, 'full');
  const ranks = validateTrRank(s, rank);
  checkPositiveRanks(ranks, s, 'tensor ring');
  checkSizes(s.map((d, k) => [ranks[k], d, ranks[k + 1]]), full ? s : null, rank);
  const rng = toRng(options.seed);
  const cores = s.map((d, k) => uniformTensor([ranks[k], d, ranks[k + 1]], rng));
  const tr = new TRTensor(cores);
  if (full) {
    const t = trToTensor(tr);
    tr.dispose();
    return t;
  }
  return tr;
}
