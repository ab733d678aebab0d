/**
 * Saved decompositions: a CPTensor, TuckerTensor, TTTensor or TRTensor to disk and back,
 * with its kind, shape and rank in metadata. The format follows the path's extension:
 * `.npz` (members `<array>.npy` plus `decomposition.json`), `.safetensors` (metadata
 * under `__metadata__.tenfold`), anything else a directory of `<array>.npy` files plus
 * `decomposition.json`. Arrays are stored as float32, so a round trip is exact.
 * Array names: CP `weights`, `factors.0`...; Tucker `core`, `factors.0`...; TT/TR `cores.0`...
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ArgumentError, ShapeError, TenfoldError, describe } from '../errors/index.js';
import { encodeNpy, parseNpy } from '../io/npy.js';
import { encodeSafetensors, parseSafetensors } from '../io/safetensors.js';
import { CPTensor, TRTensor, TTTensor, TuckerTensor } from '../tensors/index.js';
import { checkPath, readBytes, writeBytesAtomic } from './files.js';

/** The factorized tensors {@link saveDecomposition} stores. */
export type SavedDecomposition = CPTensor | TuckerTensor | TTTensor | TRTensor;

/** The content of `decomposition.json` (and of the other formats' metadata). */
export interface DecompositionMetadata {
  format: 'tenfold-decomposition';
  version: 1;
  kind: 'CPTensor' | 'TuckerTensor' | 'TTTensor' | 'TRTensor';
  shape: number[];
  rank: number | number[];
  /** The stored array names, in order. */
  arrays: string[];
}

const META_FILE = 'decomposition.json';
const KINDS = ['CPTensor', 'TuckerTensor', 'TTTensor', 'TRTensor'] as const;

function toArrays(result: SavedDecomposition): { arrays: Record<string, tf.Tensor>; meta: DecompositionMetadata } {
  const arrays: Record<string, tf.Tensor> = {};
  let kind: DecompositionMetadata['kind'];
  if (result instanceof CPTensor) {
    kind = 'CPTensor';
    arrays.weights = result.weights;
    result.factors.forEach((f, i) => (arrays[`factors.${i}`] = f));
  } else if (result instanceof TuckerTensor) {
    kind = 'TuckerTensor';
    arrays.core = result.core;
    result.factors.forEach((f, i) => (arrays[`factors.${i}`] = f));
  } else if (result instanceof TTTensor || result instanceof TRTensor) {
    kind = result instanceof TTTensor ? 'TTTensor' : 'TRTensor';
    result.cores.forEach((c, i) => (arrays[`cores.${i}`] = c));
  } else {
    throw new ArgumentError(`result must be a CPTensor, TuckerTensor, TTTensor or TRTensor; got ${describe(result)}`);
  }
  result.assertAlive('result');
  const rank = Array.isArray(result.rank) ? [...result.rank] : result.rank;
  return { arrays, meta: { format: 'tenfold-decomposition', version: 1, kind, shape: [...result.shape], rank, arrays: Object.keys(arrays) } };
}

/** Check the metadata read from `source`. @throws ArgumentError naming the file */
function checkMetadata(meta: unknown, source: string): DecompositionMetadata {
  const m = meta as Partial<DecompositionMetadata> | null;
  if (typeof m !== 'object' || m === null || m.format !== 'tenfold-decomposition') {
    throw new ArgumentError(`${source} is not a saved Tenfold decomposition: its metadata has no format 'tenfold-decomposition'; got ${describe(meta)}`);
  }
  if (!KINDS.includes(m.kind as DecompositionMetadata['kind'])) throw new ArgumentError(`${source}: unknown decomposition kind ${describe(m.kind)}; expected one of ${KINDS.join(', ')}`);
  if (!Array.isArray(m.arrays) || !m.arrays.every((a) => typeof a === 'string') || !Array.isArray(m.shape)) {
    throw new ArgumentError(`${source}: the metadata needs 'arrays' (names) and 'shape'; got ${describe(meta)}`);
  }
  return m as DecompositionMetadata;
}

/** Build the object from its arrays (taking ownership; all are disposed on failure). */
function fromArrays(arrays: Record<string, tf.Tensor>, meta: DecompositionMetadata, source: string): SavedDecomposition {
  try {
    const missing = meta.arrays.filter((a) => !(a in arrays));
    if (missing.length > 0) throw new ArgumentError(`${source}: array${missing.length > 1 ? 's' : ''} ${missing.map((a) => `'${a}'`).join(', ')} listed in the metadata ${missing.length > 1 ? 'are' : 'is'} missing`);
    const list = (prefix: string) => meta.arrays.filter((a) => a.startsWith(`${prefix}.`)).map((a) => arrays[a]);
    let out: SavedDecomposition;
    if (meta.kind === 'CPTensor') out = new CPTensor(arrays.weights ?? null, list('factors'));
    else if (meta.kind === 'TuckerTensor') out = new TuckerTensor(arrays.core, list('factors'));
    else if (meta.kind === 'TTTensor') out = new TTTensor(list('cores'));
    else out = new TRTensor(list('cores'));
    const extra = Object.keys(arrays).filter((a) => !meta.arrays.includes(a));
    for (const a of extra) arrays[a].dispose();
    if (out.shape.length !== meta.shape.length || out.shape.some((d, i) => d !== meta.shape[i]) || JSON.stringify(out.rank) !== JSON.stringify(meta.rank)) {
      const got = `shape ${describe(out.shape)} and rank ${describe(out.rank)}`;
      out.dispose();
      throw new ShapeError(`${source}: the arrays make a ${meta.kind} of ${got}, but the metadata says shape ${describe(meta.shape)} and rank ${describe(meta.rank)}`);
    }
    return out;
  } catch (err) {
    for (const t of Object.values(arrays)) if (!t.isDisposed) t.dispose();
    if (err instanceof TenfoldError && !err.message.includes(source)) err.message = `${source}: ${err.message}`;
    throw err;
  }
}

