/**
 * Bounded scalar minimisation: an exact port of scipy's `fminbound`
 * (`scipy.optimize._optimize._minimize_scalar_bounded`, used by
 * `minimize_scalar(method='Bounded')`), which is Brent's golden-section / parabolic search
 * (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 5).
 *
 * The port is step-for-step, comparison-for-comparison, because EVBMF's result depends on
 * where the search stops: scipy's tolerance is *absolute* (`xatol = 1e-5`), so on a bracket
 * narrower than about 1e-5 (conv-scale weights) it returns after one evaluation, at the
 * golden-section point `a + 0.381966 (b - a)`. Reproducing that is what makes the
 * reference's `scipy_default` ranks come out identical.
 *
 * Not to be confused with core's `tensors/brentRoot.ts` (Brent's root finder, scipy's `brentq`).
 */
import { ArgumentError, describe } from '@tenfold/core';
import { checkIterations, checkOptions, optionKeys } from './internal/checks.js';

export interface BoundedMinimumOptions {
  /** Absolute tolerance on x (scipy's `xatol`, default 1e-5). */
  xatol?: number;
  /** Maximum number of function evaluations (scipy's `maxiter`, default 500). */
  maxiter?: number;
}

const BOUNDED_MINIMIZE_OPTIONS = optionKeys<BoundedMinimumOptions>()('xatol', 'maxiter');

export interface BoundedMinimum {
  /** The minimiser found. */
  x: number;
  /** f(x). */
  fun: number;
  /** Number of function evaluations. */
  nfev: number;
  /** 0: converged; 1: maxiter reached; 2: NaN met (scipy's `status`). */
  status: 0 | 1 | 2;
}

// scipy uses sqrt(2.2e-16), not sqrt(Number.EPSILON); kept verbatim for identical steps.
const SQRT_EPS = Math.sqrt(2.2e-16);
const GOLDEN_MEAN = 0.5 * (3.0 - Math.sqrt(5.0));

/** numpy's `np.sign(v) + (v == 0)`: +1 for v >= 0 (including -0), -1 for v < 0. */
function signNonZero(v: number): number {
  return Math.sign(v) + (v === 0 ? 1 : 0);
}

/**
 * Minimise `f` on `[lower, upper]` exactly as scipy's bounded Brent method does.
 *
 * @throws ArgumentError when `f` is not a function, the bounds are not finite or
 *   `lower > upper`, an option is unknown, `xatol` is not positive or `maxiter` is not an
 *   integer in [1, MAX_ITERATIONS].
 */
export function boundedMinimize(f: (x: number) => number, lower: number, upper: number, options: BoundedMinimumOptions | null = {}): BoundedMinimum {
  if (typeof f !== 'function') throw new ArgumentError(`boundedMinimize: f must be a function (x: number) => number; got ${describe(f)}`);
  const opts = checkOptions(options, BOUNDED_MINIMIZE_OPTIONS, 'boundedMinimize');
  const xatol = opts.xatol ?? 1e-5;
  const maxfun = opts.maxiter ?? 500;
  if (!Number.isFinite(lower) || !Number.isFinite(upper)) {
    throw new ArgumentError(`bounds must be finite numbers; got [${describe(lower)}, ${describe(upper)}]`);
  }
  if (lower > upper) throw new ArgumentError(`bounds: the lower bound ${lower} exceeds the upper bound ${upper}`);
  if (!(typeof xatol === 'number' && xatol > 0 && Number.isFinite(xatol))) {
    throw new ArgumentError(`xatol must be a positive finite number; got ${describe(xatol)}`);
  }
  checkIterations(maxfun, 'maxiter', 1);

  let a = lower;
  let b = upper;
  let fulc = a + GOLDEN_MEAN * (b - a);
  let nfc = fulc;
  let xf = fulc;
  let rat = 0;
  let e = 0;
  let x = xf;
  let fx = f(x);
  let num = 1;
  let fu = Infinity;
  let ffulc = fx;
  let fnfc = fx;
  let xm = 0.5 * (a + b);
  let tol1 = SQRT_EPS * Math.abs(xf) + xatol / 3.0;
  let tol2 = 2.0 * tol1;
  let status: 0 | 1 | 2 = 0;

  while (Math.abs(xf - xm) > tol2 - 0.5 * (b - a)) {
    let golden = true;
    if (Math.abs(e) > tol1) {
      // Try a parabola through (xf, fx), (nfc, fnfc), (fulc, ffulc).
      golden = false;
      let r = (xf - nfc) * (fx - ffulc);
      let q = (xf - fulc) * (fx - fnfc);
      let p = (xf - fulc) * q - (xf - nfc) * r;
      q = 2.0 * (q - r);
      if (q > 0.0) p = -p;
      q = Math.abs(q);
      r = e;
      e = rat;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - xf) && p < q * (b - xf)) {
        rat = (p + 0.0) / q;
        x = xf + rat;
        if (x - a < tol2 || b - x < tol2) {
          const si = signNonZero(xm - xf);
          rat = tol1 * si;
        }
      } else {
        golden = true;
      }
    }
    if (golden) {
      e = xf >= xm ? a - xf : b - xf;
      rat = GOLDEN_MEAN * e;
    }
    const si = signNonZero(rat);
    x = xf + si * Math.max(Math.abs(rat), tol1);
    fu = f(x);
    num += 1;

    if (fu <= fx) {
      if (x >= xf) a = xf;
      else b = xf;
      fulc = nfc;
      ffulc = fnfc;
      nfc = xf;
      fnfc = fx;
      xf = x;
      fx = fu;
    } else {
      if (x < xf) a = x;
      else b = x;
      if (fu <= fnfc || nfc === xf) {
        fulc = nfc;
        ffulc = fnfc;
        nfc = x;
        fnfc = fu;
      } else if (fu <= ffulc || fulc === xf || fulc === nfc) {
        fulc = x;
        ffulc = fu;
      }
    }
    xm = 0.5 * (a + b);
    tol1 = SQRT_EPS * Math.abs(xf) + xatol / 3.0;
    tol2 = 2.0 * tol1;
    if (num >= maxfun) {
      status = 1;
      break;
    }
  }
  if (Number.isNaN(xf) || Number.isNaN(fx) || Number.isNaN(fu)) status = 2;
  return { x: xf, fun: fx, nfev: num, status };
}
