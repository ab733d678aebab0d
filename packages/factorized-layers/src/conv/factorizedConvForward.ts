/**
 * Forward passes of a convolution whose kernel is a factorized tensor, on channels-last
 * tensors `(N, *spatial, C)`, and their FLOP model. tltorch 0.5 `functional/convolution.py`
 * (`cp_conv`, `tucker_conv`, `tt_conv`, `convolve`); the kernel is never rebuilt by the
 * 'factorized' paths:
 *
 * - CP, factors `[F_out (out, R), F_in (in, R), F_k1 (k_1, R), ...]`, weights `w` (Kim et al.,
 *   "Compression of deep CNNs", ICLR 2016; Lebedev et al., ICLR 2015): a 1x1 conv `in -> R`
 *   (`x F_in`), one depthwise 1-D conv per spatial mode (groups = R, kernel `F_ki^T`, with that
 *   mode's stride / padding / dilation), then a 1x1 conv `R -> out` with `(F_out diag(w))^T`
 *   (the weights folded into the last factor) plus the bias.
 * - Tucker, core `(R_out, R_in, *r_k)` (Kim et al. 2016): a 1x1 conv `in -> R_in`, a full conv
 *   with `core x_2 F_k1 x_3 F_k2 ...` `(R_out, R_in, *k)` (fixed spatial modes keep their size),
 *   a 1x1 conv `R_out -> out`.
 * - TT over `(in, *k, out)`, cores `G_in (1, in, r_1), G_ki (r_i, k_i, r_{i+1}), G_out (r, out, 1)`:
 *   a 1x1 conv with `G_in`, one 1-D conv `r_i -> r_{i+1}` per spatial mode, a 1x1 conv with `G_out`.
 * - dense, and every kind with 'reconstructed': one conv with the full kernel (any groups).
 *
 * FLOPs: a conv costs `2 N prod(out spatial) C_out (C_in / groups) prod(k)`; a 1x1 conv is a
 * matmul `2 N prod(spatial) C_in C_out`; rebuilding the kernel costs its TensorLy
 * reconstruction (CP `2 R numel`, Tucker mode products, TT chain matmuls).
 */
import { multiModeDot, tf } from '@tenfold/core';
import { type FactorizedParams, type TensorFactorization, factorizedToTensor } from '../factorized/params.js';
import { conv1dAlongMode, convNdChannelsLast } from './sequence.js';

export type ConvImplementation = 'factorized' | 'reconstructed';

/** Explicit geometry of one convolution: per spatial dim stride, `[before, after]` padding, dilation. */
export interface ResolvedConvGeometry {
  stride: number[];
  padding: [number, number][];
  dilation: number[];
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** `(N, *s, C) @ M (C, D)` -> `(N, *s, D)`: a 1x1 convolution as one matmul. */
function pointwise(x: tf.Tensor, m: tf.Tensor): tf.Tensor {
  const lead = x.shape.slice(0, -1);
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), m), [...lead, m.shape[1] as number]);
}

/** The torch-layout kernel `(out, in / groups, *k)` of unbatched params (TT's out mode moved first). */
export function kernelFromParams(p: FactorizedParams): tf.Tensor {
  return tf.tidy(() => {
    const t = factorizedToTensor(p);
    if (p.kind !== 'tt') return t;
    const n = t.rank;
    return tf.transpose(t, [n - 1, ...Array.from({ length: n - 1 }, (_, i) => i)]);
  });
}

/**
 * `y = conv(x, W) + b` for channels-last `x (N, *s, in)` and unbatched kernel parameters `p`.
 * Internal: shapes are checked by the caller; call inside `tf.tidy`.
 */
export function factorizedConvForward(
  x: tf.Tensor,
  p: FactorizedParams,
  g: ResolvedConvGeometry,
  groups: number,
  bias: tf.Tensor | null,
  implementation: ConvImplementation,
): tf.Tensor {
  const order = x.rank - 2;
  const b = bias as tf.Tensor1D | null;
  if (implementation === 'reconstructed' || p.kind === 'dense') {
    return convNdChannelsLast(x, kernelFromParams(p), g.stride, g.padding, g.dilation, groups, b);
  }
  let h: tf.Tensor;
  switch (p.kind) {
    case 'cp': {
      const r = p.weights.shape[0];
      h = pointwise(x, p.factors[1]);
      for (let m = 0; m < order; m++) {
        const k = tf.reshape(tf.transpose(p.factors[m + 2]), [r, 1, p.factors[m + 2].shape[0]]);
        h = conv1dAlongMode(h, k, m, g.stride[m], g.padding[m], g.dilation[m], r);
      }
      h = pointwise(h, tf.transpose(tf.mul(p.factors[0], p.weights)));
      break;
    }
    case 'tucker': {
      h = pointwise(x, p.factors[1]);
      const kernel = multiModeDot(p.core, p.factors.slice(2), { modes: p.factors.slice(2).map((_, i) => i + 2) });
      h = convNdChannelsLast(h, kernel, g.stride, g.padding, g.dilation, 1);
      h = pointwise(h, tf.transpose(p.factors[0]));
      break;
    }
    case 'tt': {
      const f = p.factors;
      h = pointwise(x, tf.reshape(f[0], [f[0].shape[1] as number, f[0].shape[2] as number]));
      for (let m = 0; m < order; m++) {
        const k = tf.transpose(f[m + 1], [2, 0, 1]); // (r_i, k, r_{i+1}) -> (r_{i+1}, r_i, k)
        h = conv1dAlongMode(h, k, m, g.stride[m], g.padding[m], g.dilation[m], 1);
      }
      const last = f[f.length - 1];
      h = pointwise(h, tf.reshape(last, [last.shape[0], last.shape[1] as number]));
      break;
    }
  }
  return b ? tf.add(h, b) : h;
}

