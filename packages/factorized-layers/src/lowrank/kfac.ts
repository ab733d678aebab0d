/**
 * Kronecker factors of a layer's curvature (KFAC; Martens & Grosse, ICML 2015; Grosse &
 * Martens, ICML 2016 for convolutions), in curvlinops' "type-2" (exact) flavour: the output
 * factor backpropagates the columns of the loss Hessian's square root instead of sampled or
 * empirical gradients.
 */
import {
  ArgumentError,
  NotSupportedError,
  ShapeError,
  assertFinite,
  checkIntOption,
  checkProgress,
  checkSignal,
  describe,
  tf,
  toTensor,
  type ProgressCallback,
  type TensorLike,
} from '@tenfold/core';
import { StepProgress, checkNumberOption, checkOptions, optionKeys } from '../internal/checks.js';
import { lossHessianSqrt, type HessianLoss } from './hessian.js';
import { extractPatches } from './patches.js';

export interface KfacOptions {
  /** The loss on the model's output (logits): `'crossEntropy'`, `'mse'` or `'bce'`, as {@link lossHessianSqrt}. */
  loss: HessianLoss;
  /** `'mean'` (default) or `'sum'`: the per-datum scale of {@link lossHessianSqrt}. */
  reduction?: 'mean' | 'sum';
  /** Added to the diagonal of both factors (absolute, curvlinops' `damping`). Default 0. */
  damping?: number;
  /** Data per forward/backward pass. Default 128. */
  batchSize?: number;
  /** Called once before the first batch and after each one (`task: 'kfacFactors'`). */
  onProgress?: ProgressCallback;
  /** Cancels between batches: everything built is disposed and `AbortedError` is thrown. */
  signal?: AbortSignal;
}

const KFAC_OPTIONS = optionKeys<KfacOptions>()('loss', 'reduction', 'damping', 'batchSize', 'onProgress', 'signal');

/** The two Kronecker factors of a layer (the caller owns and disposes both). */
export interface KfacFactors {
  /** `A = E[a aᵀ]` over data (and output positions of a conv): `[D, D]`, `D = in` or `C kh kw`. */
  inputFactor: tf.Tensor2D;
  /** `G = E_n[Σ_positions Σ_columns g gᵀ]`: `[M, M]`, `M` the layer's output features / channels. */
  outputFactor: tf.Tensor2D;
}

type LayerWithActivation = tf.layers.Layer & { activation?: { apply(x: tf.Tensor): tf.Tensor } };

