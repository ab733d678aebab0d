/**
 * `tenfold rank MODEL|FILE`: EVBMF ranks (modes 0 and 1) of every Dense / Conv weight of a
 * tfjs model, or of every array of a weights file; spectra with `--report`.
 */
import * as path from 'node:path';
import { tf } from '@tenfold/core';
import { estimateRank, type EstimateRankResult } from '@tenfold/rank';
import { reportHtml, spectraSvg } from '../plots/index.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { formatTable, shapeText, sig, writeText } from './common.js';
import { layerWeights } from './layers.js';

export interface RankArgs {
  target: string;
  report?: boolean;
  roundTo?: number;
}

export interface LayerRank {
  layer: string;
  kind: string;
  shape: number[];
  /** EVBMF rank of the mode-0 (output) and mode-1 (input) unfoldings. */
  ranks: number[];
  rank: number;
  maxRank: number;
  sigma2: number[];
  seconds: number;
  reason?: string;
}

export async function rank(a: RankArgs, ctx: ComputeContext): Promise<CommandResult> {
  const lw = await layerWeights(a.target);
  const rows: LayerRank[] = [];
  const spectra: { layer: string; result: EstimateRankResult }[] = [];
  const start = performance.now();
  try {
    ctx.onProgress({ task: 'estimateRank', step: 0, total: lw.layers.length, elapsed: 0 });
    for (const [i, l] of lw.layers.entries()) {
      ctx.throwIfInterrupted();
      const t0 = performance.now();
      const r = estimateRank(l.weight, { roundTo: a.roundTo ?? 1, signal: ctx.signal });
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ layer: l.name, kind: l.kind, shape: [...l.weight.shape], ranks: r.ranks, rank: r.rank, maxRank: r.maxRank, sigma2: r.perMode.map((p) => p.sigma2), seconds, ...(r.reason ? { reason: r.reason } : {}) });
      if (a.report) spectra.push({ layer: l.name, result: r });
      ctx.onProgress({ task: 'estimateRank', step: i + 1, total: lw.layers.length, elapsed: (performance.now() - start) / 1000, stage: l.name });
    }
  } finally {
    tf.dispose(lw.layers.map((l) => l.weight));
  }
  const seconds = (performance.now() - start) / 1000;
  const columns = ['layer', 'shape', 'mode-0 rank', 'mode-1 rank', 'rank', 'sigma2 (mode 0)', 'sigma2 (mode 1)', 'time (ms)'];
  const tableRows = rows.map((r) => [r.layer, shapeText(r.shape), r.ranks[0], r.ranks[1], r.rank, sig(r.sigma2[0]), sig(r.sigma2[1]), (1000 * r.seconds).toFixed(1)]);
  const json = { command: 'rank', target: path.resolve(a.target), source: lw.source, layers: rows, skipped: lw.skipped, seconds, report: [] as string[] };
  if (ctx.outDir && a.report && spectra.length > 0) {
    for (const mode of [0, 1]) {
      const svg = spectraSvg(spectra.map((s) => ({ name: s.layer, spectrum: s.result.perMode[mode] })), { title: `Mode-${mode} spectra and EVBMF thresholds` });
      json.report.push(await writeText(ctx.outDir, `spectra_mode${mode}.svg`, svg));
    }
    const html = reportHtml({
      title: `tenfold rank: ${path.basename(a.target)}`,
      meta: [`input ${json.target} (${lw.source})`, `backend ${tf.getBackend()}`, `${rows.length} layers in ${sig(seconds)} s`],
      sections: [
        { heading: 'EVBMF ranks', table: { columns, rows: tableRows } },
        { heading: 'Mode-0 (output) spectra', svg: spectraSvg(spectra.map((s) => ({ name: s.layer, spectrum: s.result.perMode[0] }))), svgFile: 'spectra_mode0.svg' },
        { heading: 'Mode-1 (input) spectra', svg: spectraSvg(spectra.map((s) => ({ name: s.layer, spectrum: s.result.perMode[1] }))), svgFile: 'spectra_mode1.svg' },
        ...(lw.skipped.length ? [{ heading: 'Skipped weights', table: { columns: ['weight', 'shape', 'why'], rows: lw.skipped.map((s) => [s.name, shapeText(s.shape), s.why]) } }] : []),
      ],
    });
    json.report.push(await writeText(ctx.outDir, 'report.html', html));
  }
  if (ctx.outDir) await writeText(ctx.outDir, 'ranks.json', `${JSON.stringify(json, null, 2)}\n`);
  const text = [
    formatTable(columns, tableRows),
    `${rows.length} layers in ${sig(seconds)} s${lw.skipped.length ? `; ${lw.skipped.length} weights skipped (biases, depthwise filters)` : ''}`,
    ...(ctx.outDir ? [`wrote ${[...json.report, 'ranks.json'].join(', ')}`] : []),
  ].join('\n');
  return { json, text };
}
