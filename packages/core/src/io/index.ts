export * from './tensorLike.js';
