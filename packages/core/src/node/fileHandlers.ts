/**
 * `file://` model IOHandlers for tfjs LayersModels on every backend (tfjs-node registers
 * its own only when it is the backend): `model.save('file://dir')` writes `dir/model.json`
 * and `dir/group1-shard1of1.bin`; `tf.loadLayersModel('file://dir/model.json')` reads a
 * model.json with any number of weight groups and shards (the tfjs converter's and
 * face-api's multi-shard manifests). Writes are atomic; errors name the file.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, describe } from '../errors/index.js';
import { checkPath, readBytes } from './files.js';
import { checkManifest, readWeightShards } from './weightsManifest.js';

const SCHEME = 'file://';
const MODEL_JSON = 'model.json';
const SHARD = 'group1-shard1of1.bin';

/** Strip `file://` from a URL (a plain path passes through). */
function toPath(url: string): string {
  return url.startsWith(SCHEME) ? url.slice(SCHEME.length) : url;
}

/** Save the artifacts into `dir` atomically: build everything in a temp dir beside it, then rename. */
async function saveArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) throw new ArgumentError(`saving to '${dir}': a binary model topology (GraphDef) is not supported; only LayersModel JSON topologies are`);
  const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${SHARD}`], weights: artifacts.weightSpecs ?? [] }],
  };
  for (const key of ['trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature'] as const) {
    if (artifacts[key] !== undefined) modelJson[key] = artifacts[key];
  }
  const parent = path.dirname(path.resolve(dir));
  let tmp: string | null = null;
  try {
    const stat = await fs.stat(dir).catch(() => null);
    if (stat && !stat.isDirectory()) throw new Error(`'${dir}' exists and is not a directory`);
    tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
    await fs.writeFile(path.join(tmp, SHARD), new Uint8Array(weightData));
    await fs.writeFile(path.join(tmp, MODEL_JSON), JSON.stringify(modelJson));
    if (!stat) {
      await fs.rename(tmp, dir);
      tmp = null;
    } else {
      // An existing directory: move the shard first and model.json last, so a reader never
      // sees a model.json whose shard is missing.
      await fs.rename(path.join(tmp, SHARD), path.join(dir, SHARD));
      await fs.rename(path.join(tmp, MODEL_JSON), path.join(dir, MODEL_JSON));
    }
  } catch (err) {
    throw new ArgumentError(`cannot save the model to '${dir}': ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** Read a model.json (or a directory holding one) and its weight shards. */
async function loadArtifacts(target: string): Promise<tf.io.ModelArtifacts> {
  const stat = await fs.stat(target).catch(() => null);
  const file = stat?.isDirectory() ? path.join(target, MODEL_JSON) : target;
  const text = new TextDecoder().decode(await readBytes(file, 'model.json'));
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (err) {
    throw new ArgumentError(`'${file}' is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof json !== 'object' || json === null || json.modelTopology === undefined) {
    throw new ArgumentError(`'${file}' is not a tfjs model.json: it has no modelTopology; got ${describe(json)}`);
  }
  const where = `'${file}'`;
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => readWeightShards(checkManifest(manifest, where), path.dirname(file), where));
}

/**
 * An IOHandler that saves a tfjs model into directory `dir` (`model.json` +
 * `group1-shard1of1.bin`, as tfjs-node lays them out) and loads `dir/model.json` or a
 * given model.json path. `file://` in front is accepted. Used by the `file://` routers;
 * pass it to `model.save` / `tf.loadLayersModel` directly to skip them.
 *
 * @throws ArgumentError for a bad path (at call time); the handler's save and load throw
 *   ArgumentError / ShapeError naming the file (missing shard, size mismatch, bad JSON)
 */
export function fileHandler(dir: string): tf.io.IOHandler {
  checkPath(dir, 'dir');
  const target = toPath(dir);
  return {
    save: (artifacts) => saveArtifacts(target, artifacts),
    load: () => loadArtifacts(target),
  };
}

const REGISTERED = Symbol.for('tenfold.fileRouters');

/**
 * Register the `file://` save and load routers with `tf.io` (done when
 * `@tenfold/core/node` is imported). Idempotent, also across copies of this module; does
 * nothing when another `file://` router (tfjs-node's) is already registered, since tfjs
 * refuses a URL that two routers claim. Returns whether Tenfold's routers are active.
 */
export function registerFileRouters(): boolean {
  const g = globalThis as { [REGISTERED]?: boolean };
  if (g[REGISTERED] !== undefined) return g[REGISTERED];
  const probe = `${SCHEME}/tenfold-probe/model.json`;
  if (tf.io.getLoadHandlers(probe).length > 0 || tf.io.getSaveHandlers(probe).length > 0) {
    g[REGISTERED] = false;
    return false;
  }
  // tfjs routers return null for URLs they do not claim (its IORouter type omits the null).
  const router = ((url: string | string[]): tf.io.IOHandler | null =>
    typeof url === 'string' && url.startsWith(SCHEME) ? fileHandler(url) : null) as Parameters<typeof tf.io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
  g[REGISTERED] = true;
  return true;
}
