/**
 * The epilogue of tfjs's fused kernels (`_FusedMatMul`, `FusedConv2D`): add the bias,
 * then apply the activation, elementwise on the host. Used only where a fix answers a
 * fused kernel without running it (an empty inner dimension), so speed does not matter.
 */
import { broadcastLoop, collapseBroadcast } from './broadcast.js';
import { type KernelArgs } from './wasmBackend.js';
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors/index.js';

const ACTIVATIONS: Record<string, (x: number, alpha: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(x, 0),
  relu6: (x) => Math.min(Math.max(x, 0), 6),
  elu: (x) => (x >= 0 ? x : Math.exp(x) - 1),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  leakyrelu: (x, alpha) => (x < 0 ? alpha * x : x),
  prelu: (x, alpha) => (x < 0 ? alpha * x : x),
};

/** In place on `out` (float32): out = activation(out + bias), as the fused kernel would. */
export function fusedEpilogue(args: KernelArgs, out: tf.TensorInfo): void {
  const { backend, inputs, attrs } = args;
  const dst = backend.typedArrayFromHeap(out);
  const withTensor = (t: tf.TensorInfo | undefined, f: (x: number, y: number) => number): void => {
    if (!t) return;
    const c = collapseBroadcast(out.shape, t.shape, out.shape);
    broadcastLoop(dst, backend.typedArrayFromHeap(t), dst, c, f);
  };
  withTensor(inputs.bias, (x, y) => x + y);
  const activation = String(attrs.activation ?? 'linear');
  const act = ACTIVATIONS[activation];
  if (!act) throw new BackendError(`fused activation '${activation}' is not supported on an empty inner dimension; use one of ${Object.keys(ACTIVATIONS).join(', ')}`);
  if (activation === 'prelu') {
    withTensor(inputs.preluActivationWeights, act);
  } else if (activation !== 'linear') {
    const alpha = Number(attrs.leakyreluAlpha ?? 0.2);
    for (let i = 0; i < dst.length; i++) dst[i] = act(dst[i], alpha);
  }
}
