/**
 * The Dense / Conv weights of a tfjs model or a weights file, in Tenfold's (PyTorch) layout:
 * a conv kernel `(out, in, kh, kw)`, a dense weight `(out, in)`.
 */
import { tf } from '@tenfold/core';
import { kernelFromTfjs } from '@tenfold/factorized-layers';
import { readArrays } from '../files/arrays.js';
import { isModelPath, readModelFile } from '../files/model.js';
import { readModelWeights } from '../files/modelWeights.js';

export interface LayerWeight {
  name: string;
  kind: 'conv' | 'dense' | 'array';
  /** The weight in PyTorch layout (owned by the caller). */
  weight: tf.Tensor;
}

export interface LayerWeights {
  source: 'layers' | 'graph' | 'manifest' | 'file';
  layers: LayerWeight[];
  /** Weights left out, with why (biases, depthwise filters, ...). */
  skipped: { name: string; shape: number[]; why: string }[];
}

/**
 * tfjs model: every 4-D kernel `(kh, kw, in, out)` that is not depthwise becomes a conv weight,
 * every 2-D kernel `(in, out)` a dense weight; other weights are skipped. Weights file: every
 * array of order >= 2, as stored (assumed PyTorch layout).
 */
export async function layerWeights(target: string): Promise<LayerWeights> {
  const skipped: LayerWeights['skipped'] = [];
  const layers: LayerWeight[] = [];
  if (await isModelPath(target)) {
    const m = await readModelFile(target);
    for (const { name, tensor } of await readModelWeights(m)) {
      const shape = [...tensor.shape];
      if (tensor.rank === 4 && /depthwise/i.test(name)) skipped.push({ name, shape, why: 'depthwise filter' });
      else if (tensor.rank === 4) layers.push({ name, kind: 'conv', weight: kernelFromTfjs(tensor) });
      else if (tensor.rank === 2) layers.push({ name, kind: 'dense', weight: tf.transpose(tensor) });
      else skipped.push({ name, shape, why: tensor.rank === 1 ? 'vector (bias / scale)' : `order ${tensor.rank}` });
      tensor.dispose();
    }
    return { source: m.kind, layers, skipped };
  }
  for (const { name, tensor } of await readArrays(target)) {
    if (tensor.rank >= 2) layers.push({ name, kind: 'array', weight: tensor });
    else {
      skipped.push({ name, shape: [...tensor.shape], why: `order ${tensor.rank}` });
      tensor.dispose();
    }
  }
  return { source: 'file', layers, skipped };
}
