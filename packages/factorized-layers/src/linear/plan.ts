/**
 * Contraction plans for the forward pass of a tensorized linear layer, y = x W^T.
 *
 * tltorch builds one einsum string per call (`functional/factorized_linear.py`), and
 * `torch.einsum` contracts it pairwise in argument order: for a 1024x1024 CP layer that asked
 * for 98 GB. Here a plan is an explicit, inspectable list of steps: first `operands`, derived
 * from the parameters only (Khatri-Rao products, transposes, small matmuls); then `steps` on
 * the input, each a reshape, a 2-D/3-D transpose or a plain matmul `state @ operand`. Every
 * matmul is untransposed (tfjs's own wasm kernel ran a transposed-operand matmul 10-30x slower
 * than a plain one; plain matmuls are fast on every backend), and the state is kept in a
 * layout where the next contracted mode is the last one.
 *
 * FLOP model: a matmul (m,k)@(k,n) costs 2mkn; an element-wise product costs one FLOP per
 * output element; reshapes and transposes cost no FLOPs but transposes are counted as moved
 * elements (`moved`).
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
import { ArgumentError, ShapeError, describe, tf } from '@tenfold/core';
import { checkKind, checkLive, checkParamsObject, checkResolvedRank } from '../internal/paramChecks.js';
import type { FactorParams, Factorization, ResolvedRank } from '../tensorized/params.js';
import { paramList } from '../tensorized/params.js';
import { prod } from '../tensorized/shape.js';

export type Implementation = 'factorized' | 'reconstructed';

/** How an operand is derived from the parameters (indices refer to earlier operands). */
export type OperandRecipe =
  | { op: 'param'; param: number }
  | { op: 'khatriRao'; inputs: number[] }
  | { op: 'khatriRaoCols'; inputs: number[] }
  | { op: 'scaleColumns'; input: number; by: number }
  | { op: 'transpose'; input: number; perm: number[] }
  | { op: 'reshape'; input: number; shape: number[] }
  | { op: 'matmul'; a: number; b: number };

/** One step on the input state. `matmul` is `state (m, k) @ operands[operand] (k, n)`. */
export type StateStep = { op: 'reshape'; shape: number[] } | { op: 'transpose'; perm: number[] } | { op: 'matmul'; operand: number };

export type PlannedOperand = OperandRecipe & { shape: number[]; flops: number; label: string };
export type PlannedStep = StateStep & { shape: number[]; flops: number };

export interface ContractionPlan {
  factorization: Factorization;
  implementation: Implementation;
  batchSize: number;
  inFeatures: number;
  outFeatures: number;
  operands: PlannedOperand[];
  steps: PlannedStep[];
  /** FLOPs of the operand derivation (independent of the batch), of the steps, and their sum. */
  flops: { operands: number; steps: number; total: number };
  /** Elements moved by transposes (operands and steps). */
  moved: number;
  /** Largest intermediate of the steps (elements). */
  peakStateSize: number;
  /** Largest operand (elements). */
  peakOperandSize: number;
}

/** What a plan needs to know about an unbatched tensorized weight. */
export interface PlanShape {
  factorization: Factorization;
  out: number[];
  in: number[];
  rank: ResolvedRank;
}

class Builder {
  operands: PlannedOperand[] = [];
  steps: PlannedStep[] = [];
  moved = 0;
  state: number[];
  constructor(
    private ps: PlanShape,
    private batch: number,
    private impl: Implementation,
  ) {
    this.state = [batch, prod(ps.in)];
  }
  private push(r: OperandRecipe, shape: number[], flops: number, label: string): number {
    this.operands.push({ ...r, shape, flops, label });
    return this.operands.length - 1;
  }
  shapeOf(id: number): number[] {
    return this.operands[id].shape;
  }
  param(index: number, shape: number[], label: string): number {
    return this.push({ op: 'param', param: index }, shape, 0, label);
  }
  khatriRao(inputs: number[], label: string): number {
    if (inputs.length === 1) return inputs[0];
    const r = this.shapeOf(inputs[0])[1];
    let rows = this.shapeOf(inputs[0])[0];
    let flops = 0;
    for (const id of inputs.slice(1)) {
      rows *= this.shapeOf(id)[0];
      flops += rows * r;
    }
    return this.push({ op: 'khatriRao', inputs }, [rows, r], flops, label);
  }
  /** Column-wise Khatri-Rao of (R, I_k) matrices: (R, prod I_k), the transpose of khatriRao. */
  khatriRaoCols(inputs: number[], label: string): number {
    if (inputs.length === 1) return inputs[0];
    const r = this.shapeOf(inputs[0])[0];
    let cols = this.shapeOf(inputs[0])[1];
    let flops = 0;
    for (const id of inputs.slice(1)) {
      cols *= this.shapeOf(id)[1];
      flops += cols * r;
    }
    return this.push({ op: 'khatriRaoCols', inputs }, [r, cols], flops, label);
  }
  scaleColumns(input: number, by: number, label: string): number {
    const sh = this.shapeOf(input);
    return this.push({ op: 'scaleColumns', input, by }, sh, prod(sh), label);
  }
  transposeOp(input: number, perm: number[], label: string): number {
    const sh = this.shapeOf(input);
    this.moved += prod(sh);
    return this.push({ op: 'transpose', input, perm }, perm.map((p) => sh[p]), 0, label);
  }
  reshapeOp(input: number, shape: number[], label: string): number {
    return this.push({ op: 'reshape', input, shape }, shape, 0, label);
  }
  matmulOp(a: number, b: number, label: string): number {
    const [m, k] = this.shapeOf(a);
    const [k2, n] = this.shapeOf(b);
    if (k !== k2) throw new Error(`internal plan error: operand matmul (${m},${k})@(${k2},${n})`);
    return this.push({ op: 'matmul', a, b }, [m, n], 2 * m * k * n, label);
  }
  reshape(shape: number[]): void {
    const size = prod(this.state);
    const known = shape.filter((d) => d !== -1);
    const full = shape.map((d) => (d === -1 ? size / prod(known) : d));
    this.state = full;
    this.steps.push({ op: 'reshape', shape: full, flops: 0 });
  }
  transpose(perm: number[]): void {
    this.moved += prod(this.state);
    this.state = perm.map((p) => this.state[p]);
    this.steps.push({ op: 'transpose', perm, shape: [...this.state], flops: 0 });
  }
  matmul(operand: number): void {
    const [m, k] = this.state;
    const [k2, n] = this.shapeOf(operand);
    if (this.state.length !== 2 || k !== k2) throw new Error(`internal plan error: state ${describe(this.state)} @ operand (${k2},${n})`);
    this.state = [m, n];
    this.steps.push({ op: 'matmul', operand, shape: [m, n], flops: 2 * m * k * n });
  }
  finish(): ContractionPlan {
    const opFlops = this.operands.reduce((a, o) => a + o.flops, 0);
    const stFlops = this.steps.reduce((a, s) => a + s.flops, 0);
    return {
      factorization: this.ps.factorization,
      implementation: this.impl,
      batchSize: this.batch,
      inFeatures: prod(this.ps.in),
      outFeatures: prod(this.ps.out),
      operands: this.operands,
      steps: this.steps,
      flops: { operands: opFlops, steps: stFlops, total: opFlops + stFlops },
      moved: this.moved,
      peakStateSize: Math.max(this.batch * prod(this.ps.in), ...this.steps.map((s) => prod(s.shape))),
      peakOperandSize: Math.max(0, ...this.operands.map((o) => prod(o.shape))),
    };
  }
}

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