/** `x W + b` of a Dense or Conv2D layer, without its activation. */
function preActivation(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  const cfg = layer.getConfig() as Record<string, unknown>;
  if (layer.getClassName() === 'Dense') {
    const inF = kernel.shape[0];
    const flat = tf.reshape(x, [-1, inF]);
    let y = tf.matMul(flat, kernel as tf.Tensor2D) as tf.Tensor;
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
  }
  const first = cfg.dataFormat === 'channelsFirst';
  const xn = (first ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor4D;
  let y = tf.conv2d(xn, kernel as tf.Tensor4D, cfg.strides as [number, number], cfg.padding as 'same' | 'valid', 'NHWC', cfg.dilationRate as [number, number]) as tf.Tensor;
  if (bias) y = tf.add(y, bias);
  return first ? tf.transpose(y, [0, 3, 1, 2]) : y;
}

function activationName(layer: tf.layers.Layer): unknown {
  return (layer.getConfig() as Record<string, unknown>).activation;
}

/**
 * KFAC factors of one Dense or Conv2D layer of a `tf.Sequential` model on calibration data:
 *
 * - input factor `A = E[a aᵀ]`, `a` the layer's input (a Dense layer) or its im2col patches
 *   (a Conv2D, through {@link extractPatches}: columns in `(c, kh, kw)` order, averaged over
 *   data and output positions — the "expand" convention of Eschenhagen et al. 2023);
 * - output factor `G = (1/N) Σ_n Σ_positions Σ_c g_{n,c} g_{n,c}ᵀ`, where `g_{n,c} = J_nᵀ S_n[:, c]`
 *   backpropagates column `c` of the loss Hessian square root `S_n` ({@link lossHessianSqrt},
 *   `S_n S_nᵀ = ∇²_f ℓ(f_n, y_n)`) from the logits `f` to the layer's pre-activation
 *   `z = W a + b`, through the rest of the network (one `tf.grad` per column of `S`).
 *
 * Then `A ⊗ G` approximates the generalised Gauss-Newton matrix of the loss with respect to
 * the layer's weight `W` (`[D, M]`, the `x ↦ x W` layout); at one datum and one position it
 * is exact. This is curvlinops' `KFACLinearOperator` with `fisher_type='type-2'`, up to a
 * scalar (immaterial to {@link curvatureWeightedLowRank}). The model's output must be the
 * logits; a final `softmax` activation is skipped for `'crossEntropy'` (the loss then acts on
 * its input). Layers run in inference mode.
 *
 * @param inputs calibration inputs `[N, ...]` in the model's input shape.
 * @param targets `[N]` class indices for `'crossEntropy'`, `[N, C]` for `'mse'` and `'bce'`.
 * @throws NotSupportedError for a non-sequential model or a layer that is not Dense / Conv2D.
 * @throws ArgumentError for an unknown layer name or bad options; ShapeError for mismatched
 *   data; NonFiniteError for NaN/Inf inputs; AbortedError when `signal` fires.
 */
export function kfacFactors(model: tf.LayersModel, layerName: string, inputs: TensorLike, targets: TensorLike, options: KfacOptions): KfacFactors {
  if (!(model instanceof tf.Sequential)) {
    throw new NotSupportedError(`model must be a tf.Sequential; got ${describe(model?.constructor?.name ?? model)}`);
  }
  const opts = checkOptions<Partial<KfacOptions>>(options, KFAC_OPTIONS, 'kfacFactors');
  if (opts.loss !== 'mse' && opts.loss !== 'crossEntropy' && opts.loss !== 'bce') {
    throw new ArgumentError(`opts.loss must be 'crossEntropy', 'mse' or 'bce'; got ${describe(opts.loss)}`);
  }
  const loss = opts.loss;
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') throw new ArgumentError(`opts.reduction must be 'mean' or 'sum'; got ${describe(reduction)}`);
  const damping = opts.damping === undefined ? 0 : checkNumberOption(opts.damping, 'opts.damping', 0);
  const batchSize = opts.batchSize === undefined ? 128 : checkIntOption(opts.batchSize, 'opts.batchSize', 1);
  const onProgress = checkProgress(opts.onProgress, 'opts.onProgress');
  const signal = checkSignal(opts.signal, 'opts.signal');
  if (typeof layerName !== 'string') throw new ArgumentError(`layerName must be a string; got ${describe(layerName)}`);
  const layers = model.layers;
  const index = layers.findIndex((l) => l.name === layerName);
  if (index < 0) throw new ArgumentError(`layerName ${describe(layerName)} is not a layer of the model (layers: ${layers.map((l) => l.name).join(', ')})`);
  const layer = layers[index] as LayerWithActivation;
  const cls = layer.getClassName();
  if (cls !== 'Dense' && cls !== 'Conv2D') throw new NotSupportedError(`layer '${layerName}' is a ${cls}; only Dense and Conv2D layers have KFAC factors here`);
  const cfg = layer.getConfig() as Record<string, unknown>;
  if (cls === 'Conv2D' && cfg.padding !== 'same' && cfg.padding !== 'valid') {
    throw new NotSupportedError(`layer '${layerName}': padding ${describe(cfg.padding)} is not supported (only 'same' and 'valid')`);
  }
  const last = layers[layers.length - 1];
  const stripSoftmax = loss === 'crossEntropy' && activationName(last) === 'softmax';
  if (stripSoftmax && last.getClassName() !== 'Dense' && last.getClassName() !== 'Conv2D') {
    throw new NotSupportedError(`the final softmax of layer '${last.name}' (${last.getClassName()}) cannot be skipped; give a model that outputs logits`);
  }
  const kernel = layer.getWeights()[0];
  const inF = kernel.shape[kernel.rank - 2] as number;
  const outF = kernel.shape[kernel.rank - 1] as number;
  const ks: [number, number] = cls === 'Conv2D' ? [kernel.shape[0] as number, kernel.shape[1] as number] : [1, 1];
  const d = inF * ks[0] * ks[1];

  const x = toTensor(inputs, 'inputs');
  const y = toTensor(targets, 'targets');
  const owned = [x !== inputs ? x : null, y !== targets ? y : null].filter((t): t is tf.Tensor => t !== null);
  let aSum: tf.Tensor2D | null = null;
  let gSum: tf.Tensor2D | null = null;
  try {
    const want = model.inputs[0].shape;
    if (x.rank !== want.length || want.some((v, i) => i > 0 && v !== null && v !== x.shape[i])) {
      throw new ShapeError(`inputs must match the model input shape ${describe(want)}; got shape ${describe(x.shape)}`);
    }
    const n = x.shape[0];
    if (n < 1) throw new ShapeError(`inputs must hold at least one datum; got shape ${describe(x.shape)}`);
    const yRank = loss === 'crossEntropy' ? 1 : 2;
    if (y.rank !== yRank || y.shape[0] !== n) {
      throw new ShapeError(`targets must be ${loss === 'crossEntropy' ? '[N] class indices' : '[N, C]'} with N = ${n} for loss '${loss}'; got shape ${describe(y.shape)}`);
    }
    assertFinite(x, 'inputs');
    assertFinite(y, 'targets');

    // The network after the layer's pre-activation z, up to the logits.
    const head = (z: tf.Tensor): tf.Tensor => {
      let h = z;
      if (!(stripSoftmax && index === layers.length - 1)) h = layer.activation ? layer.activation.apply(h) : h;
      for (let i = index + 1; i < layers.length; i++) {
        h = stripSoftmax && i === layers.length - 1 ? preActivation(layers[i], h) : (layers[i].apply(h) as tf.Tensor);
      }
      return h;
    };
    const batches = Math.ceil(n / batchSize);
    const progress = new StepProgress('kfacFactors', onProgress, signal, batches);
    progress.begin(undefined, layerName);
    let rowsA = 0;
    aSum = tf.zeros([d, d]);
    gSum = tf.zeros([outF, outF]);
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * batchSize;
      const size = Math.min(batchSize, n - start);
      const step = tf.tidy(() => {
        let a = tf.slice(x, start, size);
        for (let i = 0; i < index; i++) a = layers[i].apply(a) as tf.Tensor;
        let aMat: tf.Tensor2D;
        if (cls === 'Dense') aMat = tf.reshape(a, [-1, inF]);
        else {
          const nchw = cfg.dataFormat === 'channelsFirst' ? a : tf.transpose(a, [0, 3, 1, 2]);
          const p = extractPatches(nchw, { kernelSize: ks, stride: cfg.strides as [number, number], padding: cfg.padding as 'same', dilation: cfg.dilationRate as [number, number] });
          aMat = tf.reshape(p, [-1, d]);
        }
        const z = preActivation(layer, a);
        const f = head(z);
        if (f.rank !== 2) throw new ShapeError(`the model output must be 2-D logits [N, C]; got shape ${describe(f.shape)}`);
        const c = f.shape[1] as number;
        const ySlice = tf.slice(y, start, size);
        const sList: tf.Tensor2D[] = [];
        for (let r = 0; r < size; r++) {
          sList.push(lossHessianSqrt(tf.slice(f, r, 1), tf.slice(ySlice, r, 1), { loss, reduction }));
        }
        const S = tf.stack(sList) as tf.Tensor3D; // [B, C, C]
        let gAcc = tf.zeros([outF, outF]) as tf.Tensor2D;
        for (let col = 0; col < c; col++) {
          const v = tf.reshape(tf.slice(S, [0, 0, col], [size, c, 1]), [size, c]);
          const gz = tf.grad((zz: tf.Tensor) => tf.sum(tf.mul(head(zz), v)))(z);
          const gc = cls === 'Conv2D' && cfg.dataFormat === 'channelsFirst' ? tf.transpose(gz, [0, 2, 3, 1]) : gz;
          const gm = tf.reshape(gc, [-1, outF]) as tf.Tensor2D;
          gAcc = tf.add(gAcc, tf.matMul(tf.transpose(gm), gm));
        }
        return { a: tf.add(aSum!, tf.matMul(tf.transpose(aMat), aMat)) as tf.Tensor2D, g: tf.add(gSum!, gAcc) as tf.Tensor2D, rows: aMat.shape[0] };
      });
      aSum.dispose();
      gSum.dispose();
      aSum = step.a;
      gSum = step.g;
      rowsA += step.rows;
      progress.step(bi + 1, undefined, layerName);
    }
    const result = tf.tidy(() => ({
      inputFactor: tf.add(tf.div(aSum!, rowsA), tf.mul(tf.eye(d), damping)) as tf.Tensor2D,
      outputFactor: tf.add(tf.div(gSum!, n), tf.mul(tf.eye(outF), damping)) as tf.Tensor2D,
    }));
    return result;
  } finally {
    aSum?.dispose();
    gSum?.dispose();
    tf.dispose(owned);
  }
}
