/**
 * The public entry points of the spectral EVBMF / VBMF helpers (./spectral.ts): each checks its
 * arguments (typed errors naming the argument, before any work; docs/fidelity/inputs.md) and
 * then runs the unchecked implementation that `evbmf` / `vbmf` call on spectra they built
 * themselves. The numbers are those of ./spectral.ts, unchanged.
 */
import { ArgumentError, describe } from '@tenfold/core';
import {
  type SpectralOptions,
  type SpectralResult,
  type SpectrumInput,
  evbBracket as evbBracketImpl,
  evbConstants as evbConstantsImpl,
  evbObjective as evbObjectiveImpl,
  evbmfSpectrum as evbmfSpectrumImpl,
  vbmfSpectrum as vbmfSpectrumImpl,
} from './spectral.js';
import { checkIterations, checkOptions, optionKeys, checkPositive, checkProblemSize, checkResidual, checkSingularValues } from './internal/checks.js';

/** Check a SpectrumInput: L <= M positive integers, 1..L descending finite s >= 0, residual >= 0. */
function checkInput(inp: unknown, fnName: string): SpectrumInput {
  if (inp === null || typeof inp !== 'object' || Array.isArray(inp)) {
    throw new ArgumentError(`${fnName}: inp must be a SpectrumInput { L, M, s, residual }; got ${describe(inp)}`);
  }
  const { L: l, M: m, s: sv, residual: r } = inp as Record<string, unknown>;
  const { L, M } = checkProblemSize(l, m, fnName);
  const s = checkSingularValues(sv, L, fnName);
  const residual = checkResidual(r, fnName);
  return { L, M, s, residual };
}

const SPECTRAL_OPTIONS = optionKeys<SpectralOptions>()('sigma2', 'xatol', 'maxiter');

/** Check SpectralOptions (null/undefined = defaults, unknown keys rejected). */
function checkSpectralOptions(options: SpectralOptions | null | undefined, fnName: string): SpectralOptions {
  const opts = checkOptions(options, SPECTRAL_OPTIONS, fnName);
  if (opts.sigma2 !== undefined) checkPositive(opts.sigma2, 'sigma2', fnName);
  if (opts.xatol !== undefined) checkPositive(opts.xatol, 'xatol', fnName);
  if (opts.maxiter !== undefined) checkIterations(opts.maxiter, `${fnName}: maxiter`, 1);
  return opts;
}

/** The search needs the objective finite on the bracket: ln 0 of a zero singular value is not. */
function checkSearchable(inp: SpectrumInput, opts: SpectralOptions, fnName: string): void {
  if (opts.sigma2 !== undefined) return;
  const H = inp.s.length;
  if (!(inp.s[H - 1] > 0)) {
    throw new ArgumentError(
      `${fnName}: s must be positive when sigma2 is estimated (a zero puts ln 0 into the free energy; evbmf raises such values to its resolution); got s[${H - 1}] = ${inp.s[H - 1]}`,
    );
  }
  if (H < inp.L && !(inp.residual > 0)) {
    throw new ArgumentError(`${fnName}: residual must be positive when H = ${H} < L = ${inp.L} and sigma2 is estimated (the bracket would start at 0); got ${inp.residual}; pass sigma2`);
  }
}

/**
 * EVBMF on a spectrum: the math of the unchecked `evbmfSpectrum` in ./spectral.ts (Nakajima
 * et al., NIPS 2012, eqs. 13-15; the reference's `EVBMF` after its SVD).
 *
 * @throws ArgumentError for a malformed `inp` (L > M, empty or unsorted s, s longer than L,
 *   negative residual), bad options or unknown option keys; NonFiniteError for NaN/Inf in s.
 */
export function evbmfSpectrum(inp: SpectrumInput, opts: SpectralOptions | null = {}): SpectralResult {
  const input = checkInput(inp, 'evbmfSpectrum');
  const o = checkSpectralOptions(opts, 'evbmfSpectrum');
  checkSearchable(input, o, 'evbmfSpectrum');
  return evbmfSpectrumImpl(input, o);
}

/**
 * VBMF on a spectrum with a known prior-variance product `cacb` (the reference's `VBMF` after
 * its SVD; Nakajima et al., JMLR 2013, Theorem 1).
 *
 * @throws ArgumentError as {@link evbmfSpectrum}, and when cacb is not a positive finite
 *   number (cacb <= 0 makes the VB threshold NaN).
 */
export function vbmfSpectrum(inp: SpectrumInput, cacb: number, opts: SpectralOptions | null = {}): SpectralResult {
  const input = checkInput(inp, 'vbmfSpectrum');
  checkPositive(cacb, 'cacb', 'vbmfSpectrum');
  const o = checkSpectralOptions(opts, 'vbmfSpectrum');
  checkSearchable(input, o, 'vbmfSpectrum');
  return vbmfSpectrumImpl(input, cacb, o);
}

/**
 * The EVB free energy as a function of sigma2, up to constants (the reference's
 * `EVBsigma2`; formula in ./spectral.ts).
 *
 * @throws ArgumentError when sigma2 or xubar is not positive and finite, L/M are not
 *   positive integers with L <= M, s is malformed or residual negative; NonFiniteError for
 *   NaN/Inf in s.
 */
export function evbObjective(sigma2: number, L: number, M: number, s: Float64Array, residual: number, xubar: number): number {
  const fn = 'evbObjective';
  checkPositive(sigma2, 'sigma2', fn);
  checkProblemSize(L, M, fn);
  const sv = checkSingularValues(s, L, fn);
  checkResidual(residual, fn);
  checkPositive(xubar, 'xubar', fn);
  return evbObjectiveImpl(sigma2, L, M, sv, residual, xubar);
}

/**
 * The reference's sigma2 search interval (formula in ./spectral.ts).
 *
 * @throws ArgumentError for a malformed `inp` (as {@link evbmfSpectrum}); NonFiniteError for NaN/Inf in s.
 */
export function evbBracket(inp: SpectrumInput): ReturnType<typeof evbBracketImpl> {
  return evbBracketImpl(checkInput(inp, 'evbBracket'));
}

/**
 * EVB constants of an L x M problem: alpha = L/M, tau_bar = 2.5129 sqrt(alpha),
 * x_bar = (1 + tau_bar)(1 + alpha/tau_bar) (NIPS 2012, eq. 13).
 *
 * @throws ArgumentError when L or M is not a positive integer, or L > M.
 */
export function evbConstants(L: number, M: number): ReturnType<typeof evbConstantsImpl> {
  checkProblemSize(L, M, 'evbConstants');
  return evbConstantsImpl(L, M);
}
