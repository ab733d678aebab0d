/**
 * Execution of a contraction plan (`./plan.ts`): derive the operands from the parameters,
 * then apply the steps to the input `x2d (B, in)`. Every matmul is a plain `state @ operand`.
 */
import { ArgumentError, ShapeError, describe, tf } from '@tenfold/core';
import { checkLive, checkParamsObject } from '../internal/paramChecks.js';
import type { FactorParams } from '../tensorized/params.js';
import { paramList } from '../tensorized/params.js';
import type { ContractionPlan } from './contractionPlan.js';

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