/** What the FLOP model needs to know about one (unbatched) factorized conv. */
export interface ConvFlopShape {
  factorization: TensorFactorization;
  /** Unbatched rank: R (CP), `[R_out, R_in, *r_k]` (Tucker), `[1, r_1, ..., 1]` (TT), null. */
  rank: number | number[] | null;
  inChannels: number;
  outChannels: number;
  kernelSize: number[];
  groups: number;
}

export interface ConvFlops {
  /** A plain conv with the same kernel. */
  dense: number;
  factorized: number;
  /** Rebuilding the kernel + a plain conv. */
  reconstructed: number;
  /** What 'auto' picks (the cheaper; factorized on a tie). */
  cheaper: ConvImplementation;
}

/** Spatial sizes after each step: `sizes[m]` is the output size of mode m. */
function outSize(i: number, k: number, s: number, d: number, pad: [number, number]): number {
  return Math.floor((i + pad[0] + pad[1] - d * (k - 1) - 1) / s) + 1;
}

/** FLOPs of each implementation for a batch of `n` inputs of spatial size `spatial`. */
export function convFlops(c: ConvFlopShape, n: number, spatial: readonly number[], g: ResolvedConvGeometry): ConvFlops {
  const k = c.kernelSize;
  const order = k.length;
  const out = spatial.map((s, m) => outSize(s, k[m], g.stride[m], g.dilation[m], g.padding[m]));
  const numel = c.outChannels * (c.inChannels / c.groups) * prod(k);
  const dense = 2 * n * prod(out) * numel;
  let factorized = dense;
  let rebuild = 0;
  const cur = [...spatial];
  switch (c.factorization) {
    case 'cp': {
      const r = c.rank as number;
      factorized = 2 * n * prod(spatial) * c.inChannels * r;
      for (let m = 0; m < order; m++) {
        cur[m] = out[m];
        factorized += 2 * n * r * k[m] * prod(cur);
      }
      factorized += 2 * n * prod(out) * r * c.outChannels + r * c.outChannels;
      rebuild = 2 * r * numel;
      break;
    }
    case 'tucker': {
      const r = c.rank as number[];
      let core = prod(r);
      let build = 0;
      for (let m = 0; m < order; m++) {
        build += 2 * (core / r[m + 2]) * r[m + 2] * k[m];
        core = (core / r[m + 2]) * k[m];
      }
      factorized = 2 * n * prod(spatial) * c.inChannels * r[1] + build + 2 * n * prod(out) * r[0] * r[1] * prod(k) + 2 * n * prod(out) * r[0] * c.outChannels;
      rebuild = build + 2 * r[0] * c.inChannels * r[1] * prod(k) + 2 * c.outChannels * r[0] * c.inChannels * prod(k);
      break;
    }
    case 'tt': {
      const r = c.rank as number[];
      factorized = 2 * n * prod(spatial) * c.inChannels * r[1];
      for (let m = 0; m < order; m++) {
        cur[m] = out[m];
        factorized += 2 * n * r[m + 1] * r[m + 2] * k[m] * prod(cur);
      }
      factorized += 2 * n * prod(out) * r[order + 1] * c.outChannels;
      // Chain: after mode j the partial product is (prod of the first j+1 dims, r_{j+1}).
      const dims = [c.inChannels, ...k, c.outChannels];
      let rows = dims[0];
      for (let j = 1; j < dims.length; j++) {
        rebuild += 2 * rows * r[j] * dims[j] * r[j + 1];
        rows *= dims[j];
      }
      break;
    }
    case 'dense':
      break;
  }
  const reconstructed = dense + rebuild;
  if (c.factorization === 'dense') factorized = dense;
  return { dense, factorized, reconstructed, cheaper: factorized <= reconstructed ? 'factorized' : 'reconstructed' };
}
