/**
 * Typed checks of the low-level tensorized-parameter helpers (`tensorized/params.ts`): a
 * factorization name, a parsed shape, a resolved rank, a parameter object. Each throws the
 * class of docs/fidelity/inputs.md naming the argument, before any tensor work.
 */
import { ArgumentError, ModeError, RankError, ShapeError, describe, tf } from '@tenfold/core';

type Factorization = 'cp' | 'tucker' | 'blocktt' | 'dense';
const KINDS: readonly string[] = ['cp', 'tucker', 'blocktt', 'dense'];

interface Parsed {
  batch: number[];
  out: number[];
  in: number[];
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isPosIntList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isPosInt);

/** A factorization name. @throws ArgumentError naming `argName` */
export function checkKind(kind: unknown, argName = 'factorization'): Factorization {
  if (typeof kind !== 'string' || !KINDS.includes(kind)) {
    throw new ArgumentError(`${argName} must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}; got ${describe(kind)}`);
  }
  return kind as Factorization;
}

/** A parsed tensorized shape `{ batch, out, in }` (see `parseTensorizedShape`). @throws ShapeError naming `argName` */
export function checkParsedShape(s: unknown, argName = 'shape'): Parsed {
  const p = s as Parsed;
  if (
    typeof s !== 'object' || s === null || Array.isArray(s) ||
    !isPosIntList(p.batch) || !isPosIntList(p.out) || !isPosIntList(p.in) || p.out.length === 0 || p.in.length === 0
  ) {
    throw new ShapeError(
      `${argName} must be a parsed tensorized shape { batch, out, in } of positive integers (parseTensorizedShape); got ${describe(s)}`,
    );
  }
  return p;
}

/** A live tf.Tensor. @throws ArgumentError naming `argName` */
export function checkLive(t: unknown, argName: string): tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a tf.Tensor; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} is a disposed tensor`);
  return t;
}

/** The resolved rank of `kind` over `s` (R; per-mode ranks; TT rank with boundary 1s; dense: anything). @throws RankError */
export function checkResolvedRank(kind: Factorization, s: Parsed, rank: unknown, argName = 'rank'): void {
  const order = s.batch.length + s.out.length + s.in.length;
  switch (kind) {
    case 'cp':
      if (!isPosInt(rank)) throw new RankError(`${argName} of 'cp' parameters must be a positive integer; got ${describe(rank)}`);
      return;
    case 'tucker':
      if (!isPosIntList(rank) || rank.length !== order) {
        throw new RankError(`${argName} of 'tucker' parameters must be ${order} positive integers (one per mode); got ${describe(rank)}`);
      }
      return;
    case 'blocktt':
      if (s.out.length !== s.in.length) {
        throw new ShapeError(`shape: BlockTT needs as many out as in tensorized modes; got out ${describe(s.out)} and in ${describe(s.in)}`);
      }
      if (!isPosIntList(rank) || rank.length !== s.out.length + 1 || rank[0] !== 1 || rank[rank.length - 1] !== 1) {
        throw new RankError(`${argName} of 'blocktt' parameters must be ${s.out.length + 1} positive integers starting and ending with 1; got ${describe(rank)}`);
      }
      return;
    case 'dense':
      return;
  }
}

/** The tensors of a parameter object (unchecked order of `paramList`). */
function tensorsOf(p: Record<string, unknown>): unknown[] {
  switch (p.kind) {
    case 'cp':
      return [p.weights, ...(Array.isArray(p.factors) ? p.factors : [undefined])];
    case 'tucker':
      return [p.core, ...(Array.isArray(p.factors) ? p.factors : [undefined])];
    case 'blocktt':
      return Array.isArray(p.cores) && p.cores.length > 0 ? p.cores : [undefined];
    default:
      return [p.matrix];
  }
}

/**
 * A parameter object `{ kind, ... }` holding live tensors.
 * @throws ArgumentError naming `argName` for anything else
 */
export function checkParamsObject(p: unknown, argName = 'params'): void {
  const o = p as Record<string, unknown>;
  if (typeof p !== 'object' || p === null || p instanceof tf.Tensor || Array.isArray(p) || typeof o.kind !== 'string' || !KINDS.includes(o.kind)) {
    throw new ArgumentError(`${argName} must be { kind: 'cp' | 'tucker' | 'blocktt' | 'dense', ... }; got ${describe(p)}`);
  }
  tensorsOf(o).forEach((t, k) => {
    if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} ('${o.kind}') tensor ${k} must be a tf.Tensor; got ${describe(t)}`);
    if (t.isDisposed) throw new ArgumentError(`${argName} ('${o.kind}') tensor ${k} is a disposed tensor`);
  });
}

