/**
 * Case builders of the bad-input contract: one builder per bad-input class, so every export
 * is probed the same way.
 */
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ModeError, NonFiniteError, RankError, ShapeError, TenfoldError } from '../../src/errors/index.js';
import { T, WRONG_TYPES, gone, nanT } from './inputs.js';

export type BadClass = 'nan' | 'empty' | 'ndim' | 'mismatch' | 'rank' | 'options' | 'type' | 'null' | 'disposed' | 'size' | 'number';
export const CLASSES: readonly BadClass[] = ['nan', 'empty', 'ndim', 'mismatch', 'rank', 'options', 'type', 'null', 'disposed', 'size', 'number'];

type ErrorCtor = new (...a: any[]) => TenfoldError;

export interface Case {
  cls: BadClass;
  label: string;
  /** Builds the arguments (outside the leak window; tensors among them are disposed after). */
  args: () => unknown[];
  run: (...a: any[]) => unknown;
  /** The typed error expected, or 'ok' when the call must succeed (null options = defaults, NaN propagation). */
  expect: ErrorCtor | 'ok';
  /** A word the message must contain: the argument's name. */
  names?: string;
  /** Run with setFiniteChecks(true). */
  finiteChecks?: boolean;
}

type Run = (...a: any[]) => unknown;
type Make = (x: unknown) => unknown[];

/** Finite checks policy of a tensor argument: checked on entry, or propagated (checked only with the switch). */
export type NanPolicy = 'check' | 'propagate';

/**
 * Type, null/undefined, disposed and NaN/Inf cases of one tensor argument. `make(x)` returns
 * the full argument list with `x` in place of the tensor; `shape` is the shape of a good value.
 */
export function tensorArg(argName: string, make: Make, run: Run, nan: NanPolicy, shape: number[] = [3, 4, 5]): Case[] {
  const out: Case[] = WRONG_TYPES.map(([label, v]) => ({ cls: 'type' as const, label: `${argName} = ${label}`, args: () => make(v), run, expect: TenfoldError, names: argName }));
  out.push({ cls: 'null', label: `${argName} = null`, args: () => make(null), run, expect: TenfoldError, names: argName });
  out.push({ cls: 'null', label: `${argName} = undefined`, args: () => make(undefined), run, expect: TenfoldError, names: argName });
  out.push({ cls: 'disposed', label: `${argName} disposed`, args: () => make(gone(shape)), run, expect: ArgumentError, names: argName });
  for (const v of [NaN, Infinity]) {
    if (nan === 'check') {
      out.push({ cls: 'nan', label: `${argName} holds ${v}`, args: () => make(nanT(shape, v)), run, expect: NonFiniteError, names: argName });
    } else {
      out.push({ cls: 'nan', label: `${argName} holds ${v} (propagates)`, args: () => make(nanT(shape, v)), run, expect: 'ok' });
      out.push({ cls: 'nan', label: `${argName} holds ${v} (setFiniteChecks)`, args: () => make(nanT(shape, v)), run, expect: NonFiniteError, names: argName, finiteChecks: true });
    }
  }
  return out;
}

/** A list-of-tensors argument: not a list, null, an entry of the wrong type, a disposed entry. */
export function listArg(argName: string, make: Make, good: () => unknown[], run: Run, nan: NanPolicy): Case[] {
  const withEntry = (v: unknown) => () => {
    const list = good();
    list[0] = v;
    return make(list);
  };
  const out: Case[] = [
    { cls: 'type', label: `${argName} = a string`, args: () => make('abc'), run, expect: TenfoldError, names: argName },
    { cls: 'type', label: `${argName}[0] = a string`, args: withEntry('abc'), run, expect: TenfoldError, names: `${argName}[0]` },
    { cls: 'null', label: `${argName} = null`, args: () => make(null), run, expect: TenfoldError, names: argName },
    { cls: 'null', label: `${argName}[0] = null`, args: withEntry(null), run, expect: TenfoldError, names: `${argName}[0]` },
    { cls: 'disposed', label: `${argName}[0] disposed`, args: () => { const list = good(); const s = (list[0] as tf.Tensor).shape; (list[0] as tf.Tensor).dispose(); list[0] = gone(s); return make(list); }, run, expect: ArgumentError, names: `${argName}[0]` },
  ];
  const nanEntry = () => { const list = good(); const s = (list[0] as tf.Tensor).shape; (list[0] as tf.Tensor).dispose(); list[0] = nanT(s); return make(list); };
  if (nan === 'check') out.push({ cls: 'nan', label: `${argName}[0] holds NaN`, args: nanEntry, run, expect: NonFiniteError, names: argName });
  else {
    out.push({ cls: 'nan', label: `${argName}[0] holds NaN (propagates)`, args: nanEntry, run, expect: 'ok' });
    out.push({ cls: 'nan', label: `${argName}[0] holds NaN (setFiniteChecks)`, args: nanEntry, run, expect: NonFiniteError, names: argName, finiteChecks: true });
  }
  return out;
}

