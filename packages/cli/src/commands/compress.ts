/**
 * `tenfold compress MODEL --rank evbmf|FRACTION [--budget params=0.3] [--calibration FILE]
 * --out DIR`: `compressModel` of @tenfold/factorized-layers on a tfjs Layers model (each Dense /
 * Conv2D becomes a low-rank pair; EVBMF or fractional ranks, or a parameter / FLOP budget;
 * data-aware ALS transfer with a calibration batch), then the new model and a per-layer report.
 */
import * as path from 'node:path';
import * as fl from '@tenfold/factorized-layers';
import { ArgumentError, RankError, tf } from '@tenfold/core';
import { compressionSvg, reportHtml } from '../plots/index.js';
import { fileHandler } from '@tenfold/core/node';
import { readModelFile } from '../files/model.js';
import { loadLayersModel } from '../files/modelWeights.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { formatTable, loadOneArray, sig, writeText } from './common.js';

export interface CompressArgs {
  model: string;
  rank?: string;
  budget?: string;
  calibration?: string;
  report?: boolean;
}

/** `params=0.3` -> `{ params: 0.3 }`; `flops=0.5` -> `{ flops: 0.5 }`. */
export function parseBudget(text: string): { params: number } | { flops: number } {
  const m = /^\s*(params|flops)\s*=\s*([0-9.eE+-]+)\s*$/.exec(text);
  if (!m || !(Number(m[2]) > 0 && Number(m[2]) <= 1)) throw new ArgumentError(`--budget must be params=F or flops=F with F a fraction in (0, 1] of the original; got '${text}'`);
  return m[1] === 'params' ? { params: Number(m[2]) } : { flops: Number(m[2]) };
}

export async function compress(a: CompressArgs, ctx: ComputeContext): Promise<CommandResult> {
  if (a.rank !== undefined && a.budget !== undefined) throw new ArgumentError('give --rank or --budget, not both (a budget chooses the ranks)');
  const rankText = a.rank ?? (a.budget === undefined ? '0.25' : undefined);
  const rank = rankText === undefined ? undefined : rankText === 'evbmf' ? 'evbmf' : Number(rankText);
  if (rank !== undefined && rank !== 'evbmf' && !(Number.isFinite(rank) && rank > 0 && (rank <= 1 || Number.isInteger(rank)))) throw new RankError(`--rank must be 'evbmf', a fraction in (0, 1] of the full rank or a positive integer; got '${a.rank}'`);
  const budget = a.budget !== undefined ? parseBudget(a.budget) : undefined;
  const total = 3;
  const start = performance.now();
  const step = (n: number, stage: string) => ctx.onProgress({ task: 'compress', step: n, total, elapsed: (performance.now() - start) / 1000, stage });
  step(0, 'load');
  const m = await readModelFile(a.model);
  const model = await loadLayersModel(m);
  const data = a.calibration ? (await loadOneArray(a.calibration)).tensor : undefined;
  let out: { model: tf.LayersModel } | null = null;
  try {
    step(1, 'factorize');
    const r = fl.compressModel(model, {
      ...(rank !== undefined ? { rank } : {}),
      ...(budget ? { budget } : {}),
      ...(data ? { calibration: { inputs: data } } : {}),
      quiet: true,
      onProgress: ctx.onProgress,
      signal: ctx.signal,
    });
    out = r;
    ctx.throwIfInterrupted();
    step(2, 'save');
    const layers = r.report;
    
    const json = {
      command: 'compress',
      model: path.resolve(m.file),
      rank: rank ?? null,
      ...(budget ? { budget } : {}),
      calibration: a.calibration ? path.resolve(a.calibration) : null,
      layers,
      totals: r.summary,
      files: [] as string[],
      seconds: 0,
    };
    const columns = ['layer', 'replaced', 'rank', 'params before', 'params after', 'FLOPs before', 'FLOPs after', 'weight error', 'output error'];
    const rows = layers.map((l) => [l.layer, l.replaced ? 'yes' : 'no', l.rank === null ? '-' : Array.isArray(l.rank) ? l.rank.join('x') : l.rank, l.paramsBefore, l.paramsAfter, l.flopsBefore, l.flopsAfter, sig(l.weightError), sig(l.outputError)]);
    if (ctx.outDir) {
      // core's file handler: model.json + group1-shard1of1.bin, the tfjs-node layout.
      await out.model.save(fileHandler(ctx.outDir));
      json.files.push('model.json', 'group1-shard1of1.bin');
      if (a.report && layers.length > 0) {
        const svg = compressionSvg(layers, { title: `Compression of ${path.basename(a.model)}` });
        json.files.push(await writeText(ctx.outDir, 'compression.svg', svg));
        json.files.push(
          await writeText(ctx.outDir, 'report.html', reportHtml({
            title: `tenfold compress: ${path.basename(a.model)}`,
            meta: [`input ${json.model}`, `${rank !== undefined ? `rank ${rank}` : `budget ${a.budget}`}${a.calibration ? `, calibration ${a.calibration}` : ''}`, `backend ${tf.getBackend()}`],
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
