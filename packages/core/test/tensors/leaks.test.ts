import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TenfoldError } from '../../src/errors/index.js';
import { CPTensor, TTMatrix, TTTensor, TuckerTensor, cpToTensor, ttToTensor, tuckerToTensor, ttMatrixToTensor } from '../../src/tensors/index.js';
import { createRng, normalTensor } from '../../src/random/index.js';
import { expectNoLeak } from '../../../../test-utils/index.js';

// Every method of every factorized-tensor class leaves tf.memory().numTensors as it found
// it apart from what it returns; failing calls leak nothing either.
describe('no leaks: methods of the factorized-tensor classes', () => {
  const rng = createRng(21);
  const objects = {
    cp: () => new CPTensor(normalTensor([3], rng), [normalTensor([4, 3], rng), normalTensor([5, 3], rng), normalTensor([2, 3], rng)]),
    tucker: () => new TuckerTensor(normalTensor([2, 3, 2], rng), [normalTensor([4, 2], rng), normalTensor([5, 3], rng), normalTensor([3, 2], rng)]),
    tt: () => new TTTensor([normalTensor([1, 3, 2], rng), normalTensor([2, 4, 3], rng), normalTensor([3, 5, 1], rng)]),
    ttMatrix: () => new TTMatrix([normalTensor([1, 2, 3, 2], rng), normalTensor([2, 3, 2, 1], rng)]),
  };

  for (const [name, make] of Object.entries(objects)) {
    it(`${name}: constructor, toTensor, toUnfolded, toVec, norm, normalize, clone, dispose`, () => {
      expectNoLeak(make as () => unknown);
      const obj = make() as CPTensor | TuckerTensor | TTTensor | TTMatrix;
      expectNoLeak(() => obj.toTensor());
      for (let m = 0; m < obj.shape.length; m++) expectNoLeak(() => obj.toUnfolded(m));
      expectNoLeak(() => obj.toVec());
      expectNoLeak(() => obj.norm());
      expectNoLeak(() => obj.normalize());
      expectNoLeak(() => obj.clone());
      if (obj instanceof TTMatrix) expectNoLeak(() => obj.toMatrix());
      if (obj instanceof CPTensor) {
        const v = tf.ones([5]);
        expectNoLeak(() => obj.modeDot(v, 1));
        v.dispose();
      }
      // Failing calls leak nothing.
      const before = tf.memory().numTensors;
      expect(() => obj.toUnfolded(obj.shape.length)).toThrow(TenfoldError);
      expect(tf.memory().numTensors).toBe(before);
      const count = tf.memory().numTensors;
      obj.dispose();
      expect(tf.memory().numTensors).toBeLessThan(count);
    });
  }

  it('functions on plain inputs with bad shapes leak nothing', () => {
    const a = tf.ones([3, 2]);
    const b = tf.ones([4, 3]);
    const before = tf.memory().numTensors;
    expect(() => cpToTensor({ factors: [a, b] })).toThrow(TenfoldError);
    expect(() => tuckerToTensor({ core: a, factors: [b, b] })).toThrow(TenfoldError);
    expect(() => ttToTensor([a, b])).toThrow(TenfoldError);
    expect(() => ttMatrixToTensor([a])).toThrow(TenfoldError);
    expect(() => cpToTensor({ factors: [[[1, 2]], [[1, 2, 3]]] })).toThrow(TenfoldError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('constructors adopt converted int32 tensors (disposing the int32 original) and leak nothing', () => {
    const before = tf.memory().numTensors;
    const f = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
    const cp = new CPTensor(null, [f, tf.ones([3, 2])]);
    expect(f.isDisposed).toBe(true);
    expect(cp.factors[0].dtype).toBe('float32');
    cp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
