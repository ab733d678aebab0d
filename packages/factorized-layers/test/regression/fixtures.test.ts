/**
 * tltorch fixtures of layers2.json, cases trl_* and tcl_*: TRL outputs and weights from the
 * recorded parameters (CP / Tucker / TT), resolved ranks, initFromLinear, TCL outputs, and
 * the TCL bias bug (fixed: a bias of shape rank).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tf } from '@tenfold/core';
import { TCL, TRL, resolveFactorizedRank } from '../../src/index.js';
import { expectClose, expectNoLeak, f32Tolerance, fixtureCase, fx, loadFixtures, relError } from '../../../../test-utils/index.js';
import { trlFromCase } from './helpers.js';

const file = loadFixtures('layers2');

const trlCases = file.cases.filter((c) => c.name.startsWith('trl_'));
const forwardCases = trlCases.filter((c) => !c.name.includes('init_from_linear'));
const linearCases = trlCases.filter((c) => c.name.includes('init_from_linear'));

describe('TRL fixtures', () => {
  it('all trl_* cases are covered', () => {
    expect(forwardCases.length).toBe(5);
    expect(linearCases.length).toBe(3);
  });

  for (const c of forwardCases) {
    it(`${c.name}: resolved rank, weight tensor and output from the recorded parameters`, () => {
      const { inputs: i, expected: e } = c;
      const shape = [...i.input_shape, ...i.output_shape];
      expect(resolveFactorizedRank(shape, i.rank, i.factorization)).toEqual(e.resolved_rank);
      const trl = trlFromCase(c);
      expect(trl.rank).toEqual(e.resolved_rank);
      const w = trl.weight.toTensor();
      expectClose(w, e.weight_tensor, f32Tolerance(e.weight_tensor.data), `${c.name} weight`);
      const x = fx(i.x);
      const y = expectNoLeak(() => {
        const out = trl.apply(x);
        expectClose(out, e.output, f32Tolerance(e.output.data), `${c.name} output`);
        return out;
      });
      void y;
      tf.dispose([w, x]);
      trl.dispose();
    });
  }

  for (const c of linearCases) {
    it(`${c.name}: initFromLinear — recorded parameters give the output, our decomposition the anchor's errors`, () => {
      const { inputs: i, expected: e } = c;
      const x = fx(i.x);
      const trl = trlFromCase(c);
      expect(trl.rank).toEqual(e.resolved_rank);
      const y = trl.apply(x);
      expectClose(y, e.output, f32Tolerance(e.output.data), `${c.name} output`);
      trl.dispose();
      // Our own initFromLinear from the dense layer.
      const lw = fx(i.linear_weight);
      const lb = fx(i.linear_bias);
      const own = new TRL({ inputShape: i.input_shape, outputShape: i.output_shape, factorization: i.factorization, rank: i.rank, bias: true, seed: 3 });
      const before = tf.memory().numTensors;
      own.initFromLinear({ weight: lw, bias: lb });
      expect(tf.memory().numTensors).toBe(before);
      const dense = tf.tidy(() => tf.add(tf.matMul(x.reshape([x.shape[0], -1]), lw, false, true), lb));
      const wFull = own.weight.toTensor();
      const wRef = tf.tidy(() => tf.transpose(lw).reshape(wFull.shape));
      const yOwn = own.apply(x);
      const errW = relError(wFull, wRef);
      const errY = relError(yOwn, dense);
      if (c.acceptance) {
        expect(errW).toBeLessThanOrEqual(c.acceptance.relative_weight_error_max);
        expect(errY).toBeLessThanOrEqual(c.acceptance.relative_output_error_max);
      } else {
        // Tucker (HOOI from the SVD) and TT (TT-SVD) are deterministic: the anchor's errors in float32.
        expect(Math.abs(errW - e.relative_weight_error)).toBeLessThan(2e-3);
        expect(Math.abs(errY - e.relative_output_error)).toBeLessThan(2e-3);
      }
      tf.dispose([x, y, lw, lb, dense, wFull, wRef, yOwn]);
      own.dispose();
    });
  }
});

describe('TCL fixtures', () => {
  it('tcl_3x4x5_rank2x3x2: output of multi_mode_dot with the recorded factors', () => {
    const c = fixtureCase(file, 'tcl_3x4x5_rank2x3x2');
    const { inputs: i, expected: e } = c;
    const tcl = new TCL({ inputShape: i.input_shape, rank: i.rank, seed: 1 });
    const fs = i.factors.map(fx);
    tcl.setWeights(fs);
    const x = fx(i.x);
    const y = expectNoLeak(() => {
      const out = tcl.apply(x);
      expectClose(out, e.output, f32Tolerance(e.output.data), 'tcl output');
      return out;
    });
    void y;
    expect(tcl.outputShape).toEqual(i.rank);
    tf.dispose([...fs, x]);
    tcl.dispose();
  });

  it('tcl_bias_bug: fixed — bias of shape rank is added (tltorch raises AttributeError)', () => {
    const c = fixtureCase(file, 'tcl_bias_bug');
    expect(c.expected_error.type).toBe('AttributeError');
    const { inputs: i } = c;
    const tcl = new TCL({ inputShape: i.input_shape, rank: i.rank, bias: i.bias, seed: 4 });
    expect(tcl.bias!.shape).toEqual(i.rank);
    // reuse the other case's factors and input: output with bias = output without + bias
    const o = fixtureCase(file, 'tcl_3x4x5_rank2x3x2');
    const fs = o.inputs.factors.map(fx);
    const b = tf.randomUniform(i.rank, -0.5, 0.5, 'float32', 2);
    tcl.setWeights(fs, b);
    const x = fx(o.inputs.x);
    const y = tcl.apply(x);
    const ref = tf.tidy(() => tf.add(fx(o.expected.output), b));
    expectClose(y, ref.dataSync(), f32Tolerance(ref.dataSync()), 'tcl + bias');
    // bound 1/sqrt(s_1) of tltorch's reset_parameters
    const fresh = new TCL({ inputShape: i.input_shape, rank: i.rank, bias: true, seed: 9 });
    expect(Math.max(...Array.from(tf.abs(fresh.bias!).dataSync()))).toBeLessThanOrEqual(1 / Math.sqrt(i.input_shape[0]));
    fresh.dispose();
    tf.dispose([...fs, b, x, y, ref]);
    tcl.dispose();
  });

  it('typed errors', () => {
    expect(() => new TCL({ inputShape: [3, 4], rank: [2] })).toThrow(ShapeError);
    expect(() => new TCL({ inputShape: [3, 0], rank: 2 })).toThrow(ShapeError);
    expect(() => new TCL({ inputShape: [3], rank: 2, extra: 1 } as never)).toThrow(ArgumentError);
    const tcl = new TCL({ inputShape: [3, 4], rank: 2, seed: 1 });
    const bad = tf.zeros([2, 4, 3]);
    const before = tf.memory().numTensors;
    expect(() => tcl.apply(bad)).toThrow(ShapeError);
    expect(() => tcl.apply([[[1, 2, 3]]])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    bad.dispose();
    tcl.dispose();
    expect(() => new TRL({ inputShape: [3, 4], outputShape: 2, factorization: 'blocktt' })).toThrow(ArgumentError);
    expect(() => new TRL({ inputShape: [3, 4], outputShape: 2, rank: -1 })).toThrow();
  });
});
