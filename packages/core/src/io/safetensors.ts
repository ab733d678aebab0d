/**
 * safetensors bytes (Hugging Face's format: an unsigned 64-bit little-endian header
 * length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, ...,
 * "__metadata__": {string: string}}`, then the raw little-endian buffers, offsets relative
 * to the end of the header). Browser-safe; `loadSafetensors` / `saveSafetensors` live in
 * `@tenfold/core/node`. Every entry is validated before a tensor is built.
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, NotSupportedError, ShapeError, describe } from '../errors/index.js';
import { hostValuesForWrite, type LoadNpyOptions } from './npy.js';
import { checkNamedArrays } from './npz.js';
import type { TensorLike } from './tensorLike.js';
import { WIRE_BYTES, decodeLittleEndian, decodedToTensor, encodeLittleEndian, type WireDtype } from './wireDtypes.js';

/** safetensors dtype names Tenfold reads, and their wire types. */
export const SAFETENSORS_DTYPES: Readonly<Record<string, WireDtype>> = {
  F64: 'f8', F32: 'f4', F16: 'f2', BF16: 'bf16', I64: 'i8', I32: 'i4', I16: 'i2', I8: 'i1',
  U64: 'u8', U32: 'u4', U16: 'u2', U8: 'u1', BOOL: 'b1',
};

const WRITE_NAMES = { f4: 'F32', i4: 'I32', b1: 'BOOL' } as const;

/** One validated header entry. */
export interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  dataOffsets: [number, number];
}

/** A validated safetensors header. */
export interface SafetensorsHeader {
  entries: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** What {@link parseSafetensors} returns; the caller owns (and disposes) the tensors. */
export interface SafetensorsContents {
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
}

const PARSE_OPTIONS = optionKeys<LoadNpyOptions>()('keepInt32');

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Read and validate the header of an in-memory safetensors file: the header length
 * fits the file, the JSON parses, every entry has a known dtype, an integer shape and
 * offsets inside the data section that match shape x dtype size and do not overlap.
 *
 * @throws ArgumentError for a malformed header or offsets (naming `source` and the
 *   tensor); NotSupportedError for an unknown dtype; ShapeError when an entry's byte
 *   range does not match its shape and dtype
 */
export function parseSafetensorsHeader(bytes: Uint8Array, source = '<buffer>'): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`bytes of ${source} must be a Uint8Array (or a Node Buffer); got ${describe(bytes)}`);
  if (bytes.length < 8) throw new ArgumentError(`${source} is not a safetensors file: it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8)) {
    throw new ArgumentError(`${source}: the safetensors header length (${headerLen} bytes) runs beyond the file (${bytes.length - 8} bytes after the length field)`);
  }
  const dataStart = 8 + Number(headerLen);
  const dataLen = bytes.length - dataStart;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (err) {
    throw new ArgumentError(`${source}: the safetensors header is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ArgumentError(`${source}: the safetensors header must be a JSON object; got ${describe(json)}`);
  const entries: Record<string, SafetensorsEntry> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    const where = `${source}, tensor '${name}'`;
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
        throw new ArgumentError(`${source}: __metadata__ must map strings to strings; got ${describe(raw)}`);
      }
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    if (typeof raw !== 'object' || raw === null) throw new ArgumentError(`${where}: the entry must be an object {dtype, shape, data_offsets}; got ${describe(raw)}`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string') throw new ArgumentError(`${where}: dtype must be a string; got ${describe(dtype)}`);
    const kind = SAFETENSORS_DTYPES[dtype];
    if (!kind) throw new NotSupportedError(`${where}: unknown or unsupported dtype '${dtype}'; Tenfold reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) throw new ArgumentError(`${where}: shape must be an array of non-negative integers; got ${describe(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
      throw new ArgumentError(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end; got ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLen) throw new ArgumentError(`${where}: data_offsets [${begin}, ${end}] run beyond the data section (${dataLen} bytes)`);
    const need = (shape as number[]).reduce((a, b) => a * b, 1) * WIRE_BYTES[kind];
    if (end - begin !== need) {
      throw new ShapeError(`${where}: shape ${describe(shape)} of ${dtype} needs ${need} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries[name] = { dtype, shape: [...(shape as number[])], dataOffsets: [begin, end] };
  }
  const sorted = Object.entries(entries).filter(([, e]) => e.dataOffsets[1] > e.dataOffsets[0]).sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
  for (let i = 1; i < sorted.length; i++) {
    const [prevName, prev] = sorted[i - 1];
    const [name, cur] = sorted[i];
    if (cur.dataOffsets[0] < prev.dataOffsets[1]) {
      throw new ArgumentError(`${source}: tensors '${prevName}' [${prev.dataOffsets}] and '${name}' [${cur.dataOffsets}] overlap in the data section`);
    }
  }
  return { entries, metadata, dataStart };
}

/**
 * Decode an in-memory safetensors file into named tensors and its `__metadata__`.
 * F32/F16/BF16/F64 become float32; integer types float32 (or int32 with `keepInt32`);
 * BOOL float32 0/1 (or bool with `keepInt32`). `source` names the file in errors.
 *
 * @throws the errors of {@link parseSafetensorsHeader}; NotSupportedError when
 *   `keepInt32` is set and a 64-bit integer does not fit int32
 */
export function parseSafetensors(bytes: Uint8Array, source = '<buffer>', options: LoadNpyOptions = {}): SafetensorsContents {
  options = checkOptions(options, PARSE_OPTIONS, 'parseSafetensors');
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, source);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, e] of Object.entries(entries)) {
      const kind = SAFETENSORS_DTYPES[e.dtype];
      const count = e.shape.reduce((a, b) => a * b, 1);
      const decoded = decodeLittleEndian(bytes, dataStart + e.dataOffsets[0], kind, count, options.keepInt32 === true, `${source}, tensor '${name}'`);
      tensors[name] = decodedToTensor(decoded, e.shape);
    }
  } catch (err) {
    for (const t of Object.values(tensors)) t.dispose();
    throw err;
  }
  return { tensors, metadata };
}

/**
 * Encode named tensors as safetensors bytes: F32 (I32 / BOOL for int32 / bool
 * tf.Tensors), buffers contiguous in the order given, header padded with spaces to a
 * multiple of 8 bytes (as the reference writer does). `metadata` becomes `__metadata__`.
 *
 * @throws ArgumentError for a bad `arrays` object or non-string metadata values
 */
export function encodeSafetensors(arrays: Record<string, TensorLike>, metadata: Record<string, string> = {}): Uint8Array {
  const named = checkNamedArrays(arrays);
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || !Object.values(metadata).every((v) => typeof v === 'string')) {
    throw new ArgumentError(`metadata must map strings to strings; got ${describe(metadata)}`);
  }
  if ('__metadata__' in named) throw new ArgumentError(`arrays must not contain a tensor named '__metadata__' (reserved by the format)`);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const buffers: Uint8Array[] = [];
  let offset = 0;
  for (const [name, value] of Object.entries(named)) {
    const { values, shape, kind } = hostValuesForWrite(value, `arrays['${name}']`);
    const data = encodeLittleEndian(values, kind);
    header[name] = { dtype: WRITE_NAMES[kind], shape, data_offsets: [offset, offset + data.length] };
    buffers.push(data);
    offset += data.length;
  }
  let text = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(text);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  text += ' '.repeat(padded - headerBytes.length);
  headerBytes = encoder.encode(text);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const b of buffers) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
