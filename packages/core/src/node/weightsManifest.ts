/**
 * tfjs weight manifests on disk: `[{paths: [shard files], weights: [{name, shape, dtype,
 * quantization?}]}]`, the `weightsManifest` of a `model.json` or a bare
 * `*-weights_manifest.json` (face-api, the tfjs converter). Each group's shards are
 * concatenated in order; the groups follow one another.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';
import { checkPath, readBytes } from './files.js';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight spec occupies in a shard (its quantized type if it is quantized). */
function specBytes(spec: tf.io.WeightsManifestEntry, where: string): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization ? spec.quantization.dtype : spec.dtype;
  const per = BYTES[dtype];
  if (per === undefined) throw new ArgumentError(`${where}: weight '${spec.name}' has dtype '${dtype}', which Tenfold cannot size (expected float32, int32, bool or a uint8/uint16/float16 quantization)`);
  return size * per;
}

/** Check the manifest's structure. @throws ArgumentError naming `where` */
export function checkManifest(manifest: unknown, where: string): tf.io.WeightsManifestConfig {
  const ok = Array.isArray(manifest) && manifest.every((g) =>
    typeof g === 'object' && g !== null && Array.isArray(g.paths) && g.paths.every((p: unknown) => typeof p === 'string') &&
    Array.isArray(g.weights) && g.weights.every((w: unknown) => typeof w === 'object' && w !== null && typeof (w as { name?: unknown }).name === 'string' && Array.isArray((w as { shape?: unknown }).shape)));
  if (!ok) throw new ArgumentError(`${where}: a weights manifest must be an array of {paths: string[], weights: [{name, shape, dtype}]}; got ${describe(manifest)}`);
  return manifest as tf.io.WeightsManifestConfig;
}

/**
 * Read the shards of every group of `manifest` (paths relative to `dir`) and check each
 * group's bytes against its weight specs. Returns the specs and the concatenated bytes.
 *
 * @throws ArgumentError naming a shard that cannot be read; ShapeError naming the shards
 *   whose total size does not match the weights they should hold
 */
export async function readWeightShards(manifest: tf.io.WeightsManifestConfig, dir: string, where: string): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of manifest) {
    const shards: Uint8Array[] = [];
    for (const p of group.paths) shards.push(await readBytes(path.join(dir, p), `weight shard (listed in ${where})`));
    const got = shards.reduce((a, s) => a + s.length, 0);
    const need = group.weights.reduce((a, w) => a + specBytes(w, where), 0);
    if (got !== need) {
      throw new ShapeError(`${where}: shards ${group.paths.map((p) => `'${path.join(dir, p)}'`).join(', ')} hold ${got} bytes, but their ${group.weights.length} weights need ${need}`);
    }
    chunks.push(...shards);
    specs.push(...group.weights);
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return [specs, all.buffer];
}

/**
 * Load the weights of a tfjs weights manifest file (a bare `*-weights_manifest.json`, as
 * face-api ships, or a `model.json` with a `weightsManifest`) as named tensors,
 * dequantized to float32 where the manifest says so. The caller owns the tensors.
 *
 * @throws ArgumentError for an unreadable or malformed manifest or a missing shard;
 *   ShapeError when the shards' sizes do not match the manifest — each naming the file
 */
export async function loadWeightsManifest(file: string): Promise<Record<string, tf.Tensor>> {
  checkPath(file);
  const text = new TextDecoder().decode(await readBytes(file, 'weights manifest'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ArgumentError(`'${file}' is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const raw = Array.isArray(json) ? json : (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  const manifest = checkManifest(raw, `'${file}'`);
  const [specs, data] = await readWeightShards(manifest, path.dirname(file), `'${file}'`);
  return tf.io.decodeWeights(data, specs);
}