/** The one options rule: null/undefined mean defaults, a non-object is refused, unknown keys are refused. */
export function optionsArg(make: Make, run: Run, argName = 'options'): Case[] {
  return [
    { cls: 'options', label: `${argName} = null means defaults`, args: () => make(null), run, expect: 'ok' },
    { cls: 'options', label: `${argName} = undefined means defaults`, args: () => make(undefined), run, expect: 'ok' },
    { cls: 'options', label: `${argName} = 42`, args: () => make(42), run, expect: ArgumentError, names: argName },
    { cls: 'options', label: `${argName} = a string`, args: () => make('abc'), run, expect: ArgumentError, names: argName },
    { cls: 'options', label: `${argName} = an array`, args: () => make([1]), run, expect: ArgumentError, names: argName },
    { cls: 'options', label: `${argName} has an unknown key`, args: () => make({ bogusKey: 1 }), run, expect: ArgumentError, names: 'bogusKey' },
  ];
}

/** A rank argument: zero, negative, fractional > 1, NaN, Inf, wrong type, absurdly large. */
export function rankArg(make: Make, run: Run, argName = 'rank', opts: { fractional?: boolean; huge?: boolean } = {}): Case[] {
  const out: Case[] = [
    { cls: 'rank', label: `${argName} = 0`, args: () => make(0), run, expect: TenfoldError, names: argName },
    { cls: 'rank', label: `${argName} = -1`, args: () => make(-1), run, expect: TenfoldError, names: argName },
    { cls: 'rank', label: `${argName} = NaN`, args: () => make(NaN), run, expect: TenfoldError, names: argName },
    { cls: 'rank', label: `${argName} = Infinity`, args: () => make(Infinity), run, expect: TenfoldError, names: argName },
    { cls: 'type', label: `${argName} = {}`, args: () => make({}), run, expect: TenfoldError, names: argName },
  ];
  if (opts.fractional !== false) out.push({ cls: 'rank', label: `${argName} = 2.5`, args: () => make(2.5), run, expect: TenfoldError, names: argName });
  if (opts.huge !== false) out.push({ cls: 'size', label: `${argName} = 1e9`, args: () => make(1e9), run, expect: TenfoldError, names: argName });
  return out;
}

/** A mode argument: out of range, fractional, wrong type. */
export function modeArg(make: Make, run: Run, ndim: number, argName = 'mode'): Case[] {
  return [
    { cls: 'rank', label: `${argName} = ${ndim} (out of range)`, args: () => make(ndim), run, expect: ModeError, names: argName },
    { cls: 'number', label: `${argName} = 0.5`, args: () => make(0.5), run, expect: ModeError, names: argName },
    { cls: 'number', label: `${argName} = NaN`, args: () => make(NaN), run, expect: ModeError, names: argName },
    { cls: 'type', label: `${argName} = a string`, args: () => make('0'), run, expect: TenfoldError, names: argName },
  ];
}

/** A shape argument: wrong type, negative, fractional, absurd. */
export function shapeArg(make: Make, run: Run, argName = 'shape', huge = true): Case[] {
  const out: Case[] = [
    { cls: 'null', label: `${argName} = null`, args: () => make(null), run, expect: TenfoldError, names: argName },
    { cls: 'type', label: `${argName} = a string`, args: () => make('abc'), run, expect: TenfoldError, names: argName },
    { cls: 'number', label: `${argName} has -1`, args: () => make([3, -1]), run, expect: ShapeError, names: argName },
    { cls: 'number', label: `${argName} has 1.5`, args: () => make([3, 1.5]), run, expect: ShapeError, names: argName },
    { cls: 'number', label: `${argName} has NaN`, args: () => make([3, NaN]), run, expect: ShapeError, names: argName },
  ];
  if (huge) out.push({ cls: 'size', label: `${argName} = [1e6, 1e6]`, args: () => make([1e6, 1e6]), run, expect: TenfoldError, names: argName });
  return out;
}

/** A single explicit case. */
export function one(cls: BadClass, label: string, args: () => unknown[], run: Run, expect: ErrorCtor | 'ok', names?: string): Case {
  return { cls, label, args, run, expect, names };
}

export { T, ArgumentError, ModeError, NonFiniteError, RankError, ShapeError, TenfoldError };
