/**
 * MTTKRP, the one entry of tenalg for "matricized tensor times Khatri–Rao product" (the core
 * of CP-ALS). Three variants live behind it, picked here and nowhere else:
 *
 * - 'direct' (./internal/mttkrpDirect.ts): one product on the backend, no Khatri–Rao
 *   product of all other factors formed;
 * - 'tree' (./internal/mttkrpTree.ts): the dimension tree on the backend, which shares two
 *   products with the tensor across a whole ALS sweep;
 * - 'host' (./internal/mttkrpHost.ts): float64 on the host, for small problems.
 *
 * `mttkrp` computes one product; `mttkrpSweep` gives the stateful engine that a CP sweep
 * reuses across modes (on the backend for a tensor, on the host for a Float64Array);
 * `mttkrpPlacement` is the host-vs-backend decision of backend/placement.ts for a sweep.
 */
import * as tf from '@tensorflow/tfjs';
import { checkEnumOption, checkOptions, optionKeys } from '../checks/index.js';
import { ArgumentError, ShapeError, checkMode, describe } from '../errors/index.js';
import { HOST_CP_WORK, runsOnHost } from '../backend/placement.js';
import { fromHostMatrix, toHost64, toHostMatrix } from '../backend/transfer.js';
import { toTensor, type TensorLike } from '../io/tensorLike.js';
import { shapeStr } from '../base/internal/shapeHelpers.js';
import { directMttkrp } from './internal/mttkrpDirect.js';
import { MttkrpTree, mttkrpOnce } from './internal/mttkrpTree.js';
import { HostMttkrpTree, hostMttkrp } from './internal/mttkrpHost.js';

/** How `mttkrp` computes the product. */
export type MttkrpMethod = 'direct' | 'tree' | 'host';

export interface MttkrpOptions {
  /**
   * 'direct' (default): one product on the backend; 'tree': the dimension tree's partial
   * products (the same numbers a CP sweep on the backend gets); 'host': float64 on the host.
   */
  method?: MttkrpMethod;
}

const MTTKRP_OPTIONS = optionKeys<MttkrpOptions>()('method');

/**
 * Matricized tensor times Khatri–Rao product (MTTKRP), the core of CP-ALS:
 *
 *   mttkrp(T, w, F, n) = unfold(T, n) @ khatriRao(F, { weights: w, skipMatrix: n })
 *   i.e. M[i_n, r] = w_r * sum_{i_k, k != n} T[i_0, ..., i_{N-1}] * prod_{k != n} F_k[i_k, r]
 *
 * Mirrors `tensorly.tenalg.unfolding_dot_khatri_rao` (Kolda & Bader 2009, §3.4), without
 * forming the `(prod_{k != n} I_k) x R` Khatri–Rao product nor the unfolding; the method
 * option picks the variant (see the top of this file). The weights scale the columns of
 * the `(I_n, R)` result.
 *
 * @param t tensor with at least 2 modes
 * @param weights `(R,)` column weights, or null for ones
 * @param factors one `(I_k, R)` matrix per mode (the one at `mode` is not used, but must
 *   have the right shape)
 * @param mode the mode that is left out (negative counts from the end)
 * @returns `(I_mode, R)`
 * @throws ShapeError for a tensor with fewer than 2 modes, a factor of the wrong shape or
 *   weights of the wrong length; ArgumentError when `factors` is not one per mode or for a
 *   bad option; ModeError for a mode out of range
 */
export function mttkrp(t: TensorLike, weights: TensorLike | null, factors: readonly TensorLike[], mode: number, options: MttkrpOptions = {}): tf.Tensor2D {
  const { method = 'direct' } = checkOptions(options, MTTKRP_OPTIONS, 'mttkrp');
  checkEnumOption(method, 'method', ['direct', 'tree', 'host'] as const);
  return tf.tidy(() => {
    const x = toTensor(t, 'tensor');
    const shape = x.shape;
    const n = shape.length;
    if (n < 2) throw new ShapeError(`tensor must have at least 2 modes for an MTTKRP; got shape ${shapeStr(shape)}`);
    const m = checkMode(mode, n, 'mode');
    if (!Array.isArray(factors) || factors.length !== n) {
      throw new ArgumentError(`factors must hold one matrix per mode of the tensor (${n}, shape ${shapeStr(shape)}); got ${Array.isArray(factors) ? `${factors.length} matrices` : describe(factors)}`);
    }
    const fs = factors.map((f, k) => toTensor(f, `factors[${k}]`));
    fs.forEach((f, k) => {
      if (f.rank !== 2) throw new ShapeError(`factors[${k}] must be a matrix (I_${k}, R); got shape ${shapeStr(f.shape)}`);
    });
    const r = fs[0].shape[1] as number;
    fs.forEach((f, k) => {
      if (f.shape[0] !== shape[k] || f.shape[1] !== r) {
        throw new ShapeError(`factors[${k}] must have shape [${shape[k]}, ${r}] (dim ${k} of the tensor of shape ${shapeStr(shape)}, and the rank of factors[0]); got ${shapeStr(f.shape)}`);
      }
    });
    let w: tf.Tensor | null = null;
    if (weights !== null && weights !== undefined) {
      w = toTensor(weights, 'weights');
      if (w.size !== r || w.rank > 2) throw new ShapeError(`weights must have one entry per column of the factors (${r}); got shape ${shapeStr(w.shape)}`);
    }
    const f2 = fs as tf.Tensor2D[];
    let cur: tf.Tensor2D;
    if (method === 'tree') cur = mttkrpOnce(x, f2, m);
    else if (method === 'host') cur = fromHostMatrix(hostMttkrp(toHost64(x), shape, f2.map((f) => toHostMatrix(f)), m));
    else cur = directMttkrp(x, f2, m);
    if (w) cur = tf.mul(cur, tf.reshape(w, [1, r]));
    return cur;
  });
}

/** The MTTKRPs of CP sweeps on the backend (dimension tree; see ./internal/mttkrpTree.ts). */
export type DeviceMttkrpSweep = MttkrpTree;
/** The MTTKRPs of CP sweeps on the host in float64 (see ./internal/mttkrpHost.ts). */
export type HostMttkrpSweep = HostMttkrpTree;

/**
 * The engine of a CP sweep's MTTKRPs, reused across modes and sweeps. With only the shape it
 * runs on the backend (`begin(t)` per sweep, `mttkrp(factors, mode)` in ascending mode
 * order, `end()`, `release()` once); with the tensor as a row-major Float64Array and the rank
 * it runs on the host (`mttkrp(factors, mode, out)`, `changed(mode)` after a factor update).
 * Unchecked: the callers (the decompositions) have validated their inputs.
 */
export function mttkrpSweep(shape: readonly number[]): DeviceMttkrpSweep;
export function mttkrpSweep(shape: readonly number[], host: { data: Float64Array; rank: number }): HostMttkrpSweep;
export function mttkrpSweep(shape: readonly number[], host?: { data: Float64Array; rank: number }): DeviceMttkrpSweep | HostMttkrpSweep {
  return host ? new HostMttkrpTree(host.data, shape, host.rank) : new MttkrpTree(shape);
}

/**
 * Where the sweeps of a CP-type algorithm on `size` entries at rank `rank` run: on the host
 * in float64 up to `HOST_CP_WORK` (backend/placement.ts) entries x rank, on the backend above.
 */
export function mttkrpPlacement(size: number, rank: number): 'host' | 'device' {
  return runsOnHost(size * rank, HOST_CP_WORK) ? 'host' : 'device';
}
