/**
 * NumPy `.npy` bytes (format versions 1.0, 2.0 and 3.0; see NEP 1 and
 * `numpy/lib/format.py`), browser-safe: `Uint8Array` in and out, no file access (the
 * file functions `loadNpy` / `saveNpy` live in the Node entry `@tenfold/core/node`).
 * Reads float16/32/64, int8/16/32/64, uint8/16/32/64 and bool arrays in C or Fortran
 * order; writes float32, int32 or bool arrays in C order.
 */
import { checkOptions, optionKeys } from '../checks/index.js';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NotSupportedError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from './tensorLike.js';
import { WIRE_BYTES, decodeLittleEndian, decodedToTensor, encodeLittleEndian, wireDtypeOf, type WireDtype } from './wireDtypes.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface LoadNpyOptions {
  /**
   * Keep integer data as an int32 tensor (and bool data as a bool tensor) instead of
   * converting it to float32 (the default, since every Tenfold function works in float32;
   * integers above 2^24 then round). int64/uint32/uint64 values outside int32 throw.
   */
  keepInt32?: boolean;
}

const NPY_OPTIONS = optionKeys<LoadNpyOptions>()('keepInt32');

/** What the header of a `.npy` file says. */
export interface NpyHeader {
  /** Format version `[major, minor]`. */
  version: [number, number];
  /** NumPy dtype string, e.g. `'<f4'`. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

/** NumPy type codes Tenfold reads ('b1' is bool). */
const SUPPORTED: Record<string, WireDtype> = {
  f2: 'f2', f4: 'f4', f8: 'f8', i1: 'i1', i2: 'i2', i4: 'i4', i8: 'i8', u1: 'u1', u2: 'u2', u4: 'u4', u8: 'u8', b1: 'b1',
};

function describeDescr(descr: string): string {
  const names: Record<string, string> = {
    O: 'object (pickled Python objects)', b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', u4: 'uint32',
    i8: 'int64', u8: 'uint64', f2: 'float16', c8: 'complex64', c16: 'complex128', f16: 'float128',
  };
  const code = descr.replace(/^[<>|=]/, '');
  return names[code] ? `${names[code]} ('${descr}')` : `'${descr}'`;
}

/**
 * Parse the header of an in-memory `.npy` file. `source` names the file in error messages.
 *
 * @throws ArgumentError when the bytes are not a well-formed `.npy` file (bad magic,
 *   unknown version, truncated or malformed header)
 */
export function parseNpyHeader(bytes: Uint8Array, source = '<buffer>'): NpyHeader {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`bytes of ${source} must be a Uint8Array (or a Node Buffer); got ${describe(bytes)}`);
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    const head = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ArgumentError(`${source} is not a .npy file: it must start with the magic bytes 93 4e 55 4d 50 59 ("\\x93NUMPY"); found ${head || 'an empty file'}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) {
    throw new ArgumentError(`${source}: unsupported .npy format version ${major}.${minor}; expected 1.0, 2.0 or 3.0`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new ArgumentError(`${source}: truncated .npy header`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  const dataOffset = start + headerLen;
  if (dataOffset > bytes.length) {
    throw new ArgumentError(`${source}: truncated .npy header: it declares ${headerLen} header bytes but the file has ${bytes.length - start} after the length field`);
  }
  // Versions 1 and 2 use latin1, version 3 utf8; the fields we read are ASCII either way.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset));
  const descrMatch = /['"]descr['"]\s*:\s*(['"])(.*?)\1/.exec(text);
  if (!descrMatch) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw new NotSupportedError(`${source}: structured (record) dtypes are not supported; header ${text.trim()}`);
    }
    throw new ArgumentError(`${source}: malformed .npy header, no 'descr' entry: ${text.trim()}`);
  }
  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!fortranMatch || !shapeMatch) {
    throw new ArgumentError(`${source}: malformed .npy header, it needs 'fortran_order' and 'shape' entries: ${text.trim()}`);
  }
  const parts = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((s) => Number(s.replace(/L$/, '')));
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`${source}: malformed shape (${shapeMatch[1]}) in the .npy header`);
  }
  return { version: [major, minor], descr: descrMatch[2], fortranOrder: fortranMatch[1] === 'True', shape, dataOffset };
}

/**
 * Decode an in-memory `.npy` file into a tensor (`np.load` semantics): C or Fortran
 * order; float16/32/64 become float32; int8..int64, uint8..uint64 and bool become float32
 * (or int32 / bool with `keepInt32`). `source` names the file in error messages.
 *
 * @throws ArgumentError for a malformed file; NotSupportedError for complex, object,
 *   structured or big-endian data; ShapeError when the data is shorter than the shape says
 */
export function parseNpy(bytes: Uint8Array, source = '<buffer>', options: LoadNpyOptions = {}): tf.Tensor {
  options = checkOptions(options, NPY_OPTIONS, 'parseNpy');
  const header = parseNpyHeader(bytes, source);
  const { descr, shape, fortranOrder, dataOffset } = header;
  const order = descr[0];
  const code = /^[<>|=]/.test(descr) ? descr.slice(1) : descr;
  const kind = SUPPORTED[code];
  if (!kind) {
    throw new NotSupportedError(`${source}: dtype ${describeDescr(descr)} is not supported; Tenfold reads float16/32/64, (u)int8/16/32/64 and bool (convert with arr.astype(np.float32))`);
  }
  // '|' is "not applicable" (1-byte types only) and '=' is the writer's native order,
  // which every NumPy build in use today writes as '<'.
  if (order === '>' && WIRE_BYTES[kind] > 1) {
    throw new NotSupportedError(`${source}: big-endian data ('${descr}') is not supported; save it little-endian (arr.astype('<${code}'))`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const nBytes = size * WIRE_BYTES[kind];
  if (bytes.length - dataOffset < nBytes) {
    throw new ShapeError(`${source}: truncated data: shape ${describe(shape)} of ${describeDescr(descr)} needs ${nBytes} bytes, the file holds ${bytes.length - dataOffset}`);
  }
  const decoded = decodeLittleEndian(bytes, dataOffset, kind, size, options.keepInt32 === true, source);
  return decodedToTensor(decoded, shape, fortranOrder);
}

/** Values, shape and wire type of a TensorLike to be written (int32 and bool tensors keep their dtype). */
export function hostValuesForWrite(t: TensorLike, argName = 'tensor'): { values: Float32Array | Int32Array | Uint8Array; shape: number[]; kind: 'f4' | 'i4' | 'b1' } {
  const keep = t instanceof tf.Tensor && (t.dtype === 'int32' || t.dtype === 'bool');
  if (keep && (t as tf.Tensor).isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  // Read the values outside tf.tidy: tidy walks its result looking for tensors, element by
  // element through a typed array (seconds for a few million values).
  const x = keep ? (t as tf.Tensor) : toTensor(t, argName);
  try {
    return { values: x.dataSync() as Float32Array | Int32Array | Uint8Array, shape: [...x.shape], kind: wireDtypeOf(x.dtype) };
  } finally {
    if (x !== t) x.dispose();
  }
}

/**
 * Encode a tensor as `.npy` bytes: little-endian float32 (`'<f4'`), or int32 (`'<i4'`)
 * for an int32 tf.Tensor, or bool (`'|b1'`) for a bool tf.Tensor, in C order, format
 * version 1.0 (2.0 if the header would not fit 64 KiB), with the header padded so that
 * the data starts at a multiple of 64 bytes (as `np.save` does).
 */
export function encodeNpy(t: TensorLike): Uint8Array {
  const { values, shape, kind } = hostValuesForWrite(t);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const descr = kind === 'b1' ? '|b1' : `<${kind}`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let major = 1;
  let lenBytes = 2;
  let total = Math.ceil((8 + lenBytes + dict.length + 1) / 64) * 64;
  if (total - 8 - lenBytes > 0xffff) {
    major = 2;
    lenBytes = 4;
    total = Math.ceil((8 + lenBytes + dict.length + 1) / 64) * 64;
  }
  const headerLen = total - 8 - lenBytes;
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const data = encodeLittleEndian(values, kind);
  const out = new Uint8Array(total + data.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i);
  out.set(data, total);
  return out;
}
