/**
 * Brent's root finder (van Wijngaarden–Dekker–Brent), as in scipy's `brentq`
 * (`scipy/optimize/Zeros/brentq.c`): inverse quadratic interpolation / secant steps,
 * falling back to bisection, on a bracket [a, b] with f(a) f(b) <= 0.
 *
 * R. P. Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 4.
 *
 * Same defaults as scipy (`xtol = 2e-12`, `rtol = 4 eps`, `maxIter = 100`) so that the
 * Tucker fractional-rank root (and therefore the rounded ranks) agrees with TensorLy's.
 * Internal helper (not part of the public API). Not to be confused with rank's
 * `brentMinimize.ts` (Brent's bounded minimiser, scipy's `fminbound`).
 */
import { ArgumentError } from '../errors/index.js';

export interface BrentOptions {
  xtol?: number;
  rtol?: number;
  maxIter?: number;
}

export function brentRoot(f: (x: number) => number, a: number, b: number, opts: BrentOptions = {}): number {
  const xtol = opts.xtol ?? 2e-12;
  const rtol = opts.rtol ?? 4 * Number.EPSILON;
  const maxIter = opts.maxIter ?? 100;
  let xpre = a;
  let xcur = b;
  let xblk = 0;
  let fblk = 0;
  let spre = 0;
  let scur = 0;
  let fpre = f(xpre);
  let fcur = f(xcur);
  if (fpre === 0) return xpre;
  if (fcur === 0) return xcur;
  if (Math.sign(fpre) === Math.sign(fcur) || Number.isNaN(fpre) || Number.isNaN(fcur)) {
    throw new ArgumentError(`brentRoot: f(a) and f(b) must have different signs; got f(${a}) = ${fpre}, f(${b}) = ${fcur}`);
  }
  for (let i = 0; i < maxIter; i++) {
    if (fpre !== 0 && fcur !== 0 && Math.sign(fpre) !== Math.sign(fcur)) {
      xblk = xpre;
      fblk = fpre;
      spre = scur = xcur - xpre;
    }
    if (Math.abs(fblk) < Math.abs(fcur)) {
      // Keep the best estimate in xcur.
      xpre = xcur;
      xcur = xblk;
      xblk = xpre;
      fpre = fcur;
      fcur = fblk;
      fblk = fpre;
    }
    const delta = (xtol + rtol * Math.abs(xcur)) / 2;
    const sbis = (xblk - xcur) / 2;
    if (fcur === 0 || Math.abs(sbis) < delta) return xcur;

    if (Math.abs(spre) > delta && Math.abs(fcur) < Math.abs(fpre)) {
      let stry: number;
      if (xpre === xblk) {
        stry = (-fcur * (xcur - xpre)) / (fcur - fpre); // secant
      } else {
        const dpre = (fpre - fcur) / (xpre - xcur);
        const dblk = (fblk - fcur) / (xblk - xcur);
        stry = (-fcur * (fblk * dblk - fpre * dpre)) / (dblk * dpre * (fblk - fpre)); // inverse quadratic
      }
      if (2 * Math.abs(stry) < Math.min(Math.abs(spre), 3 * Math.abs(sbis) - delta)) {
        spre = scur;
        scur = stry;
      } else {
        spre = sbis;
        scur = sbis;
      }
    } else {
      spre = sbis;
      scur = sbis;
    }
    xpre = xcur;
    fpre = fcur;
    xcur += Math.abs(scur) > delta ? scur : sbis > 0 ? delta : -delta;
    fcur = f(xcur);
  }
  return xcur;
}
