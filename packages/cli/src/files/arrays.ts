/**
 * Arrays from weight files: `.npy`, `.npz` (plain or compressed) and `.safetensors`.
 *
 * `.npy` goes through core's reader (`parseNpy`); `.npz` is a zip of `.npy` members (fflate
 * unzips it); `.safetensors` is an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}}` and the raw little-endian data. When the io work
 * (`@tenfold/core/node`: loadNpz / loadSafetensors) lands, the three readers below become
 * one import each.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { ArgumentError, NotSupportedError, describe, parseNpy, parseNpyHeader, tf } from '@tenfold/core';

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

interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function safetensorsHeader(bytes: Uint8Array, file: string): { header: Record<string, SafetensorsEntry>; dataStart: number } {
  if (bytes.length < 8) throw new ArgumentError(`'${file}' is not a .safetensors file: ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw new ArgumentError(`'${file}' is not a .safetensors file: its header length ${n} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, SafetensorsEntry>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new ArgumentError(`'${file}' is not a .safetensors file: its header is not JSON`);
  }
  delete (header as Record<string, unknown>).__metadata__;
  return { header, dataStart: 8 + n };
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
    const { header } = safetensorsHeader(bytes, file);
    return Object.entries(header).map(([name, e]) => ({ name, shape: e.shape, dtype: e.dtype.toLowerCase() }));
  }
  throw new ArgumentError(`'${file}': unknown file type; expected .npy, .npz, .safetensors, a tfjs model.json, a *weights_manifest.json or a model directory`);
}

function decodeSafetensors(bytes: Uint8Array, dataStart: number, name: string, e: SafetensorsEntry, file: string): tf.Tensor {
  const [a, b] = e.data_offsets;
  const size = e.shape.reduce((x, y) => x * y, 1);
  const width: Record<string, number> = { F32: 4, F64: 8, I32: 4 };
  const w = width[e.dtype];
  if (!w) throw new NotSupportedError(`'${file}' tensor '${name}': dtype ${e.dtype} is not supported; Tenfold reads F32, F64 and I32`);
  if (b - a !== size * w || dataStart + b > bytes.length) throw new ArgumentError(`'${file}' tensor '${name}': data_offsets ${describe([a, b])} do not hold shape ${describe(e.shape)} of ${e.dtype}`);
  const copy = bytes.slice(dataStart + a, dataStart + b);
  const values = e.dtype === 'F32' ? new Float32Array(copy.buffer) : e.dtype === 'F64' ? Float32Array.from(new Float64Array(copy.buffer)) : Float32Array.from(new Int32Array(copy.buffer));
  return tf.tensor(values, e.shape, 'float32');
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
  const bytes = await readBytes(file);
  const pick = <T extends { name: string }>(all: T[]): T[] => {
    if (only === undefined) return all;
    const hit = all.filter((a) => a.name === only);
    if (hit.length === 0) throw new ArgumentError(`'${file}' has no array named '${only}'; it holds ${all.map((a) => `'${a.name}'`).join(', ')}`);
    return hit;
  };
  if (kind === 'npy') return pick([{ name: path.basename(file, '.npy'), bytes }]).map((a) => ({ name: a.name, tensor: parseNpy(a.bytes, `'${file}'`) }));
  if (kind === 'npz') {
    const members = Object.entries(unzip(bytes, file)).map(([m, b]) => ({ name: m.replace(/\.npy$/, ''), member: m, bytes: b }));
    return pick(members).map((a) => ({ name: a.name, tensor: parseNpy(a.bytes, `'${file}' member '${a.member}'`) }));
  }
  const { header, dataStart } = safetensorsHeader(bytes, file);
  const entries = Object.entries(header).map(([name, e]) => ({ name, e }));
  return pick(entries).map((a) => ({ name: a.name, tensor: decodeSafetensors(bytes, dataStart, a.name, a.e, file) }));
}
