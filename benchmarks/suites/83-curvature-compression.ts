/**
 * Issue 12 part 4: test accuracy of a small CNN after `compressModel` replaces its Dense/Conv2D
 * layers by rank-r pairs, at the same ranks (same parameter budget) three ways: `transfer:
 * 'svd'` (truncated SVD), `'als'` (data-aware, factorizeMatrix / factorizeConv2d on the new
 * model's activations) and `'curvature'` (kfacFactors of the original model +
 * curvatureWeightedLowRank). The model is trained once (benchmarks/curvature/task.ts, cached in
 * `.bench-out/curvature/`).
 *
 * compressModel's curvature transfer uses the default damping (1e-3, relative); two extra
 * lines redo the curvature arm at damping 1e-2 and 1e-1 (benchmarks/curvature/transfer.ts,
 * on the SVD arm's architecture, with KFAC factors computed once; their time is its own line).
 * Baseline: the original model's accuracy and prediction time on the same test set, same run.
 */
import { tf } from '@tenfold/core';
import { compressModel, type CompressModelOptions, type KfacFactors } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';
import { accuracy, makeImages, trainedModel } from '../curvature/task.js';
import { curvatureTransfer, modelFactors } from '../curvature/transfer.js';

const CALIBRATION = 1024;
const TEST = 2000;
/** Ranks per budget (conv1, one input channel, stays dense). */
const BUDGETS: Record<string, Record<string, number>> = {
  high: { conv2: 6, fc1: 48, logits: 4 },
  low: { conv2: 4, fc1: 32, logits: 3 },
};

export default async function curvatureCompression(b: Bench): Promise<void> {
  const { model, trainSeconds } = await trainedModel();
  const test = makeImages(TEST, 2);
  const calib = makeImages(CALIBRATION, 3);
  let base = NaN;
  const predictSeconds = await b.time(() => {
    base = accuracy(model, test.x, test.y);
  });
  const paramsBefore = model.countParams();
  b.emit({ workload: 'curvature_cnn_original', seconds: predictSeconds, accuracy: Number(base.toFixed(4)), params: paramsBefore, trainSeconds: Number(trainSeconds.toFixed(1)), testImages: TEST });
  let factors = new Map<string, KfacFactors>();
  const kfacSeconds = await b.time(
    () => {
      factors = modelFactors(model, Object.keys(BUDGETS.high), calib);
    },
    { repeats: 1, warmup: 0 },
  );
  b.emit({ workload: `curvature_cnn_kfac_factors_3layers_N${CALIBRATION}`, seconds: kfacSeconds, ratioToPredict: Number((kfacSeconds / predictSeconds).toFixed(1)) });

  for (const [budget, ranks] of Object.entries(BUDGETS)) {
    const layers: CompressModelOptions['layers'] = { conv1: false };
    for (const [name, rank] of Object.entries(ranks)) layers[name] = { rank };
    const arms: ['svd' | 'als' | 'curvature', number | undefined][] = [['svd', undefined], ['als', undefined], ['curvature', undefined], ['curvature', 1e-2], ['curvature', 1e-1]];
    for (const [transfer, damping] of arms) {
      let acc = NaN;
      let params = 0;
      let got = '';
      const secs = await b.time(
        () => {
          const calibration = transfer === 'svd' ? null : { inputs: calib.x, targets: calib.y, loss: 'crossEntropy' as const };
          // The damping sweep re-weights the SVD arm's pairs with the precomputed factors.
          const res = compressModel(model, { layers, transfer: damping === undefined ? transfer : 'svd', calibration: damping === undefined ? calibration : null });
          if (damping !== undefined) curvatureTransfer(model, res, factors, damping);
          acc = accuracy(res.model, test.x, test.y);
          params = res.model.countParams();
          got = res.report.map((r) => `${r.layer}:${r.replaced ? `${r.rank}/${damping === undefined ? r.transfer : 'curvature'}` : '-'}`).join(' ');
          res.model.dispose();
        },
        { repeats: 1, warmup: 0 },
      );
      b.emit({
        workload: `curvature_cnn_${transfer}${damping === undefined ? '' : `_damping${damping}`}_${budget}`,
        seconds: secs,
        accuracy: Number(acc.toFixed(4)),
        accuracyDrop: Number((base - acc).toFixed(4)),
        paramsRatio: Number((params / paramsBefore).toFixed(3)),
        layers: got,
        ratioToPredict: Number((secs / predictSeconds).toFixed(1)),
      });
    }
  }
  for (const f of factors.values()) tf.dispose([f.inputFactor, f.outputFactor]);
  tf.dispose([test.x, test.y, calib.x, calib.y]);
  model.dispose();
}
