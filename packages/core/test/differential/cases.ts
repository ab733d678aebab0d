/**
 * Differential cases for @tenfold/core and @tenfold/rank: seeded inputs (ranks up to 8,
 * dims of 0 and 1, batch dims), each run on every backend and compared. Decompositions
 * are compared through what does not depend on sign or order conventions (reconstructions,
 * singular values, errors). `quick` cases make the `pnpm test` subset.
 */
import * as T from '@tenfold/core';
import { tf } from '@tenfold/core';
import { estimateRank, evbmf, tuckerRanks, vbmf } from '@tenfold/rank';
import { seeded } from './harness.js';

export interface DiffCase {
  area: string;
  name: string;
  run: () => unknown;
  /** Part of the fast subset run by `pnpm test`. */
  quick?: boolean;
  /** Relative tolerance (default 1e-3: float32 with accumulation-order differences). */
  rtol?: number;
  /** The case is an error case: every backend must throw. */
  expectError?: boolean;
}

const shapesByRank: number[][] = [[5], [3, 4], [2, 3, 4], [2, 1, 3, 2], [1, 2, 2, 3, 2], [2, 2, 1, 2, 2, 2], [2, 1, 2, 2, 1, 2, 2], [2, 2, 1, 2, 1, 2, 1, 2]];
const emptyShapes: number[][] = [[0, 4, 5], [3, 0, 2], [2, 3, 0], [1, 0]];

function push(out: DiffCase[], area: string, name: string, run: () => unknown, extra: Partial<DiffCase> = {}): void {
  out.push({ area, name, run, ...extra });
}

function baseCases(out: DiffCase[]): void {
  shapesByRank.forEach((s, r) => {
    const q = r === 2 || r === 6;
    for (let mode = 0; mode < s.length; mode++) {
      push(out, 'base', `unfold/fold ${s} mode ${mode}`, () => {
        const x = seeded(s, 10 + r);
        const u = T.unfold(x, mode);
        return [u, T.fold(u, mode, s)];
      }, { quick: q && mode === 1 });
    }
    push(out, 'base', `tensorToVec/matricize ${s}`, () => [T.tensorToVec(seeded(s, 1)), T.matricize(seeded(s, 1), [0])], { quick: q });
    if (s.length >= 3) push(out, 'base', `partialUnfold ${s}`, () => T.partialUnfold(seeded(s, 2), { mode: 1, skipBegin: 1 }), { quick: q });
  });
  for (const s of emptyShapes) push(out, 'base', `unfold empty ${s}`, () => T.unfold(tf.zeros(s), 1), { quick: true });
  for (const s of [[2, 3, 4], [3, 2, 1, 2], [2, 2, 2, 2, 2, 2, 2, 2]]) {
    push(out, 'base', `partialTensorToVec/partialVecToTensor ${s}`, () => {
      const v = T.partialTensorToVec(seeded(s, 3), { skipBegin: 1 });
      return [v, T.partialVecToTensor(v, s, { skipBegin: 1 })];
    });
    push(out, 'base', `vecToTensor/partialFold ${s}`, () => {
      const u = T.partialUnfold(seeded(s, 4), { mode: 0, skipBegin: 1 });
      return [T.vecToTensor(T.tensorToVec(seeded(s, 4)), s), T.partialFold(u, 0, s, { skipBegin: 1 })];
    });
  }
}

