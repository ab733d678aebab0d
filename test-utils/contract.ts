/**
 * The bad-input property harness: a table of cases per public export, each asserting a
 * typed TenfoldError whose message names the argument, no leaked tensors and < 5 s; or,
 * for the documented NaN-propagation rule of forward passes, a NaN result without a leak.
 */
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TenfoldError } from '@tenfold/core';
import { disposeAll } from './index.js';

export type BadClass =
  | 'nan'
  | 'inf'
  | 'empty'
  | 'ndim'
  | 'shape'
  | 'rank'
  | 'number'
  | 'unknownOption'
  | 'type'
  | 'null'
  | 'disposed'
  | 'size';

export type ErrorCtor = abstract new (...args: never[]) => TenfoldError;

export interface BadCase {
  /** The export the case exercises (a key of the package's namespace). */
  exp: string;
  cls: BadClass;
  name: string;
  run: () => unknown;
  /** The typed error expected (any TenfoldError when omitted). */
  error?: ErrorCtor;
  /** A substring (or pattern) the message must contain: the argument's name. */
  arg?: string | RegExp;
  /** 'propagate': the documented rule is NaN in, NaN out (no throw, no leak). */
  expect?: 'throw' | 'propagate';
}

const TIME_LIMIT_MS = 5000;

function hasNaN(x: unknown): boolean {
  if (x instanceof tf.Tensor) return Array.from(x.dataSync()).some((v) => !Number.isFinite(v));
  if (Array.isArray(x)) return x.some(hasNaN);
  return false;
}

/** Register one vitest case per table row. */
export function runCases(cases: readonly BadCase[]): void {
  for (const c of cases) {
    it(`${c.exp} [${c.cls}] ${c.name}`, () => {
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      let thrown: unknown = null;
      let out: unknown;
      try {
        out = c.run();
      } catch (e) {
        thrown = e;
      }
      const ms = performance.now() - t0;
      if (c.expect === 'propagate') {
        expect(thrown, `threw ${String(thrown)}`).toBeNull();
        expect(hasNaN(out), 'NaN/Inf propagates to the output').toBe(true);
        disposeAll(out);
      } else {
        if (thrown === null) disposeAll(out);
        expect(thrown, 'a typed error').toBeInstanceOf(TenfoldError);
        if (c.error) expect(thrown, String(thrown)).toBeInstanceOf(c.error);
        if (c.arg !== undefined) {
          const msg = (thrown as Error).message;
          if (typeof c.arg === 'string') expect(msg).toContain(c.arg);
          else expect(msg).toMatch(c.arg);
        }
      }
      expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
      expect(ms, 'time (ms)').toBeLessThan(TIME_LIMIT_MS);
    });
  }
}

/** Fails when an export has neither a case nor an exemption. */
export function checkCoverage(ns: Record<string, unknown>, cases: readonly BadCase[], exempt: Record<string, string>): void {
  it('every export has bad-input cases or a stated exemption', () => {
    const covered = new Set(cases.map((c) => c.exp));
    const missing = Object.keys(ns).filter((k) => !covered.has(k) && !(k in exempt));
    expect(missing, 'exports without bad-input cases').toEqual([]);
    const stale = [...covered, ...Object.keys(exempt)].filter((k) => !(k in ns));
    expect(stale, 'table entries for names that are not exported').toEqual([]);
  });
}

/** Counts of cases per class (printed by the suite, reported by the integrator). */
export function countByClass(cases: readonly BadCase[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) out[c.cls] = (out[c.cls] ?? 0) + 1;
  return out;
}
