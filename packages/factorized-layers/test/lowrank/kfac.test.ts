import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { NotSupportedError, ShapeError, ArgumentError, TenfoldError } from '@tenfold/core';
import { extractAveragedPatches, extractPatches, lossHessianSqrt, type HessianLoss } from '@tenfold/factorized-layers';
import { expectClose, expectNoLeak, f32Tolerance, fx, loadFixtures, type FixtureCase } from '../../../../test-utils/index.js';
import { naiveConv } from '../conv/naiveConv.js';

const file = loadFixtures('kfac');
const patchCases = file.cases.filter((c) => c.name.startsWith('extract_patches'));
const avgCases = file.cases.filter((c) => c.name.startsWith('extract_averaged_patches'));
const hessCases = file.cases.filter((c) => c.name.startsWith('loss_hessian_matrix_sqrt'));

function patchOpts(c: FixtureCase) {
  const i = c.inputs;
  return { kernelSize: i.kernel_size, stride: i.stride, padding: i.padding, dilation: i.dilation, groups: i.groups };
}

const LOSS: Record<string, HessianLoss | string> = { MSELoss: 'mse', CrossEntropyLoss: 'crossEntropy', BCEWithLogitsLoss: 'bce', L1Loss: 'l1' };

describe('extractPatches (curvlinops fixtures)', () => {
  it('covers every kfac case', () => {
    expect(patchCases.length + avgCases.length + hessCases.length).toBe(file.cases.length);
    expect(patchCases.length).toBeGreaterThanOrEqual(5);
  });
  for (const c of patchCases) {
    it(c.name, () => {
      const x = fx(c.inputs.x);
      const out = expectNoLeak(() => {
        const p = extractPatches(x, patchOpts(c));
        expectClose(p, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
        return p;
      });
      expect(out.isDisposed).toBe(true);
      x.dispose();
    });
  }
  for (const c of avgCases) {
    it(c.name, () => {
      const x = fx(c.inputs.x);
      expectNoLeak(() => {
        const p = extractAveragedPatches(x, patchOpts(c));
        expectClose(p, c.expected, f32Tolerance(c.expected.data, c.tolerance), c.name);
        return p;
      });
      x.dispose();
    });
  }
  it('patches @ W.reshape(out,-1)^T equals tf.conv2d (stride, dilation, asymmetric padding)', () => {
    const x = tf.randomNormal([2, 3, 9, 8], 0, 1, 'float32', 1);
    const w = tf.randomNormal([5, 3, 3, 2], 0, 1, 'float32', 2);
    expectNoLeak(() => tf.tidy(() => {
      const p = extractPatches(x, { kernelSize: [3, 2], stride: [2, 1], padding: [[1, 2], [0, 1]], dilation: [1, 2] });
      const y = tf.matMul(tf.reshape(p, [-1, 18]), tf.transpose(tf.reshape(w, [5, -1])));
      const xn = tf.pad(tf.transpose(x, [0, 2, 3, 1]), [[0, 0], [1, 2], [0, 1], [0, 0]]);
      // reference: stride then dilation separately (tfjs forbids both at once)
      const ref = tf.stridedSlice(tf.conv2d(xn as tf.Tensor4D, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, 1, 'valid', 'NHWC', [1, 2]), [0, 0, 0, 0], [2, 100, 100, 5], [1, 2, 1, 1]);
      expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync()), 'im2col vs conv');
      return p;
    }));
    tf.dispose([x, w]);
  });
  it('property: patches @ W.reshape(out, -1)^T is the convolution for any geometry (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
        fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 })),
        fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
        fc.integer({ min: 0, max: 10_000 }),
        (k, st, dl, [t, bo, l, r], seed) => {
          const xs = [2, 3, 10, 9];
          const ws = [4, 3, k[0], k[1]];
          const x = tf.randomNormal(xs as [number, number, number, number], 0, 1, 'float32', seed);
          const w = tf.randomNormal(ws as [number, number, number, number], 0, 1, 'float32', seed + 1);
          const pad: [[number, number], [number, number]] = [[t, bo], [l, r]];
          const ref = naiveConv(x.dataSync(), xs, w.dataSync(), ws, st, pad, dl, 1);
          const y = tf.tidy(() => {
            const p = extractPatches(x, { kernelSize: k, stride: st, padding: pad, dilation: dl });
            const [b, l2] = p.shape;
            const out = tf.matMul(tf.reshape(p, [b * l2, -1]), tf.transpose(tf.reshape(w, [4, -1])));
            // [B*O1*O2, out] -> NCHW
            return tf.transpose(tf.reshape(out, [b, ref.shape[2], ref.shape[3], 4]), [0, 3, 1, 2]);
          });
          expect(y.shape).toEqual(ref.shape);
          expectClose(y, ref.data, f32Tolerance(ref.data, undefined, 1e-4, 1e-5), 'im2col');
          tf.dispose([x, w, y]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rejects bad input with typed errors', () => {
    const x = tf.zeros([1, 4, 5, 5]);
    expect(() => extractPatches(tf.zeros([4, 5, 5]), { kernelSize: 3 })).toThrow(ShapeError);
    expect(() => extractPatches(x, { kernelSize: 3, groups: 3 })).toThrow(ArgumentError);
    expect(() => extractPatches(x, { kernelSize: 0 })).toThrow(ArgumentError);
    expect(() => extractPatches(x, { kernelSize: 7 })).toThrow(ShapeError);
    expect(() => extractPatches(x, { kernelSize: 3, padding: 'reflect' as 'same' })).toThrow(NotSupportedError);
    expect(() => extractPatches(x, { kernelSize: 3, padding: -1 })).toThrow(ArgumentError);
    x.dispose();
  });
});

describe('lossHessianSqrt (curvlinops fixtures)', () => {
  for (const c of hessCases) {
    it(c.name, () => {
      const out = fx(c.inputs.output);
      const target = fx(c.inputs.target);
      const opts = { loss: LOSS[c.inputs.loss] as HessianLoss, reduction: c.inputs.reduction };
      if (c.expected_error) {
        const want = c.expected_error.type === 'ValueError' ? ShapeError : NotSupportedError;
        expect(() => lossHessianSqrt(out, target, opts)).toThrow(want);
        expect(() => lossHessianSqrt(out, target, opts)).toThrow(TenfoldError);
      } else {
        expectNoLeak(() => {
          const s = lossHessianSqrt(out, target, opts);
          const tolS = f32Tolerance(c.expected.S.data, c.tolerance);
          expectClose(s, c.expected.S, tolS, `${c.name} S`);
          const sst = tf.matMul(s, s, false, true);
          // S Sᵀ must be the autograd Hessian of the actual loss.
          expectClose(sst, c.expected.hessian, f32Tolerance(c.expected.hessian.data, c.tolerance), `${c.name} S S^T`);
          return [s, sst];
        });
      }
      tf.dispose([out, target]);
    });
  }
  it('rejects a bad reduction and a non-2-D output', () => {
    expect(() => lossHessianSqrt([[1, 2]], [[0, 1]], { loss: 'mse', reduction: 'avg' as 'mean' })).toThrow(ArgumentError);
    expect(() => lossHessianSqrt([1, 2], [[0, 1]], { loss: 'mse' })).toThrow(ShapeError);
    expect(() => lossHessianSqrt([[1, 2]], [[0, 1], [1, 0]], { loss: 'mse' })).toThrow(ShapeError);
  });
});
