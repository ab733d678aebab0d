/**
 * Broadcasting without a rank limit: merge adjacent axes that broadcast the same way
 * (so a rank-8 problem is usually a rank-2 or rank-3 one), and a plain strided loop for
 * what still has more dims than a kernel can take.
 */

/** Equal-rank shapes of `a`, `b` and the output, with same-pattern adjacent axes merged. */
export interface Collapsed {
  a: number[];
  b: number[];
  out: number[];
}

/**
 * Collapse a broadcast of `aShape` with `bShape` to `outShape` (numpy rules, leading
 * dims aligned right). Output axes of size 1 are dropped; runs of adjacent axes on which
 * `a` and `b` are each either full or broadcast in the same way are merged into one.
 * The element order of all three is unchanged, so the collapsed problem reads and writes
 * the same buffers.
 */
export function collapseBroadcast(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): Collapsed {
  const r = outShape.length;
  const at = (s: readonly number[], i: number): number => (i - (r - s.length) >= 0 ? s[i - (r - s.length)] : 1);
  const res: Collapsed = { a: [], b: [], out: [] };
  let prev = '';
  for (let i = 0; i < r; i++) {
    const o = outShape[i];
    if (o === 1) continue;
    const aFull = at(aShape, i) !== 1;
    const bFull = at(bShape, i) !== 1;
    const kind = `${aFull ? 1 : 0}${bFull ? 1 : 0}`;
    const k = res.out.length - 1;
    if (kind === prev) {
      res.out[k] *= o;
      if (aFull) res.a[k] *= o;
      if (bFull) res.b[k] *= o;
    } else {
      res.out.push(o);
      res.a.push(aFull ? o : 1);
      res.b.push(bFull ? o : 1);
      prev = kind;
    }
  }
  return res;
}

type NumArray = Float32Array | Int32Array | Uint8Array;

/** Row-major strides of `shape`, with 0 on the axes where it has size 1 (broadcast). */
function broadcastStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * out[i] = f(a[ia], b[ib]) over the equal-rank broadcast `c` (any rank): an odometer over
 * the outer axes and a tight loop over the last one.
 */
export function broadcastLoop(a: NumArray, b: NumArray, out: NumArray, c: Collapsed, f: (x: number, y: number) => number): void {
  const r = c.out.length;
  if (r === 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  const sa = broadcastStrides(c.a);
  const sb = broadcastStrides(c.b);
  const inner = c.out[r - 1];
  const ia = sa[r - 1];
  const ib = sb[r - 1];
  const idx = new Array<number>(r).fill(0);
  let oa = 0;
  let ob = 0;
  let o = 0;
  const total = out.length;
  while (o < total) {
    for (let j = 0, pa = oa, pb = ob; j < inner; j++, pa += ia, pb += ib) out[o++] = f(a[pa], b[pb]);
    // Advance the outer axes (odometer), keeping the a/b offsets in step.
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]++;
      oa += sa[ax];
      ob += sb[ax];
      if (idx[ax] < c.out[ax]) break;
      oa -= sa[ax] * idx[ax];
      ob -= sb[ax] * idx[ax];
      idx[ax] = 0;
    }
  }
}
