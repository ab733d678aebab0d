import * as tf from '@tensorflow/tfjs';

/** Overwrite every weight with a seeded normal draw (kernels scaled by 1/sqrt(fan_in)). */
export function seedWeights(m: tf.LayersModel, seed: number): void {
  let s = seed;
  for (const layer of m.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const next = ws.map((w) => tf.tidy(() => (w.rank === 1 ? tf.randomNormal(w.shape, 0, 0.1, 'float32', s++) : tf.randomNormal(w.shape, 0, 1 / Math.sqrt(w.size / w.shape[w.rank - 1]), 'float32', s++))));
    layer.setWeights(next);
    tf.dispose(next);
  }
}
