export * from './tensorLike.js';
export * from './ndarray.js';
export { parseNpy, parseNpyHeader, encodeNpy, type LoadNpyOptions, type NpyHeader } from './npy.js';
export { parseNpz, encodeNpz, type EncodeNpzOptions } from './npz.js';
export {
  parseSafetensors,
  parseSafetensorsHeader,
  encodeSafetensors,
  SAFETENSORS_DTYPES,
  type SafetensorsContents,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors.js';
