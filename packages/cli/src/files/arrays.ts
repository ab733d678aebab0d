/**
 * Arrays from weight files: `.npy`, `.npz` (plain or compressed) and `.safetensors`, read by
 * `@tenfold/core/node` (`loadNpy`, `loadNpz`, `loadSafetensors`); `info` reads headers only
 * (`parseNpyHeader` per `.npz` member after fflate unzips it, `parseSafetensorsHeader`).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { ArgumentError, parseNpyHeader, parseSafetensorsHeader, tf } from '@tenfold/core';
import { loadNpy, loadNpz, loadSafetensors } from '@tenfold/core/node';

/** Name, shape and dtype of one array, read from headers only. */
export interface ArrayInfo {
  name: string;
  shape: number[];
  dtype: string;
  /** Quantisation of a tfjs weight, if any (e.g. 'uint8'). */
  quantization?: string;
}

export type WeightFileKind = 'npy' | 'npz' | 'safetensors';

/** The kind of a weights file from its extension. */
export function weightFileKind(file: string): WeightFileKind | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.npz') return 'npz';
  if (ext === '.safetensors') return 'safetensors';
  return null;
}

/** Read a file, turning a missing / unreadable file into an ArgumentError naming it. */
export async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : err instanceof Error ? err.message : String(err);
    throw new ArgumentError(`cannot read '${file}': ${why}`);
  }
}

function unzip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (err) {
    throw new ArgumentError(`'${file}' is not a valid .npz (zip) archive: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const NPY_DTYPES: Record<string, string> = { f4: 'float32', f8: 'float64', i4: 'int32', i8: 'int64', f2: 'float16', u1: 'uint8', i1: 'int8', b1: 'bool', i2: 'int16', u2: 'uint16' };

function npyDtype(descr: string): string {
  return NPY_DTYPES[descr.replace(/^[<>|=]/, '')] ?? descr;
}

/** Names, shapes and dtypes of the arrays of a weights file, without decoding the data. */
export async function arrayInfos(file: string): Promise<ArrayInfo[]> {
  const kind = weightFileKind(file);
  const bytes = await readBytes(file);
  if (kind === 'npy') {
    const h = parseNpyHeader(bytes, `'${file}'`);
    return [{ name: path.basename(file, '.npy'), shape: h.shape, dtype: npyDtype(h.descr) }];
  }
  if (kind === 'npz') {
    return Object.entries(unzip(bytes, file)).map(([member, b]) => {
      const h = parseNpyHeader(b, `'${file}' member '${member}'`);
      return { name: member.replace(/\.npy$/, ''), shape: h.shape, dtype: npyDtype(h.descr) };
    });
  }
  if (kind === 'safetensors') {
    const { entries } = parseSafetensorsHeader(bytes, `'${file}'`);
    return Object.entries(entries).map(([name, e]) => ({ name, shape: e.shape, dtype: e.dtype.toLowerCase() }));
  }
  throw new ArgumentError(`'${file}': unknown file type; expected .npy, .npz, .safetensors, a tfjs model.json, a *weights_manifest.json or a model directory`);
}

/**
 * The arrays of a weights file as float32 tensors (the caller disposes them), optionally only
 * the one named `only`.
 *
 * @throws ArgumentError for an unreadable or malformed file, or an unknown array name;
 *   NotSupportedError for a dtype Tenfold does not read.
 */
export async function readArrays(file: string, only?: string): Promise<{ name: string; tensor: tf.Tensor }[]> {
  const kind = weightFileKind(file);
  if (kind === null) await arrayInfos(file); // throws the unknown-type error
  const pick = <T extends { name: string }>(all: T[]): T[] => {
    if (only === undefined) return all;
    const hit = all.filter((a) => a.name === only);
    if (hit.length === 0) throw new ArgumentError(`'${file}' has no array named '${only}'; it holds ${all.map((a) => `'${a.name}'`).join(', ')}`);
    return hit;
  };
  if (kind === 'npy') {
    const name = path.basename(file, '.npy');
    pick([{ name }]);
    return [{ name, tensor: await loadNpy(file) }];
  }
  const all = kind === 'npz' ? await loadNpz(file) : (await loadSafetensors(file)).tensors;
  const named = Object.entries(all).map(([name, tensor]) => ({ name, tensor }));
  try {
    const chosen = pick(named);
    tf.dispose(named.filter((n) => !chosen.includes(n)).map((n) => n.tensor));
    return chosen;
  } catch (err) {
    tf.dispose(named.map((n) => n.tensor));
    throw err;
  }
}
