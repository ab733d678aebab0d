/**
 * The curvature arm of the compression benchmark: per-layer replacement done here until
 * `compressModel(model, { transfer: 'curvature' })` lands in main.
 */
import { tf } from '@tenfold/core';
import { curvatureWeightedLowRank, kfacFactors, type FactorizationResult } from '@tenfold/factorized-layers';

/** Overwrite the `_a` / `_b` pairs of an SVD-split model with curvature-weighted factors. */
export function curvatureTransfer(original: tf.Sequential, split: FactorizationResult, calib: { x: tf.Tensor; y: tf.Tensor }, damping?: number): void {
  for (const rep of split.report) {
    if (!rep.replaced || rep.rank === null) continue;
    const layer = original.getLayer(rep.layer);
    const [kernel, bias] = layer.getWeights();
    const { inputFactor, outputFactor } = kfacFactors(original, rep.layer, calib.x, calib.y, { loss: 'crossEntropy' });
    // A Conv2D kernel (kh, kw, in, out) goes to (out, in, kh, kw), the layout of A's (c, kh, kw) columns.
    const w = rep.className === 'Conv2D' ? tf.transpose(kernel, [3, 2, 0, 1]) : kernel;
    const sol = curvatureWeightedLowRank(w, inputFactor, outputFactor, rep.rank, { bias: bias ?? null, ...(damping === undefined ? {} : { damping }) });
    const [ka, kb] = tf.tidy(() => (rep.className === 'Conv2D' ? [tf.transpose(sol.wa, [2, 3, 1, 0]), tf.transpose(sol.wb!, [2, 3, 1, 0])] : [tf.clone(sol.wa), tf.clone(sol.wb!)]));
    const nb = sol.bias ?? tf.zeros([rep.outFeatures]);
    split.model.getLayer(`${rep.layer}_a`).setWeights([ka]);
    split.model.getLayer(`${rep.layer}_b`).setWeights([kb, nb]);
    tf.dispose([inputFactor, outputFactor, ka, kb]);
    if (w !== kernel) w.dispose();
    if (!sol.bias) nb.dispose();
    sol.dispose();
  }
}
