/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0; see NEP 1 and
 * `numpy/lib/format.py`): read float32, float64 and int32 arrays in C or Fortran order,
 * write float32 (or int32) arrays in C order.
 */
import * as fs from 'node:fs/promises';
import { checkOptions } from '../checks/index.js';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError, NotSupportedError, ShapeError, describe } from '../errors/index.js';
import { toTensor, type TensorLike } from './tensorLike.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const LITTLE_ENDIAN_HOST = os.endianness() === 'LE';

export interface LoadNpyOptions {
  /**
   * Keep int32 data as an int32 tensor instead of converting it to float32 (the default,
   * since every Tenfold function works in float32; integers above 2^24 then round).
   */
  keepInt32?: boolean;
}

const NPY_OPTIONS = ['keepInt32'] as const;

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

const SUPPORTED: Record<string, { bytes: number; kind: 'f4' | 'f8' | 'i4' }> = {
  f4: { bytes: 4, kind: 'f4' },
  f8: { bytes: 8, kind: 'f8' },
  i4: { bytes: 4, kind: 'i4' },
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
 * Decode an in-memory `.npy` file into a tensor; see {@link loadNpy}.
 *
 * @throws ArgumentError for a malformed file; NotSupportedError for a dtype other than
 *   float32, float64 or int32, big-endian data or object arrays; ShapeError when the data
 *   is shorter than the shape says
 */
export function parseNpy(bytes: Uint8Array, source = '<buffer>', options: LoadNpyOptions = {}): tf.Tensor {
  options = checkOptions(options, NPY_OPTIONS, 'parseNpy');
  const header = parseNpyHeader(bytes, source);
  const { descr, shape, fortranOrder, dataOffset } = header;
  const order = descr[0];
  const code = /^[<>|=]/.test(descr) ? descr.slice(1) : descr;
  const type = SUPPORTED[code];
  if (!type) {
    throw new NotSupportedError(`${source}: dtype ${describeDescr(descr)} is not supported; Tenfold reads float32 ('<f4'), float64 ('<f8') and int32 ('<i4') (convert with arr.astype(np.float32))`);
  }
  // '|' is "not applicable" (1-byte types only) and '=' is the writer's native order.
  if (order === '>' || (order === '=' && !LITTLE_ENDIAN_HOST)) {
    throw new NotSupportedError(`${source}: big-endian data ('${descr}') is not supported; save it little-endian (arr.astype('<${code}'))`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const nBytes = size * type.bytes;
  if (bytes.length - dataOffset < nBytes) {
    throw new ShapeError(`${source}: truncated data: shape ${describe(shape)} of ${describeDescr(descr)} needs ${nBytes} bytes, the file holds ${bytes.length - dataOffset}`);
  }
  // Copy the payload into an aligned buffer of its own (a Node Buffer is a view into a
  // shared pool at any byte offset, and Buffer#slice does not copy).
  const payload = new Uint8Array(nBytes);
  payload.set(bytes.subarray(dataOffset, dataOffset + nBytes));
  let values: Float32Array | Int32Array;
  if (LITTLE_ENDIAN_HOST) {
    if (type.kind === 'f4') values = new Float32Array(payload.buffer, 0, size);
    else if (type.kind === 'f8') values = Float32Array.from(new Float64Array(payload.buffer, 0, size));
    else {
      const ints = new Int32Array(payload.buffer, 0, size);
      values = options.keepInt32 ? ints : Float32Array.from(ints);
    }
  } else {
    const dv = new DataView(payload.buffer);
    const keepInt = type.kind === 'i4' && options.keepInt32;
    values = keepInt ? new Int32Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) {
      values[i] = type.kind === 'f4' ? dv.getFloat32(4 * i, true) : type.kind === 'f8' ? dv.getFloat64(8 * i, true) : dv.getInt32(4 * i, true);
    }
  }
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  if (!fortranOrder || shape.length < 2) return tf.tensor(values, shape, dtype);
  // Fortran order is C order of the reversed shape: reverse the axes back on the backend.
  return tf.tidy(() => {
    const reversed = [...shape].reverse();
    return tf.transpose(tf.tensor(values, reversed, dtype), reversed.map((_, i) => reversed.length - 1 - i));
  });
}

/**
 * Read a NumPy `.npy` file into a tensor. Format versions 1.0, 2.0 and 3.0; C or Fortran
 * order; dtypes float32 (`'<f4'`), float64 (`'<f8'`, rounded to float32) and int32
 * (`'<i4'`, converted to float32 unless `keepInt32`). Anything else — other dtypes
 * (including NumPy's default int64), big-endian data, object or structured arrays, a
 * file that is not `.npy` — throws a TenfoldError naming the file and what was found.
 */
export async function loadNpy(path: string, options: LoadNpyOptions = {}): Promise<tf.Tensor> {
  options = checkOptions(options, NPY_OPTIONS, 'loadNpy');
  if (typeof path !== 'string' || path.length === 0) throw new ArgumentError(`path must be a non-empty string; got ${describe(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    throw new ArgumentError(`cannot read .npy file '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseNpy(bytes, `'${path}'`, options);
}

/**
 * Encode a tensor as `.npy` bytes: little-endian float32 (`'<f4'`), or int32 (`'<i4'`)
 * for an int32 tf.Tensor, in C order, format version 1.0 (2.0 if the header would not fit
 * 64 KiB), with the header padded so that the data starts at a multiple of 64 bytes.
 */
export function encodeNpy(t: TensorLike): Uint8Array {
  const isInt = t instanceof tf.Tensor && t.dtype === 'int32';
  const { values, shape } = tf.tidy(() => {
    const x = isInt ? (t as tf.Tensor) : toTensor(t, 'tensor');
    return { values: x.dataSync() as Float32Array | Int32Array, shape: [...x.shape] };
  });
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${isInt ? '<i4' : '<f4'}', 'fortran_order': False, 'shape': ${shapeText}, }`;
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
  const out = new Uint8Array(total + values.length * 4);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLen, true);
  else view.setUint32(8, headerLen, true);
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i);
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.length * 4), total);
  } else {
    for (let i = 0; i < values.length; i++) {
      if (isInt) view.setInt32(total + 4 * i, values[i], true);
      else view.setFloat32(total + 4 * i, values[i], true);
    }
  }
  return out;
}

/**
 * Write a tensor to a NumPy `.npy` file (see {@link encodeNpy}); `np.load(path)` reads it
 * back as float32 (int32 for an int32 tensor).
 */
export async function saveNpy(path: string, t: TensorLike): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) throw new ArgumentError(`path must be a non-empty string; got ${describe(path)}`);
  const bytes = encodeNpy(t);
  try {
    await fs.writeFile(path, bytes);
  } catch (err) {
    throw new ArgumentError(`cannot write .npy file '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
}