function tenalgCases(out: DiffCase[]): void {
  shapesByRank.forEach((s, r) => {
    const q = r >= 6;
    for (let mode = 0; mode < s.length; mode += Math.max(1, s.length - 1)) {
      push(out, 'tenalg', `modeDot ${s} mode ${mode}`, () => T.modeDot(seeded(s, 3), seeded([3, s[mode]], 4), mode), { quick: q });
      push(out, 'tenalg', `modeDot vector ${s} mode ${mode}`, () => T.modeDot(seeded(s, 3), seeded([s[mode]], 4), mode), { quick: q });
    }
    push(out, 'tenalg', `norm ${s}`, () => [T.norm(seeded(s, 5)), T.norm(seeded(s, 5), 1), T.norm(seeded(s, 5), Infinity)], { quick: q });
    push(out, 'tenalg', `inner ${s}`, () => T.inner(seeded(s, 5), seeded(s, 6)), { quick: q });
    push(out, 'tenalg', `higherOrderMoment ${s}`, () => T.higherOrderMoment(seeded(s.length >= 2 ? s.slice(0, 2) : [4, 3], 7), 3), { quick: r === 1 });
  });
  for (let n = 1; n <= 8; n++) {
    push(out, 'tenalg', `outer of ${n} vectors`, () => T.outer(Array.from({ length: n }, (_, i) => seeded([2], 20 + i))), { quick: n >= 7 });
    push(out, 'tenalg', `batchedOuter of ${n}`, () => T.batchedOuter(Array.from({ length: Math.min(n, 6) }, (_, i) => seeded([3, 2], 30 + i))), { quick: n === 6 });
  }
  for (const k of [1, 2, 3, 4]) {
    push(out, 'tenalg', `khatriRao ${k}`, () => T.khatriRao(Array.from({ length: k }, (_, i) => seeded([i + 2, 3], 40 + i))), { quick: k === 3 });
    push(out, 'tenalg', `kronecker ${k}`, () => T.kronecker(Array.from({ length: k }, (_, i) => seeded([2, i + 1], 50 + i))), { quick: k === 3 });
  }
  push(out, 'tenalg', 'multiModeDot', () => T.multiModeDot(seeded([3, 4, 5], 1), [seeded([2, 3], 2), seeded([2, 4], 3), seeded([2, 5], 4)]), { quick: true });
  push(out, 'tenalg', 'tensordot batched', () => T.tensordot(seeded([2, 3, 4], 1), seeded([2, 4, 5], 2), [[2], [1]], [[0], [0]]), { quick: true });
  push(out, 'tenalg', 'mttkrp', () => T.mttkrp(seeded([3, 4, 5], 1), null, [seeded([3, 2], 2), seeded([4, 2], 3), seeded([5, 2], 4)], 1), { quick: true });
  push(out, 'tenalg', 'modeDot of [0,4,5]', () => T.modeDot(tf.zeros([0, 4, 5]), seeded([3, 4], 1), 1), { quick: true });
  push(out, 'tenalg', 'modeDot contracting an empty mode', () => T.modeDot(tf.zeros([3, 0, 2]), tf.zeros([4, 0]), 1), { quick: true });
  push(out, 'tenalg', 'norm of empty', () => [T.norm(tf.zeros([3, 0])), T.inner(tf.zeros([0, 2]), tf.zeros([0, 2]))], { quick: true });
}

function linalgCases(out: DiffCase[]): void {
  for (const [m, n] of [[4, 3], [3, 5], [6, 6], [1, 4], [8, 2]]) {
    const q = m === 4;
    push(out, 'linalg', `svd ${m}x${n}`, () => {
      const r = T.svd(seeded([m, n], m * 10 + n));
      return [r.s, tf.matMul(tf.mul(r.u, r.s), r.vt)];
    }, { quick: q });
    push(out, 'linalg', `qr ${m}x${n}`, () => {
      const r = T.qr(seeded([m, n], m + n));
      return [tf.matMul(r.q, r.r), tf.abs(r.r)];
    }, { quick: q });
  }
  push(out, 'linalg', 'eigh', () => {
    const a = seeded([5, 5], 3);
    const s = tf.add(a, a.transpose());
    const r = T.eigh(s);
    return [r.values, tf.matMul(tf.mul(r.vectors, r.values), r.vectors.transpose())];
  }, { quick: true });
  push(out, 'linalg', 'svdFlip', () => T.svdFlip(seeded([4, 3], 1), seeded([3, 3], 2)));
  push(out, 'linalg', 'svd truncated to rank 2', () => T.svd(seeded([6, 5], 1), { rank: 2 }).s);
  push(out, 'linalg', 'svd randomized rank 2', () => T.svd(tf.matMul(seeded([20, 2], 1), seeded([2, 12], 2)), { rank: 2, method: 'randomized', seed: 3 }).s, { rtol: 1e-2 });
  push(out, 'linalg', 'solve', () => T.solve(tf.add(seeded([4, 4], 1), tf.mul(tf.eye(4), 4)), seeded([4, 2], 2)), { quick: true });
  push(out, 'linalg', 'lstsq', () => T.lstsq(seeded([6, 3], 1), seeded([6, 2], 2)), { quick: true });
}

