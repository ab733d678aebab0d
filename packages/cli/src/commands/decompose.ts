/**
 * `tenfold decompose FILE --method cp|tucker|tt|tr|nn-cp --rank R`: decompose one array and
 * write it with core's `saveDecomposition` (`<array>.npy` + `decomposition.json`), the
 * run's `summary.json` and, with `--report`, plots and report.html.
 */
import * as path from 'node:path';
import {
  ArgumentError,
  nonNegativeParafac,
  norm,
  parafac,
  tensorRing,
  tensorTrain,
  tf,
  tucker,
  type CPTensor,
  type TRTensor,
  type TTTensor,
  type TuckerTensor,
} from '@tenfold/core';
import { cpFactorsSvg, errorCurveSvg, reportHtml, type ReportSection } from '../plots/index.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { saveDecomposition } from '@tenfold/core/node';
import { loadOneArray, parseRank, shapeText, sig, writeText } from './common.js';

export const METHODS = ['cp', 'tucker', 'tt', 'tr', 'nn-cp'] as const;
export type Method = (typeof METHODS)[number];

export interface DecomposeArgs {
  file: string;
  method: Method;
  rank: string;
  array?: string;
  report?: boolean;
  nIterMax?: number;
  tol?: number;
  init?: 'svd' | 'random';
  seed?: number;
}

type Model = CPTensor | TuckerTensor | TTTensor | TRTensor;

function run(t: tf.Tensor, a: DecomposeArgs, rank: number | number[], ctx: ComputeContext): { model: Model; errors: number[] } {
  const nIterMax = a.nIterMax ?? 100;
  const iterative = { nIterMax, ...(a.tol !== undefined ? { tol: a.tol } : {}), ...(a.seed !== undefined ? { seed: a.seed } : {}), returnErrors: true as const };
  switch (a.method) {
    case 'cp': {
      if (Array.isArray(rank)) throw new ArgumentError(`--rank for cp must be one integer or a fraction; got '${a.rank}'`);
      const r = parafac(t, rank, { ...iterative, init: a.init ?? 'svd', onProgress: ctx.onProgress, signal: ctx.signal });
      return { model: r.cp, errors: r.errors };
    }
    case 'nn-cp': {
      if (Array.isArray(rank)) throw new ArgumentError(`--rank for nn-cp must be one integer or a fraction; got '${a.rank}'`);
      const r = nonNegativeParafac(t, rank, { ...iterative, init: a.init ?? 'svd', onProgress: ctx.onProgress, signal: ctx.signal });
      return { model: r.cp, errors: r.errors };
    }
    case 'tucker': {
      const r = tucker(t, rank, { ...iterative, init: a.init ?? 'svd', onProgress: ctx.onProgress, signal: ctx.signal });
      return { model: r.tucker, errors: r.errors };
    }
    case 'tt':
      ctx.onProgress({ task: 'tensorTrain', step: 0, total: 1, elapsed: 0 });
      return { model: tensorTrain(t, rank), errors: [] };
    case 'tr':
      ctx.onProgress({ task: 'tensorRing', step: 0, total: 1, elapsed: 0 });
      return { model: tensorRing(t, rank), errors: [] };
    default:
      throw new ArgumentError(`--method must be one of ${METHODS.join(', ')}; got '${String(a.method)}'`);
  }
}

/** The arrays that make up a model, with the file names they are saved under. */
function parts(method: Method, m: Model): { file: string; role: string; tensor: tf.Tensor }[] {
  if (method === 'cp' || method === 'nn-cp') {
    const cp = m as CPTensor;
    return [{ file: 'weights.npy', role: 'weights', tensor: cp.weights }, ...cp.factors.map((f, i) => ({ file: `factors.${i}.npy`, role: `factor ${i}`, tensor: f as tf.Tensor }))];
  }
  if (method === 'tucker') {
    const tk = m as TuckerTensor;
    return [{ file: 'core.npy', role: 'core', tensor: tk.core }, ...tk.factors.map((f, i) => ({ file: `factors.${i}.npy`, role: `factor ${i}`, tensor: f as tf.Tensor }))];
  }
  return (m as TTTensor | TRTensor).cores.map((c, i) => ({ file: `cores.${i}.npy`, role: `core ${i}`, tensor: c as tf.Tensor }));
}

