/**
 * tfjs model files on disk: a Layers or Graph `model.json`, a bare `*weights_manifest.json`
 * (face-api's format), or a directory holding one of them; plus saving a Layers model.
 *
 * Stands in for the `file://` handlers that the io work adds to `@tenfold/core/node`; every
 * reader here builds `tf.io.ModelArtifacts` and hands them to tfjs (`tf.io.fromMemory`,
 * `tf.io.decodeWeights`), so switching is one import.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ArgumentError, NotSupportedError, tf } from '@tenfold/core';
import { readBytes, type ArrayInfo } from './arrays.js';

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
    throw new ArgumentError(`cannot read '${p}': no such file or directory`);
  }
  if (st.isDirectory()) {
    const names = await fs.readdir(p);
    const manifests = names.filter((n) => n.endsWith('weights_manifest.json'));
    if (names.includes('model.json')) file = path.join(p, 'model.json');
    else if (manifests.length === 1) file = path.join(p, manifests[0]);
    else if (manifests.length > 1) throw new ArgumentError(`'${p}' holds ${manifests.length} weight manifests (${manifests.slice(0, 4).join(', ')}${manifests.length > 4 ? ', ...' : ''}); name one of them`);
    else throw new ArgumentError(`'${p}' is a directory without a model.json or *weights_manifest.json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await readBytes(file)));
  } catch (err) {
    if (err instanceof ArgumentError) throw err;
    throw new ArgumentError(`'${file}' is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (Array.isArray(json) && json.every((g) => g && Array.isArray(g.paths) && Array.isArray(g.weights))) {
    return { file, kind: 'manifest', manifest: json as tf.io.WeightsManifestConfig };
  }
  const obj = json as { modelTopology?: { class_name?: string; node?: unknown }; weightsManifest?: tf.io.WeightsManifestConfig; format?: string };
  if (obj && typeof obj === 'object' && Array.isArray(obj.weightsManifest)) {
    const graph = obj.format === 'graph-model' || (obj.modelTopology !== undefined && 'node' in (obj.modelTopology ?? {}));
    return { file, kind: graph ? 'graph' : 'layers', topology: obj.modelTopology, manifest: obj.weightsManifest };
  }
  throw new ArgumentError(`'${file}' is not a tfjs model.json (no weightsManifest) nor a weights manifest (an array of { paths, weights })`);
}

/** Names, shapes and dtypes of a model's weights (from the manifest only). */
export function modelWeightInfos(m: ModelFile): ArrayInfo[] {
  return m.manifest.flatMap((g) => g.weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype, ...(w.quantization?.dtype ? { quantization: w.quantization.dtype } : {}) })));
}

async function groupBuffers(m: ModelFile, group: tf.io.WeightsManifestConfig[number]): Promise<ArrayBuffer> {
  const dir = path.dirname(m.file);
  const parts = await Promise.all(group.paths.map((p) => readBytes(path.join(dir, p))));
  const total = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of parts) {
    out.set(b, off);
    off += b.length;
  }
  return out.buffer;
}

/** Decode (and dequantise) every weight of the model; the caller disposes the tensors. */
export async function readModelWeights(m: ModelFile): Promise<{ name: string; tensor: tf.Tensor }[]> {
  const out: { name: string; tensor: tf.Tensor }[] = [];
  try {
    for (const group of m.manifest) {
      const map = tf.io.decodeWeights(await groupBuffers(m, group), group.weights);
      for (const w of group.weights) out.push({ name: w.name, tensor: map[w.name] });
    }
  } catch (err) {
    tf.dispose(out.map((o) => o.tensor));
    if (err instanceof ArgumentError) throw err;
    throw new ArgumentError(`cannot decode the weights of '${m.file}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return out;
}

/** Load a Layers model (`model.json` + shards) into tfjs. */
export async function loadLayersModel(m: ModelFile): Promise<tf.LayersModel> {
  if (m.kind !== 'layers') throw new NotSupportedError(`'${m.file}' is a ${m.kind === 'graph' ? 'graph model' : 'bare weights manifest'}; compress needs a tfjs Layers model (model.json with a Keras topology)`);
  const weightSpecs = m.manifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(m.manifest.map((g) => groupBuffers(m, g)));
  const weightData = tf.io.concatenateArrayBuffers(buffers);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.topology as tf.io.ModelJSON['modelTopology'], weightSpecs, weightData }));
  } catch (err) {
    throw new ArgumentError(`cannot load the Layers model '${m.file}': ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/** Save a Layers model as `dir/model.json` + `dir/weights.bin` (the tfjs file layout). */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bin = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'tenfold compress',
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(bin));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return ['model.json', 'weights.bin'];
}
