/**
 * Plan search for the forward pass of a tensorized linear layer, y = x W^T: which operands
 * and steps (`./contractionPlan.ts`, with its FLOP model) each factorization gets;
 * `./runPlan.ts` executes them.
 *
 * tltorch builds one einsum string per call (`functional/factorized_linear.py`), and
 * `torch.einsum` contracts it pairwise in argument order: for a 1024x1024 CP layer that asked
 * for 98 GB. Here a plan is an explicit, inspectable list of steps. Every matmul is
 * untransposed (tfjs's own wasm kernel ran a transposed-operand matmul 10-30x slower than a
 * plain one; plain matmuls are fast on every backend), and the state is kept in a layout
 * where the next contracted mode is the last one.
 *
 * Plans (unbatched weight (out_1..out_n, in_1..in_m); x reshaped to (B, in)):
 * - CP factorized: K_in = khatriRao(in factors) (in, R) and K_out^T (R, out) built in that
 *   layout, the weights folded into the smallest factor; y = (x K_in) K_out^T: 2B R (in + out)
 *   FLOPs + the Khatri-Rao products.
 * - Tucker factorized: project x on each in factor (last mode first, rotating the new rank
 *   mode to the front), multiply by the matricized core, expand with each out factor.
 * - BlockTT factorized: contract the cores from the last to the first; core k takes the state
 *   (..., in_k, r_{k+1}) to (..., r_k, out_k) and the out mode is rotated to the front
 *   (the standard TT-matrix by vector product).
 * - reconstructed (every factorization): build W^T (in, out) from the parameters in the
 *   layout the matmul wants (no transposed copy of W), then y = x W^T.
 */
import { ArgumentError, ShapeError, describe } from '@tenfold/core';
import { checkKind, checkResolvedRank } from '../internal/paramChecks.js';
import { prod } from '../tensorized/shape.js';
import { Builder, type ContractionPlan, type Implementation, type PlanShape } from './contractionPlan.js';

/**
 * Plan the forward pass of an unbatched tensorized weight (index joint layers first) for a
 * batch of `batchSize` rows.
 */
export function planLinear(ps: PlanShape, batchSize: number, implementation: Implementation): ContractionPlan {
  checkPlanShape(ps);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`batchSize must be a positive integer; got ${describe(batchSize)}`);
  if (implementation !== 'factorized' && implementation !== 'reconstructed') {
    throw new ArgumentError(`implementation must be 'factorized' or 'reconstructed'; got ${describe(implementation)}`);
  }
  const b = new Builder(ps, batchSize, implementation);
  if (implementation === 'reconstructed' || ps.factorization === 'dense') {
    const wt = buildTransposedWeight(b, ps);
    b.matmul(wt);
    return b.finish();
  }
  switch (ps.factorization) {
    case 'cp':
      planCp(b, ps, batchSize);
      break;
    case 'tucker':
      planTucker(b, ps);
      break;
    case 'blocktt':
      planBlockTt(b, ps);
      break;
  }
  return b.finish();
}

/**
 * CP operands K_in (in, R) and K_out^T (R, out). The weights are folded into the smallest
 * single factor (I_k R FLOPs instead of in R or out R), and K_out^T is built directly in its
 * (R, out) layout from the transposed out factors, so no (out, R) matrix is transposed.
 */
function cpOperands(b: Builder, ps: PlanShape): { kin: number; koutT: number } {
  const r = ps.rank as number;
  const n = ps.out.length;
  const w = b.param(0, [r], 'weights');
  const sizes = [...ps.out, ...ps.in];
  const smallest = sizes.indexOf(Math.min(...sizes));
  const factors = sizes.map((d, k) => {
    const f = b.param(1 + k, [d, r], `factor ${k} (${k < n ? `out ${k}` : `in ${k - n}`})`);
    return k === smallest ? b.scaleColumns(f, w, `factor ${k} * weights`) : f;
  });
  const kin = b.khatriRao(factors.slice(n), 'K_in = khatriRao(in factors)');
  const outT = factors.slice(0, n).map((f, k) => b.transposeOp(f, [1, 0], `factor ${k}^T`));
  const koutT = b.khatriRaoCols(outT, 'K_out^T = khatriRao(out factors)^T');
  return { kin, koutT };
}

