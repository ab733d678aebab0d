/** Test helper: a direct float64 2-D convolution (torch semantics), the independent reference. */
export function naiveConv(
  x: ArrayLike<number>, xs: number[], w: ArrayLike<number>, ws: number[],
  stride: [number, number], pad: [[number, number], [number, number]], dil: [number, number], groups: number, bias?: ArrayLike<number> | null,
): { data: Float64Array; shape: number[] } {
  const [n, c, h, wd] = xs;
  const [o, cpg, kh, kw] = ws;
  const oh = Math.floor((h + pad[0][0] + pad[0][1] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + pad[1][0] + pad[1][1] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  const out = new Float64Array(n * o * oh * ow);
  const opg = o / groups;
  for (let b = 0; b < n; b++) for (let oc = 0; oc < o; oc++) {
    const g = Math.floor(oc / opg);
    for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
      let s = bias ? bias[oc] : 0;
      for (let ci = 0; ci < cpg; ci++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
        const r = i * stride[0] + p * dil[0] - pad[0][0];
        const cc = j * stride[1] + q * dil[1] - pad[1][0];
        if (r < 0 || r >= h || cc < 0 || cc >= wd) continue;
        s += x[((b * c + g * cpg + ci) * h + r) * wd + cc] * w[((oc * cpg + ci) * kh + p) * kw + q];
      }
      out[((b * o + oc) * oh + i) * ow + j] = s;
    }
  }
  return { data: out, shape: [n, o, oh, ow] };
}