/** Run a plan: `x2d (B, in)` -> `(B, out)`. Differentiable; intermediates are freed. */
export function runPlan(plan: ContractionPlan, params: FactorParams, x2d: tf.Tensor): tf.Tensor {
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.operands) || !Array.isArray(plan.steps)) {
    throw new ArgumentError(`plan must be a ContractionPlan (planLinear); got ${describe(plan)}`);
  }
  checkParamsObject(params);
  const given = paramList(params);
  const fits = params.kind === plan.factorization && plan.operands.every((o) => o.op !== 'param' || (given[o.param] !== undefined && given[o.param].shape.length === o.shape.length && given[o.param].shape.every((d, k) => d === o.shape[k])));
  if (!fits) {
    throw new ArgumentError(
      `params must be the '${plan.factorization}' parameters the plan was made for (shapes ${describe(plan.operands.filter((o) => o.op === 'param').map((o) => o.shape))}); got '${params.kind}' parameters of shapes ${describe(given.map((t) => t.shape))}`,
    );
  }
  checkLive(x2d, 'x2d');
  if (x2d.rank !== 2 || x2d.shape[1] !== plan.inFeatures) {
    throw new ShapeError(`x2d must be a (batch, ${plan.inFeatures}) matrix; got shape ${describe(x2d.shape)}`);
  }
  return tf.tidy(() => {
    const list = paramList(params);
    const ops: tf.Tensor[] = [];
    for (const o of plan.operands) {
      switch (o.op) {
        case 'param':
          ops.push(list[o.param]);
          break;
        case 'khatriRao': {
          let acc = ops[o.inputs[0]];
          for (const id of o.inputs.slice(1)) {
            const [i, r] = acc.shape as [number, number];
            const j = ops[id].shape[0];
            acc = tf.mul(acc.reshape([i, 1, r]), ops[id].reshape([1, j, r])).reshape([i * j, r]);
          }
          ops.push(acc);
          break;
        }
        case 'khatriRaoCols': {
          let acc = ops[o.inputs[0]];
          for (const id of o.inputs.slice(1)) {
            const [r, i] = acc.shape as [number, number];
            const j = ops[id].shape[1] as number;
            acc = tf.mul(acc.reshape([r, i, 1]), ops[id].reshape([r, 1, j])).reshape([r, i * j]);
          }
          ops.push(acc);
          break;
        }
        case 'scaleColumns':
          ops.push(tf.mul(ops[o.input], ops[o.by]));
          break;
        case 'transpose':
          ops.push(tf.transpose(ops[o.input], o.perm));
          break;
        case 'reshape':
          ops.push(ops[o.input].reshape(o.shape));
          break;
        case 'matmul':
          ops.push(tf.matMul(ops[o.a], ops[o.b]));
          break;
      }
    }
    let s = x2d;
    for (const st of plan.steps) {
      if (st.op === 'reshape') s = s.reshape(st.shape);
      else if (st.op === 'transpose') s = tf.transpose(s, st.perm);
      else s = tf.matMul(s, ops[st.operand]);
    }
    return s;
  });
}

/** Dense reference cost 2 B in out of y = x W^T. */
export function denseFlops(inFeatures: number, outFeatures: number, batchSize: number): number {
  const args = { inFeatures, outFeatures, batchSize };
  for (const [name, v] of Object.entries(args)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ArgumentError(`${name} must be a non-negative integer; got ${describe(v)}`);
  }
  return 2 * batchSize * inFeatures * outFeatures;
}
