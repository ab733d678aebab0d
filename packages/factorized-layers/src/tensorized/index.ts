export * from './shape.js';
export * from './params.js';
export * from './tensorizedTensor.js';
