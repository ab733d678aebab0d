/**
 * EVBMF against VBMF.py on the inputs where a float32 Gram matrix or exact zeros used to
 * change the answer (issue 9): dead channels (exact zero rows / columns), singular values below
 * float32 resolution, and a 2048 x 2048 square matrix. The expected rank and sigma2 come from
 * the anchor run in ./reference (evbmf_reference.py on the inputs of ./referenceCases.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf } from '@tenfold/core';
import { evbmf } from '@tenfold/rank';
import { referenceCases } from './referenceCases.js';

interface Expected {
  name: string;
  rank: number;
  sigma2: number;
  d: number[];
}
const reference: { cases: Expected[] } = JSON.parse(readFileSync(new URL('./reference/evbmf-reference.json', import.meta.url), 'utf8'));

describe('evbmf matches VBMF.py where the spectrum has (numerical) zeros', () => {
  for (const c of referenceCases) {
    const want = reference.cases.find((e) => e.name === c.name);
    it(`${c.name}${c.dtype === 'f32' ? ' (float32 tensor, default route)' : ' (float64 host input)'}`, () => {
      expect(want, `reference for ${c.name}`).toBeDefined();
      const y = c.build();
      const input = c.dtype === 'f32' ? tf.tensor2d(Float32Array.from(y.data), y.shape as [number, number]) : y;
      const before = tf.memory().numTensors;
      const res = evbmf(input, {});
      try {
        expect(res.rank).toBe(want!.rank);
        expect(Math.abs(res.sigma2 - want!.sigma2) / want!.sigma2).toBeLessThan(1e-4);
        for (let i = 0; i < want!.rank; i++) expect(Math.abs(res.d[i] - want!.d[i]) / want!.d[i]).toBeLessThan(1e-4);
      } finally {
        res.dispose();
        if (input !== y) (input as tf.Tensor).dispose();
      }
      expect(tf.memory().numTensors).toBe(before - (input !== y ? 1 : 0));
    }, 300_000); // the 2048 x 2048 Gram matrix takes minutes on the plain-JS cpu backend
  }
});
