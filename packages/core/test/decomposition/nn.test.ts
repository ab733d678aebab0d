import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { nonNegativeParafac, nonNegativeParafacHals, nonNegativeTucker, nonNegativeTuckerHals, randomisedParafac } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');
describe('nn', () => {
  it('nncp', () => {
    const c = fixtureCase(file, 'non_negative_parafac_6x8x7_rank3_svd');
    const t = fx(c.inputs.tensor);
    const { cp, errors } = nonNegativeParafac(t, 3, { nIterMax: 100, tol: 1e-6, returnErrors: true });
    const rec = cp.toTensor();
    console.log('mu', errors.length, errors.slice(0, 3), c.expected.rec_errors.data.slice(0, 3), errors.at(-1), c.expected.final_relative_error, relError(rec, t));
    const h = nonNegativeParafacHals(t, 3, { returnErrors: true });
    const rech = h.cp.toTensor();
    console.log('hals', h.errors.length, h.errors.at(-1), relError(rech, t));
    const r = randomisedParafac(t, 3, 40, { returnErrors: true, seed: 1 });
    const recr = r.cp.toTensor();
    console.log('rand', r.errors.length, r.errors.at(-1), relError(recr, t));
  });
  it('nntucker', () => {
    const c = fixtureCase(file, 'non_negative_tucker_6x8x7_rank333_svd');
    const t = fx(c.inputs.tensor);
    const { tucker, errors } = nonNegativeTucker(t, [3, 3, 3], { nIterMax: 10, tol: 1e-4, returnErrors: true });
    console.log('mu', errors, c.expected.rec_errors.data, c.expected.final_relative_error);
    const h = nonNegativeTuckerHals(t, [3, 3, 3], { returnErrors: true });
    const rec = h.tucker.toTensor();
    console.log('hals', h.errors.length, h.errors.at(-1), relError(rec, t));
  });
});
