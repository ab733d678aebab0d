/**
 * NumPy `.npz` bytes: a zip archive of `.npy` members, stored (`np.savez`) or deflated
 * (`np.savez_compressed`); see `numpy/lib/npyio.py`. Browser-safe (zip and deflate by
 * `fflate`); the file functions `loadNpz` / `saveNpz` live in `@tenfold/core/node`.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, TenfoldError, describe } from '../errors/index.js';
import { encodeNpy, parseNpy, type LoadNpyOptions } from './npy.js';
import type { TensorLike } from './tensorLike.js';

export interface EncodeNpzOptions {
  /** Deflate the members, as `np.savez_compressed` does (default false: stored, as `np.savez`). */
  compress?: boolean;
}

const ENCODE_OPTIONS = optionKeys<EncodeNpzOptions>()('compress');
const PARSE_OPTIONS = optionKeys<LoadNpyOptions>()('keepInt32');

/** Check that `arrays` is a plain object of named arrays. */
export function checkNamedArrays(arrays: unknown, argName = 'arrays'): Record<string, TensorLike> {
  if (typeof arrays !== 'object' || arrays === null || Array.isArray(arrays) || arrays instanceof tf.Tensor) {
    throw new ArgumentError(`${argName} must be an object mapping names to tensors, e.g. { weight: w }; got ${describe(arrays)}`);
  }
  for (const key of Object.keys(arrays)) {
    if (key.length === 0) throw new ArgumentError(`${argName} has an empty name; every array needs a non-empty name`);
  }
  return arrays as Record<string, TensorLike>;
}

/**
 * Decode an in-memory `.npz` archive into named tensors (`np.load(file)[name]`; the
 * `.npy` suffix of each member is dropped). Members that are not `.npy` files are
 * skipped. Each member is decoded as {@link parseNpy} does; the caller owns (and
 * disposes) the returned tensors. `source` names the file in errors.
 *
 * @throws ArgumentError when the bytes are not a zip archive or a member is malformed,
 *   naming the file and the member; NotSupportedError for a member of an unsupported dtype
 */
export function parseNpz(bytes: Uint8Array, source = '<buffer>', options: LoadNpyOptions = {}): Record<string, tf.Tensor> {
  options = checkOptions(options, PARSE_OPTIONS, 'parseNpz');
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`bytes of ${source} must be a Uint8Array (or a Node Buffer); got ${describe(bytes)}`);
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (err) {
    throw new ArgumentError(`${source} is not a readable .npz (zip) archive: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const [member, data] of Object.entries(members)) {
      if (!member.endsWith('.npy')) continue;
      const name = member.slice(0, -4);
      out[name] = parseNpy(data, `${source} member '${member}'`, options);
    }
  } catch (err) {
    for (const t of Object.values(out)) t.dispose();
    if (err instanceof TenfoldError) throw err;
    throw new ArgumentError(`${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return out;
}

/**
 * Encode named tensors as `.npz` bytes that `np.load` reads: one `<name>.npy` member per
 * array (see {@link encodeNpy}: float32, or int32 / bool for such tf.Tensors), stored or,
 * with `compress`, deflated.
 *
 * @throws ArgumentError for a bad `arrays` object or options; the errors of
 *   {@link encodeNpy} for a bad array
 */
export function encodeNpz(arrays: Record<string, TensorLike>, options: EncodeNpzOptions = {}): Uint8Array {
  options = checkOptions(options, ENCODE_OPTIONS, 'encodeNpz');
  if (options.compress !== undefined && typeof options.compress !== 'boolean') {
    throw new ArgumentError(`options.compress must be a boolean; got ${describe(options.compress)}`);
  }
  const named = checkNamedArrays(arrays);
  const level = options.compress ? 6 : 0;
  const files: Zippable = {};
  for (const [name, value] of Object.entries(named)) {
    let npy: Uint8Array;
    try {
      npy = encodeNpy(value);
    } catch (err) {
      if (err instanceof TenfoldError) err.message = `arrays['${name}']: ${err.message}`;
      throw err;
    }
    files[`${name}.npy`] = [npy, { level }];
  }
  return zipSync(files);
}
