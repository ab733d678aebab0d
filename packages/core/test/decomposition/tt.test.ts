import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { tensorTrain, tensorTrainMatrix } from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';

const file = loadFixtures('decompositions');
describe('tt fixtures', () => {
  for (const c of file.cases.filter((k) => k.name.startsWith('tensor_train'))) {
    it(c.name, () => {
      const t = fx(c.inputs.tensor);
      const isM = c.name.startsWith('tensor_train_matrix');
      const tt = isM ? tensorTrainMatrix(t, c.inputs.rank) : tensorTrain(t, c.inputs.rank);
      const rec = tt.toTensor();
      console.log(c.name, tt.rank, c.expected.resolved_rank, relError(rec, fx(c.expected.reconstruction)), relError(rec, t), c.expected.final_relative_error);
      c.expected.factors.forEach((f: any, i: number) => console.log(i, tt.cores[i].shape, f.shape, relError(tt.cores[i], f.data)));
      tf.dispose([t, rec]);
      tt.dispose();
    });
  }
});