function planCp(b: Builder, ps: PlanShape, _batch: number): void {
  const { kin, koutT } = cpOperands(b, ps);
  b.matmul(kin); // (B, R)
  b.matmul(koutT); // (B, out)
}

function planTucker(b: Builder, ps: PlanShape): void {
  const r = ps.rank as number[];
  const n = ps.out.length;
  const m = ps.in.length;
  const ro = r.slice(0, n);
  const ri = r.slice(n);
  const core = b.param(0, [...r], 'core');
  const inF = ps.in.map((d, k) => b.param(1 + n + k, [d, ri[k]], `factor ${n + k} (in ${k})`));
  const coreMat = b.reshapeOp(core, [prod(ro), prod(ri)], 'core as (prod r_out, prod r_in)');
  const coreT = b.transposeOp(coreMat, [1, 0], 'core^T (prod r_in, prod r_out)');
  const outFT = ps.out.map((d, k) => b.transposeOp(b.param(1 + k, [d, ro[k]], `factor ${k} (out ${k})`), [1, 0], `factor ${k}^T`));
  const B = b.state[0];
  // In-projection. Invariant before step k: (ri_{k+1}..ri_m, B, i_1..i_k).
  for (let k = m - 1; k >= 0; k--) {
    b.reshape([-1, ps.in[k]]);
    b.matmul(inF[k]);
    if (k > 0) b.transpose([1, 0]);
    else if (m > 1) {
      b.reshape([prod(ri.slice(1)), B, ri[0]]);
      b.transpose([1, 2, 0]);
    }
  }
  b.reshape([B, prod(ri)]);
  b.matmul(coreT); // (B, ro_1..ro_n)
  // Out-expansion. Invariant before step k: (o_{k+1}..o_n, B, ro_1..ro_k).
  for (let k = n - 1; k >= 0; k--) {
    b.reshape([-1, ro[k]]);
    b.matmul(outFT[k]);
    if (k > 0) b.transpose([1, 0]);
    else if (n > 1) {
      b.reshape([prod(ps.out.slice(1)), B, ps.out[0]]);
      b.transpose([1, 2, 0]);
    }
  }
  b.reshape([B, prod(ps.out)]);
}

function planBlockTt(b: Builder, ps: PlanShape): void {
  const r = ps.rank as number[];
  const n = ps.out.length;
  const B = b.state[0];
  const g = ps.out.map((o, k) => {
    const c = b.param(k, [r[k], o, ps.in[k], r[k + 1]], `core ${k}`);
    const t = b.transposeOp(c, [2, 3, 0, 1], `core ${k} as (in, r', r, out)`);
    return b.reshapeOp(t, [ps.in[k] * r[k + 1], r[k] * o], `core ${k} as (in_k r_{k+1}, r_k out_k)`);
  });
  // Invariant before step k: (o_{k+1}..o_n, B, i_1..i_k, r_{k+1}).
  for (let k = n - 1; k >= 0; k--) {
    b.reshape([-1, ps.in[k] * r[k + 1]]);
    b.matmul(g[k]);
    if (k > 0) {
      b.reshape([-1, ps.out[k]]);
      b.transpose([1, 0]);
    } else if (n > 1) {
      b.reshape([prod(ps.out.slice(1)), B, ps.out[0]]);
      b.transpose([1, 2, 0]);
    }
  }
  b.reshape([B, prod(ps.out)]);
}

