/**
 * `tenfold sweep FILE --method cp --ranks 1..10 --restarts 5`: core's `selectRank` over a range
 * of CP ranks: fit error, core consistency and restart stability per rank.
 */
import * as path from 'node:path';
import { ArgumentError, selectRank, tf } from '@tenfold/core';
import { rankSweepSvg, reportHtml } from '../plots/index.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { formatTable, loadOneArray, parseRanks, shapeText, sig, writeText } from './common.js';

export interface SweepArgs {
  file: string;
  method: string;
  ranks: string;
  restarts?: number;
  array?: string;
  report?: boolean;
  nIterMax?: number;
  tol?: number;
  seed?: number;
}

export async function sweep(a: SweepArgs, ctx: ComputeContext): Promise<CommandResult> {
  if (a.method !== 'cp') throw new ArgumentError(`--method for sweep must be 'cp' (core consistency is defined for CP); got '${a.method}'`);
  const ranks = parseRanks(a.ranks);
  const { name, tensor } = await loadOneArray(a.file, a.array);
  const start = performance.now();
  let diags;
  try {
    diags = selectRank(tensor, ranks, {
      nRestarts: a.restarts ?? 5,
      ...(a.seed !== undefined ? { seed: a.seed } : {}),
      ...(a.nIterMax !== undefined ? { nIterMax: a.nIterMax } : {}),
      ...(a.tol !== undefined ? { tol: a.tol } : {}),
      signal: ctx.signal,
      onProgress: ctx.onProgress,
    });
  } finally {
    tensor.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  const rows = diags.map((d) => ({ rank: d.rank, error: d.error, restartErrors: d.restartErrors, coreConsistency: d.coreConsistency, stability: d.stability }));
  const columns = ['rank', 'error (best)', 'error (worst)', 'core consistency (%)', 'stability'];
  const tableRows = rows.map((r) => [r.rank, sig(r.error), sig(Math.max(...r.restartErrors)), sig(r.coreConsistency), sig(r.stability)]);
  const json = { command: 'sweep', file: path.resolve(a.file), array: name, shape: [...tensor.shape], method: a.method, restarts: a.restarts ?? 5, ranks: rows, seconds, report: [] as string[] };
  if (ctx.outDir) {
    if (a.report) {
      const svg = rankSweepSvg(rows, { title: `CP rank sweep of ${name} ${shapeText(json.shape)}` });
      json.report.push(await writeText(ctx.outDir, 'sweep.svg', svg));
      json.report.push(
        await writeText(ctx.outDir, 'report.html', reportHtml({
          title: `tenfold sweep: ${name}`,
          meta: [`input ${json.file}`, `backend ${tf.getBackend()}`, `${json.restarts} restarts per rank, ${sig(seconds)} s`],
          sections: [
            { heading: 'Error and core consistency against rank', svg, svgFile: 'sweep.svg', text: 'A sound rank has a low error that stops improving, core consistency near 100 % and stability near 1.' },
            { heading: 'Diagnostics', table: { columns, rows: tableRows } },
          ],
        })),
      );
    }
    await writeText(ctx.outDir, 'sweep.json', `${JSON.stringify(json, null, 2)}\n`);
  }
  const text = [`CP rank sweep of ${name} ${shapeText(json.shape)}, ${json.restarts} restarts per rank`, formatTable(columns, tableRows), `${sig(seconds)} s${ctx.outDir ? `; wrote ${['sweep.json', ...json.report].join(', ')}` : ''}`].join('\n');
  return { json, text };
}
