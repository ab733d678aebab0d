/**
 * `tenfold compress MODEL --rank evbmf|FRACTION [--budget params=0.3] [--calibration FILE]
 * --out DIR`: factorize the Dense / Conv2D layers of a tfjs Layers model and save the new
 * model with a per-layer report.
 *
 * Uses `compressModel` from @tenfold/factorized-layers when it is there (issue 14 part 2:
 * EVBMF ranks, parameter budgets, progress and abort); until then a FRACTION rank runs
 * `applyFactorization` (Composer's split, SVD or data-aware with calibration data) and
 * `evbmf` / `--budget` report that they need compressModel.
 */
import * as path from 'node:path';
import * as fl from '@tenfold/factorized-layers';
import { ArgumentError, NotSupportedError, RankError, tf } from '@tenfold/core';
import { compressionSvg, reportHtml, type LayerCompression } from '../plots/index.js';
import { loadLayersModel, readModelFile, saveLayersModel } from '../files/model.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { formatTable, loadOneArray, sig, writeText } from './common.js';

export interface CompressArgs {
  model: string;
  rank: string;
  budget?: string;
  calibration?: string;
  minSize?: number;
  report?: boolean;
}

/** `params=0.3` -> `{ params: 0.3 }`. */
export function parseBudget(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*(params|flops)\s*=\s*([0-9.eE+-]+)\s*$/.exec(part);
    if (!m || !(Number(m[2]) > 0 && Number(m[2]) <= 1)) throw new ArgumentError(`--budget must look like params=0.3 or flops=0.5 (a fraction in (0, 1] of the original); got '${text}'`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

interface CompressOutcome {
  model: tf.LayersModel;
  layers: (LayerCompression & { replaced: boolean; rank: number | null; reason: string })[];
}

type CompressModelFn = (model: tf.LayersModel, opts: Record<string, unknown>) => { model: tf.LayersModel; report: unknown } | Promise<{ model: tf.LayersModel; report: unknown }>;

async function runCompression(model: tf.LayersModel, a: CompressArgs, rank: 'evbmf' | number, budget: Record<string, number> | undefined, data: tf.Tensor | undefined, ctx: ComputeContext): Promise<CompressOutcome> {
  const compressModel = (fl as unknown as { compressModel?: CompressModelFn }).compressModel;
  if (compressModel) {
    const r = await compressModel(model, { rank, ...(budget ? { budget } : {}), ...(data ? { calibration: data } : {}), onProgress: ctx.onProgress, signal: ctx.signal });
    const rep = r.report as { layers?: unknown[] } | unknown[];
    const layers = (Array.isArray(rep) ? rep : (rep.layers ?? [])) as CompressOutcome['layers'];
    return { model: r.model, layers };
  }
  if (rank === 'evbmf' || budget) throw new NotSupportedError(`${rank === 'evbmf' ? '--rank evbmf' : '--budget'} needs compressModel from @tenfold/factorized-layers, which this build does not have yet; use --rank FRACTION (e.g. 0.25)`);
  const min = a.minSize ?? 1;
  const r = fl.applyFactorization(model, { latentFeatures: rank, latentChannels: rank, minFeatures: min, minChannels: min, ...(data ? { data } : {}) });
  return { model: r.model, layers: r.report };
}

export async function compress(a: CompressArgs, ctx: ComputeContext): Promise<CommandResult> {
  const rank = a.rank === 'evbmf' ? 'evbmf' : Number(a.rank);
  if (rank !== 'evbmf' && !(Number.isFinite(rank) && rank > 0 && (rank < 1 || Number.isInteger(rank)))) throw new RankError(`--rank must be 'evbmf', a fraction in (0, 1) or a positive integer; got '${a.rank}'`);
  const budget = a.budget !== undefined ? parseBudget(a.budget) : undefined;
  const total = 3;
  const start = performance.now();
  const step = (n: number, stage: string) => ctx.onProgress({ task: 'compress', step: n, total, elapsed: (performance.now() - start) / 1000, stage });
  step(0, 'load');
  const m = await readModelFile(a.model);
  const model = await loadLayersModel(m);
  const data = a.calibration ? (await loadOneArray(a.calibration)).tensor : undefined;
  let out: CompressOutcome | null = null;
  try {
    step(1, 'factorize');
    out = await runCompression(model, a, rank, budget, data, ctx);
    ctx.throwIfInterrupted();
    step(2, 'save');
    const layers = out.layers;
    const sum = (k: 'paramsBefore' | 'paramsAfter' | 'flopsBefore' | 'flopsAfter') => layers.reduce((s, l) => s + l[k], 0);
    const json = {
      command: 'compress',
      model: path.resolve(m.file),
      rank,
      ...(budget ? { budget } : {}),
      calibration: a.calibration ? path.resolve(a.calibration) : null,
      layers,
      totals: { paramsBefore: sum('paramsBefore'), paramsAfter: sum('paramsAfter'), flopsBefore: sum('flopsBefore'), flopsAfter: sum('flopsAfter') },
      files: [] as string[],
      seconds: 0,
    };
    const columns = ['layer', 'replaced', 'rank', 'params before', 'params after', 'FLOPs before', 'FLOPs after', 'weight error', 'output NMSE'];
    const rows = layers.map((l) => [l.layer, l.replaced ? 'yes' : 'no', l.rank ?? '-', l.paramsBefore, l.paramsAfter, l.flopsBefore, l.flopsAfter, sig(l.weightError), sig(l.nmse)]);
    if (ctx.outDir) {
      json.files.push(...(await saveLayersModel(out.model, ctx.outDir)));
      if (a.report && layers.length > 0) {
        const svg = compressionSvg(layers, { title: `Compression of ${path.basename(a.model)}` });
        json.files.push(await writeText(ctx.outDir, 'compression.svg', svg));
        json.files.push(
          await writeText(ctx.outDir, 'report.html', reportHtml({
            title: `tenfold compress: ${path.basename(a.model)}`,
            meta: [`input ${json.model}`, `rank ${rank}${budget ? `, budget ${a.budget}` : ''}${a.calibration ? `, calibration ${a.calibration}` : ''}`, `backend ${tf.getBackend()}`],
            sections: [
              { heading: 'Per-layer compression', svg, svgFile: 'compression.svg' },
              { heading: 'Layers', table: { columns, rows } },
            ],
          })),
        );
      }
      json.seconds = (performance.now() - start) / 1000;
      json.files.push(await writeText(ctx.outDir, 'compression.json', `${JSON.stringify(json, null, 2)}\n`));
    }
    step(3, 'done');
    const t = json.totals;
    const text = [
      formatTable(columns, rows),
      `parameters ${t.paramsBefore} -> ${t.paramsAfter} (${sig(t.paramsAfter / t.paramsBefore)}), FLOPs ${t.flopsBefore} -> ${t.flopsAfter} (${sig(t.flopsAfter / t.flopsBefore)})`,
      `wrote ${json.files.join(', ')}`,
    ].join('\n');
    return { json, text };
  } finally {
    model.dispose();
    out?.model.dispose();
    data?.dispose();
  }
}
