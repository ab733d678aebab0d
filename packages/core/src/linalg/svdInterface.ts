/**
 * The one SVD entry point of Tenfold (TensorLy's `tenalg.svd.svd_interface` is the model):
 * every SVD in core and @tenfold/rank goes through `svdInterface`, which decides the route
 * (host float64 or backend, exact / Gram / randomized) from the thresholds of
 * backend/placement.ts and applies the one sign rule, TensorLy's u-based `svd_flip` (the
 * largest-|.| entry of each U column positive, ties to the first index, V alike).
 *
 * Three outputs, one per kind of caller:
 * - `'tensor'` (public `svd`): U, s, V^T as tensors. Small matrices (HOST_SVD_MN2,
 *   HOST_SVD_MAX_N) exactly on the host unless 'randomized' actually sketches; larger ones
 *   by the device algorithms of ./deviceSvd.ts (Cholesky-QR2 / two-pass Gram, one-pass Gram,
 *   Halko et al.'s randomized SVD).
 * - `'host'` (the decompositions' SVD inits, HOSVD / HOOI, TT-SVD through
 *   `truncatedSvdHost`): U, s (and V^T) as float64 host matrices, so the caller can pad,
 *   slice and flip before one upload. 'truncated' below EXACT_SVD_WORK takes the exact host
 *   SVD (or the host float64 Gram for short-fat matrices); otherwise the Gram route of
 *   ./gramSvdHost.ts (one backend product, float64 eigenpairs).
 * - `'spectrum'` (EVBMF / VBMF in @tenfold/rank): all singular values, vectors of the leading
 *   k later (./spectrum.ts). Host float64 up to EVBMF_HOST_SVD_LIMIT (exact up to
 *   EVBMF_EXACT_SVD_LIMIT, else the float64 Gram), otherwise the backend float32 Gram, which
 *   'auto' replaces by the host route when it cannot resolve the tail from `tailFrom`
 *   (GRAM_TAIL_TOLERANCE).
 *
 * The routes differ in accuracy on purpose (see each output's doc); their sign rule does not.
 * `svdInterface` checks its input; `routeSvd` is the same without the checks, for core's
 * callers that validated already (`svd`, `truncatedSvdHost`).
 */
import * as tf from '@tensorflow/tfjs';
import {
  EVBMF_EXACT_SVD_LIMIT,
  EVBMF_HOST_SVD_LIMIT,
  EXACT_SVD_WORK,
  GRAM_TAIL_TOLERANCE,
  HOST_GRAM_SVD_MAX_ROWS,
  runsOnHost,
} from '../backend/placement.js';
import { fromHostMatrix, toHostMatrix } from '../backend/transfer.js';
import { checkBoolOption, checkEnumOption, checkIntOption, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, RankError, ShapeError, checkNdim, describe } from '../errors/index.js';
import { assertFinite } from '../io/index.js';
import type { Rng } from '../base/rng.js';
import { exactSvd, randomizedSvd, type SvdResult } from './deviceSvd.js';
import { svdOnHost } from './engine.js';
import { gramRouteSvd, hostGramSvd, type HostTruncatedSvd } from './gramSvdHost.js';
import { checkHostMatrix, svdUnchecked } from './host.js';
import { backendGramSpectrum, gramTailUnresolved, hostSpectrum, type SpectrumSource, type SvdSpectrum } from './spectrum.js';
import { svdFlipTensors } from './svdFlip.js';

/** The SVD methods, TensorLy's `truncated_svd`, `randomized_svd` and `symeig_svd`. */
export type SvdMethod = 'truncated' | 'randomized' | 'gram';

/** Where the spectrum's SVD runs: 'host' (float64), 'gram' (backend float32 Gram) or 'auto'. */
export type SvdRoute = 'auto' | 'host' | 'gram';

/** Output 'tensor': U, s, V^T on the backend. */
export interface TensorSvdRequest {
  output: 'tensor';
  method: SvdMethod;
  /** Components, 1 <= k <= min(m, n). */
  k: number;
  flipSign: boolean;
  /** 'randomized': power iterations and oversampling; `rng` draws the test matrix. */
  nIter: number;
  oversamples: number;
  rng: Rng | null;
}

/** Output 'host': U, s (and V^T) as float64 host matrices, always sign-flipped. */
export interface HostSvdRequest {
  output: 'host';
  method: SvdMethod;
  k: number;
  rng: Rng;
  /** Also return Vt (k x n) on the host. */
  wantV?: boolean;
  /** `y^T` if the caller has it already (saves a transpose of a big unfolding). */
  yT?: tf.Tensor2D;
}

