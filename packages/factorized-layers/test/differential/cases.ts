/**
 * Differential cases for @tenfold/factorized-layers: TensorizedTensor reconstructions,
 * FactorizedLinear forward passes (batch dims included) and the low-rank helpers.
 */
import { tf } from '@tenfold/core';
import { FactorizedLinear, TensorizedTensor, extractPatches } from '@tenfold/factorized-layers';
import { seeded } from '../../../core/test/differential/harness.js';
import type { DiffCase } from '../../../core/test/differential/cases.js';

export function layerCases(): DiffCase[] {
  const out: DiffCase[] = [];
  const own = <T extends { dispose(): void }>(make: () => T, use: (x: T) => unknown): (() => unknown) => () => {
    const x = make();
    try {
      const r = use(x);
      return r instanceof tf.Tensor ? tf.clone(r) : r;
    } finally {
      x.dispose();
    }
  };
  for (const factorization of ['cp', 'tucker', 'blocktt', 'dense']) {
    for (const rank of [0.3, 0.8]) {
      out.push({
        area: 'layers',
        name: `TensorizedTensor ${factorization} rank ${rank} toMatrix`,
        quick: rank === 0.3,
        run: own(() => TensorizedTensor.new([3, [2, 5, 4], [3, 3, 2]] as never, { factorization, rank, seed: 1 } as never), (t) => t.toMatrix()),
      });
    }
  }
  for (const factorization of ['cp', 'tucker', 'blocktt']) {
    for (const batch of [[2], [3, 2], [0], [1]]) {
      out.push({
        area: 'layers',
        name: `FactorizedLinear ${factorization} batch ${batch}`,
        quick: batch.length === 2 || batch[0] === 0,
        run: own(
          () => new FactorizedLinear({ inTensorizedFeatures: [2, 3], outTensorizedFeatures: [2, 2], factorization, rank: 0.5, seed: 2 }),
          (l) => l.apply(seeded([...batch, 6], 3)),
        ),
      });
    }
  }
  for (const n of [2, 0]) {
    out.push({ area: 'lowrank', name: `extractPatches batch ${n}`, quick: true, run: () => extractPatches(seeded([n, 3, 5, 5], 4), { kernelSize: [3, 3], stride: [1, 2], padding: 1 }) });
  }
  return out;
}
