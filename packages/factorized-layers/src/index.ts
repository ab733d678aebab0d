/**
 * @tenfold/factorized-layers — tltorch-style factorized linear layers, Composer-style
 * data-aware low-rank factorization, and CP / Tucker-2 conv decompositions.
 */
export * from './tensorized/index.js';
export * from './linear/index.js';
export * from './lowrank/index.js';
export * from './conv/index.js';
export * from './tfjs-layers/index.js';
export * from './compress/index.js';
