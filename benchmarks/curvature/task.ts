/**
 * The classification task of the curvature-compression benchmark: procedurally generated
 * 16 x 16 grey images of six textures (horizontal / vertical / diagonal / anti-diagonal
 * stripes, checkerboard, rings) with random frequency, phase, contrast and heavy Gaussian
 * noise, and a small CNN trained on them in tfjs. Everything is seeded; the trained weights
 * are cached in `.bench-out/curvature/` (gitignored) so the suite trains once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, tf } from '@tenfold/core';

export const SIZE = 16;
export const CLASSES = 6;
/** Bump when the data, the architecture or the training changes (invalidates the cache). */
const VERSION = 'v2-noise1.0-e6';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = path.join(root, '.bench-out', 'curvature', `cnn-${VERSION}.json`);

/** `n` images `[n, 16, 16, 1]` (NHWC) and their labels `[n]` (int32), from `seed`. */
export function makeImages(n: number, seed: number, noise = 1.0): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const rng = createRng(seed);
  const px = new Float32Array(n * SIZE * SIZE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(CLASSES);
    labels[i] = k;
    const freq = (1.5 + 2 * rng.random()) / SIZE;
    const phase = 2 * Math.PI * rng.random();
    const amp = 0.5 + 0.5 * rng.random();
    const [cx, cy] = [4 + 8 * rng.random(), 4 + 8 * rng.random()];
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const t = 2 * Math.PI * freq;
        let v: number;
        if (k === 0) v = Math.sin(t * r + phase);
        else if (k === 1) v = Math.sin(t * c + phase);
        else if (k === 2) v = Math.sin((t * (r + c)) / Math.SQRT2 + phase);
        else if (k === 3) v = Math.sin((t * (r - c)) / Math.SQRT2 + phase);
        else if (k === 4) v = Math.sin(t * r + phase) * Math.sin(t * c + phase);
        else v = Math.sin(t * Math.hypot(r - cy, c - cx) + phase);
        px[i * SIZE * SIZE + r * SIZE + c] = amp * v + noise * rng.normal();
      }
    }
  }
  return { x: tf.tensor4d(px, [n, SIZE, SIZE, 1]), y: tf.tensor1d(labels, 'int32') };
}

/** conv 3x3x8 → pool → conv 3x3x16 → pool → dense 64 → dense 6 (logits). */
export function buildModel(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3), name: 'fc1' }));
  m.add(tf.layers.dense({ units: CLASSES, kernelInitializer: init(4), name: 'logits' }));
  return m;
}

/** Top-1 accuracy of logits against int labels. */
export function accuracy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor1D): number {
  return tf.tidy(() => {
    const pred = tf.argMax(model.predict(x, { batchSize: 256 }) as tf.Tensor2D, 1);
    return tf.mean(tf.cast(tf.equal(pred, tf.cast(y, 'int32')), 'float32')).dataSync()[0];
  });
}

/**
 * The trained CNN: loaded from the cache, or trained (Adam, 6 epochs, 3000 images, fixed
 * order) on the cpu backend, which has the conv filter gradient tfjs-wasm lacks, then cached.
 * Returns the training seconds (0 when cached).
 */
export async function trainedModel(): Promise<{ model: tf.Sequential; trainSeconds: number }> {
  let trainSeconds = 0;
  if (!fs.existsSync(CACHE)) {
    const prev = tf.getBackend();
    await tf.setBackend('cpu');
    const t0 = performance.now();
    const m = buildModel();
    const { x, y } = makeImages(3000, 1);
    const onehot = tf.oneHot(y, CLASSES);
    m.compile({ optimizer: tf.train.adam(2e-3), loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.softmaxCrossEntropy(a, b) });
    await m.fit(x, onehot, {
      epochs: 6,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      callbacks: { onEpochEnd: (e, logs) => void process.stderr.write(`curvature bench: epoch ${e + 1}/6 loss ${logs?.loss?.toFixed(4)}\n`) },
    });
    trainSeconds = (performance.now() - t0) / 1000;
    const weights = m.getWeights().map((w) => ({ shape: w.shape, data: Array.from(w.dataSync()) }));
    fs.mkdirSync(path.dirname(CACHE), { recursive: true });
    fs.writeFileSync(CACHE, JSON.stringify({ version: VERSION, weights }));
    tf.dispose([x, y, onehot]);
    m.dispose();
    await tf.setBackend(prev);
  }
  const saved = JSON.parse(fs.readFileSync(CACHE, 'utf8')) as { weights: { shape: number[]; data: number[] }[] };
  const model = buildModel();
  const ws = saved.weights.map((w) => tf.tensor(w.data, w.shape));
  model.setWeights(ws);
  tf.dispose(ws);
  return { model, trainSeconds };
}
