/**
 * A tfjs model's weights and Layers model, read by `@tenfold/core/node`
 * (`loadWeightsManifest`, `fileHandler`); saved with `model.save(fileHandler(dir))`.
 */
import { ArgumentError, NotSupportedError, TenfoldError, tf } from '@tenfold/core';
import { fileHandler, loadWeightsManifest } from '@tenfold/core/node';
import type { ModelFile } from './model.js';

/**
 * Decode (and dequantise) every weight of the model through core's `loadWeightsManifest`
 * (which reads a bare manifest or a model.json's `weightsManifest`); the caller disposes them.
 */
export async function readModelWeights(m: ModelFile): Promise<{ name: string; tensor: tf.Tensor }[]> {
  const map = await loadWeightsManifest(m.file);
  return m.manifest.flatMap((g) => g.weights.map((w) => ({ name: w.name, tensor: map[w.name] })));
}

/** Load a Layers model (`model.json` + shards) through core's `file://` handler. */
export async function loadLayersModel(m: ModelFile): Promise<tf.LayersModel> {
  if (m.kind !== 'layers') throw new NotSupportedError(`'${m.file}' is a ${m.kind === 'graph' ? 'graph model' : 'bare weights manifest'}; compress needs a tfjs Layers model (model.json with a Keras topology)`);
  try {
    return await tf.loadLayersModel(fileHandler(m.file));
  } catch (err) {
    if (err instanceof TenfoldError) throw err;
    throw new ArgumentError(`cannot load the Layers model '${m.file}': ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
