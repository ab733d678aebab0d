/**
 * Inputs on which Tenfold's EVBMF must give VBMF.py's rank and sigma2 (issue 9): exact zero
 * rows / columns (dead channels), singular values below float32 resolution, and large square
 * matrices, whose smallest singular values a float32 Gram matrix cannot resolve.
 *
 * The same builders feed `reference/make-inputs.ts` (which writes them for
 * `reference/evbmf_reference.py`, the anchor run) and the tests, so both see identical data.
 */
import { lowRankPlusNoise, transposeHost } from './helpers.js';

export interface ReferenceCase {
  name: string;
  /** 'f64': a float64 host matrix (host SVD route); 'f32': a float32 tf.Tensor (default route). */
  dtype: 'f64' | 'f32';
  /** Part of the fast test subset (the rest runs only with TENFOLD_SLOW=1 or in the bench). */
  fast: boolean;
  build(): { data: Float64Array; shape: number[] };
}

function zeroRows(y: { data: Float64Array; shape: number[] }, rows: number[]) {
  const [, c] = y.shape;
  for (const r of rows) y.data.fill(0, r * c, (r + 1) * c);
  return y;
}

function zeroCols(y: { data: Float64Array; shape: number[] }, cols: number[]) {
  const [r, c] = y.shape;
  for (let i = 0; i < r; i++) for (const j of cols) y.data[i * c + j] = 0;
  return y;
}

/** Float32-rounded copy: what a tf.Tensor of the data holds (and what the anchor is given). */
export function roundToF32(y: { data: Float64Array; shape: number[] }) {
  return { data: Float64Array.from(Float32Array.from(y.data)), shape: [...y.shape] };
}

const signal = (r: number, top: number, bottom: number) => Array.from({ length: r }, (_, i) => top * Math.pow(bottom / top, i / Math.max(r - 1, 1)));

export const referenceCases: ReferenceCase[] = [
  {
    name: 'zero_rows_200x300',
    dtype: 'f64',
    fast: true,
    build: () => zeroRows(lowRankPlusNoise(200, 300, signal(8, 40, 6), 0.1, 11), [3, 17, 50, 99, 150, 199]),
  },
  {
    name: 'zero_cols_300x200_tall',
    dtype: 'f64',
    fast: true,
    build: () => zeroCols(transposeHost(lowRankPlusNoise(200, 300, signal(8, 40, 6), 0.1, 12)), [0, 1, 2, 100, 101, 199]),
  },
  {
    name: 'zero_cols_256x256_f32',
    dtype: 'f32',
    fast: true,
    build: () => roundToF32(zeroCols(lowRankPlusNoise(256, 256, signal(16, 30, 3), 0.05, 13), [5, 6, 7, 60, 61, 255])),
  },
  {
    name: 'tiny_singular_values_512x512_f32',
    dtype: 'f32',
    fast: true,
    build: () => roundToF32(lowRankPlusNoise(512, 512, signal(16, 10, 1), 1e-6, 14)),
  },
  {
    name: 'dead_channels_1024x1024_f32',
    dtype: 'f32',
    fast: false,
    build: () => roundToF32(zeroCols(lowRankPlusNoise(1024, 1024, signal(32, 20, 2), 0.03, 15), [1, 9, 64, 300, 301, 1023])),
  },
  {
    name: 'square_2048_rank32_unit_noise_f32',
    dtype: 'f32',
    fast: false,
    build: () => roundToF32(lowRankPlusNoise(2048, 2048, signal(32, 400, 100), 1, 16)),
  },
];
