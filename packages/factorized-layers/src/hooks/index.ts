export { type TensorHook, registerTensorHook, removeTensorHook, tensorHooks, hookedParams, hookedTensor } from './registry.js';
export { TensorDropout, tensorDropout, removeTensorDropout, type TensorDropoutOptions } from './tensorDropout.js';
export { TensorLasso, tensorLasso, type TensorLassoOptions } from './tensorLasso.js';