/** Operands that build W^T (in, out) from the parameters. Returns its operand id. */
function buildTransposedWeight(b: Builder, ps: PlanShape): number {
  const inF = prod(ps.in);
  const outF = prod(ps.out);
  const n = ps.out.length;
  switch (ps.factorization) {
    case 'dense':
      return b.transposeOp(b.param(0, [outF, inF], 'matrix'), [1, 0], 'W^T');
    case 'cp': {
      const { kin, koutT } = cpOperands(b, ps);
      return b.matmulOp(kin, koutT, 'W^T = K_in K_out^T');
    }
    case 'tucker': {
      const r = ps.rank as number[];
      const core = b.param(0, [...r], 'core');
      // Core permuted to (ri..., ro...), so the product comes out as (in..., out...) = W^T.
      const perm = [...ps.in.map((_, k) => n + k), ...ps.out.map((_, k) => k)];
      let t = b.transposeOp(core, perm, 'core as (r_in..., r_out...)');
      const dims = perm.map((p) => r[p]);
      const sizes = [...ps.in, ...ps.out];
      const factorT = perm.map((p, j) => b.transposeOp(b.param(1 + p, [sizes[j], dims[j]], `factor ${p}`), [1, 0], `factor ${p}^T`));
      for (let j = dims.length - 1; j >= 0; j--) {
        t = b.reshapeOp(t, [prod(b.shapeOf(t)) / dims[j], dims[j]], 'last mode as columns');
        t = b.matmulOp(t, factorT[j], `x_${perm[j]} factor`);
        t = b.transposeOp(t, [1, 0], 'rotate the new mode to the front');
        dims[j] = sizes[j];
      }
      return b.reshapeOp(t, [inF, outF], 'W^T');
    }
    case 'blocktt': {
      // acc = (I, O, r_k) over the first k cores, I = (in_1..in_k), O = (out_1..out_k). Each
      // step is one matmul and one 4-D swap of the two middle axes, so W^T comes out as
      // (in..., out...) without a 2n-D transpose of the full weight (measured on wasm: a 6-D
      // transpose of a 1M-entry weight costs more than the forward matmul; the 4-D swap is ~50x cheaper).
      const r = ps.rank as number[];
      let acc = -1;
      let rows = 1;
      let cols = 1;
      for (let k = 0; k < n; k++) {
        const c = b.param(k, [r[k], ps.out[k], ps.in[k], r[k + 1]], `core ${k}`);
        const ct = b.transposeOp(c, [0, 2, 1, 3], `core ${k} as (r, in, out, r')`);
        if (k === 0) acc = b.reshapeOp(ct, [ps.in[0], ps.out[0], r[1]], '(in_1, out_1, r_1)');
        else {
          const cm = b.reshapeOp(ct, [r[k], ps.in[k] * ps.out[k] * r[k + 1]], `core ${k} as (r, in out r')`);
          let t = b.reshapeOp(acc, [rows * cols, r[k]], '(I O, r)');
          t = b.matmulOp(t, cm, 'chain');
          t = b.reshapeOp(t, [rows, cols, ps.in[k], ps.out[k] * r[k + 1]], '(I, O, in_k, out_k r\')');
          t = b.transposeOp(t, [0, 2, 1, 3], '(I, in_k, O, out_k r\')');
          acc = b.reshapeOp(t, [rows * ps.in[k], cols * ps.out[k], r[k + 1]], '(I in_k, O out_k, r\')');
        }
        rows *= ps.in[k];
        cols *= ps.out[k];
      }
      return b.reshapeOp(acc, [inF, outF], 'W^T');
    }
  }
  throw new Error('unreachable');
}

/**
 * The shape a plan is made for: a factorization, positive-integer `out` and `in` lists
 * (as many of each for BlockTT) and a rank that fits them.
 * @throws ArgumentError (not a plan shape, unknown factorization), ShapeError, RankError
 */
function checkPlanShape(ps: unknown): void {
  if (typeof ps !== 'object' || ps === null || Array.isArray(ps)) {
    throw new ArgumentError(`shape must be a plan shape { factorization, out, in, rank }; got ${describe(ps)}`);
  }
  const p = ps as PlanShape;
  checkKind(p.factorization, 'shape.factorization');
  const posList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1);
  if (!posList(p.out)) throw new ShapeError(`shape.out must be a non-empty list of positive integers; got ${describe(p.out)}`);
  if (!posList(p.in)) throw new ShapeError(`shape.in must be a non-empty list of positive integers; got ${describe(p.in)}`);
  if (p.factorization === 'blocktt' && p.in.length !== p.out.length) {
    throw new ShapeError(`shape.in must have as many modes as shape.out for BlockTT (one core per pair); got out ${describe(p.out)} and in ${describe(p.in)}`);
  }
  checkResolvedRank(p.factorization, { batch: [], out: p.out, in: p.in }, p.rank);
}

/** Dense reference cost 2 B in out of y = x W^T. */
export function denseFlops(inFeatures: number, outFeatures: number, batchSize: number): number {
  const args = { inFeatures, outFeatures, batchSize };
  for (const [name, v] of Object.entries(args)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ArgumentError(`${name} must be a non-negative integer; got ${describe(v)}`);
  }
  return 2 * batchSize * inFeatures * outFeatures;
}
