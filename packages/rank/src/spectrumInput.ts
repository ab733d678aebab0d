/**
 * What EVBMF and VBMF share before and after the SVD: option and matrix checks (all before
 * any work), the SVD itself through core's entry point (`svdInterface`, output 'spectrum':
 * host float64 or a backend Gram matrix, routed by core's placement thresholds), and the
 * spectral input of ./spectral.ts (resolution floor, residual).
 */
import {
  ArgumentError,
  RankError,
  ShapeError,
  assertFinite,
  describe,
  svdInterface,
  tf,
  type SvdRoute,
  type SvdSpectrum,
  type TensorLike,
} from '@tenfold/core';
import { checkIterations, checkPositive } from './internal/checks.js';
import { type Source, releaseSource, toSource } from './input.js';
import { sumSquares } from './numeric.js';

export function checkOptionalPositive(v: unknown, name: string): void {
  if (v !== undefined) checkPositive(v, name);
}
function checkRoute(v: unknown): SvdRoute {
  if (v === undefined) return 'auto';
  if (v === 'auto' || v === 'host' || v === 'gram') return v;
  throw new ArgumentError(`svd must be 'auto', 'host' or 'gram'; got ${describe(v)}`);
}

/** Validate the matrix argument, returning its source and shape (throws before any work). */
function matrixSource(y: TensorLike, argName: string): { src: Source; rows: number; cols: number } {
  const src = toSource(y, argName);
  const shape = src.kind === 'host' ? src.value.shape : src.value.shape;
  if (shape.length !== 2) {
    releaseSource(src);
    throw new ShapeError(`${argName} must be a 2-D matrix; got shape ${describe([...shape])}`);
  }
  const [rows, cols] = shape as [number, number];
  if (rows < 1 || cols < 1) {
    releaseSource(src);
    throw new ShapeError(`${argName} must have at least one row and one column; got shape ${describe([rows, cols])}`);
  }
  if (src.kind === 'tensor') {
    try {
      assertFinite(src.value, argName);
    } catch (err) {
      releaseSource(src);
      throw err;
    }
  }
  return { src, rows, cols };
}


/**
 * The SVD of y through core's one SVD entry point: all singular values now, vectors of the
 * leading components on request. `tailFrom` is the index from which the sigma2 search reads
 * the tail of the spectrum (the EVB bracket index); with route 'auto' a Gram spectrum that
 * cannot resolve that tail is recomputed on the host in float64.
 */
export function computeSpectrum(src: Source, rows: number, cols: number, route: SvdRoute, wantVectors = true, tailFrom = 0): SvdSpectrum {
  const y = src.kind === 'host' ? { rows, cols, data: src.value.data } : (src.value as tf.Tensor2D);
  return svdInterface(y, { output: 'spectrum', route, wantVectors, tailFrom });
}

export interface Prepared {
  src: Source;
  rows: number;
  cols: number;
  L: number;
  M: number;
  H: number;
  route: SvdRoute;
}

export function prepare(y: TensorLike, opts: { sigma2?: number; H?: number; xatol?: number; maxiter?: number; svd?: SvdRoute }, extra?: () => void): Prepared {
  if (opts === null || typeof opts !== 'object') throw new ArgumentError(`options must be an object; got ${describe(opts)}`);
  checkOptionalPositive(opts.sigma2, 'sigma2');
  checkOptionalPositive(opts.xatol, 'xatol');
  if (opts.maxiter !== undefined) checkIterations(opts.maxiter, 'maxiter', 1);
  const route = checkRoute(opts.svd);
  if (opts.H !== undefined && !(typeof opts.H === 'number' && Number.isInteger(opts.H) && opts.H >= 1)) {
    throw new RankError(`H must be a positive integer; got ${describe(opts.H)}`);
  }
  extra?.();
  const { src, rows, cols } = matrixSource(y, 'y');
  const L = Math.min(rows, cols);
  const M = Math.max(rows, cols);
  const H = opts.H ?? L;
  if (H > L) {
    releaseSource(src);
    throw new RankError(`H must be at most min(rows, cols) = ${L} for y of shape ${describe([rows, cols])}; got ${H}`);
  }
  return { src, rows, cols, L, M, H, route };
}

/**
 * The singular values the (E)VB search sees: those at or below the route's resolution are
 * raised to it. Where y is rank deficient (dead channels) its exact zeros would put ln 0 into
 * the free energy (VBMF.py never sees an exact zero: LAPACK returns ~eps * s_max there), and a
 * float32 Gram matrix turns the smallest eigenvalues into rounding noise, negative ones
 * included. For such x_h = gamma_h^2 / (M sigma2) << 1 the free energy's term x_h - ln x_h is
 * x_h + ln(M sigma2) - ln gamma_h^2: the last part is a constant that does not move the
 * minimiser, and x_h changes by at most resolution^2 / (M sigma2) per value.
 */
export function resolveSpectrum(s: Float64Array, resolution: number): { s: Float64Array; unresolved: number } {
  const out = Float64Array.from(s);
  let unresolved = 0;
  if (resolution > 0) {
    for (let i = 0; i < out.length; i++) {
      if (!(out[i] > resolution)) {
        out[i] = resolution;
        unresolved++;
      }
    }
  }
  return { s: out, unresolved };
}

export function spectralInput(spec: SvdSpectrum, L: number, M: number, H: number) {
  const { s, unresolved } = resolveSpectrum(spec.s.slice(0, H), spec.resolution);
  // The reference: residual = sum(Y^2) - sum(s[:H]^2) when H < L, else 0.
  const residual = H < L ? Math.max(spec.sumSq - sumSquares(s), 0) : 0;
  return { L, M, s, residual, unresolved };
}
