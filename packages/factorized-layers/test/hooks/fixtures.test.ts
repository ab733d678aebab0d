/**
 * tltorch fixtures of layers2.json, cases tensor_dropout_* and tensor_lasso_*, plus the
 * training-mode behaviour the fixtures cannot record (RNG): p -> 1 keeps one component,
 * the expectation is preserved, seeded draws repeat, the lasso works with tfjs optimizers.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, tf } from '@tenfold/core';
import {
  FactorizedTensor,
  TRL,
  hookedParams,
  hookedTensor,
  removeTensorDropout,
  resolveFactorizedRank,
  tensorDropout,
  tensorHooks,
  tensorLasso,
  type FactorizedParams,
} from '../../src/index.js';
import { expectClose, f32Tolerance, fixtureCase, fx, loadFixtures } from '../../../../test-utils/index.js';
import { factorizedParamsOf, trlFromCase } from '../regression/helpers.js';

const file = loadFixtures('layers2');

describe('tensor_dropout fixtures', () => {
  for (const kind of ['cp', 'tucker', 'tt']) {
    it(`tensor_dropout_eval_identity_${kind}: identity at inference`, () => {
      const c = fixtureCase(file, `tensor_dropout_eval_identity_${kind}`);
      const { inputs: i, expected: e } = c;
      expect(resolveFactorizedRank(i.shape, i.rank, i.factorization)).toEqual(e.resolved_rank);
      const ft = tensorDropout(FactorizedTensor.fromParams(factorizedParamsOf(kind, i.params)), { p: i.p, seed: 1 });
      expect(ft.rank).toEqual(e.resolved_rank);
      const before = tf.memory().numTensors;
      const rec = hookedTensor(ft, i.training);
      expect(tf.memory().numTensors).toBe(before + 1);
      expectClose(rec, e.reconstruction, f32Tolerance(e.reconstruction.data), c.name);
      rec.dispose();
      // training mode really drops (rank 4 / (2,3,3) / (1,2,3,1) with minDim 1)
      removeTensorDropout(ft);
      tensorDropout(ft, { p: 0.5, minDim: 1, seed: 3 });
      const shapes = tf.tidy(() => {
        const p = hookedParams(ft, true);
        // the ranks after dropout: CP R, Tucker core shape, TT bonds
        return p.kind === 'cp' ? [p.weights.shape[0]] : p.kind === 'tucker' ? p.core.shape : p.kind === 'tt' ? p.factors.map((f) => f.shape[2] as number) : [];
      });
      expect(shapes.reduce((a, b) => a + b, 0)).toBeLessThan(kind === 'cp' ? 4 : kind === 'tucker' ? 8 : 6);
      ft.dispose();
    });
  }

  it('tensor_dropout_trl_tucker_eval_and_p0: TRL output in eval (p 0.7) and in training with p 0', () => {
    const c = fixtureCase(file, 'tensor_dropout_trl_tucker_eval_and_p0');
    const { inputs: i, expected: e } = c;
    const trl = trlFromCase(c);
    const x = fx(i.x);
    tensorDropout(trl.weight, { p: i.p_eval, seed: 5 });
    trl.training = false;
    const y1 = trl.apply(x);
    expectClose(y1, e.output_eval, f32Tolerance(e.output_eval.data), 'eval');
    removeTensorDropout(trl.weight);
    tensorDropout(trl.weight, { p: i.p_train });
    const y2 = trl.apply(x, { training: true });
    expectClose(y2, e.output_train_p0, f32Tolerance(e.output_train_p0.data), 'train p=0');
    tf.dispose([x, y1, y2]);
    trl.dispose();
  });

  it('tensor_dropout_cp_rank_le_min_dim_training_bug: fixed — a CP rank <= minDim is returned unchanged', () => {
    const c = fixtureCase(file, 'tensor_dropout_cp_rank_le_min_dim_training_bug');
    const { inputs: i } = c;
    expect(c.expected_error.type).toBe('UnboundLocalError');
    const ft = tensorDropout(FactorizedTensor.new(i.shape, i.rank, i.factorization, { seed: 2 }), { p: i.p, minDim: i.min_dim, seed: 1 });
    const full = ft.toTensor();
    const rec = hookedTensor(ft, i.training);
    expectClose(rec, full.dataSync(), f32Tolerance(full.dataSync()), 'unchanged');
    tf.dispose([full, rec]);
    ft.dispose();
  });
});

describe('tensor dropout in training (RNG-dependent, not in the fixtures)', () => {
  it('p close to 1 keeps one component (tltorch test_tensor_dropout): CP 1 weight, Tucker core (1,1,1), TT bonds 1', () => {
    for (const kind of ['cp', 'tucker', 'tt'] as const) {
      const ft = tensorDropout(FactorizedTensor.new([5, 6, 7], 'same', kind, { seed: 1 }), { p: 0.999, minDim: 0, seed: 7 });
      const shapes = tf.tidy(() => {
        const p = hookedParams(ft, true);
        return p.kind === 'cp' ? [p.weights.shape] : p.kind === 'tucker' ? [p.core.shape] : p.kind === 'tt' ? p.factors.map((f) => [f.shape[0], f.shape[2]]) : [];
      });
      if (kind === 'cp') expect(shapes).toEqual([[1]]);
      if (kind === 'tucker') expect(shapes).toEqual([[1, 1, 1]]);
      if (kind === 'tt') expect(shapes.flat().every((r) => r === 1)).toBe(true);
      removeTensorDropout(ft);
      expect(tensorHooks(ft)).toEqual([]);
      ft.dispose();
    }
  });

  it('the expectation is preserved (mean over draws -> the full tensor) and seeded draws repeat', () => {
    for (const kind of ['cp', 'tucker', 'tt'] as const) {
      const ft = FactorizedTensor.new([3, 4, 5], kind === 'cp' ? 8 : kind === 'tucker' ? [3, 4, 5] : [1, 6, 6, 1], kind, { seed: 4, std: 1 });
      // Tucker: one dropped mode (minDim 4 leaves only the 5-mode), so the estimator is unbiased
      // for every factorization; TT drops its bonds independently (two bonds, each used once).
      tensorDropout(ft, { p: 0.3, minDim: kind === 'tucker' ? 4 : 1, seed: 11 });
      const full = ft.toTensor();
      const n = 600;
      const mean = tf.tidy(() => {
        let acc = tf.zerosLike(full);
        for (let k = 0; k < n; k++) acc = tf.add(acc, hookedTensor(ft, true));
        return tf.div(acc, n);
      });
      const err = tf.tidy(() => tf.norm(tf.sub(mean, full)).dataSync()[0] / tf.norm(full).dataSync()[0]);
      expect(err, kind).toBeLessThan(0.15);
      tf.dispose([full, mean]);
      const a = FactorizedTensor.new([3, 4, 5], 'same', kind, { seed: 4 });
      const b = a.clone();
      tensorDropout(a, { p: 0.5, minDim: 1, seed: 99 });
      tensorDropout(b, { p: 0.5, minDim: 1, seed: 99 });
      const ra = hookedTensor(a, true);
      const rb = hookedTensor(b, true);
      expectClose(ra, rb.dataSync(), { rtol: 0, atol: 0 }, 'same seed');
      tf.dispose([ra, rb]);
      [ft, a, b].forEach((t) => t.dispose());
    }
  });

  it('typed errors', () => {
    const ft = FactorizedTensor.new([3, 4], 'same', 'cp', { seed: 1 });
    expect(() => tensorDropout(ft, { p: 1 })).toThrow(ArgumentError);
    expect(() => tensorDropout(ft, { p: -0.1 })).toThrow(ArgumentError);
    expect(() => tensorDropout(ft, { q: 1 } as never)).toThrow(ArgumentError);
    expect(() => tensorDropout({} as never)).toThrow(ArgumentError);
    tensorDropout(ft, { p: 0.1 });
    expect(() => tensorDropout(ft, { p: 0.1 })).toThrow(ArgumentError);
    removeTensorDropout(ft);
    expect(() => removeTensorDropout(ft)).toThrow(ArgumentError);
    expect(() => tensorLasso({ penalty: -1 })).toThrow(ArgumentError);
    expect(() => tensorLasso().apply(FactorizedTensor.new([3, 4], 'same', 'dense'))).toThrow(ArgumentError);
    ft.dispose();
  });
});

describe('tensor_lasso fixtures', () => {
  for (const kind of ['cp', 'tucker', 'tt'] as const) {
    it(`tensor_lasso_${kind}: clamped/thresholded gates, n_element, loss, reconstruction`, () => {
      const c = fixtureCase(file, `tensor_lasso_${kind}`);
      const { inputs: i, expected: e } = c;
      const ft = FactorizedTensor.fromParams(factorizedParamsOf(kind, i.params));
      const lasso = tensorLasso({ penalty: i.penalty, clampWeights: i.clamp_weights, threshold: i.threshold, normalizeLoss: i.normalize_loss }).apply(ft) as FactorizedTensor;
      void lasso;
      const reg = tensorHooks(ft)[0] as ReturnType<typeof tensorLasso>;
      const given = i.lasso_weights.map(fx);
      reg.setWeights(ft, given);
      const before = tf.memory().numTensors;
      const rec = hookedTensor(ft, true);
      reg.gatesOf(ft).forEach((g, k) => expectClose(g, e.lasso_weights_after[k].data, { rtol: 0, atol: 1e-7 }, `gate ${k}`));
      expect(reg.nElement).toBe(e.n_element);
      const loss = reg.loss;
      if (kind === 'cp') {
        // Fixed: the penalty once (tltorch: twice) and the gates scale the CP weights (tltorch: unchanged).
        expect(loss.dataSync()[0]).toBeCloseTo(e.loss / i.penalty, 6);
        const wAfter = fx(e.lasso_weights_after[0]);
        const p = factorizedParamsOf('cp', i.params) as Extract<FactorizedParams, { kind: 'cp' }>;
        const scaled = FactorizedTensor.fromParams({ kind: 'cp', weights: tf.mul(p.weights, wAfter), factors: p.factors });
        const ref = scaled.toTensor();
        expectClose(rec, ref.dataSync(), f32Tolerance(ref.dataSync()), 'cp gated');
        // and with the gates at 1, the anchor's (unchanged) reconstruction
        reg.setWeights(ft, 1);
        const plain = hookedTensor(ft, true);
        expectClose(plain, e.reconstruction, f32Tolerance(e.reconstruction.data), 'cp gates 1');
        tf.dispose([wAfter, p.weights, ref, plain, ...p.factors]);
        scaled.dispose();
      } else {
        expect(loss.dataSync()[0]).toBeCloseTo(e.loss, 6);
        expectClose(rec, e.reconstruction, f32Tolerance(e.reconstruction.data), `${kind} reconstruction`);
      }
      tf.dispose([rec, loss]);
      reg.reset();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before + (kind === 'cp' ? 1 : 0));
      expect(reg.nElement).toBe(0);
      reg.dispose();
      expect(tensorHooks(ft)).toEqual([]);
      tf.dispose(given);
      ft.dispose();
    });
  }
});

describe('tensor lasso with tfjs optimizers', () => {
  it('a few minimize steps lower (data loss + lasso loss) on a TRL, gates shrink', () => {
    for (const kind of ['cp', 'tucker', 'tt'] as const) {
      const trl = new TRL({ inputShape: [3, 4], outputShape: [2], factorization: kind, rank: 0.5, bias: true, seed: 3 });
      const reg = tensorLasso({ penalty: 0.5 });
      reg.apply(trl.weight);
      const x = tf.randomNormal([16, 3, 4], 0, 1, 'float32', 1);
      const t = tf.randomNormal([16, 2], 0, 1, 'float32', 2);
      const vars = [...trl.trainableVariables, ...reg.gatesOf(trl.weight)];
      const opt = tf.train.adam(0.02);
      const objective = () =>
        tf.tidy(() => {
          const y = trl.apply(x);
          const data = tf.mean(tf.square(tf.sub(y, t)));
          return tf.add(data, reg.loss) as tf.Scalar;
        });
      const l0 = objective();
      const first = l0.dataSync()[0];
      reg.reset();
      opt.minimize(objective, false, vars); // the first step creates Adam's slots
      reg.reset();
      const before = tf.memory().numTensors;
      for (let s = 0; s < 15; s++) {
        const l = opt.minimize(objective, true, vars);
        l?.dispose();
        reg.reset();
      }
      expect(tf.memory().numTensors).toBe(before);
      const l1 = objective();
      reg.reset();
      expect(l1.dataSync()[0], kind).toBeLessThan(first);
      const gateSum = reg.gatesOf(trl.weight).reduce((a, g) => a + tf.sum(tf.abs(g)).dataSync()[0], 0);
      const nGates = reg.gatesOf(trl.weight).reduce((a, g) => a + g.size, 0);
      expect(gateSum).toBeLessThan(nGates); // started at 1 each
      tf.dispose([l0, l1, x, t]);
      opt.dispose();
      reg.dispose();
      trl.dispose();
    }
  });
});

