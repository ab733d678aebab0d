/**
 * tfjs model files on disk: a Layers or Graph `model.json`, a bare `*weights_manifest.json`
 * (face-api's format), or a directory holding one of them. This file only finds and
 * classifies the JSON (all `info` needs; no tfjs import); weights and models are read by
 * ./modelWeights.ts through `@tenfold/core/node`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { tf } from '@tenfold/core';
import type { ArrayInfo } from './arrays.js';

/**
 * A typed ArgumentError, with core imported only on this failure path: `tenfold info` on a
 * model reads JSON only and so starts without loading tfjs at all.
 */
async function argumentError(message: string): Promise<Error> {
  return new (await import('@tenfold/core')).ArgumentError(message);
}

async function readJsonText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw await argumentError(`cannot read '${file}': ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : err instanceof Error ? err.message : String(err)}`);
  }
}

export interface ModelFile {
  /** The JSON file that was read. */
  file: string;
  kind: 'layers' | 'graph' | 'manifest';
  /** The model topology of a model.json (absent for a bare manifest). */
  topology?: unknown;
  manifest: tf.io.WeightsManifestConfig;
}

/** True when `p` looks like a tfjs model: a directory, or a `.json` file. */
export async function isModelPath(p: string): Promise<boolean> {
  if (p.toLowerCase().endsWith('.json')) return true;
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Find and parse the model JSON behind `p` (a directory is searched for `model.json`, then for
 * a single `*weights_manifest.json`).
 *
 * @throws ArgumentError naming `p` when nothing (or more than one candidate) is found or the
 *   JSON is not a tfjs model.
 */
export async function readModelFile(p: string): Promise<ModelFile> {
  let file = p;
  let st;
  try {
    st = await fs.stat(p);
  } catch {
    throw await argumentError(`cannot read '${p}': no such file or directory`);
  }
  if (st.isDirectory()) {
    const names = await fs.readdir(p);
    const manifests = names.filter((n) => n.endsWith('weights_manifest.json'));
    if (names.includes('model.json')) file = path.join(p, 'model.json');
    else if (manifests.length === 1) file = path.join(p, manifests[0]);
    else if (manifests.length > 1) throw await argumentError(`'${p}' holds ${manifests.length} weight manifests (${manifests.slice(0, 4).join(', ')}${manifests.length > 4 ? ', ...' : ''}); name one of them`);
    else throw await argumentError(`'${p}' is a directory without a model.json or *weights_manifest.json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readJsonText(file));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw await argumentError(`'${file}' is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (Array.isArray(json) && json.every((g) => g && Array.isArray(g.paths) && Array.isArray(g.weights))) {
    return { file, kind: 'manifest', manifest: json as tf.io.WeightsManifestConfig };
  }
  const obj = json as { modelTopology?: { class_name?: string; node?: unknown }; weightsManifest?: tf.io.WeightsManifestConfig; format?: string };
  if (obj && typeof obj === 'object' && Array.isArray(obj.weightsManifest)) {
    const graph = obj.format === 'graph-model' || (obj.modelTopology !== undefined && 'node' in (obj.modelTopology ?? {}));
    return { file, kind: graph ? 'graph' : 'layers', topology: obj.modelTopology, manifest: obj.weightsManifest };
  }
  throw await argumentError(`'${file}' is not a tfjs model.json (no weightsManifest) nor a weights manifest (an array of { paths, weights })`);
}

/** Names, shapes and dtypes of a model's weights (from the manifest only). */
export function modelWeightInfos(m: ModelFile): ArrayInfo[] {
  return m.manifest.flatMap((g) => g.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype, ...(w.quantization?.dtype ? { quantization: w.quantization.dtype } : {}) })));
}

