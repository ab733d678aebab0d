/**
 * Little-endian element types as they appear in array files (`.npy`, `.npz`,
 * `.safetensors`), and their conversion to the dtypes a tf.Tensor can hold.
 *
 * tfjs has float32, int32 and bool only, so: every float type becomes float32 (float64
 * rounds, float16 and bfloat16 widen exactly); every integer type becomes float32 by
 * default (exact up to 2^24), or int32 with `keepInt32` (int64 / uint32 values outside
 * the int32 range then throw); bool becomes float32 0/1, or a bool tensor with `keepInt32`.
 * Decoding reads through a DataView, never the host's byte order, so it is browser-safe.
 */
import * as tf from '@tensorflow/tfjs';
import { NotSupportedError } from '../errors/index.js';

/** An element type of an array file, in the order NumPy spells them (`<f4` -> `'f4'`). */
export type WireDtype = 'f2' | 'bf16' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1';

/** Bytes per element. */
export const WIRE_BYTES: Readonly<Record<WireDtype, number>> = {
  f2: 2, bf16: 2, f4: 4, f8: 8, i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1,
};

/** Whether this host stores numbers little-endian (true on every platform Node and browsers ship on). */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decoded values ready for `tf.tensor(values, shape, dtype)`. */
export interface DecodedValues {
  values: Float32Array | Int32Array | Uint8Array;
  dtype: 'float32' | 'int32' | 'bool';
}

const INT_NAMES: Partial<Record<WireDtype, string>> = { i8: 'int64', u4: 'uint32', u8: 'uint64' };

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 -> number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 (the top half of a float32) -> number (exact). */
function bf16ToFloat(h: number): number {
  u32[0] = h << 16;
  return f32[0];
}

/**
 * Decode `count` little-endian elements of type `kind` starting at `bytes[offset]`.
 * `source` names the file and array in errors.
 *
 * @throws NotSupportedError when `keepInt32` is set and a 64-bit or unsigned 32-bit value
 *   does not fit int32
 */
export function decodeLittleEndian(bytes: Uint8Array, offset: number, kind: WireDtype, count: number, keepInt32: boolean, source: string): DecodedValues {
  const nBytes = count * WIRE_BYTES[kind];
  // Copy into an aligned buffer of our own (a Node Buffer is a view into a shared pool
  // at any byte offset).
  const payload = new Uint8Array(nBytes);
  payload.set(bytes.subarray(offset, offset + nBytes));
  if (kind === 'f4' && LITTLE_ENDIAN_HOST) return { values: new Float32Array(payload.buffer, 0, count), dtype: 'float32' };
  if (kind === 'b1') {
    if (keepInt32) return { values: payload.map((b) => (b ? 1 : 0)), dtype: 'bool' };
    return { values: Float32Array.from(payload, (b) => (b ? 1 : 0)), dtype: 'float32' };
  }
  const dv = new DataView(payload.buffer);
  const isInt = kind[0] === 'i' || kind[0] === 'u';
  const asInt = isInt && keepInt32;
  const out = asInt ? new Int32Array(count) : new Float32Array(count);
  const read = reader(dv, kind);
  for (let i = 0; i < count; i++) {
    const v = read(i);
    if (asInt && (v > 2147483647 || v < -2147483648)) {
      throw new NotSupportedError(`${source}: element ${i} (${v}) of an ${INT_NAMES[kind] ?? kind} array does not fit int32; load it without keepInt32 (as float32)`);
    }
    out[i] = v;
  }
  return { values: out, dtype: asInt ? 'int32' : 'float32' };
}

function reader(dv: DataView, kind: WireDtype): (i: number) => number {
  switch (kind) {
    case 'f2': return (i) => halfToFloat(dv.getUint16(2 * i, true));
    case 'bf16': return (i) => bf16ToFloat(dv.getUint16(2 * i, true));
    case 'f4': return (i) => dv.getFloat32(4 * i, true);
    case 'f8': return (i) => dv.getFloat64(8 * i, true);
    case 'i1': return (i) => dv.getInt8(i);
    case 'i2': return (i) => dv.getInt16(2 * i, true);
    case 'i4': return (i) => dv.getInt32(4 * i, true);
    case 'i8': return (i) => Number(dv.getBigInt64(8 * i, true));
    case 'u1': return (i) => dv.getUint8(i);
    case 'u2': return (i) => dv.getUint16(2 * i, true);
    case 'u4': return (i) => dv.getUint32(4 * i, true);
    case 'u8': return (i) => Number(dv.getBigUint64(8 * i, true));
    default: return () => 0;
  }
}

/** Build the tensor for decoded values; Fortran-ordered data is transposed back on the backend. */
export function decodedToTensor(d: DecodedValues, shape: number[], fortranOrder = false): tf.Tensor {
  if (!fortranOrder || shape.length < 2) return tf.tensor(d.values, shape, d.dtype);
  // Fortran order is C order of the reversed shape.
  return tf.tidy(() => {
    const reversed = [...shape].reverse();
    return tf.transpose(tf.tensor(d.values, reversed, d.dtype), reversed.map((_, i) => reversed.length - 1 - i));
  });
}

/** The wire type a tensor is written as: float32 -> f4, int32 -> i4, bool -> b1. */
export function wireDtypeOf(dtype: tf.DataType): 'f4' | 'i4' | 'b1' {
  return dtype === 'int32' ? 'i4' : dtype === 'bool' ? 'b1' : 'f4';
}

/** Little-endian bytes of a tensor's values (f4, i4 or b1, see {@link wireDtypeOf}). */
export function encodeLittleEndian(values: Float32Array | Int32Array | Uint8Array, kind: 'f4' | 'i4' | 'b1'): Uint8Array {
  if (kind === 'b1') return Uint8Array.from(values as ArrayLike<number>, (v) => (v ? 1 : 0));
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (kind === 'i4') dv.setInt32(4 * i, values[i], true);
    else dv.setFloat32(4 * i, values[i], true);
  }
  return out;
}
