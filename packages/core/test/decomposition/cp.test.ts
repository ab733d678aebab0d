import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parafac } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');
const parafacCases = file.cases.filter((c) => c.name.startsWith('parafac_'));

describe('parafac fixtures', () => {
  it('covers every parafac case', () => {
    expect(parafacCases.map((c) => c.name)).toEqual([
      'parafac_6x8x7_rank3_svd_iter1',
      'parafac_6x8x7_rank3_svd_iter5',
      'parafac_6x8x7_rank3_svd_iter50',
      'parafac_6x8x7_rank3_svd_iter5_normalize',
      'parafac_6x8x7_rank4_svd_iter50_normalize',
      'parafac_5x6x7x4_rank4_svd_iter20',
    ]);
  });
  for (const c of parafacCases) {
    it(c.name, () => {
      const inp = c.inputs;
      const t = fx(inp.tensor);
      const { cp, errors } = parafac(t, inp.rank, { nIterMax: inp.n_iter_max, tol: inp.tol, init: 'svd', svd: 'truncated', normalizeFactors: inp.normalize_factors ?? false, returnErrors: true });
      const rec = cp.toTensor();
      console.log(c.name, errors.slice(-3), c.expected.rec_errors.data.slice(-3), relError(rec, fx(c.expected.reconstruction)));
      expectClose(errors, c.expected.rec_errors.data, { rtol: 1e-3, atol: 1e-6 }, 'rec_errors');
      expectClose(rec, c.expected.reconstruction, f32Tolerance(c.expected.reconstruction.data, c.tolerance, 1e-3), 'reconstruction');
      tf.dispose([t, rec]);
      cp.dispose();
    });
  }
});
