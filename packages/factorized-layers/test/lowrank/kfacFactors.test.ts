import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AbortedError, ArgumentError, NonFiniteError, NotSupportedError, ShapeError } from '@tenfold/core';
import { extractPatches, kfacFactors } from '@tenfold/factorized-layers';
import { expectNoLeak, relError } from '../../../../test-utils/index.js';

/** Set every layer's weights from seeded normals (deterministic across backends). */
function seedWeights(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((l, i) => {
    const ws = l.getWeights();
    if (ws.length === 0) return;
    const fresh = ws.map((w, j) => tf.randomNormal(w.shape, 0, 0.7, 'float32', seed + 10 * i + j));
    l.setWeights(fresh);
    tf.dispose(fresh);
  });
}

function mlp(final: 'linear' | 'softmax' = 'linear'): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [4], units: 5, activation: 'tanh', name: 'h' }));
  m.add(tf.layers.dense({ units: 3, activation: final, name: 'out' }));
  seedWeights(m, 1);
  return m;
}

/** `kron(A, G)` as a dense `[D M, D M]` array, index `(i M + j, k M + l) -> A[i,k] G[j,l]`. */
function kron(a: ArrayLike<number>, g: ArrayLike<number>, d: number, m: number): Float64Array {
  const out = new Float64Array(d * m * d * m);
  for (let i = 0; i < d; i++) for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) for (let l = 0; l < m; l++) {
    out[(i * m + j) * d * m + k * m + l] = a[i * d + k] * g[j * m + l];
  }
  return out;
}

/**
 * The exact generalised Gauss-Newton block `Jᵀ H J` of cross-entropy at one datum, with
 * `J` the Jacobian of the logits w.r.t. a weight matrix (rows of `wMat` in the x W layout),
 * computed by one tf.grad per logit of an explicit forward function.
 */
function exactGgn(forward: (w: tf.Tensor) => tf.Tensor, w: tf.Tensor, c: number): Float64Array {
  const rows: Float32Array[] = [];
  for (let k = 0; k < c; k++) {
    rows.push(tf.tidy(() => tf.grad((v: tf.Tensor) => tf.slice(tf.reshape(forward(v), [c]), k, 1).sum())(w).dataSync() as Float32Array));
  }
  const p = tf.tidy(() => tf.softmax(tf.reshape(forward(w), [c])).dataSync());
  const n = rows[0].length;
  const out = new Float64Array(n * n);
  for (let a = 0; a < c; a++) for (let b = 0; b < c; b++) {
    const h = (a === b ? p[a] : 0) - p[a] * p[b];
    if (h === 0) continue;
    for (let i = 0; i < n; i++) {
      const ri = rows[a][i] * h;
      for (let j = 0; j < n; j++) out[i * n + j] += ri * rows[b][j];
    }
  }
  return out;
}

