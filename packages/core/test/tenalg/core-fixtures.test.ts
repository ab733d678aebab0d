/**
 * Every TensorLy 0.9 case of fixtures/core.json that belongs to base ops and tensor algebra,
 * matched by name prefix so that a new or renamed case cannot be skipped silently.
 */
import { describe, expect, it } from 'vitest';
import {
  tf, unfold, fold, partialUnfold, partialFold, partialTensorToVec, partialVecToTensor, tensorToVec, vecToTensor,
  khatriRao, kronecker, modeDot, multiModeDot, outer, batchedOuter, inner, tensordot, mttkrp, norm, higherOrderMoment,
  ShapeError, TenfoldError,
  type ContractionModes,
} from '@tenfold/core';
import { loadFixtures, f32Tolerance, expectClose, expectNoLeak, isFixtureArray, type FixtureArray, type FixtureCase } from '../../../../test-utils/index.js';

const file = loadFixtures('core');

/** Reshape-only cases (tolerance 0) must match the float32-rounded anchor exactly. */
function check(actual: tf.Tensor, expected: FixtureArray | number, c: FixtureCase): void {
  const exp = isFixtureArray(expected) ? expected : { shape: [], data: [expected] };
  const exact = c.tolerance !== undefined && c.tolerance.rtol === 0 && c.tolerance.atol === 0;
  if (exact) {
    expect(actual.shape, `${c.name} shape`).toEqual(exp.shape);
    expect(Array.from(actual.dataSync()), c.name).toEqual(exp.data.map(Math.fround));
  } else {
    expectClose(actual, exp, f32Tolerance(exp.data, c.tolerance), c.name);
  }
}

/** Run `fn` under the leak check and compare its tensor result with the case's expectation. */
function run(c: FixtureCase, fn: () => tf.Tensor): void {
  expectNoLeak(() => {
    const out = fn();
    check(out, c.expected, c);
    return out;
  });
}

/** A case the anchor rejects with ValueError must throw a ShapeError (without leaking); others run as usual. */
function runOrExpectShapeError(c: FixtureCase, call: () => tf.Tensor): void {
  if (c.expected_error) {
    expect(c.expected_error.type).toBe('ValueError');
    expectNoLeak(() => {
      expect(call).toThrow(ShapeError);
    });
    return;
  }
  run(c, call);
}

