/**
 * The damping sweep of the compression benchmark: re-weight the pairs of an SVD-split model
 * with curvature-weighted factors at a chosen damping, reusing KFAC factors computed once
 * (`compressModel(model, { transfer: 'curvature' })` has no damping option and recomputes them).
 */
import { tf } from '@tenfold/core';
import { curvatureWeightedLowRank, kfacFactors, type KfacFactors } from '@tenfold/factorized-layers';

/** The part of a compressModel / applyFactorization result used here. */
interface SplitModel {
  model: tf.LayersModel;
  report: { layer: string; replaced: boolean; rank: number | number[] | null; className: string; outFeatures: number }[];
}

/** KFAC factors (cross-entropy, type-2) of the named layers of the original model. */
export function modelFactors(original: tf.LayersModel, layers: string[], calib: { x: tf.Tensor; y: tf.Tensor }): Map<string, KfacFactors> {
  const out = new Map<string, KfacFactors>();
  for (const name of layers) out.set(name, kfacFactors(original, name, calib.x, calib.y, { loss: 'crossEntropy' }));
  return out;
}

/**
 * Overwrite the `_a` / `_b` pairs of an SVD-split model (same architecture and ranks) with
 * curvature-weighted factors of the original layers.
 */
export function curvatureTransfer(original: tf.LayersModel, split: SplitModel, factors: Map<string, KfacFactors>, damping?: number): void {
  for (const rep of split.report) {
    if (!rep.replaced || typeof rep.rank !== 'number') continue;
    const [kernel, bias] = original.getLayer(rep.layer).getWeights();
    const f = factors.get(rep.layer);
    if (!f) throw new Error(`no KFAC factors for layer ${rep.layer}`);
    // A Conv2D kernel (kh, kw, in, out) goes to (out, in, kh, kw), the layout of A's (c, kh, kw) columns.
    const w = rep.className === 'Conv2D' ? tf.transpose(kernel, [3, 2, 0, 1]) : kernel;
    const sol = curvatureWeightedLowRank(w, f.inputFactor, f.outputFactor, rep.rank, { bias: bias ?? null, ...(damping === undefined ? {} : { damping }) });
    const [ka, kb] = tf.tidy(() => (rep.className === 'Conv2D' ? [tf.transpose(sol.wa, [2, 3, 1, 0]), tf.transpose(sol.wb!, [2, 3, 1, 0])] : [tf.clone(sol.wa), tf.clone(sol.wb!)]));
    const nb = sol.bias ?? tf.zeros([rep.outFeatures]);
    split.model.getLayer(`${rep.layer}_a`).setWeights([ka]);
    split.model.getLayer(`${rep.layer}_b`).setWeights([kb, nb]);
    tf.dispose([ka, kb]);
    if (w !== kernel) w.dispose();
    if (!sol.bias) nb.dispose();
    sol.dispose();
  }
}
