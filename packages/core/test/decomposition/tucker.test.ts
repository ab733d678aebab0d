import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { partialTucker, tucker } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');

describe('tucker fixtures', () => {
  for (const name of ['tucker_hooi_10x12x9_rank343_iter1', 'tucker_hooi_10x12x9_rank343_iter10']) {
    it(name, () => {
      const c = fixtureCase(file, name);
      const t = fx(c.inputs.tensor);
      const { tucker: tk, errors } = tucker(t, c.inputs.rank, { nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol, init: 'svd', returnErrors: true });
      const rec = tk.toTensor();
      console.log(name, errors, c.expected.rec_errors.data, relError(rec, fx(c.expected.reconstruction)));
      c.expected.factors.forEach((f: any, i: number) => console.log(i, relError(tk.factors[i], f.data)));
      console.log('core', relError(tk.core, c.expected.core.data));
      tf.dispose([t, rec]);
      tk.dispose();
    });
  }
  it('partial', () => {
    const c = fixtureCase(file, 'partial_tucker_10x12x9_modes01_rank34_iter10');
    const t = fx(c.inputs.tensor);
    const res = partialTucker(t, c.inputs.rank, { modes: c.inputs.modes, nIterMax: c.inputs.n_iter_max, tol: c.inputs.tol });
    console.log(res.errors, c.expected.rec_errors.data, res.core.shape);
    c.expected.factors.forEach((f: any, i: number) => console.log(i, relError(res.factors[i], f.data)));
    console.log('core', relError(res.core, c.expected.core.data));
    res.dispose();
    t.dispose();
  });
});
