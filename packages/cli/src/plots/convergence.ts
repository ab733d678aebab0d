/**
 * Error against iteration: the convergence curve(s) of an iterative decomposition.
 */
import { checkOptions, optionKeys } from '../internal/checks.js';
import { lineChart } from './lineChart.js';

export interface ErrorCurve {
  /** Legend label (e.g. 'rank 5' or 'restart 2'). */
  name: string;
  /** Relative reconstruction error after each iteration: `errors[i]` after sweep i + 1 (TensorLy's `rec_errors`). */
  errors: ArrayLike<number>;
}

export interface ErrorCurveSvgOptions {
  width?: number;
  height?: number;
  title?: string;
}

const ERROR_CURVE_SVG_OPTIONS = optionKeys<ErrorCurveSvgOptions>()('width', 'height', 'title');

/**
 * Relative reconstruction error `||T - T_hat||_F / ||T||_F` (log scale) against the
 * iteration number, one line per curve.
 *
 * @throws ArgumentError for an empty list of curves.
 */
export function errorCurveSvg(curves: readonly ErrorCurve[], options: ErrorCurveSvgOptions = {}): string {
  options = checkOptions(options, ERROR_CURVE_SVG_OPTIONS, 'errorCurveSvg');
  return lineChart(
    curves.map((c) => ({ name: c.name, x: Array.from(c.errors, (_, i) => i + 1), y: c.errors })),
    {
      title: options.title ?? 'Convergence',
      xLabel: 'iteration',
      yLabel: 'relative error ||T - T̂|| / ||T|| (log)',
      logY: true,
      integerX: true,
      width: options.width,
      height: options.height,
    },
  );
}
