/**
 * The two tfjs conv calls of `conv2dNhwc` (a plain NHWC conv and a depthwise one, 'valid'
 * padding), with a route that can be differentiated on the wasm backend.
 *
 * tfjs-backend-wasm 4.22 registers no `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`
 * or `DepthwiseConv2dNativeBackpropFilter`, so `tf.grad` through `tf.conv2d` (with respect to
 * the filter) or `tf.depthwiseConv2d` throws there. While a gradient is being recorded on wasm
 * (`engine.state.gradientDepth > 0`), the same convolutions are computed instead as
 * - a plain conv: `tf.conv2d` with a custom gradient (conv2dTranspose for the input, one
 *   matmul per kernel tap for the filter);
 * - a depthwise conv: the sum over kernel taps of strided windows times the per-channel tap
 *   weights (slice / pad / reshape / mul, all differentiable everywhere).
 * Outside gradients (inference, the benchmarks) the fast kernels run unchanged.
 * As tfjs' own conv gradients, a plain conv with dilation > 1 is not differentiable.
 */
import { tf } from '@tenfold/core';

/** True while a gradient is recorded on the wasm backend. */
export function differentiableRoute(): boolean {
  return tf.getBackend() === 'wasm' && ((tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth ?? 0) > 0;
}

/**
 * `tf.conv2d(x, filter (kh, kw, in, out), stride, 'valid', 'NHWC', dilation)`. On the
 * differentiable route the forward is the same conv2d under `tf.customGrad`: the input
 * gradient is `conv2dTranspose` (wasm has Conv2DBackpropInput) and the filter gradient is one
 * matmul per kernel tap (`filterGradient`). wasm's Conv3D backprops are no way out: its
 * Conv3DBackpropInputV2 returns zeros and its Conv3DBackpropFilterV2 wrong values for some
 * strided shapes (measured against cpu, tfjs 4.22).
 */
export function plainConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, stride: [number, number], dilation: [number, number]): tf.Tensor4D {
  if (!differentiableRoute() || dilation[0] > 1 || dilation[1] > 1) return tf.conv2d(x, filter, stride, 'valid', 'NHWC', dilation);
  const conv = tf.customGrad(((xx: tf.Tensor, ff: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    save([xx, ff]);
    return {
      value: tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, stride, 'valid', 'NHWC'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, fs] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = tf.conv2dTranspose(dy as tf.Tensor4D, fs, xs.shape, stride, 'valid');
        return [dx, filterGradient(xs, dy as tf.Tensor4D, fs.shape, stride)];
      },
    };
  }) as never);
  return conv(x, filter) as tf.Tensor4D;
}

/** Rows `start, start + s, ..., start + (o - 1) s` of axis `axis` (1 or 2) of an NHWC tensor, by slice + pad + reshape. */
export function strided(x: tf.Tensor4D, axis: 1 | 2, start: number, o: number, s: number): tf.Tensor4D {
  const size = x.shape[axis];
  const take = Math.min(o * s, size - start);
  const begin = [0, 0, 0, 0];
  begin[axis] = start;
  const len = [-1, -1, -1, -1];
  len[axis] = take;
  let w = tf.slice(x, begin, len);
  if (take < o * s) {
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[axis] = [0, o * s - take];
    w = tf.pad(w, pads);
  }
  if (s === 1) return w;
  const [b, h, ww, c] = w.shape;
  const split = axis === 1 ? [b, o, s, ww, c] : [b, h, o, s, c];
  const first = tf.slice(tf.reshape(w, split), [0, 0, 0, 0, 0], axis === 1 ? [-1, -1, 1, -1, -1] : [-1, -1, -1, 1, -1]);
  return tf.reshape(first, axis === 1 ? [b, o, ww, c] : [b, h, o, c]) as tf.Tensor4D;
}

/** dL/dW (kh, kw, in, out) of a 'valid' conv: tap (p, q) is `window_pq(x)^T dy` over all positions. */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, shape: number[], stride: [number, number]): tf.Tensor {
  const [kh, kw, cin, cout] = shape;
  const [, oh, ow] = dy.shape;
  const dy2 = tf.reshape(dy, [-1, cout]);
  const taps: tf.Tensor[] = [];
  for (let p = 0; p < kh; p++) {
    const rows = strided(x, 1, p, oh, stride[0]);
    for (let q = 0; q < kw; q++) {
      const win = tf.reshape(strided(rows, 2, q, ow, stride[1]), [-1, cin]);
      taps.push(tf.matMul(win, dy2, true, false));
    }
  }
  return tf.reshape(tf.stack(taps), [kh, kw, cin, cout]);
}

/** `tf.depthwiseConv2d(x, filter (kh, kw, c, mult), stride, 'valid', 'NHWC', dilation)`. */
export function depthwiseConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, stride: [number, number], dilation: [number, number]): tf.Tensor4D {
  if (!differentiableRoute()) return tf.depthwiseConv2d(x, filter, stride, 'valid', 'NHWC', dilation);
  const [kh, kw, c, mult] = filter.shape;
  const [b, hh, ww] = x.shape;
  const oh = Math.floor((hh - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((ww - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  let acc: tf.Tensor | null = null;
  for (let p = 0; p < kh; p++) {
    const rows = strided(x, 1, p * dilation[0], oh, stride[0]);
    for (let q = 0; q < kw; q++) {
      const win = strided(rows, 2, q * dilation[1], ow, stride[1]);
      const tap = tf.reshape(tf.slice(filter, [p, q, 0, 0], [1, 1, -1, -1]), [c, mult]);
      const term = mult === 1 ? tf.mul(win, tf.reshape(tap, [c])) : tf.reshape(tf.mul(tf.expandDims(win, 4), tap), [b, oh, ow, c * mult]);
      acc = acc ? tf.add(acc, term) : term;
    }
  }
  return acc as tf.Tensor4D;
}

/**
 * `tf.conv3d(x, filter (kd, kh, kw, in, out), stride, 'valid', 'NDHWC', dilation)`. On the
 * differentiable route (wasm's Conv3D backprops are wrong for strides > 1), a sum over depth
 * taps of 2-D convs of the strided depth slices, each through `plainConv2d`.
 */
export function conv3dValid(x: tf.Tensor5D, filter: tf.Tensor5D, stride: [number, number, number], dilation: [number, number, number]): tf.Tensor5D {
  if (!differentiableRoute()) return tf.conv3d(x, filter, stride, 'valid', 'NDHWC', dilation);
  const [n, d, h, w, c] = x.shape;
  const [kd, , , , cout] = filter.shape;
  const od = Math.floor((d - dilation[0] * (kd - 1) - 1) / stride[0]) + 1;
  const flat = tf.reshape(x, [n, d, h * w, c]) as tf.Tensor4D;
  let acc: tf.Tensor | null = null;
  for (let t = 0; t < kd; t++) {
    const slab = tf.reshape(strided(flat, 1, t * dilation[0], od, stride[0]), [n * od, h, w, c]) as tf.Tensor4D;
    const f = tf.reshape(tf.slice(filter, [t, 0, 0, 0, 0], [1, -1, -1, -1, -1]), [filter.shape[1], filter.shape[2], filter.shape[3], filter.shape[4]]) as tf.Tensor4D;
    const y = plainConv2d(slab, f, [stride[1], stride[2]], [dilation[1], dilation[2]]);
    acc = acc ? tf.add(acc, y) : y;
  }
  const y4 = acc as tf.Tensor4D;
  return tf.reshape(y4, [n, od, y4.shape[1], y4.shape[2], cout]) as tf.Tensor5D;
}