/** Output 'spectrum': all singular values, vectors of the leading components on request. */
export interface SpectrumSvdRequest {
  output: 'spectrum';
  route: SvdRoute;
  /** False when only the values are needed (the exact route then skips the vectors). Default true. */
  wantVectors?: boolean;
  /** Index from which the caller reads the spectrum's tail ('auto' checks the Gram route resolves it). Default 0. */
  tailFrom?: number;
}

export type SvdRequest = TensorSvdRequest | HostSvdRequest | SpectrumSvdRequest;

/** True when output 'host' takes the exact host path for an m x n matrix. */
export function usesExactSvd(m: number, n: number, method: SvdMethod): boolean {
  return method === 'truncated' && runsOnHost(m * n * Math.min(m, n), EXACT_SVD_WORK);
}

/** True when output 'spectrum' with route 'auto' starts on the host for an m x n matrix. */
export function spectrumOnHost(m: number, n: number): boolean {
  const L = Math.min(m, n);
  return runsOnHost(L * L * Math.max(m, n), EVBMF_HOST_SVD_LIMIT);
}

/**
 * The SVD of `y` (m x n) for the output asked: the one SVD entry point (see the module doc
 * for the routes and the sign rule). `y` is a float32 matrix tensor (any output) or, for
 * output 'spectrum', float64 host data; it is not disposed. Everything is checked before
 * any work; core's own callers, which validated already, use `routeSvd`.
 *
 * @throws ArgumentError for an unknown output, method, route or option, a non-float32 or
 *   disposed tensor, a bad rng / yT / flag; ShapeError unless y is a non-empty 2-D matrix
 *   (and yT its transpose); RankError unless 1 <= k <= min(m, n); NonFiniteError on NaN/Inf.
 */
export function svdInterface(y: tf.Tensor2D, req: TensorSvdRequest): SvdResult;
export function svdInterface(y: tf.Tensor2D, req: HostSvdRequest): HostTruncatedSvd;
export function svdInterface(y: SpectrumSource, req: SpectrumSvdRequest): SvdSpectrum;
export function svdInterface(y: SpectrumSource, req: SvdRequest): SvdResult | HostTruncatedSvd | SvdSpectrum {
  checkSvdRequest(y, req);
  return routeSvd(y as tf.Tensor2D, req as TensorSvdRequest);
}

/** `svdInterface` without the checks, for core's callers that validated already. */
export function routeSvd(y: tf.Tensor2D, req: TensorSvdRequest): SvdResult;
export function routeSvd(y: tf.Tensor2D, req: HostSvdRequest): HostTruncatedSvd;
export function routeSvd(y: SpectrumSource, req: SpectrumSvdRequest): SvdSpectrum;
export function routeSvd(y: SpectrumSource, req: SvdRequest): SvdResult | HostTruncatedSvd | SvdSpectrum {
  if (req.output === 'spectrum') return spectrumSvd(y, req);
  return req.output === 'tensor' ? tensorSvd(y as tf.Tensor2D, req) : hostResultSvd(y as tf.Tensor2D, req);
}

const REQUEST_KEYS = {
  tensor: optionKeys<TensorSvdRequest>()('output', 'method', 'k', 'flipSign', 'nIter', 'oversamples', 'rng'),
  host: optionKeys<HostSvdRequest>()('output', 'method', 'k', 'rng', 'wantV', 'yT'),
  spectrum: optionKeys<SpectrumSvdRequest>()('output', 'route', 'wantVectors', 'tailFrom'),
};

/** A float32, live, finite tensor of the given shape (or any non-empty 2-D shape). */
function checkTensorMatrix(t: unknown, argName: string, shape?: [number, number]): void {
  if (!(t instanceof tf.Tensor)) throw new ArgumentError(`${argName} must be a float32 tf.Tensor2D; got ${describe(t)}`);
  if (t.isDisposed) throw new ArgumentError(`${argName} has been disposed`);
  if (t.dtype !== 'float32') throw new ArgumentError(`${argName} must be float32; got dtype ${t.dtype}`);
  checkNdim(t.shape, 2, argName);
  if (t.shape.some((d: number) => d === 0)) throw new ShapeError(`${argName} must not be empty; got shape ${describe(t.shape)}`);
  if (shape && (t.shape[0] !== shape[0] || t.shape[1] !== shape[1])) throw new ShapeError(`${argName} must have shape ${describe(shape)}; got ${describe(t.shape)}`);
  assertFinite(t, argName);
}