describe('kfacFactors', () => {
  it('A ⊗ G is the exact GGN of a Dense layer at one datum (cross-entropy, through tanh and a second layer)', () => {
    const m = mlp();
    const x = tf.tensor2d([[0.3, -1.2, 0.8, 0.5]]);
    const y = tf.tensor1d([2], 'int32');
    const [k1, b1] = m.layers[0].getWeights();
    const [k2, b2] = m.layers[1].getWeights();
    const ggn = exactGgn((w) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w as tf.Tensor2D), b1)), k2 as tf.Tensor2D), b2), k1, 3);
    expectNoLeak(() => kfacFactors(m, 'h', x, y, { loss: 'crossEntropy' }));
    const again = kfacFactors(m, 'h', x, y, { loss: 'crossEntropy' });
    expect(again.inputFactor.shape).toEqual([4, 4]);
    expect(again.outputFactor.shape).toEqual([5, 5]);
    const k = kron(again.inputFactor.dataSync(), again.outputFactor.dataSync(), 4, 5);
    expect(relError(k, ggn)).toBeLessThan(1e-5);
    tf.dispose([again.inputFactor, again.outputFactor, x, y]);
    m.dispose();
  });

  it('of the last layer: A = E[a aᵀ] of its input, G = E[S Sᵀ] (the loss Hessian itself)', () => {
    const m = mlp();
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32');
    const { inputFactor, outputFactor } = kfacFactors(m, 'out', x, y, { loss: 'crossEntropy', batchSize: 4 });
    const [refA, refG] = tf.tidy(() => {
      const h = m.layers[0].apply(x) as tf.Tensor2D;
      const p = tf.softmax(m.predict(x) as tf.Tensor2D);
      // E[diag(p) - p pᵀ]
      const g = tf.div(tf.sub(tf.diag(tf.sum(p, 0)), tf.matMul(tf.transpose(p), p)), 6);
      return [tf.div(tf.matMul(tf.transpose(h), h), 6), g];
    });
    expect(relError(inputFactor, refA)).toBeLessThan(1e-5);
    expect(relError(outputFactor, refG)).toBeLessThan(1e-5);
    tf.dispose([inputFactor, outputFactor, refA, refG, x, y]);
    m.dispose();
  });

  it('skips a final softmax for cross-entropy (same factors as the logits model); damping adds λ I', () => {
    const lin = mlp('linear');
    const soft = mlp('softmax');
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    const y = tf.tensor1d([0, 1, 2, 0, 1], 'int32');
    const a = kfacFactors(lin, 'h', x, y, { loss: 'crossEntropy' });
    const b = kfacFactors(soft, 'h', x, y, { loss: 'crossEntropy', damping: 0.5 });
    const [ia, oa] = tf.tidy(() => [tf.add(a.inputFactor, tf.mul(tf.eye(4), 0.5)), tf.add(a.outputFactor, tf.mul(tf.eye(5), 0.5))]);
    expect(relError(b.inputFactor, ia)).toBeLessThan(1e-5);
    expect(relError(b.outputFactor, oa)).toBeLessThan(1e-5);
    tf.dispose([a.inputFactor, a.outputFactor, b.inputFactor, b.outputFactor, ia, oa, x, y]);
    lin.dispose();
    soft.dispose();
  });

  it('A ⊗ G is the exact GGN of a Conv2D with one output position (NHWC kernel -> (c, kh, kw) rows)', () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [3, 3, 2], filters: 4, kernelSize: 3, activation: 'relu', name: 'c' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 3, name: 'out' }));
    seedWeights(m, 7);
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 8);
    const y = tf.tensor1d([1], 'int32');
    const [kc, bc] = m.layers[0].getWeights();
    const [kd, bd] = m.layers[2].getWeights();
    // The weight as the (c, kh, kw) x out matrix the factors describe.
    const wMat = tf.reshape(tf.transpose(kc, [2, 0, 1, 3]), [18, 4]);
    // One output position: the conv is its flattened (c, kh, kw) patch times wMat (no
    // conv gradient needed, which tfjs-wasm lacks for the filter).
    const patch = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [1, 18]);
    const forward = (w: tf.Tensor) => {
      const z = tf.relu(tf.add(tf.matMul(patch, w as tf.Tensor2D), bc));
      return tf.add(tf.matMul(z, kd as tf.Tensor2D), bd);
    };
    const ggn = exactGgn(forward, wMat, 3);
    const f = kfacFactors(m, 'c', x, y, { loss: 'crossEntropy' });
    expect(relError(kron(f.inputFactor.dataSync(), f.outputFactor.dataSync(), 18, 4), ggn)).toBeLessThan(1e-5);
    tf.dispose([f.inputFactor, f.outputFactor, wMat, patch, x, y]);
    m.dispose();
  });

  it("Conv2D with stride 2 and 'same' padding: A from the patches tfjs sees, G sums over positions (MSE)", () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same', name: 'c' }));
    m.add(tf.layers.flatten());
    seedWeights(m, 9);
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 10);
    const out = m.predict(x) as tf.Tensor2D; // [4, 3 * 3 * 3]
    const y = tf.zerosLike(out);
    const f = kfacFactors(m, 'c', x, y, { loss: 'mse', reduction: 'sum', batchSize: 3 });
    const [refA, conv] = tf.tidy(() => {
      const p = tf.reshape(extractPatches(tf.transpose(x, [0, 3, 1, 2]), { kernelSize: 3, stride: 2, padding: 'same' }), [-1, 18]);
      const [k, b] = m.layers[0].getWeights();
      const viaPatches = tf.add(tf.matMul(p, tf.reshape(tf.transpose(k, [2, 0, 1, 3]), [18, 3])), b);
      return [tf.div(tf.matMul(tf.transpose(p), p), p.shape[0]), relError(viaPatches, tf.reshape(out, [-1, 3]))];
    });
    // The patches reproduce the tfjs layer (same asymmetric 'same' padding), so A describes them.
    expect(conv).toBeLessThan(1e-5);
    expect(relError(f.inputFactor, refA)).toBeLessThan(1e-5);
    // S = √2 I: each column selects one (position, channel); 9 positions -> G = 2 · 9 · I.
    const refG = tf.mul(tf.eye(3), 18);
    expect(relError(f.outputFactor, refG)).toBeLessThan(1e-5);
    tf.dispose([f.inputFactor, f.outputFactor, refA, refG, x, y, out]);
    m.dispose();
  });

  it('reports progress per batch and is cancellable (no leak)', () => {
    const m = mlp();
    const x = tf.randomNormal([7, 4], 0, 1, 'float32', 11);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0], 'int32');
    const steps: number[] = [];
    expectNoLeak(() => kfacFactors(m, 'h', x, y, { loss: 'crossEntropy', batchSize: 3, onProgress: (r) => steps.push(r.step) }));
    expect(steps).toEqual([0, 1, 2, 3]);
    const ctl = new AbortController();
    ctl.abort();
    expectNoLeak(() => {
      expect(() => kfacFactors(m, 'h', x, y, { loss: 'crossEntropy', signal: ctl.signal })).toThrow(AbortedError);
    });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('refuses bad input with typed errors, leaking nothing', () => {
    const m = mlp();
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 12);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const [x5, y2, xNan] = [tf.zeros([3, 5]), tf.zeros([3, 3]), tf.fill([3, 4], NaN)];
    const input = tf.input({ shape: [4] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const withFlatten = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2], name: 'fl' }), tf.layers.dense({ units: 3 })] });
    const bad: [() => unknown, new (...args: never[]) => Error, RegExp][] = [
      [() => kfacFactors(functional, 'h', x, y, { loss: 'crossEntropy' }), NotSupportedError, /tf.Sequential/],
      [() => kfacFactors(m, 'nope', x, y, { loss: 'crossEntropy' }), ArgumentError, /not a layer of the model/],
      [() => kfacFactors(withFlatten, 'fl', x, y, { loss: 'crossEntropy' }), NotSupportedError, /Flatten/],
      [() => kfacFactors(m, 'h', x, y, { loss: 'l1' as never }), ArgumentError, /opts.loss/],
      [() => kfacFactors(m, 'h', x, y, { loss: 'crossEntropy', batchsize: 2 } as never), ArgumentError, /batchsize/],
      [() => kfacFactors(m, 'h', x, y, { loss: 'crossEntropy', damping: -1 }), ArgumentError, /opts.damping/],
      [() => kfacFactors(m, 'h', x5, y, { loss: 'crossEntropy' }), ShapeError, /inputs must match/],
      [() => kfacFactors(m, 'h', x, y2, { loss: 'crossEntropy' }), ShapeError, /targets must be \[N\] class indices/],
      [() => kfacFactors(m, 'h', x, y, { loss: 'mse' }), ShapeError, /targets must be \[N, C\]/],
      [() => kfacFactors(m, 'h', xNan, y, { loss: 'crossEntropy' }), NonFiniteError, /inputs/],
    ];
    for (const [fn, cls, msg] of bad) {
      expectNoLeak(() => {
        expect(fn).toThrow(cls);
        expect(fn).toThrow(msg);
      });
    }
    tf.dispose([x, y, x5, y2, xNan]);
    m.dispose();
    functional.dispose();
    withFlatten.dispose();
  });
});
