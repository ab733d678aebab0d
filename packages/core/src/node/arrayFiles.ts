/**
 * Array files on disk (Node only): `.npy`, `.npz` and `.safetensors`. The byte-level
 * codecs are browser-safe and live in `src/io`; these functions add reading and atomic
 * writing, with errors naming the file.
 */
import type * as tf from '@tensorflow/tfjs';
import { checkOptions, optionKeys } from '../checks/index.js';
import { encodeNpy, parseNpy, type LoadNpyOptions } from '../io/npy.js';
import { encodeNpz, parseNpz, type EncodeNpzOptions } from '../io/npz.js';
import { encodeSafetensors, parseSafetensors, type SafetensorsContents } from '../io/safetensors.js';
import type { TensorLike } from '../io/tensorLike.js';
import { checkPath, readBytes, writeBytesAtomic } from './files.js';

const LOAD_OPTIONS = optionKeys<LoadNpyOptions>()('keepInt32');

/**
 * Read a NumPy `.npy` file into a tensor (see `parseNpy`: versions 1.0-3.0, C or Fortran
 * order, float/int/uint/bool dtypes converted to float32, or int32 with `keepInt32`).
 *
 * @throws ArgumentError when the file cannot be read or is not `.npy`; NotSupportedError
 *   for an unsupported dtype; ShapeError for truncated data — each naming the file
 */
export async function loadNpy(path: string, options: LoadNpyOptions = {}): Promise<tf.Tensor> {
  options = checkOptions(options, LOAD_OPTIONS, 'loadNpy');
  checkPath(path);
  return parseNpy(await readBytes(path, '.npy'), `'${path}'`, options);
}

/**
 * Write a tensor to a `.npy` file atomically (see `encodeNpy`); `np.load(path)` reads it
 * back as float32 (int32 / bool for such tensors).
 *
 * @throws ArgumentError for a bad path or when the file cannot be written
 */
export async function saveNpy(path: string, t: TensorLike): Promise<void> {
  checkPath(path);
  await writeBytesAtomic(path, encodeNpy(t), '.npy');
}

/**
 * Read a NumPy `.npz` archive (`np.savez` or `np.savez_compressed`) into named tensors
 * (see `parseNpz`). The caller owns the returned tensors.
 *
 * @throws ArgumentError when the file cannot be read or is not a zip of `.npy` files;
 *   NotSupportedError for a member of an unsupported dtype — each naming the file and member
 */
export async function loadNpz(path: string, options: LoadNpyOptions = {}): Promise<Record<string, tf.Tensor>> {
  options = checkOptions(options, LOAD_OPTIONS, 'loadNpz');
  checkPath(path);
  return parseNpz(await readBytes(path, '.npz'), `'${path}'`, options);
}

/**
 * Write named tensors to a `.npz` archive atomically (see `encodeNpz`; `compress` deflates
 * as `np.savez_compressed`).
 *
 * @throws ArgumentError for a bad path, arrays or options, or when the file cannot be written
 */
export async function saveNpz(path: string, arrays: Record<string, TensorLike>, options: EncodeNpzOptions = {}): Promise<void> {
  checkPath(path);
  await writeBytesAtomic(path, encodeNpz(arrays, options), '.npz');
}

/**
 * Read a `.safetensors` file into named tensors and its metadata (see `parseSafetensors`).
 * The caller owns the returned tensors.
 *
 * @throws ArgumentError / ShapeError / NotSupportedError naming the file and the tensor
 *   for a malformed header, bad offsets or an unknown dtype
 */
export async function loadSafetensors(path: string, options: LoadNpyOptions = {}): Promise<SafetensorsContents> {
  options = checkOptions(options, LOAD_OPTIONS, 'loadSafetensors');
  checkPath(path);
  return parseSafetensors(await readBytes(path, '.safetensors'), `'${path}'`, options);
}

/**
 * Write named tensors (and string metadata) to a `.safetensors` file atomically (see
 * `encodeSafetensors`).
 *
 * @throws ArgumentError for a bad path, arrays or metadata, or when the file cannot be written
 */
export async function saveSafetensors(path: string, arrays: Record<string, TensorLike>, metadata: Record<string, string> = {}): Promise<void> {
  checkPath(path);
  await writeBytesAtomic(path, encodeSafetensors(arrays, metadata), '.safetensors');
}