function tensorsCases(out: DiffCase[]): void {
  for (const s of [[3, 4], [3, 4, 2], [2, 2, 2, 2, 2, 2, 2], [2, 1, 2, 1, 2, 1, 2, 2]]) {
    const q = s.length >= 7;
    const cp = () => ({ weights: seeded([2], 1), factors: s.map((d, i) => seeded([d, 2], 10 + i)) });
    push(out, 'tensors', `cpToTensor ${s}`, () => T.cpToTensor(cp()), { quick: q });
    push(out, 'tensors', `cpToTensor with mask ${s}`, () => T.cpToTensor(cp(), { mask: tf.cast(tf.greater(seeded(s, 5), 0), 'float32') }), { quick: q });
    push(out, 'tensors', `cpNorm/cpToVec ${s}`, () => [T.cpNorm(cp()), T.cpToVec(cp())], { quick: q });
    const tk = () => ({ core: seeded(s.map(() => 2), 3), factors: s.map((d, i) => seeded([d, 2], 20 + i)) });
    push(out, 'tensors', `tuckerToTensor/tuckerNorm ${s}`, () => [T.tuckerToTensor(tk()), T.tuckerNorm(tk())], { quick: q });
    const tt = () => s.map((d, i) => seeded([i === 0 ? 1 : 2, d, i === s.length - 1 ? 1 : 2], 30 + i));
    push(out, 'tensors', `ttToTensor/ttNorm ${s}`, () => [T.ttToTensor(tt()), T.ttNorm(tt())], { quick: q });
  }
}

function moreTensorsCases(out: DiffCase[]): void {
  const cp = (s: number[], r: number) => ({ weights: seeded([r], 1), factors: s.map((d, i) => seeded([d, r], 10 + i)) });
  push(out, 'tensors', 'cpNormalize', () => { const c = T.cpNormalize(cp([3, 4, 2], 2)); const r = [c.weights, ...c.factors].map((t) => tf.clone(t)); c.dispose(); return r; });
  push(out, 'tensors', 'cpModeDot', () => { const c = T.cpModeDot(cp([3, 4, 2], 2), seeded([5, 4], 3), 1); const r = T.cpToTensor(c); c.dispose(); return r; });
  push(out, 'tensors', 'cp with a dim of 0', () => [T.cpToTensor(cp([3, 0, 2], 2)), T.cpNorm(cp([3, 0, 2], 2))], { quick: true });
  push(out, 'tensors', 'cp of rank 1, dims of 1', () => [T.cpToTensor(cp([1, 1, 3, 1], 1)), T.cpNorm(cp([1, 1, 3, 1], 1))]);
  push(out, 'tensors', 'tuckerNormalize', () => { const t = T.tuckerNormalize({ core: seeded([2, 2, 2], 1), factors: [seeded([3, 2], 2), seeded([4, 2], 3), seeded([2, 2], 4)] }); const r = T.tuckerToTensor(t); t.dispose(); return r; });
  push(out, 'tensors', 'tucker with a 0 dim', () => T.tuckerToTensor({ core: seeded([2, 2, 2], 1), factors: [seeded([3, 2], 2), tf.zeros([0, 2]), seeded([2, 2], 4)] }), { quick: true });
  push(out, 'tensors', 'ttMatrix', () => {
    const m = T.randomTtMatrix([2, 3, 2, 2], [1, 2, 1], { seed: 2 });
    const r = [T.ttMatrixToMatrix(m), T.ttMatrixToTensor(m), T.ttMatrixNorm(m)];
    m.dispose();
    return r;
  });
}

