export * from './tensorLike.js';
export * from './ndarray.js';
export * from './npy.js';