function checkSvdRequest(y: unknown, req: SvdRequest): void {
  if (req === null || typeof req !== 'object') throw new ArgumentError(`req must be an options object with an output; got ${describe(req)}`);
  const output = checkEnumOption(req.output, 'output', ['tensor', 'host', 'spectrum'] as const);
  checkOptions(req, REQUEST_KEYS[output], 'svdInterface', 'req');
  if (output === 'spectrum') {
    const r = req as SpectrumSvdRequest;
    checkEnumOption(r.route, 'route', ['auto', 'host', 'gram'] as const);
    if (r.wantVectors !== undefined) checkBoolOption(r.wantVectors, 'wantVectors');
    if (r.tailFrom !== undefined) checkIntOption(r.tailFrom, 'tailFrom', 0);
    if (y instanceof tf.Tensor) checkTensorMatrix(y, 'y');
    else {
      checkHostMatrix(y, 'y');
      if (y.rows === 0 || y.cols === 0) throw new ShapeError(`y must not be empty; got ${y.rows} x ${y.cols}`);
    }
    return;
  }
  const r = req as TensorSvdRequest | HostSvdRequest;
  checkEnumOption(r.method, 'method', ['truncated', 'randomized', 'gram'] as const);
  checkTensorMatrix(y, 'y');
  const [m, n] = (y as tf.Tensor2D).shape;
  if (typeof r.k !== 'number' || !Number.isInteger(r.k) || r.k < 1 || r.k > Math.min(m, n)) {
    throw new RankError(`k must be an integer in 1..${Math.min(m, n)} for y of shape ${describe([m, n])}; got ${describe(r.k)}`);
  }
  const needsRng = output === 'host' || r.method === 'randomized';
  if ((needsRng || r.rng !== null) && !(r.rng && typeof (r.rng as Rng).normal === 'function')) {
    throw new ArgumentError(`rng must be an Rng (createRng)${needsRng ? '' : ' or null'}; got ${describe(r.rng)}`);
  }
  if (output === 'tensor') {
    const t = r as TensorSvdRequest;
    checkBoolOption(t.flipSign, 'flipSign');
    checkIntOption(t.nIter, 'nIter', 0, 1000);
    checkIntOption(t.oversamples, 'oversamples', 0);
  } else {
    const h = r as HostSvdRequest;
    if (h.wantV !== undefined) checkBoolOption(h.wantV, 'wantV');
    if (h.yT !== undefined) checkTensorMatrix(h.yT, 'yT', [n, m]);
  }
}

function tensorSvd(a: tf.Tensor2D, req: TensorSvdRequest): SvdResult {
  const [rows, cols] = a.shape;
  const { k, method } = req;
  const sketch = method === 'randomized' && Math.min(k + req.oversamples, rows, cols) < Math.min(rows, cols);
  if (!sketch && svdOnHost(Math.max(rows, cols), Math.min(rows, cols))) {
    // Small: one download, float64 SVD and sign flip on the host, three uploads.
    const h = svdUnchecked(toHostMatrix(a), k, req.flipSign);
    return { u: fromHostMatrix(h.u), s: tf.tensor1d(Float32Array.from(h.s)), vt: fromHostMatrix(h.vt) };
  }
  const out = sketch ? randomizedSvd(a, k, k + req.oversamples, req.nIter, req.rng as Rng) : exactSvd(a, k, method === 'gram' ? 'gram' : 'exact');
  if (!req.flipSign) return out;
  const flipped = svdFlipTensors(out.u, out.vt);
  tf.dispose([out.u, out.vt]);
  return { u: flipped.u, s: out.s, vt: flipped.vt };
}

function hostResultSvd(y: tf.Tensor2D, req: HostSvdRequest): HostTruncatedSvd {
  const [m, n] = y.shape;
  const k = Math.min(req.k, m, n);
  if (usesExactSvd(m, n, req.method)) {
    const h = toHostMatrix(y);
    // Short-fat small matrices: the float64 Gram route (U from eigh(Y Y^T), always
    // orthonormal) is ~10x faster than Householder + Jacobi and, in float64, exact far
    // below float32 precision.
    if (runsOnHost(m, HOST_GRAM_SVD_MAX_ROWS) && n >= 4 * m) return hostGramSvd(h, k, req.wantV ?? false);
    const res = svdUnchecked(h, k, true);
    return { u: res.u, s: res.s, vt: req.wantV ? res.vt : undefined };
  }
  return gramRouteSvd(y, k, req);
}

function spectrumSvd(y: SpectrumSource, req: SpectrumSvdRequest): SvdSpectrum {
  const [rows, cols] = y instanceof tf.Tensor ? y.shape : [y.rows, y.cols];
  const L = Math.min(rows, cols);
  const useHost = req.route === 'host' || (req.route === 'auto' && spectrumOnHost(rows, cols));
  if (!useHost) {
    const gram = backendGramSpectrum(y);
    if (req.route === 'gram' || !gramTailUnresolved(gram.s, gram.resolution, req.tailFrom ?? 0, GRAM_TAIL_TOLERANCE)) return gram;
    gram.release();
  }
  return hostSpectrum(y, runsOnHost(L * L * Math.max(rows, cols), EVBMF_EXACT_SVD_LIMIT), req.wantVectors ?? true);
}