function decompositionCases(out: DiffCase[]): void {
  moreTensorsCases(out);
  const x3 = () => T.randomCp([4, 5, 3], 2, { full: true, seed: 1 }) as tf.Tensor;
  const rec = { rtol: 2e-2 };
  push(out, 'decompositions', 'parafac', () => T.cpToTensor(T.parafac(x3(), 2, { nIterMax: 10, init: 'svd', seed: 1 })), { quick: true, ...rec });
  push(out, 'decompositions', 'parafac 7-D with mask', () => {
    const x = T.randomCp([2, 2, 2, 2, 2, 2, 2], 1, { full: true, seed: 2 }) as tf.Tensor;
    const mask = tf.cast(tf.greater(seeded(x.shape, 3), -0.8), 'float32');
    return T.cpToTensor(T.parafac(x, 1, { nIterMax: 5, init: 'random', seed: 1, mask }));
  }, { quick: true, ...rec });
  push(out, 'decompositions', 'tucker', () => T.tuckerToTensor(T.tucker(x3(), [2, 2, 2], { nIterMax: 10, init: 'svd' })), { quick: true, ...rec });
  push(out, 'decompositions', 'tensorTrain', () => T.ttToTensor(T.tensorTrain(x3(), [1, 2, 2, 1])), { ...rec });
  push(out, 'decompositions', 'nonNegativeParafac', () => T.cpToTensor(T.nonNegativeParafac(tf.abs(x3()), 2, { nIterMax: 10, init: 'random', seed: 1 })), rec);
  push(out, 'decompositions', 'nonNegativeTucker', () => T.tuckerToTensor(T.nonNegativeTucker(tf.abs(x3()), [2, 2, 2], { nIterMax: 10, init: 'random', seed: 1 })), { quick: true, ...rec });
  push(out, 'decompositions', 'partialTucker', () => { const r = T.partialTucker(x3(), [2, 2], { modes: [0, 2], nIterMax: 5 } as never); return T.multiModeDot(r.core, r.factors, { modes: r.modes } as never); }, rec);
  push(out, 'decompositions', 'tensorTrainMatrix', () => T.ttMatrixToTensor(T.tensorTrainMatrix(T.randomTensor([2, 3, 2, 2], { seed: 4 }), [1, 2, 1])), rec);
  push(out, 'decompositions', 'randomisedParafac', () => T.cpToTensor(T.randomisedParafac(x3(), 2, 8, { nIterMax: 5, seed: 1 } as T.RandomisedParafacOptions)), rec);
  push(out, 'decompositions', 'nonNegativeTuckerHals', () => T.tuckerToTensor(T.nonNegativeTuckerHals(tf.abs(x3()), [2, 2, 2], { nIterMax: 5, init: 'random', seed: 1 } as T.NonNegativeTuckerHalsOptions)), rec);
  push(out, 'decompositions', 'parafac 8-D', () => T.cpToTensor(T.parafac(T.randomCp([2, 2, 1, 2, 2, 1, 2, 2], 1, { full: true, seed: 3 }) as tf.Tensor, 1, { nIterMax: 5, init: 'random', seed: 1 })), { quick: true, ...rec });
  push(out, 'decompositions', 'tucker 7-D', () => T.tuckerToTensor(T.tucker(T.randomTensor([2, 2, 2, 2, 2, 2, 2], { seed: 5 }), [1, 2, 1, 2, 1, 2, 1], { nIterMax: 3, init: 'svd' })), { quick: true, ...rec });
  push(out, 'decompositions', 'nonNegativeParafacHals', () => T.cpToTensor(T.nonNegativeParafacHals(tf.abs(x3()), 2, { nIterMax: 10, init: 'random', seed: 1 })), rec);
  issue13Cases(out);
}

/** The decompositions, operators and diagnostics of issue 13 (tensor ring, PARAFAC2, ...). */
function issue13Cases(out: DiffCase[]): void {
  const rec = { rtol: 2e-2 };
  const tr = () => T.randomTr([4, 5, 3], [2, 2, 2, 2], { full: true, seed: 2 }) as tf.Tensor;
  const x3 = () => T.randomCp([4, 5, 3], 2, { full: true, seed: 1 }) as tf.Tensor;
  push(out, 'decompositions', 'tensorRing (TR-SVD)', () => T.trToTensor(T.tensorRing(tr(), [2, 2, 2, 2])), { quick: true, ...rec });
  push(out, 'decompositions', 'tensorRingAls', () => T.trToTensor(T.tensorRingAls(tr(), [2, 2, 2, 2], { nIterMax: 5, tol: 0, seed: 1 })), rec);
  push(out, 'decompositions', 'tensorRingAlsSampled', () => T.trToTensor(T.tensorRingAlsSampled(tr(), [2, 2, 2, 2], 20, { nIterMax: 3, tol: 0, seed: 1 })), rec);
  push(out, 'decompositions', 'parafac2 (ragged slices)', () => {
    const model = T.randomParafac2([[5, 4], [7, 4], [6, 4]], 2, { seed: 3 });
    const slices = T.parafac2ToSlices(model);
    return T.parafac2ToTensor(T.parafac2(slices, 2, { nIterMax: 5, init: 'svd' }));
  }, { quick: true, ...rec });
  push(out, 'decompositions', 'robustPca', () => {
    const r = T.robustPca(tf.add(T.randomTensor([8, 6], { seed: 4 }), tf.mul(tf.cast(tf.greater(seeded([8, 6], 5), 0.9), 'float32'), 5)), { nIterMax: 20 });
    return [r.lowRank, r.sparse];
  }, rec);
  push(out, 'decompositions', 'constrainedParafac (non-negative, unimodality)', () => T.cpToTensor(T.constrainedParafac(tf.abs(x3()), 2, { nonNegative: { 0: true, 1: true }, unimodality: { 2: true }, nIterMax: 5 } as never)), rec);
  push(out, 'decompositions', 'parafacPowerIteration', () => T.cpToTensor(T.parafacPowerIteration(x3(), 2, { nRepeat: 3, nIteration: 5, seed: 1 })), rec);
  push(out, 'decompositions', 'coupledMatrixTensor3dFactorization', () => {
    const r = T.coupledMatrixTensor3dFactorization(x3(), seeded([4, 6], 6), 2, { nIterMax: 5, seed: 1 } as never);
    return [T.cpToTensor(r.tensorCp), r.errors];
  }, rec);
  push(out, 'metrics', 'coreConsistency / factorMatchScore / explainedVariance', () => {
    const cp = T.parafac(x3(), 2, { nIterMax: 10, init: 'svd' });
    const cc = T.coreConsistency(x3(), cp);
    return [cc.coreConsistency, cc.core, T.factorMatchScore(cp, cp).fms, T.explainedVariance(x3(), T.cpToTensor(cp))];
  }, { quick: true, rtol: 1e-2 });
  push(out, 'tenalg', 'proximal operators', () => {
    const m = seeded([5, 4], 7);
    return [T.softThresholding(m, 0.3), T.svdThresholding(m, 0.5), T.simplexProx(m, 1), T.hardThresholding(m, 2), T.procrustes(m)];
  }, { quick: true, rtol: 1e-3 });
}

