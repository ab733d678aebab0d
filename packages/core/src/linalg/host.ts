/**
 * Host float64 dense linear algebra over `HostMatrix` (row-major `Float64Array`): the
 * barrel of `./host/`, one concept per file.
 *
 * tfjs has no SVD, eigh, QR, solve, lstsq or Cholesky, and the backends compute in float32.
 * The small dense problems of Tenfold (R x R systems, the small SVD inside a randomized or
 * Gram SVD, the Gram eigenproblem itself) are solved there in float64, where rounding is
 * negligible next to the float32 data they come from (Golub & Van Loan, "Matrix
 * Computations", 4th ed.):
 * - `host/matrix.ts`: constructors, transpose, matmul, argument checks, EPS32 / EPS64.
 * - `host/tridiagonal.ts`: the one Householder tridiagonalisation of the symmetric eigensolvers.
 * - `host/eigh.ts`: `hostEigh`, that tridiagonalisation + implicit QL (tql2).
 * - `host/svdFlip.ts`: `hostSvdFlip`, TensorLy's `svd_flip` sign convention.
 * - `host/qr.ts`: `hostQr`, Householder QR (reduced), diag(R) >= 0.
 * - `host/svd.ts`: `hostSvd`, Householder QR + one-sided Jacobi (Demmel & Veselic 1992).
 * - `host/cholesky.ts`: `hostCholesky`, A = L L^T with an optional pivot tolerance.
 * - `host/solve.ts`: `hostSolve` (LU, partial pivoting), `hostLstsq` (minimum norm, via SVD).
 *
 * The public `hostX` functions validate their inputs and never modify them; the `xUnchecked`
 * variants are for callers that validated already.
 */
export { EPS32, EPS64, checkHostMatrix, hostEye, hostFromArray, hostMatmul, hostTranspose, hostZeros } from './host/matrix.js';
export { eighUnchecked, hostEigh, hostTridiagonalEigenvalues } from './host/eigh.js';
export { hostSvdFlip, svdFlipUnchecked } from './host/svdFlip.js';
export { hostQr, qrUnchecked } from './host/qr.js';
export { hostSingularValues, hostSvd, svdUnchecked } from './host/svd.js';
export type { HostSvd, HostSvdOptions } from './host/svd.js';
export { choleskyUnchecked, choleskyWithDrops, hostCholesky } from './host/cholesky.js';
export type { HostCholeskyOptions } from './host/cholesky.js';
export {
  SingularMatrixError,
  hostLstsq,
  hostSolve,
  luSolveInPlace,
  luSolveOrPinvInPlace,
  lstsqUnchecked,
  solveOrPinv,
  solveUnchecked,
} from './host/solve.js';
export type { HostLstsqOptions, HostSolveOptions } from './host/solve.js';
