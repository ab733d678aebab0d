import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { layerCases } from './cases.js';
import { backends, ensureWasm, judge } from '../../../core/test/differential/harness.js';

// Fast subset of the layer cases of the differential suite (full set: `pnpm differential`).
const initial = tf.getBackend();
let names: string[] = [];
beforeAll(async () => {
  await ensureWasm();
  names = await backends();
});

describe('differential: factorized layers on every backend', () => {
  it('TensorizedTensor, FactorizedLinear and extractPatches agree with cpu', async () => {
    const failures: string[] = [];
    for (const c of layerCases().filter((k) => k.quick)) {
      const v = await judge(c, names);
      if (!v.ok) failures.push(`${c.name}: ${JSON.stringify(v.scores)} ${JSON.stringify(v.errors)}`);
    }
    await tf.setBackend(initial);
    expect(failures).toEqual([]);
  });
});