const formatOf = (p: string): 'npz' | 'safetensors' | 'dir' => (p.endsWith('.npz') ? 'npz' : p.endsWith('.safetensors') ? 'safetensors' : 'dir');

/**
 * Save a CP / Tucker / TT / TR decomposition to `path`: a `.npz` or `.safetensors` file by
 * extension, otherwise a directory of `.npy` files plus `decomposition.json` (kind, shape,
 * rank, array names). Writes are atomic (temp file or directory, then rename).
 *
 * @throws ArgumentError for a bad path, a result that is not one of the four classes or is
 *   disposed, or when the files cannot be written
 */
export async function saveDecomposition(path_: string, result: SavedDecomposition): Promise<void> {
  checkPath(path_);
  const { arrays, meta } = toArrays(result);
  const format = formatOf(path_);
  if (format === 'safetensors') {
    await writeBytesAtomic(path_, encodeSafetensors(arrays, { tenfold: JSON.stringify(meta) }), '.safetensors');
    return;
  }
  const files: Record<string, Uint8Array> = { [META_FILE]: new TextEncoder().encode(JSON.stringify(meta, null, 1)) };
  for (const [name, t] of Object.entries(arrays)) files[`${name}.npy`] = encodeNpy(t);
  if (format === 'npz') {
    const zippable: Zippable = {};
    for (const [name, bytes] of Object.entries(files)) zippable[name] = [bytes, { level: 0 }];
    await writeBytesAtomic(path_, zipSync(zippable), '.npz');
    return;
  }
  let tmp: string | null = null;
  try {
    const stat = await fs.stat(path_).catch(() => null);
    if (stat && !stat.isDirectory()) throw new Error('it exists and is not a directory');
    tmp = await fs.mkdtemp(path.join(path.dirname(path.resolve(path_)), `.${path.basename(path_)}.tmp-`));
    for (const [name, bytes] of Object.entries(files)) await fs.writeFile(path.join(tmp, name), bytes);
    if (!stat) {
      await fs.rename(tmp, path_);
      tmp = null;
    } else {
      // Arrays first, the metadata last: a reader never sees metadata naming missing arrays.
      for (const name of Object.keys(files).filter((f) => f !== META_FILE)) await fs.rename(path.join(tmp, name), path.join(path_, name));
      await fs.rename(path.join(tmp, META_FILE), path.join(path_, META_FILE));
    }
  } catch (err) {
    throw new ArgumentError(`cannot save the decomposition to '${path_}': ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

function parseJson(bytes: Uint8Array, source: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ArgumentError(`${source} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Load a decomposition saved by {@link saveDecomposition} (format by extension, as there)
 * as a new CPTensor / TuckerTensor / TTTensor / TRTensor that the caller owns.
 *
 * @throws ArgumentError naming the file for a missing or malformed file, unknown kind or a
 *   missing array; ShapeError when the arrays disagree with each other or the metadata
 */
export async function loadDecomposition(path_: string): Promise<SavedDecomposition> {
  checkPath(path_);
  const format = formatOf(path_);
  const source = `'${path_}'`;
  if (format === 'safetensors') {
    const { tensors, metadata } = parseSafetensors(await readBytes(path_, '.safetensors'), source);
    let meta: DecompositionMetadata;
    try {
      meta = checkMetadata(metadata.tenfold === undefined ? null : parseJson(new TextEncoder().encode(metadata.tenfold), `${source} __metadata__.tenfold`), source);
    } catch (err) {
      tf.dispose(Object.values(tensors));
      throw err;
    }
    return fromArrays(tensors, meta, source);
  }
  if (format === 'npz') {
    const bytes = await readBytes(path_, '.npz');
    let members: Record<string, Uint8Array>;
    try {
      members = unzipSync(bytes);
    } catch (err) {
      throw new ArgumentError(`${source} is not a readable .npz (zip) archive: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!members[META_FILE]) throw new ArgumentError(`${source} is not a saved Tenfold decomposition: it has no ${META_FILE} member`);
    const meta = checkMetadata(parseJson(members[META_FILE], `${source} member ${META_FILE}`), source);
    return fromArrays(parseMembers(meta, (name) => members[`${name}.npy`], source), meta, source);
  }
  const meta = checkMetadata(parseJson(await readBytes(path.join(path_, META_FILE), 'decomposition metadata'), `'${path.join(path_, META_FILE)}'`), source);
  const raw: Record<string, Uint8Array> = {};
  for (const name of meta.arrays) raw[name] = await readBytes(path.join(path_, `${name}.npy`), '.npy');
  return fromArrays(parseMembers(meta, (name) => raw[name], source), meta, source);
}

/** Parse the listed `.npy` arrays (a missing one is left out for fromArrays to report); all are disposed on failure. */
function parseMembers(meta: DecompositionMetadata, bytesOf: (name: string) => Uint8Array | undefined, source: string): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const name of meta.arrays) {
      const bytes = bytesOf(name);
      if (bytes) out[name] = parseNpy(bytes, `${source} array '${name}'`);
    }
  } catch (err) {
    tf.dispose(Object.values(out));
    throw err;
  }
  return out;
}
