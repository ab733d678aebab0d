/**
 * `PadV2` of tfjs-backend-wasm 4.22 runs XNNPACK's `xnn_*_constant_pad_nd_x32`, which takes
 * at most 6 dims: at rank >= 7 it prints `XNN status for xnn_setup_constant_pad_nd_x32 is
 * not successful` and returns the output buffer unwritten.
 *
 * Fix: an axis without padding is merged into the axis before it (its size multiplies that
 * axis' size and padding: the padded blocks are whole rows of it), and size-1 unpadded
 * axes are dropped. Up to 6 axes left: the original kernel on that view. More (7+ padded
 * axes): fill with the constant and copy the input rows in a loop.
 */
import { type KernelArgs, type KernelFn, filled, sizeOf, view, wrapWasmKernel } from './wasmBackend.js';
import { XNN_MAX_DIMS } from './elementwise.js';

type Paddings = Array<[number, number]>;

/** The shape and paddings of an equivalent problem with unpadded axes merged away. */
export function collapsePadding(shape: readonly number[], paddings: Paddings): { shape: number[]; paddings: Paddings } {
  const s: number[] = [];
  const p: Paddings = [];
  for (let i = 0; i < shape.length; i++) {
    const [lo, hi] = paddings[i];
    const d = shape[i];
    const padded = lo !== 0 || hi !== 0;
    if (!padded && d === 1) continue;
    if (!padded && s.length > 0) {
      const k = s.length - 1;
      s[k] *= d;
      p[k] = [p[k][0] * d, p[k][1] * d];
    } else {
      s.push(d);
      p.push([lo, hi]);
    }
  }
  return { shape: s, paddings: p };
}

function padLoop(args: KernelArgs, x: ReturnType<typeof view>, shape: number[], paddings: Paddings, outShape: number[], value: number) {
  const { backend } = args;
  const out = filled(backend, outShape, x.dtype, value);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const r = shape.length;
  const cShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const strides = new Array<number>(r).fill(1);
  for (let i = r - 2; i >= 0; i--) strides[i] = strides[i + 1] * cShape[i + 1];
  const row = shape[r - 1];
  const idx = new Array<number>(r).fill(0);
  let base = 0;
  for (let i = 0; i < r; i++) base += paddings[i][0] * strides[i];
  let o = base;
  for (let s = 0; s < src.length; s += row) {
    dst.set(src.subarray(s, s + row), o);
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]++;
      o += strides[ax];
      if (idx[ax] < shape[ax]) break;
      o -= strides[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

const fixPad = (original: KernelFn): KernelFn => (args) => {
  const { x } = args.inputs;
  if (x.shape.length <= XNN_MAX_DIMS || sizeOf(x.shape) === 0) return original(args);
  const paddings = args.attrs.paddings as Paddings;
  const value = Number(args.attrs.constantValue ?? 0);
  const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  let c = collapsePadding(x.shape, paddings);
  if (c.shape.length === 0) c = { shape: [1], paddings: [[0, 0]] };
  if (c.shape.length <= XNN_MAX_DIMS) {
    const out = original({ ...args, inputs: { x: view(x, c.shape) }, attrs: { ...args.attrs, paddings: c.paddings } }) as ReturnType<typeof view>;
    return { ...out, shape: outShape };
  }
  return padLoop(args, view(x, c.shape), c.shape, c.paddings, outShape, value);
};

/** Install the PadV2 fix (idempotent). */
export function fixPadKernel(): void {
  wrapWasmKernel('PadV2', fixPad);
}
