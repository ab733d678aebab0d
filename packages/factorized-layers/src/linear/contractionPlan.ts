/**
 * The contraction plan of a tensorized linear forward: its types (`ContractionPlan`, the
 * operand recipes and state steps) and the `Builder` that records them with their FLOP
 * counts. `./plan.ts` chooses the steps per factorization; `./runPlan.ts` executes a plan.
 *
 * A plan is an explicit, inspectable list of steps: first `operands`, derived from the
 * parameters only (Khatri-Rao products, transposes, small matmuls); then `steps` on the
 * input, each a reshape, a 2-D/3-D transpose or a plain matmul `state @ operand`.
 *
 * FLOP model: a matmul (m,k)@(k,n) costs 2mkn; an element-wise product costs one FLOP per
 * output element; reshapes and transposes cost no FLOPs but transposes are counted as moved
 * elements (`moved`).
 */
import { describe } from '@tenfold/core';
import type { Factorization, ResolvedRank } from '../tensorized/params.js';
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

/** Records operands and steps of a plan and counts their FLOPs and moved elements. */
export class Builder {
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