export async function decompose(a: DecomposeArgs, ctx: ComputeContext): Promise<CommandResult> {
  const rank = parseRank(a.rank);
  const { name, tensor } = await loadOneArray(a.file, a.array);
  let model: Model | null = null;
  try {
    const start = performance.now();
    const fit = run(tensor, a, rank, ctx);
    model = fit.model;
    const seconds = (performance.now() - start) / 1000;
    const m = model;
    const relErr = tf.tidy(() => norm(tf.sub(tensor, m.toTensor())) / norm(tensor));
    ctx.throwIfInterrupted();
    const files = parts(a.method, model);
    const params = files.reduce((s, f) => s + f.tensor.size, 0);
    const summary = {
      command: 'decompose',
      file: path.resolve(a.file),
      array: name,
      method: a.method,
      rank: (model as { rank: number | number[] }).rank,
      shape: [...tensor.shape],
      relativeError: relErr,
      iterations: fit.errors.length,
      errors: fit.errors,
      parameters: params,
      compression: tensor.size / params,
      seconds,
      files: files.map((f) => ({ file: f.file, role: f.role, shape: [...f.tensor.shape] })),
      report: [] as string[],
    };
    if (ctx.outDir) {
      // core's format: <array>.npy per factor plus decomposition.json (kind, shape, rank, arrays).
      await saveDecomposition(ctx.outDir, model);
      if (a.report) {
        const sections: ReportSection[] = [
          { heading: 'Result', table: { columns: ['quantity', 'value'], rows: [['method', a.method], ['rank', JSON.stringify(summary.rank)], ['shape', shapeText(summary.shape)], ['relative error', sig(relErr)], ['iterations', summary.iterations], ['parameters', params], ['compression', `${sig(summary.compression)} x`], ['seconds', sig(seconds)]] } },
        ];
        if (fit.errors.length > 0) {
          const svg = errorCurveSvg([{ name: `${a.method} rank ${a.rank}`, errors: fit.errors }], { title: `Convergence of ${a.method} on ${name}` });
          summary.report.push(await writeText(ctx.outDir, 'convergence.svg', svg));
          sections.push({ heading: 'Error against iteration', svg, svgFile: 'convergence.svg' });
        }
        if (a.method === 'cp' || a.method === 'nn-cp') {
          const cp = model as CPTensor;
          const factors = cp.factors.map((f) => ({ values: f.dataSync(), shape: [...f.shape] }));
          const svg = cpFactorsSvg(factors, { title: `CP factors of ${name} (rank ${cp.rank})` });
          summary.report.push(await writeText(ctx.outDir, 'factors.svg', svg));
          sections.push({ heading: 'Factors', text: 'One panel per mode; one line per component (column of the factor matrix).', svg, svgFile: 'factors.svg' });
        }
        sections.push({ heading: 'Files', table: { columns: ['file', 'content', 'shape'], rows: summary.files.map((f) => [f.file, f.role, shapeText(f.shape)]) } });
        summary.report.push(await writeText(ctx.outDir, 'report.html', reportHtml({ title: `tenfold decompose: ${a.method} of ${name}`, meta: [`input ${summary.file}`, `backend ${tf.getBackend()}`], sections })));
      }
      await writeText(ctx.outDir, 'summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    }
    const text = [
      `${a.method} of ${name} ${shapeText(summary.shape)}, rank ${JSON.stringify(summary.rank)}`,
      `relative error ${sig(relErr)}${summary.iterations ? ` after ${summary.iterations} iterations` : ''} (${sig(seconds)} s); ${params} parameters (${sig(summary.compression)}x smaller)`,
      `wrote ${[...files.map((f) => f.file), 'decomposition.json', 'summary.json', ...summary.report].join(', ')}`,
    ].join('\n');
    return { json: summary, text };
  } finally {
    tensor.dispose();
    model?.dispose();
  }
}
