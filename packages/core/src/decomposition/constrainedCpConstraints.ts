/**
 * `constrainedParafac`'s constraint options (TensorLy 0.9 `tenalg/proximal.py::
 * validate_constraints`): each of the twelve constraints given for all modes, as a per-mode
 * list, or as a `{ mode: value }` dict, resolved to one `Constraint | null` per mode.
 */
import { ArgumentError, ModeError, describe } from '../errors/index.js';
import { CONSTRAINT_TYPES, FLAG_CONSTRAINTS, checkConstraintValue, type Constraint, type ConstraintType } from '../proximal/constraint.js';

/** A constraint for every mode (`true` / a number), per mode (a list, null = none), or a `{ mode: value }` dict. */
export type ConstraintSpec<V> = V | ReadonlyArray<V | null | undefined | false> | { readonly [mode: number]: V | null | undefined | false };

/** The constraint options of `constrainedParafac`; at most one constraint per mode. */
export interface ConstraintOptions {
  /** Non-negative factor (`max(x, 0)`). */
  nonNegative?: ConstraintSpec<boolean>;
  /** L1 penalty with this weight (soft thresholding). */
  l1Reg?: ConstraintSpec<number>;
  /** L2 (Frobenius norm) penalty with this weight. */
  l2Reg?: ConstraintSpec<number>;
  /** Squared L2 penalty with this weight. */
  l2SquareReg?: ConstraintSpec<number>;
  /** Unimodal columns. */
  unimodality?: ConstraintSpec<boolean>;
  /** Divide by the largest |entry| (TensorLy's `normalize`). */
  normalize?: ConstraintSpec<boolean>;
  /** Columns on the simplex of this sum. */
  simplex?: ConstraintSpec<number>;
  /** Keep this many entries, then unit Frobenius norm. */
  normalizedSparsity?: ConstraintSpec<number>;
  /** Columns in the l1 ball of this radius. */
  softSparsity?: ConstraintSpec<number>;
  /** Smoothness penalty with this weight. */
  smoothness?: ConstraintSpec<number>;
  /** Non-decreasing columns. */
  monotonicity?: ConstraintSpec<boolean>;
  /** At most this many non-zero entries. */
  hardSparsity?: ConstraintSpec<number>;
}

export const CONSTRAINT_OPTION_KEYS: readonly ConstraintType[] = CONSTRAINT_TYPES;

/** Python truthiness of a constraint value: unset, false, null and 0 mean "no constraint". */
function isSet(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0);
}

function makeConstraint(type: ConstraintType, v: unknown, argName: string): Constraint {
  if (FLAG_CONSTRAINTS.includes(type)) {
    if (v !== true) throw new ArgumentError(`${argName} must be true, false or null (a flag constraint); got ${describe(v)}`);
    return type === 'monotonicity' ? { type, decreasing: false } : ({ type } as Constraint);
  }
  return { type, value: checkConstraintValue(type, v, argName) } as Constraint;
}

/**
 * Resolve the constraint options to one constraint (or null) per mode, in TensorLy's order
 * of constraint names. Falsy entries (false, null, 0) mean "none", as Python's truthiness
 * does; a list must have one entry per mode; dict keys are modes in [0, ndim).
 *
 * Deviation: TensorLy registers a list-valued constraint on every mode (a falsy entry then
 * reaches the proximal operator as its parameter), so a per-mode list mixed with another
 * constraint fails; here a falsy list entry leaves the mode free.
 *
 * @throws ArgumentError when two constraints fall on one mode (TensorLy's ValueError) or a
 *   value has the wrong kind; ModeError for a dict key or list length that does not fit.
 */
export function resolveConstraints(opts: ConstraintOptions, ndim: number): (Constraint | null)[] {
  const out: (Constraint | null)[] = Array(ndim).fill(null);
  const owner: (string | null)[] = Array(ndim).fill(null);
  const place = (mode: number, c: Constraint, name: string): void => {
    if (owner[mode] !== null) {
      throw new ArgumentError(`two constraints on mode ${mode}: '${owner[mode]}' and '${name}'; give each mode at most one constraint`);
    }
    owner[mode] = name;
    out[mode] = c;
  };
  for (const type of CONSTRAINT_TYPES) {
    const spec = (opts as Record<string, unknown>)[type];
    if (!isSet(spec)) continue;
    if (Array.isArray(spec)) {
      if (spec.length !== ndim) throw new ModeError(`${type} as a list must have one entry per mode (${ndim}); got ${describe(spec)}`);
      spec.forEach((v, mode) => {
        if (isSet(v)) place(mode, makeConstraint(type, v, `${type}[${mode}]`), type);
      });
    } else if (typeof spec === 'object') {
      for (const [key, v] of Object.entries(spec as object)) {
        const mode = Number(key);
        if (!Number.isInteger(mode) || mode < 0 || mode >= ndim) {
          throw new ModeError(`${type}: dict keys must be modes in [0, ${ndim - 1}]; got key ${describe(key)}`);
        }
        if (isSet(v)) place(mode, makeConstraint(type, v, `${type}[${mode}]`), type);
      }
    } else {
      const c = makeConstraint(type, spec, type);
      for (let mode = 0; mode < ndim; mode++) place(mode, c, type);
    }
  }
  return out;
}
