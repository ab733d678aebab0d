/**
 * The graph of a tfjs LayersModel as compressModel walks it: fresh copies of layers from
 * their config, and the model's own call nodes in topological order.
 */
import * as tf from '@tensorflow/tfjs';
import { NotSupportedError } from '@tenfold/core';

type LayerCtor = [new (cfg: unknown) => tf.layers.Layer, (cls: unknown, cfg: unknown) => tf.layers.Layer];

function classMap(): Record<string, LayerCtor> {
  return (tf.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, LayerCtor> }).classNameMap;
}

/** True when the layer's class is registered with tf.serialization (so it can be copied). */
export function isCloneable(layer: tf.layers.Layer): boolean {
  return classMap()[layer.getClassName()] !== undefined;
}

/**
 * A fresh, unbuilt copy of a layer from its config (tfjs' own serialization registry);
 * `override` replaces config keys (e.g. `batchInputShape`).
 * @throws NotSupportedError when the class is not registered
 */
export function cloneLayer(layer: tf.layers.Layer, override: Record<string, unknown> = {}): tf.layers.Layer {
  const entry = classMap()[layer.getClassName()];
  if (!entry) throw new NotSupportedError(`layer '${layer.name}' of class ${layer.getClassName()} is not registered with tf.serialization and cannot be copied`);
  return entry[1](entry[0], { ...layer.getConfig(), ...override });
}

/** One call of a layer inside the model (tfjs' `Node`). */
export interface GraphNode {
  outboundLayer: tf.layers.Layer;
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

interface ContainerInternals {
  nodesByDepth: Record<string, GraphNode[]>;
  containerNodes: Set<string>;
}

/**
 * The model's call nodes from the inputs to the outputs (decreasing depth, as tfjs' own
 * `Container.execute` visits them), without the input layers' nodes and without calls of a
 * shared layer that belong to another model.
 */
export function modelNodes(model: tf.LayersModel): GraphNode[] {
  const c = model as unknown as ContainerInternals;
  const depths = Object.keys(c.nodesByDepth).map(Number).sort((a, b) => b - a);
  const out: GraphNode[] = [];
  for (const d of depths) {
    for (const node of c.nodesByDepth[d]) {
      const layer = node.outboundLayer;
      if (layer.getClassName() === 'InputLayer') continue;
      const idx = (layer as unknown as { inboundNodes: GraphNode[] }).inboundNodes.indexOf(node);
      if (!c.containerNodes.has(`${layer.name}_ib-${idx}`)) continue;
      out.push(node);
    }
  }
  return out;
}

/** Apply a chain of layers (each with the node's call arguments on the first). */
export function applyChain<T extends tf.Tensor | tf.SymbolicTensor>(chain: readonly tf.layers.Layer[], inputs: T[], callArgs?: Record<string, unknown>): T[] {
  let cur: T | T[] = inputs.length === 1 ? inputs[0] : inputs;
  chain.forEach((l, i) => {
    cur = l.apply(cur as never, i === 0 ? (callArgs as never) : undefined) as T | T[];
  });
  return Array.isArray(cur) ? cur : [cur];
}
