/**
 * Sizes of a tfjs Dense / Conv2D layer in Composer's terms: `fan_in = in Π k`, output
 * positions, parameters and FLOPs. Read from the layer's config and weights only.
 */
import { tf } from '@tenfold/core';

/** The layer classes compressModel factorizes. */
export type CompressibleClass = 'Dense' | 'Conv2D';

export interface LayerInfo {
  layer: tf.layers.Layer;
  cls: CompressibleClass;
  inF: number;
  outF: number;
  /** `[kh, kw]`, `[1, 1]` for Dense. */
  kernelSize: [number, number];
  fanIn: number;
  positions: number;
  hasBias: boolean;
  channelsFirst: boolean;
  activation: string;
  paramsBefore: number;
  flopsBefore: number;
}

/** The output shape of a layer's first call (a shared layer may have several). */
function firstOutputShape(layer: tf.layers.Layer): (number | null)[] {
  const nodes = (layer as unknown as { inboundNodes: { outputShapes: tf.Shape | tf.Shape[] }[] }).inboundNodes;
  const s = nodes.length > 0 ? nodes[0].outputShapes : layer.outputShape;
  return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
}

/** Sizes of a built Dense / Conv2D layer, or null for any other layer. */
export function layerInfo(layer: tf.layers.Layer): LayerInfo | null {
  const cls = layer.getClassName();
  if (cls !== 'Dense' && cls !== 'Conv2D') return null;
  const ws = layer.getWeights();
  if (ws.length === 0) return null;
  const kernel = ws[0];
  const cfg = layer.getConfig() as Record<string, unknown>;
  const kernelSize: [number, number] = cls === 'Dense' ? [1, 1] : [kernel.shape[0] as number, kernel.shape[1] as number];
  const inF = kernel.shape[kernel.rank - 2];
  const outF = kernel.shape[kernel.rank - 1];
  const fanIn = inF * kernelSize[0] * kernelSize[1];
  const channelsFirst = cfg.dataFormat === 'channelsFirst';
  const out = firstOutputShape(layer);
  const inner = cls === 'Conv2D' && channelsFirst ? out.slice(2) : out.slice(1, -1);
  const positions = inner.reduce<number>((a, d) => a * (d ?? 1), 1);
  const hasBias = ws.length > 1;
  return {
    layer,
    cls,
    inF,
    outF,
    kernelSize,
    fanIn,
    positions,
    hasBias,
    channelsFirst,
    activation: typeof cfg.activation === 'string' ? cfg.activation : 'linear',
    paramsBefore: fanIn * outF + (hasBias ? outF : 0),
    flopsBefore: 2 * positions * fanIn * outF,
  };
}

/** The kernel as a `(fan_in, out)` matrix (rows in tfjs' `(kh, kw, in)` order). Caller disposes. */
export function kernelMatrix(info: LayerInfo): tf.Tensor2D {
  return tf.reshape(info.layer.getWeights()[0], [info.fanIn, info.outF]);
}
