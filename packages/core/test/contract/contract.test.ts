/**
 * The bad-input contract of @tenfold/core, table-driven over every runtime export (see
 * table.ts / table2.ts / table3.ts). Each case asserts: a TenfoldError subclass (or success where the
 * rule says so: null options mean defaults, NaN propagates through pure algebra), a message
 * naming the argument, no leaked tensors, and a time bound of 5 s per call.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as core from '../../src/index.js';
import * as nodeEntry from '../../src/node/index.js';
import { disposeAll } from '../../../../test-utils/index.js';
import { CLASSES, type BadClass, type Case } from './cases.js';
import { TABLE as TABLE123 } from './table3.js';
import { TABLE_IO, TABLE_NODE } from './tableIo.js';

const TABLE = { ...TABLE123, ...TABLE_IO };

const TIME_LIMIT_MS = 5000;
const counts = new Map<BadClass, number>();

describe('contract table', () => {
  it('lists every runtime export of @tenfold/core (or exempts it with a reason)', () => {
    const missing = Object.keys(core).filter((k) => !(k in TABLE));
    expect(missing, 'exports missing from the bad-input table').toEqual([]);
    const stale = Object.keys(TABLE).filter((k) => !(k in core));
    expect(stale, 'table entries that are not exports').toEqual([]);
  });

  it('lists every runtime export of @tenfold/core/node (or exempts it with a reason)', () => {
    expect(Object.keys(nodeEntry).filter((k) => !(k in TABLE_NODE)), 'node exports missing from the table').toEqual([]);
    expect(Object.keys(TABLE_NODE).filter((k) => !(k in nodeEntry)), 'node table entries that are not exports').toEqual([]);
  });
});

async function runCase(c: Case): Promise<void> {
  const args = c.args();
  const setChecks = (core as any).setFiniteChecks as ((on: boolean) => void) | undefined;
  if (c.finiteChecks) {
    expect(setChecks, 'setFiniteChecks is exported').toBeTypeOf('function');
    setChecks!(true);
  }
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  let error: unknown;
  let result: unknown;
  try {
    result = c.run(...args);
    if (result instanceof Promise) result = await result;
  } catch (e) {
    error = e;
  } finally {
    if (c.finiteChecks) setChecks!(false);
  }
  const ms = performance.now() - t0;
  try {
    if (c.expect === 'ok') {
      expect(error, `expected success, got ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`).toBeUndefined();
      disposeAll(result);
    } else {
      expect(error, 'expected a typed error; the call succeeded').toBeDefined();
      const msg = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
      expect(error instanceof core.TenfoldError, `not a TenfoldError: ${msg}`).toBe(true);
      expect(error instanceof c.expect, `expected ${c.expect.name}, got ${msg}`).toBe(true);
      if (c.names) expect((error as Error).message, 'the message names the argument').toContain(c.names);
    }
    // A constructor owns the tensors it is given, so disposing its result frees them too.
    if (c.expect === 'ok') expect(tf.memory().numTensors, 'tensors leaked').toBeLessThanOrEqual(before);
    else expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
    expect(ms, 'time bound').toBeLessThan(TIME_LIMIT_MS);
  } finally {
    disposeAll(args);
  }
}

for (const [name, entry] of [...Object.entries(TABLE), ...Object.entries(TABLE_NODE)]) {
  if (!Array.isArray(entry)) continue;
  describe(name, () => {
    for (const c of entry) {
      counts.set(c.cls, (counts.get(c.cls) ?? 0) + 1);
      it(`[${c.cls}] ${c.label}`, () => runCase(c));
    }
  });
}

afterAll(() => {
  if (process.env.TENFOLD_CONTRACT_COUNTS) {
    const line = CLASSES.map((k) => `${k}=${counts.get(k) ?? 0}`).join(' ');
    process.stdout.write(`[contract] cases per class: ${line}\n`);
  }
});