/** Shapes `got` equal to `want`, else a ShapeError naming `argName`. */
export function checkShapesFit(got: readonly (readonly number[])[], want: readonly (readonly number[])[], argName: string, what: string): void {
  const same = got.length === want.length && got.every((g, k) => g.length === want[k].length && g.every((d, j) => d === want[k][j]));
  if (!same) throw new ShapeError(`${argName} must have shapes ${describe(want)} for ${what}; got ${describe(got)}`);
}

/**
 * A layer index: an integer in [0, n). `n` must be a positive integer (ArgumentError naming
 * 'n'); the index a ModeError naming `argName`.
 */
export function checkLayerIndex(i: unknown, n: number, argName: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ArgumentError(`n (the number of layers) must be a positive integer; got ${describe(n)}`);
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
    throw new ModeError(`${argName} must be an integer layer index in [0, ${n - 1}]; got ${describe(i)}`);
  }
  return i;
}

/** Check a rank spec's form before handing it to the validators (which apply TensorLy's formulas). */
export function checkRankSpec(rank: unknown, argName = 'rank'): asserts rank is 'same' | number | number[] | { fraction: number } {
  const ok =
    rank === 'same' ||
    (typeof rank === 'number' && Number.isFinite(rank) && rank > 0) ||
    (Array.isArray(rank) && rank.length > 0 && rank.every((r) => Number.isInteger(r) && r >= 1)) ||
    (typeof rank === 'object' && rank !== null && !Array.isArray(rank) && typeof (rank as { fraction?: unknown }).fraction === 'number' && (rank as { fraction: number }).fraction > 0);
  if (ok && typeof rank === 'object' && !Array.isArray(rank)) {
    // A rank spec, not an options object: a stray key makes it a malformed rank.
    const extra = Object.keys(rank as object).filter((k) => k !== 'fraction' && (rank as Record<string, unknown>)[k] !== undefined);
    if (extra.length) throw new RankError(`${argName} { fraction } has unknown key '${extra[0]}'; expected only 'fraction'`);
  }
  if (!ok) {
    throw new RankError(`${argName} must be 'same', a positive number (integer = rank, fraction = share of parameters), a list of positive integers or { fraction }; got ${describe(rank)}`);
  }
}

/**
 * A forward implementation of the factorized layers (tltorch's `implementation`): contract
 * the factors with the input, or rebuild the dense weight first; 'auto' picks by FLOPs.
 * @throws ArgumentError naming `implementation`
 */
export function checkImplementation(impl: unknown): 'factorized' | 'reconstructed' | 'auto' {
  if (impl !== 'factorized' && impl !== 'reconstructed' && impl !== 'auto') {
    throw new ArgumentError(`implementation must be 'factorized', 'reconstructed' or 'auto'; got ${describe(impl)}`);
  }
  return impl;
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** A tensorization (`inTensorizedFeatures` / `outTensorizedFeatures`): a non-empty list of positive integers. @throws ShapeError */
export function checkFeatures(t: unknown, argName: string): number[] {
  if (!Array.isArray(t) || t.length === 0 || !t.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(`${argName} must be a non-empty list of positive integers; got ${describe(t)}`);
  }
  return [...t];
}
