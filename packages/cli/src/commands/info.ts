/**
 * `tenfold info FILE`: names, shapes and dtypes of the arrays of a weights file or the weights
 * of a tfjs model, read from headers / manifests only. Runs on the main thread (no worker, no
 * backend); a model's JSON is read without loading tfjs.
 */
import * as path from 'node:path';
import type { ArrayInfo } from '../files/arrays.js';
import { isModelPath, modelWeightInfos, readModelFile } from '../files/model.js';
import type { ComputeContext } from '../run/context.js';
import type { CommandResult } from '../run/protocol.js';
import { formatTable, shapeText } from './format.js';

export async function info(a: { file: string }, _ctx: ComputeContext): Promise<CommandResult> {
  let kind: string;
  let arrays: ArrayInfo[];
  if (await isModelPath(a.file)) {
    const m = await readModelFile(a.file);
    kind = m.kind === 'manifest' ? 'tfjs weights manifest' : `tfjs ${m.kind} model`;
    arrays = modelWeightInfos(m);
  } else {
    // Array headers need core's parsers (and so tfjs, but no backend); a model needs neither.
    const { arrayInfos } = await import('../files/arrays.js');
    arrays = await arrayInfos(a.file);
    kind = path.extname(a.file).slice(1);
  }
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const total = arrays.reduce((s, x) => s + size(x.shape), 0);
  const json = { command: 'info', file: path.resolve(a.file), kind, arrays: arrays.map((x) => ({ ...x, size: size(x.shape) })), totalSize: total };
  const rows = arrays.map((x) => [x.name, shapeText(x.shape), x.dtype + (x.quantization ? ` (stored ${x.quantization})` : ''), size(x.shape)]);
  const text = [`${a.file}: ${kind}, ${arrays.length} arrays, ${total} values`, formatTable(['name', 'shape', 'dtype', 'size'], rows)].join('\n');
  return { json, text };
}
