/**
 * The progress / cancellation harness shared by the packages' progress tests: one spec per
 * long-running routine, and the same four checks for each (docs/guide-progress.md):
 * 1. records in order (step 0, then 1..n), the task name, `total` as documented, `elapsed`
 *    monotone, and `error` equal to what the routine itself returns (or its callback sees);
 * 2. an AbortController aborted from inside onProgress at step k stops the call with
 *    AbortedError, step k being the last record, and no tensor leaks;
 * 3. an already aborted signal throws AbortedError before any record (no leak);
 * 4. the result is bit-identical with and without onProgress.
 */
import { expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError, type ProgressRecord } from '@tenfold/core';
import { disposeAll } from './index.js';

export interface ProgressSpec {
  /** Test label. */
  name: string;
  /** The record's `task`. */
  task: string;
  /** Run the routine with these extra options (onProgress, signal); returns what it returns. */
  run: (extra: { onProgress?: (r: ProgressRecord) => void; signal?: AbortSignal }) => unknown;
  /** `total` of every record. */
  total: number;
  /** Number of step records after step 0 (default `total`). */
  steps?: number;
  /**
   * The errors the records must carry at steps 1..n, read off the result (undefined: no
   * `error` field at all); compared exactly unless `rtol` is given (a figure recomputed here).
   */
  errors?: (result: unknown) => number[];
  rtol?: number;
  /** Whether step 0 carries an error (default false). */
  errorAtStart?: boolean;
  /** The step whose record aborts (default 2). */
  abortAt?: number;
  /** A stage label expected on step records, if any. */
  stage?: (step: number) => string;
}

/** Every number of a result (tensors, arrays, plain objects and class fields), in a fixed order. */
export function fingerprint(x: unknown, seen = new Set<unknown>()): unknown[] {
  if (typeof x === 'number') return [x];
  if (x === null || typeof x !== 'object' || seen.has(x)) return [];
  seen.add(x);
  if (x instanceof tf.Tensor) return [x.shape.join('x'), ...Array.from(x.dataSync())];
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  const values = Array.isArray(x) ? x : Object.keys(x).sort().map((k) => (x as Record<string, unknown>)[k]);
  return values.flatMap((v) => fingerprint(v, seen));
}

function collect(spec: ProgressSpec): { records: ProgressRecord[]; result: unknown } {
  const records: ProgressRecord[] = [];
  const result = spec.run({ onProgress: (r) => records.push(r) });
  return { records, result };
}

/** Register the four checks of one routine. */
export function progressChecks(spec: ProgressSpec): void {
  it(`${spec.name}: records step 0..n in order, total, monotone elapsed, the routine's errors`, () => {
    const { records, result } = collect(spec);
    try {
      const n = spec.steps ?? spec.total;
      expect(records.map((r) => r.step)).toEqual([...Array(n + 1).keys()]);
      for (const r of records) {
        expect(r.task).toBe(spec.task);
        expect(r.total).toBe(spec.total);
        expect(r.elapsed).toBeGreaterThanOrEqual(0);
        if (spec.stage && r.step > 0) expect(r.stage).toBe(spec.stage(r.step));
      }
      for (let i = 1; i < records.length; i++) expect(records[i].elapsed).toBeGreaterThanOrEqual(records[i - 1].elapsed);
      expect('error' in records[0]).toBe(spec.errorAtStart ?? false);
      const want = spec.errors?.(result);
      if (want === undefined) {
        for (const r of records.slice(1)) expect('error' in r, `step ${r.step} has no error`).toBe(false);
      } else {
        expect(want.length).toBeGreaterThanOrEqual(n);
        for (let k = 1; k <= n; k++) {
          const got = records[k].error as number;
          if (spec.rtol !== undefined) expect(Math.abs(got - want[k - 1]), `error at step ${k}`).toBeLessThanOrEqual(spec.rtol * Math.abs(want[k - 1]));
          else expect(got, `error at step ${k}`).toBe(want[k - 1]);
        }
      }
    } finally {
      disposeAll(result);
    }
  });

  const k = spec.abortAt ?? 2;
  it(`${spec.name}: an abort from onProgress at step ${k} throws AbortedError, leaks nothing`, () => {
    const ctrl = new AbortController();
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    let thrown: unknown;
    try {
      disposeAll(spec.run({
        signal: ctrl.signal,
        onProgress: (r) => {
          steps.push(r.step);
          if (r.step === k) ctrl.abort();
        },
      }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AbortedError);
    expect(steps[steps.length - 1]).toBe(k);
    expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  });

  it(`${spec.name}: an already aborted signal throws before any record`, () => {
    const records: ProgressRecord[] = [];
    const before = tf.memory().numTensors;
    expect(() => disposeAll(spec.run({ signal: AbortSignal.abort(), onProgress: (r) => records.push(r) }))).toThrow(AbortedError);
    expect(records).toEqual([]);
    expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  });

  it(`${spec.name}: bit-identical with and without onProgress`, () => {
    const plain = spec.run({});
    const withProgress = spec.run({ onProgress: () => {} });
    try {
      expect(fingerprint(withProgress)).toEqual(fingerprint(plain));
    } finally {
      disposeAll(plain);
      disposeAll(withProgress);
    }
  });
}
