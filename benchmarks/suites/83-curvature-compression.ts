/**
 * Issue 12 part 4: test accuracy of a small CNN after replacing each Dense/Conv2D layer by a
 * rank-r pair, at the same ranks (same parameter budget) three ways: truncated SVD,
 * data-aware ALS (`applyFactorization` with data, i.e. `factorizeMatrix`/`factorizeConv2d`),
 * and curvature-weighted (`kfacFactors` + `curvatureWeightedLowRank`). The model is trained
 * once (benchmarks/curvature/task.ts, cached in `.bench-out/curvature/`).
 *
 * The SVD and ALS arms are `applyFactorization`; the curvature arm takes the SVD arm's model
 * (same architecture and ranks) and overwrites each pair with the curvature-weighted factors,
 * computed per layer on the original model (once; their time is its own line; damping 1e-3 is
 * the default, 1e-2 and 1e-1 are extra lines). Until `compressModel` lands in main this does the
 * per-layer replacement itself. Baseline: the original model's accuracy and prediction time
 * on the same test set, in the same run.
 */
import { tf } from '@tenfold/core';
import { applyFactorization, type KfacFactors } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';
import { accuracy, makeImages, trainedModel } from '../curvature/task.js';
import { curvatureTransfer, modelFactors } from '../curvature/transfer.js';

const CALIBRATION = 1024;
const TEST = 2000;

export default async function curvatureCompression(b: Bench): Promise<void> {
  const { model, trainSeconds } = await trainedModel();
  const test = makeImages(TEST, 2);
  const calib = makeImages(CALIBRATION, 3);
  let base = NaN;
  const predictSeconds = await b.time(() => {
    base = accuracy(model, test.x, test.y);
  });
  const paramsBefore = model.countParams();
  let factors = new Map<string, KfacFactors>();
  // The layers the splits below replace (min(in, out) >= 2: all but conv1).
  const layers = model.layers.filter((l) => ['Dense', 'Conv2D'].includes(l.getClassName()) && Math.min(...l.getWeights()[0].shape.slice(-2)) >= 2).map((l) => l.name);
  const kfacSeconds = await b.time(
    () => {
      factors = modelFactors(model, layers, calib);
    },
    { repeats: 1, warmup: 0 },
  );
  b.emit({ workload: `curvature_cnn_kfac_factors_${layers.length}layers_N${CALIBRATION}`, seconds: kfacSeconds, ratioToPredict: Number((kfacSeconds / predictSeconds).toFixed(1)) });
  b.emit({ workload: 'curvature_cnn_original', seconds: predictSeconds, accuracy: Number(base.toFixed(4)), params: paramsBefore, trainSeconds: Number(trainSeconds.toFixed(1)), testImages: TEST });

  for (const latent of [0.75, 0.5]) {
    // minChannels 2 leaves conv1 (one input channel, 9 x 8 weights) alone.
    const opts = { minFeatures: 1, minChannels: 2, latentFeatures: latent, latentChannels: latent };
    const arms: ['svd' | 'als' | 'curvature', number | undefined][] = [['svd', undefined], ['als', undefined], ['curvature', undefined], ['curvature', 1e-2], ['curvature', 1e-1]];
    for (const [method, damping] of arms) {
      let acc = NaN;
      let params = 0;
      let ranks = '';
      const secs = await b.time(
        () => {
          const res = applyFactorization(model, method === 'als' ? { ...opts, data: calib.x } : opts);
          if (method === 'curvature') curvatureTransfer(model, res, factors, damping);
          acc = accuracy(res.model, test.x, test.y);
          params = res.model.countParams();
          ranks = res.report.map((r) => `${r.layer}:${r.rank ?? '-'}`).join(' ');
          res.model.dispose();
        },
        { repeats: 1, warmup: 0 },
      );
      b.emit({
        workload: `curvature_cnn_${method}${damping === undefined ? '' : `_damping${damping}`}_latent${latent}`,
        seconds: secs,
        accuracy: Number(acc.toFixed(4)),
        accuracyDrop: Number((base - acc).toFixed(4)),
        paramsRatio: Number((params / paramsBefore).toFixed(3)),
        ranks,
        ratioToPredict: Number((secs / predictSeconds).toFixed(1)),
      });
    }
  }
  for (const f of factors.values()) tf.dispose([f.inputFactor, f.outputFactor]);
  tf.dispose([test.x, test.y, calib.x, calib.y]);
  model.dispose();
}
