import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { coreCases } from './cases.js';
import { backends, ensureWasm, judge } from './harness.js';

// The fast subset of the differential suite (the full set: `pnpm differential`): every
// installed backend must give cpu's numbers within float32 tolerance.
const initial = tf.getBackend();
let names: string[] = [];
beforeAll(async () => {
  await ensureWasm();
  names = await backends();
});

describe('differential: core and rank on every backend', () => {
  const cases = coreCases().filter((c) => c.quick);
  for (const area of [...new Set(cases.map((c) => c.area))]) {
    it(`${area}: ${cases.filter((c) => c.area === area).length} cases agree with cpu`, async () => {
      const failures: string[] = [];
      for (const c of cases.filter((k) => k.area === area)) {
        const v = await judge(c, names);
        if (!v.ok) failures.push(`${c.name}: ${JSON.stringify(v.scores)} ${JSON.stringify(v.errors)}`);
      }
      await tf.setBackend(initial);
      expect(failures).toEqual([]);
    });
  }
  it('compares at least cpu and wasm', () => {
    expect(names).toContain('cpu');
    expect(names).toContain('wasm');
  });
});
