import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { kronecker, multiModeDot, modeDot } from '../../src/tenalg/index.js';
import { tensorToVec } from '../../src/base/index.js';
const want = (core: tf.Tensor, f0: tf.Tensor, f1: tf.Tensor) => tf.tidy(() => tf.matMul(kronecker([f0, f1]), tf.reshape(tensorToVec(core), [-1, 1])));
it('dbg', () => {
  const v = process.env.V;
  const core = tf.ones([1, 3]);
  const f0 = tf.ones([4, 1]); const f1 = tf.ones([2, 3]);
  if (v === '1') multiModeDot(core, [f0, f1]).dispose();
  if (v === '2') modeDot(core, f0, 0).dispose();
  if (v === '3') modeDot(tf.ones([4, 3]), f1, 1).dispose();
  if (v === '4') tf.matMul(tf.ones([4, 3]), tf.ones([2, 3]), false, true).dispose();
  if (v === '5') tf.matMul(tf.ones([4, 1]), tf.ones([1, 3])).dispose();
  try { const o = want(core, f0, f1); console.log('ok', v, o.dataSync()[0]); } catch (e) { console.log('FAIL', v, String(e)); }
});