/** Fixture arrays are `{shape, data}`, which is a TensorLike as is. */
type Runner = (c: FixtureCase) => void;
const runners: [string, Runner][] = [
  ['partial_unfold', (c) => {
    const i = c.inputs;
    run(c, () => partialUnfold(i.tensor, { mode: i.mode, skipBegin: i.skip_begin, skipEnd: i.skip_end, ravelTensors: i.ravel_tensors }));
  }],
  ['partial_fold', (c) => {
    const i = c.inputs;
    run(c, () => partialFold(i.unfolded, i.mode, i.shape, { skipBegin: i.skip_begin, skipEnd: i.skip_end }));
  }],
  ['partial_tensor_to_vec', (c) => {
    const i = c.inputs;
    run(c, () => partialTensorToVec(i.tensor, { skipBegin: i.skip_begin, skipEnd: i.skip_end }));
  }],
  ['partial_vec_to_tensor', (c) => {
    const i = c.inputs;
    run(c, () => partialVecToTensor(i.matrix, i.shape, { skipBegin: i.skip_begin, skipEnd: i.skip_end }));
  }],
  ['unfolding_dot_khatri_rao', (c) => {
    const i = c.inputs;
    // Every variant behind the one MTTKRP entry reproduces the anchor.
    for (const method of ['direct', 'tree', 'host'] as const) run(c, () => mttkrp(i.tensor, i.weights, i.factors, i.mode, { method }));
  }],
  ['unfold_', (c) => run(c, () => unfold(c.inputs.tensor, c.inputs.mode))],
  ['fold_', (c) => run(c, () => fold(c.inputs.unfolded, c.inputs.mode, c.inputs.shape))],
  ['tensor_to_vec', (c) => run(c, () => tensorToVec(c.inputs.tensor))],
  ['vec_to_tensor', (c) => run(c, () => vecToTensor(c.inputs.vec, c.inputs.shape))],
  ['khatri_rao', (c) => {
    const i = c.inputs;
    const call = () => khatriRao(i.matrices, { weights: i.weights, skipMatrix: i.skip_matrix, mask: i.mask });
    runOrExpectShapeError(c, call);
  }],
  ['kronecker', (c) => run(c, () => kronecker(c.inputs.matrices, { skipMatrix: c.inputs.skip_matrix, reverse: c.inputs.reverse }))],
  ['multi_mode_dot', (c) => {
    const i = c.inputs;
    run(c, () => multiModeDot(i.tensor, i.matrix_or_vec_list, { modes: i.modes, skip: i.skip, transpose: i.transpose }));
  }],
  ['mode_dot', (c) => {
    const i = c.inputs;
    const call = () => modeDot(i.tensor, i.matrix_or_vector, i.mode, { transpose: i.transpose ?? false });
    runOrExpectShapeError(c, call);
  }],
  ['batched_outer', (c) => run(c, () => batchedOuter(c.inputs.tensors))],
  ['outer', (c) => run(c, () => outer(c.inputs.tensors))],
  ['inner', (c) => run(c, () => inner(c.inputs.tensor1, c.inputs.tensor2, c.inputs.n_modes))],
  ['tensordot', (c) => {
    const i = c.inputs;
    run(c, () => tensordot(i.tensor1, i.tensor2, i.modes as ContractionModes, (i.batched_modes ?? []) as ContractionModes));
  }],
  ['norm_', (c) => {
    const got = expectNoLeak(() => norm(c.inputs.tensor, c.inputs.order));
    const exp = c.expected as number;
    expect(Math.abs(got - exp), `${c.name}: ${got} vs ${exp}`).toBeLessThanOrEqual(1e-4 * Math.abs(exp));
  }],
  ['higher_order_moment', (c) => {
    // TensorLy 0.9 raises TypeError here (documented bug); Tenfold implements the intended
    // moment, checked against the definition evaluated in float64 on the fixture's input.
    expect(c.expected_error?.type).toBe('TypeError');
    const x = c.inputs.tensor as FixtureArray;
    const [n, f] = x.shape;
    const order = c.inputs.order as number;
    const want: number[] = [];
    const idx = new Array<number>(order).fill(0);
    for (let flat = 0; flat < f ** order; flat++) {
      let rest = flat;
      for (let d = order - 1; d >= 0; d--) {
        idx[d] = rest % f;
        rest = Math.floor(rest / f);
      }
      let s = 0;
      for (let k = 0; k < n; k++) s += idx.reduce((p, j) => p * x.data[k * f + j], 1);
      want.push(s / n);
    }
    expectNoLeak(() => {
      const out = higherOrderMoment(x, order);
      expect(out.shape).toEqual(new Array(order).fill(f));
      expectClose(out, want, f32Tolerance(want), c.name);
      return out;
    });
  }],
];

/** Cases of core.json owned by other areas (factorized tensors, SVD). */
const otherAreas = ['cp_', 'tucker_', 'tt_', 'svd_'];

describe('core.json fixtures: base and tenalg', () => {
  const mine = file.cases.filter((c) => !otherAreas.some((p) => c.name.startsWith(p)));

  it('every case outside the factorized-tensor and SVD areas has a runner', () => {
    const unmatched = mine.filter((c) => !runners.some(([p]) => c.name.startsWith(p))).map((c) => c.name);
    expect(unmatched).toEqual([]);
    expect(mine.length).toBe(72);
  });

  for (const c of mine) {
    const entry = runners.find(([p]) => c.name.startsWith(p));
    it(c.name, () => {
      expect(entry, `no runner for ${c.name}`).toBeDefined();
      entry![1](c);
    });
  }

  it('error cases raise TenfoldError subclasses', () => {
    const errs = mine.filter((c) => c.expected_error && !c.name.startsWith('higher_order_moment'));
    expect(errs.map((c) => c.name).sort()).toEqual(['khatri_rao_column_mismatch', 'mode_dot_shape_mismatch']);
    for (const c of errs) {
      const call = c.name.startsWith('khatri') ? () => khatriRao(c.inputs.matrices) : () => modeDot(c.inputs.tensor, c.inputs.matrix_or_vector, c.inputs.mode);
      expect(call).toThrow(TenfoldError);
    }
  });
});