function metricsRandomCases(out: DiffCase[]): void {
  for (const seed of [11, 12, 13]) {
    for (const s of shapesByRank.slice(5)) {
      push(out, 'tenalg', `norm/inner seed ${seed} ${s}`, () => [T.norm(seeded(s, seed)), T.inner(seeded(s, seed), seeded(s, seed + 1))]);
      push(out, 'metrics', `mse seed ${seed} ${s}`, () => T.mse(seeded(s, seed), seeded(s, seed + 1)));
    }
  }
  push(out, 'tenalg', 'norm inf of empty (typed error on wasm, NaN on cpu)', () => {
    try {
      return T.norm(tf.zeros([3, 0]), Infinity);
    } catch (e) {
      return (e as Error).name === 'BackendError' ? Number.NaN : Number.POSITIVE_INFINITY;
    }
  });
  shapesByRank.forEach((s, r) => {
    push(out, 'metrics', `mse/rmse ${s}`, () => [T.mse(seeded(s, 1), seeded(s, 2)), T.rmse(seeded(s, 1), seeded(s, 2))], { quick: r >= 6 });
  });
  push(out, 'metrics', 'congruenceCoefficient', () => T.congruenceCoefficient([seeded([4, 3], 1)], [seeded([4, 3], 2)]).score, { quick: true });
  for (const s of [[3, 4], [2, 3, 4], [2, 2, 2, 2, 2, 2, 2]]) {
    push(out, 'random', `randomTensor/randomCp/randomTucker/randomTt ${s}`, () => [
      T.randomTensor(s, { seed: 3 }),
      T.randomCp(s, 2, { full: true, seed: 3 }),
      T.randomTucker(s, s.map(() => 2), { full: true, seed: 3 }),
      T.randomTt(s, [1, ...s.slice(1).map(() => 2), 1], { full: true, seed: 3 }),
    ], { quick: s.length === 7 });
  }
}

function rankCases(out: DiffCase[]): void {
  for (const [m, n] of [[8, 6], [5, 9], [12, 12]]) {
    push(out, 'rank', `evbmf ${m}x${n}`, () => {
      const r = evbmf(tf.add(tf.matMul(seeded([m, 2], 1), seeded([2, n], 2)), tf.mul(seeded([m, n], 3), 0.05)));
      return r.rank;
    }, { quick: m === 8 });
  }
  push(out, 'rank', 'vbmf', () => vbmf(tf.add(tf.matMul(seeded([8, 2], 1), seeded([2, 6], 2)), tf.mul(seeded([8, 6], 3), 0.05)), 2).rank);
  push(out, 'rank', 'estimateRank/tuckerRanks', () => [estimateRank(tf.add(tf.matMul(seeded([9, 2], 1), seeded([2, 7], 2)), tf.mul(seeded([9, 7], 3), 0.05))).ranks, tuckerRanks(T.randomTucker([6, 5, 7], [2, 2, 2], { full: true, seed: 2 }) as tf.Tensor)]);
}

/** Every core and rank case. */
export function coreCases(): DiffCase[] {
  const out: DiffCase[] = [];
  baseCases(out);
  tenalgCases(out);
  linalgCases(out);
  tensorsCases(out);
  decompositionCases(out);
  metricsRandomCases(out);
  rankCases(out);
  return out;
}
