import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  tf, unfold, fold, tensorToVec, modeDot, multiModeDot, khatriRao, kronecker, outer, batchedOuter, inner, tensordot,
  mttkrp, norm, higherOrderMoment, ArgumentError, ModeError, RankError, ShapeError, TenfoldError,
} from '@tenfold/core';
import { expectClose, expectNoLeak, f32Tolerance, relError } from '../../../../test-utils/index.js';
import { randData, randTensor, refTensordot } from './helpers.js';

const tol = (exp: ArrayLike<number>) => f32Tolerance(exp, undefined, 1e-4, 1e-5);

/** Materialised reference: the CP tensor sum_r w_r a_r ∘ b_r ∘ ... built from batched outer products. */
function cpTensor(weights: tf.Tensor | null, factors: tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const cols = factors.map((f) => tf.transpose(f)); // (R, I_k): the rank is the batch dim
    let t = batchedOuter(cols);
    if (weights) t = tf.mul(t, tf.reshape(weights, [-1, ...factors.map(() => 1)]));
    return tf.sum(t, 0);
  });
}

describe('modeDot', () => {
  it('equals fold(M @ unfold(T, n)) for matrices, transposed matrices and vectors (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer({ min: 1, max: 4 }), fc.nat(1000), (shape, k, j, seed) => {
        const mode = k % shape.length;
        const x = randTensor(shape, seed);
        const m = randTensor([j, shape[mode]], seed + 1);
        const v = randTensor([shape[mode]], seed + 2);
        const mT = tf.transpose(m);
        expectNoLeak(() => {
          const got = modeDot(x, m, mode);
          const gotT = modeDot(x, mT, mode, { transpose: true });
          const gotV = modeDot(x, v, mode);
          const [want, wantV] = tf.tidy(() => {
            const newShape = [...shape];
            newShape[mode] = j;
            const w = fold(tf.matMul(m, unfold(x, mode)), mode, newShape);
            const wv = tf.reshape(tf.matMul(tf.reshape(v, [1, -1]), unfold(x, mode)), shape.filter((_, i) => i !== mode));
            return [w, wv];
          });
          expect(got.shape).toEqual(want.shape);
          expect(gotV.shape).toEqual(wantV.shape);
          const wd = want.dataSync();
          expectClose(got, wd, tol(wd), 'matrix');
          expectClose(gotT, wd, tol(wd), 'transpose');
          expectClose(gotV, wantV.dataSync(), tol(wantV.dataSync()), 'vector');
          return [got, gotT, gotV, want, wantV];
        });
        tf.dispose([x, m, v, mT]);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects bad input with typed errors, leaking nothing', () => {
    const x = randTensor([3, 4, 5], 1);
    expectNoLeak(() => {
      expect(() => modeDot(x, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]], 1)).toThrow(ShapeError);
      expect(() => modeDot(x, [[1, 2, 3, 4]], 1, { transpose: true })).toThrow(/transpose/);
      expect(() => modeDot(x, [1, 2, 3], 1)).toThrow(ShapeError);
      expect(() => modeDot(x, [[[1, 2, 3, 4]]], 1)).toThrow(ShapeError);
      expect(() => modeDot(x, [[1, 2, 3, 4]], 3)).toThrow(ModeError);
      expect(() => modeDot(x, [[1, 2, 3, 4]], 1, { transpose: 1 as unknown as boolean })).toThrow(ArgumentError);
      expect(() => modeDot(2, [1], 0)).toThrow(ShapeError);
    });
    x.dispose();
  });
});

describe('multiModeDot', () => {
  const x = () => randTensor([3, 4, 5], 7);

  it('applies the (matrix, mode) pairs stably sorted by mode; skip indexes the sorted list', () => {
    const t = x();
    const a = randTensor([2, 3], 1);
    const b = randTensor([6, 4], 2);
    const c = randTensor([7, 5], 3);
    const c2 = randTensor([3, 7], 4);
    expectNoLeak(() => {
      const got = multiModeDot(t, [c, a, b], { modes: [2, 0, 1] });
      const want = tf.tidy(() => modeDot(modeDot(modeDot(t, a, 0), b, 1), c, 2));
      expectClose(got, want.dataSync(), tol(want.dataSync()), 'sorted');
      // Repeated mode 2: c then c2, in the order given (stable sort).
      const rep = multiModeDot(t, [c, a, c2], { modes: [2, 0, 2] });
      const wantRep = tf.tidy(() => modeDot(modeDot(modeDot(t, a, 0), c, 2), c2, 2));
      expect(rep.shape).toEqual([2, 4, 3]);
      expectClose(rep, wantRep.dataSync(), tol(wantRep.dataSync()), 'repeated');
      // skip = 1 is the second entry after sorting (mode 1, matrix b), not list entry 1 (a).
      const skipped = multiModeDot(t, [c, a, b], { modes: [2, 0, 1], skip: 1 });
      const wantSkip = tf.tidy(() => modeDot(modeDot(t, a, 0), c, 2));
      expectClose(skipped, wantSkip.dataSync(), tol(wantSkip.dataSync()), 'skip');
      return [got, want, rep, wantRep, skipped, wantSkip];
    });
    tf.dispose([t, a, b, c, c2]);
  });

  it('vectors remove their mode and later modes shift; transpose affects matrices only', () => {
    const t = x();
    const v = randTensor([4], 5);
    const m = randTensor([5, 6], 6);
    expectNoLeak(() => {
      const got = multiModeDot(t, [v, m], { modes: [1, 2], transpose: true });
      const want = tf.tidy(() => modeDot(modeDot(t, v, 1), m, 1, { transpose: true }));
      expect(got.shape).toEqual([3, 6]);
      expectClose(got, want.dataSync(), tol(want.dataSync()), 'vector');
      const none = multiModeDot(t, []);
      expect(none).not.toBe(t);
      expect(Array.from(none.dataSync())).toEqual(Array.from(t.dataSync()));
      return [got, want, none];
    });
    tf.dispose([t, v, m]);
  });

  it('rejects bad modes, skip and shapes with typed errors', () => {
    const t = x();
    const a = randTensor([2, 3], 1);
    expectNoLeak(() => {
      expect(() => multiModeDot(t, [a], { modes: [0, 1] })).toThrow(ArgumentError);
      expect(() => multiModeDot(t, [a], { modes: [3] })).toThrow(ModeError);
      expect(() => multiModeDot(t, [a], { modes: [0], skip: 1 })).toThrow(ArgumentError);
      expect(() => multiModeDot(t, [a], { modes: [1] })).toThrow(ShapeError);
      expect(() => multiModeDot(t, [a], { modes: [1] })).toThrow(/matricesOrVectors\[0\]/);
      expect(() => multiModeDot(t, a as unknown as tf.Tensor[])).toThrow(ArgumentError);
    });
    tf.dispose([t, a]);
  });
});

describe('khatriRao', () => {
  it('matches the CP unfolding identity unfold(cp(w, F), m) = (F_m * w) @ KR(F, skip m)^T (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat(1000), (shape, r, k, seed) => {
        const mode = k % shape.length;
        const factors = shape.map((d, i) => randTensor([d, r], seed + i));
        const w = randTensor([r], seed + 99);
        expectNoLeak(() => {
          const full = cpTensor(w, factors);
          const want = unfold(full, mode);
          const kr = khatriRao(factors, { skipMatrix: mode });
          const got = tf.tidy(() => tf.matMul(tf.mul(factors[mode], tf.reshape(w, [1, r])), kr, false, true));
          expectClose(got, want.dataSync(), tol(want.dataSync()), 'identity');
          // Weights go to the first remaining matrix, i.e. scale the columns.
          const kw = khatriRao(factors, { weights: w });
          const kwant = tf.tidy(() => tf.mul(khatriRao(factors), tf.reshape(w, [1, r])));
          expectClose(kw, kwant.dataSync(), tol(kwant.dataSync()), 'weights');
          return [full, want, kr, got, kw, kwant];
        });
        tf.dispose([...factors, w]);
      }),
      { numRuns: 30 },
    );
  });

  it('returns a copy of a single matrix, applies weights and mask to it, and treats vectors as columns', () => {
    const a = randTensor([3, 2], 1);
    expectNoLeak(() => {
      const same = khatriRao([a]);
      expect(same).not.toBe(a);
      expect(Array.from(same.dataSync())).toEqual(Array.from(a.dataSync()));
      const masked = khatriRao([a], { mask: [1, 0, 1] });
      const ad = a.dataSync();
      expect(Array.from(masked.dataSync(), (v) => v + 0)).toEqual([ad[0], ad[1], 0, 0, ad[4], ad[5]]);
      const skipped = khatriRao([a, [[1, 2]]], { skipMatrix: -1 });
      expect(Array.from(skipped.dataSync())).toEqual(Array.from(ad));
      const vec = khatriRao([[1, 2], [3, 4, 5]]);
      expect(vec.shape).toEqual([6, 1]);
      expect(Array.from(vec.dataSync())).toEqual([3, 4, 5, 6, 8, 10]);
      return [same, masked, skipped, vec];
    });
    a.dispose();
  });

  it('rejects mismatched columns, bad weights/mask/skip and non-matrices', () => {
    const a = randTensor([3, 2], 1);
    const b = randTensor([4, 3], 2);
    expectNoLeak(() => {
      expect(() => khatriRao([a, b])).toThrow(ShapeError);
      expect(() => khatriRao([a, b])).toThrow(/matrices\[1\] has 3/);
      expect(() => khatriRao([a, a], { weights: [1, 2, 3] })).toThrow(ShapeError);
      expect(() => khatriRao([a, a], { mask: [1, 2, 3] })).toThrow(/mask/);
      expect(() => khatriRao([a, a], { skipMatrix: 2 })).toThrow(ModeError);
      expect(() => khatriRao([a], { skipMatrix: 0 })).toThrow(ArgumentError);
      expect(() => khatriRao([])).toThrow(ArgumentError);
      expect(() => khatriRao([a, [[[1, 2]]]])).toThrow(ShapeError);
    });
    tf.dispose([a, b]);
  });
});

describe('kronecker', () => {
  it('vec(G x_0 U_0 x_1 U_1 x_2 U_2) = (U_0 ⊗ U_1 ⊗ U_2) vec(G) (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }), fc.nat(1000), (core, out, seed) => {
        const g = randTensor(core, seed);
        const us = core.map((c, i) => randTensor([out[i], c], seed + i + 1));
        expectNoLeak(() => {
          const want = tf.tidy(() => tensorToVec(multiModeDot(g, us)));
          const k = kronecker(us);
          const got = tf.tidy(() => tf.reshape(tf.matMul(k, tf.reshape(g, [-1, 1])), [-1]));
          expectClose(got, want.dataSync(), tol(want.dataSync()), 'kron');
          // reverse: the same product of the reversed list.
          const rev = kronecker(us, { reverse: true });
          const revWant = kronecker([...us].reverse());
          expect(Array.from(rev.dataSync())).toEqual(Array.from(revWant.dataSync()));
          return [want, k, got, rev, revWant];
        });
        tf.dispose([g, ...us]);
      }),
      { numRuns: 25 },
    );
  });

  it('single matrix is a copy; bad input throws', () => {
    const a = randTensor([2, 3], 1);
    expectNoLeak(() => {
      const c = kronecker([a]);
      expect(c).not.toBe(a);
      const s = kronecker([a, [[1, 2]]], { skipMatrix: 1 });
      expect(Array.from(s.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(() => kronecker([a, [1, 2]])).toThrow(ShapeError);
      expect(() => kronecker([])).toThrow(ArgumentError);
      expect(() => kronecker([a], { skipMatrix: 1 })).toThrow(ModeError);
      expect(() => kronecker([a], { reverse: 'no' as unknown as boolean })).toThrow(ArgumentError);
      return [c, s];
    });
    a.dispose();
  });
});

describe('outer / batchedOuter', () => {
  it('outer multiplies every combination of entries; shapes concatenate', () => {
    expectNoLeak(() => {
      const o = outer([[1, 2], [[3, 4, 5]], 2]);
      expect(o.shape).toEqual([2, 1, 3]);
      expect(Array.from(o.dataSync())).toEqual([6, 8, 10, 12, 16, 20]);
      const one = outer([[1, 2]]);
      expect(Array.from(one.dataSync())).toEqual([1, 2]);
      return [o, one];
    });
  });

  it('batchedOuter shares dim 0', () => {
    expectNoLeak(() => {
      const b = batchedOuter([[[1, 2], [3, 4]], [[1, 10], [2, 20]]]);
      expect(b.shape).toEqual([2, 2, 2]);
      expect(Array.from(b.dataSync())).toEqual([1, 10, 2, 20, 6, 60, 8, 80]);
      return b;
    });
  });

  it('rejects an empty list, scalars in a batch and mismatched batch sizes', () => {
    expectNoLeak(() => {
      expect(() => outer([])).toThrow(ArgumentError);
      expect(() => batchedOuter([[1, 2], [1, 2, 3]])).toThrow(ShapeError);
      expect(() => batchedOuter([[1, 2], [1, 2, 3]])).toThrow(/batch size/);
      expect(() => batchedOuter([3])).toThrow(ShapeError);
    });
  });
});

describe('inner', () => {
  it('full inner product, n-mode contraction, and nModes 0 = outer product', () => {
    const a = randTensor([3, 4, 5], 1);
    const b = randTensor([3, 4, 5], 2);
    const c = randTensor([4, 5, 2], 3);
    expectNoLeak(() => {
      const full = inner(a, b);
      const ad = a.dataSync();
      const bd = b.dataSync();
      let s = 0;
      for (let i = 0; i < ad.length; i++) s += ad[i] * bd[i];
      expect(full.shape).toEqual([]);
      expectClose(full, [s], tol([s]), 'full');
      const two = inner(a, c, 2);
      const ref = refTensordot(ad, [3, 4, 5], c.dataSync(), [4, 5, 2], [1, 2], [0, 1]);
      expect(two.shape).toEqual(ref.shape);
      expectClose(two, ref.data, tol(ref.data), 'nModes 2');
      const zero = inner([1, 2], [3, 4], 0);
      expect(zero.shape).toEqual([2, 2]);
      expect(Array.from(zero.dataSync())).toEqual([3, 4, 6, 8]);
      return [full, two, zero];
    });
    tf.dispose([a, b, c]);
  });

  it('rejects shape mismatches and a bad nModes', () => {
    expectNoLeak(() => {
      expect(() => inner([1, 2], [1, 2, 3])).toThrow(ShapeError);
      expect(() => inner([[1, 2]], [1, 2, 3], 1)).toThrow(ShapeError);
      expect(() => inner([[1, 2]], [1, 2], 3)).toThrow(ArgumentError);
      expect(() => inner([[1, 2]], [1, 2], 1.5)).toThrow(/nModes/);
    });
  });
});

describe('tensordot', () => {
  const sa = [3, 4, 5];
  const sb = [5, 3, 4];
  const a = () => randTensor(sa, 11);
  const b = () => randTensor(sb, 12);

  it('matches a float64 reference for int, pair, same-modes and batched forms', () => {
    const x = a();
    const y = b();
    const xd = x.dataSync();
    const yd = y.dataSync();
    const cases: [Parameters<typeof tensordot>[2], Parameters<typeof tensordot>[3], ReturnType<typeof refTensordot>][] = [
      [0, [], refTensordot(xd, sa, yd, sb, [], [])],
      // A two-number list is a pair (mode 2 of a with mode 0 of b), as in TensorLy / NumPy.
      [[2, 0], [], refTensordot(xd, sa, yd, sb, [2], [0])],
      // Unsorted explicit pairs, negative modes.
      [[[2, -3], [0, 1]], [], refTensordot(xd, sa, yd, sb, [2, 0], [0, 1])],
      [[[1, 2], [2, 0]], [[0], [1]], refTensordot(xd, sa, yd, sb, [1, 2], [2, 0], [0], [1])],
      [[[2], [0]], [[1, 0], [2, 1]], refTensordot(xd, sa, yd, sb, [2], [0], [1, 0], [2, 1])],
    ];
    expectNoLeak(() => {
      const outs = cases.map(([modes, batched, ref]) => {
        const got = tensordot(x, y, modes, batched);
        expect(got.shape).toEqual(ref.shape);
        expectClose(got, ref.data, tol(ref.data), JSON.stringify(modes));
        return got;
      });
      // A list of three modes means the same modes in both tensors.
      const same = tensordot(x, x, [0, 1, 2]);
      let s = 0;
      for (let i = 0; i < xd.length; i++) s += xd[i] * xd[i];
      expectClose(same, [s], tol([s]), 'same modes');
      // int batched mode = the same mode in both.
      const z = randTensor([3, 5, 2], 13);
      const batched = tensordot(x, z, [[2], [1]], 0);
      const ref = refTensordot(xd, sa, z.dataSync(), [3, 5, 2], [2], [1], [0], [0]);
      expectClose(batched, ref.data, tol(ref.data), 'int batch');
      return [...outs, same, batched, z];
    });
    tf.dispose([x, y]);
  });

  it('rejects bad modes with typed errors', () => {
    const x = a();
    const y = b();
    expectNoLeak(() => {
      expect(() => tensordot(x, y, [[0], [0]])).toThrow(ShapeError);
      expect(() => tensordot(x, y, [[3], [0]])).toThrow(ModeError);
      expect(() => tensordot(x, y, [[2, 1], [0]])).toThrow(ArgumentError);
      expect(() => tensordot(x, y, [[2, 2], [0, 0]])).toThrow(ArgumentError);
      expect(() => tensordot(x, y, [[2], [0]], [[2], [0]])).toThrow(/repeat/);
      expect(() => tensordot(x, y, 4)).toThrow(ArgumentError);
      expect(() => tensordot(x, y, 'a' as unknown as number)).toThrow(TenfoldError);
    });
    tf.dispose([x, y]);
  });
});

describe('mttkrp', () => {
  it('equals unfold(T, n) @ khatriRao(F, { weights, skipMatrix: n }) (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.boolean(), fc.nat(1000), (shape, r, k, weighted, seed) => {
        const mode = k % shape.length;
        const x = randTensor(shape, seed);
        const factors = shape.map((d, i) => randTensor([d, r], seed + i + 1));
        const w = weighted ? randTensor([r], seed + 50) : null;
        expectNoLeak(() => {
          const got = mttkrp(x, w, factors, mode);
          const want = tf.tidy(() => tf.matMul(unfold(x, mode), khatriRao(factors, { weights: w, skipMatrix: mode })));
          expect(got.shape).toEqual([shape[mode], r]);
          const wd = want.dataSync();
          // Sums of up to 5^4 products: allow for float32 accumulation order.
          expectClose(got, wd, f32Tolerance(wd, undefined, 1e-4, 1e-4), `mttkrp ${JSON.stringify(shape)} mode ${mode}`);
          return [got, want];
        });
        tf.dispose([x, ...factors, ...(w ? [w] : [])]);
      }),
      { numRuns: 60 },
    );
  });

  it('the tree and host methods equal the direct one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.boolean(), fc.nat(1000), (shape, r, k, weighted, seed) => {
        const mode = k % shape.length;
        const x = randTensor(shape, seed);
        const factors = shape.map((d, i) => randTensor([d, r], seed + i + 1));
        const w = weighted ? randTensor([r], seed + 50) : null;
        expectNoLeak(() => {
          const want = mttkrp(x, w, factors, mode, { method: 'direct' });
          const wd = want.dataSync();
          const out = (['tree', 'host'] as const).map((method) => {
            const got = mttkrp(x, w, factors, mode, { method });
            expect(got.shape).toEqual([shape[mode], r]);
            expectClose(got, wd, f32Tolerance(wd, undefined, 1e-4, 1e-4), `${method} ${JSON.stringify(shape)} mode ${mode}`);
            return got;
          });
          return [want, ...out];
        });
        tf.dispose([x, ...factors, ...(w ? [w] : [])]);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects an unknown method or option key', () => {
    const x = randTensor([3, 4, 5], 1);
    const fs = [randTensor([3, 2], 2), randTensor([4, 2], 3), randTensor([5, 2], 4)];
    expectNoLeak(() => {
      expect(() => mttkrp(x, null, fs, 0, { method: 'gram' as never })).toThrow(ArgumentError);
      expect(() => mttkrp(x, null, fs, 0, { methd: 'tree' } as never)).toThrow(/methd/);
    });
    tf.dispose([x, ...fs]);
  });

  it('starts from a leading or middle mode when the last is small against the rank; 5 modes', () => {
    const cases: [number[], number, number][] = [[[6, 3, 1], 8, 1], [[4, 5, 2], 9, 1], [[5, 6, 2], 12, 0], [[2, 3, 2, 3, 2], 3, 2]];
    for (const [shape, r, mode] of cases) {
      const x = randTensor(shape, 1);
      const fs = shape.map((d, i) => randTensor([d, r], 2 + i));
      expectNoLeak(() => {
        const got = mttkrp(x, null, fs, mode);
        const want = tf.tidy(() => tf.matMul(unfold(x, mode), khatriRao(fs, { skipMatrix: mode })));
        expectClose(got, want.dataSync(), f32Tolerance(want.dataSync(), undefined, 1e-4, 1e-4), JSON.stringify(shape));
        return [got, want];
      });
      tf.dispose([x, ...fs]);
    }
  });

  it('is close to the float64 definition on a larger tensor (relative error)', () => {
    const shape = [20, 30, 25];
    const r = 6;
    const xd = randData(shape, 5);
    const fds = shape.map((d, i) => randData([d, r], 10 + i));
    const x = tf.tensor(xd, shape);
    const fs = fds.map((f, i) => tf.tensor(f, [shape[i], r]));
    for (let mode = 0; mode < 3; mode++) {
      const want: number[] = new Array(shape[mode] * r).fill(0);
      for (let i = 0; i < 20; i++) for (let j = 0; j < 30; j++) for (let k = 0; k < 25; k++) {
        const v = xd[(i * 30 + j) * 25 + k];
        const idx = [i, j, k];
        for (let q = 0; q < r; q++) {
          let p = v;
          for (let d = 0; d < 3; d++) if (d !== mode) p *= fds[d][idx[d] * r + q];
          want[idx[mode] * r + q] += p;
        }
      }
      expectNoLeak(() => {
        const got = mttkrp(x, null, fs, mode);
        expect(relError(got, want)).toBeLessThan(1e-5);
        return got;
      });
    }
    tf.dispose([x, ...fs]);
  });

  it('rejects bad factors, weights and modes', () => {
    const x = randTensor([3, 4, 5], 1);
    const fs = [randTensor([3, 2], 2), randTensor([4, 2], 3), randTensor([5, 2], 4)];
    expectNoLeak(() => {
      expect(() => mttkrp(x, null, fs.slice(0, 2), 0)).toThrow(ArgumentError);
      expect(() => mttkrp(x, null, [fs[0], fs[2], fs[1]], 0)).toThrow(ShapeError);
      expect(() => mttkrp(x, null, [fs[0], fs[1], [[1, 2, 3]]], 0)).toThrow(/factors\[2\]/);
      expect(() => mttkrp(x, [1, 2, 3], fs, 0)).toThrow(ShapeError);
      expect(() => mttkrp(x, null, fs, 3)).toThrow(ModeError);
      expect(() => mttkrp([1, 2, 3], null, [fs[0]], 0)).toThrow(ShapeError);
      expect(() => mttkrp(x, null, [fs[0], fs[1], [1, 2, 3, 4, 5]], 1)).toThrow(ShapeError);
    });
    tf.dispose([x, ...fs]);
  });
});

describe('norm', () => {
  it('computes 2 (Frobenius, also for matrices), 1, inf and p norms', () => {
    const shape = [4, 6];
    const d = randData(shape, 3);
    const x = tf.tensor(d, shape);
    const abs = Array.from(d, Math.abs);
    const lp = (p: number) => Math.pow(abs.reduce((s, v) => s + v ** p, 0), 1 / p);
    expectNoLeak(() => {
      expect(norm(x)).toBeCloseTo(lp(2), 5);
      expect(norm(x, 1)).toBeCloseTo(lp(1), 4);
      expect(norm(x, 'inf')).toBe(Math.max(...abs));
      expect(norm(x, Infinity)).toBe(Math.max(...abs));
      expect(norm(x, 3)).toBeCloseTo(lp(3), 5);
      expect(norm(x, 0.5)).toBeCloseTo(lp(0.5), 2);
    });
    x.dispose();
  });

  it('does not overflow or underflow float32, and is 0 for zeros and empty tensors', () => {
    expectNoLeak(() => {
      expect(norm([3e20, 4e20]) / 5e20).toBeCloseTo(1, 5);
      expect(norm([3e-25, 4e-25], 3) / Math.cbrt(27e-75 + 64e-75)).toBeCloseTo(1, 5);
      expect(norm([[0, 0], [0, 0]])).toBe(0);
      expect(norm({ data: new Float32Array(0), shape: [0, 3] })).toBe(0);
    });
  });

  it('rejects unknown orders', () => {
    expectNoLeak(() => {
      expect(() => norm([1, 2], 0)).toThrow(ArgumentError);
      expect(() => norm([1, 2], -1)).toThrow(/order/);
      expect(() => norm([1, 2], 'fro' as unknown as number)).toThrow(ArgumentError);
      expect(() => norm([1, 2], NaN)).toThrow(ArgumentError);
    });
  });
});

describe('higherOrderMoment (TensorLy 0.9 raises TypeError; implemented as intended)', () => {
  it('order 1 is the mean, order 2 is X^T X / n', () => {
    const x = randTensor([7, 3], 4);
    expectNoLeak(() => {
      const m1 = higherOrderMoment(x, 1);
      const mean = tf.mean(x, 0);
      expectClose(m1, mean.dataSync(), tol(mean.dataSync()), 'mean');
      const m2 = higherOrderMoment(x, 2);
      const gram = tf.tidy(() => tf.div(tf.matMul(x, x, true, false), 7));
      expect(m2.shape).toEqual([3, 3]);
      expectClose(m2, gram.dataSync(), tol(gram.dataSync()), 'second moment');
      return [m1, mean, m2, gram];
    });
    x.dispose();
  });

  it('rejects a bad order or a tensor without a sample dim', () => {
    expectNoLeak(() => {
      expect(() => higherOrderMoment([[1, 2]], 0)).toThrow(RankError);
      expect(() => higherOrderMoment([1, 2], 2)).toThrow(ShapeError);
    });
  });
});

describe('wasm matmul operator cache (tfjs-backend-wasm 4.22 keys it by data id, not shape)', () => {
  it('a tensor used elsewhere as a matmul operand in another shape does not corrupt tenalg results', () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3]);
    // Another module multiplies by x as a 3x3 right operand: on wasm this caches an
    // XNNPACK operator under x's data id.
    tf.tidy(() => tf.matMul(tf.ones([2, 3]), x).dataSync());
    const flat = tf.reshape(x, [9]);
    const col = tf.reshape(x, [9, 1]);
    const ones9 = tf.ones([9]);
    const ones29 = tf.ones([2, 9]);
    const ones19 = tf.ones([1, 9]);
    expectNoLeak(() => {
      const s = inner(ones9, flat, 1);
      expect(s.dataSync()[0]).toBe(45);
      const md = modeDot(ones29, flat, 1);
      expect(Array.from(md.dataSync())).toEqual([45, 45]);
      const td = tensordot(ones19, col, 1);
      expect(td.dataSync()[0]).toBe(45);
      return [s, md, td];
    });
    tf.dispose([x, flat, col, ones9, ones29, ones19]);
  });

  it('tenalg calls leave no cached operator behind on their inputs', () => {
    const f = tf.tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const t = randTensor([2, 3], 1);
    const g = tf.ones([2, 2]);
    expectNoLeak(() => mttkrp(t, null, [g, f], 0));
    const after = tf.tidy(() => Array.from(tf.matMul(tf.ones([1, 6]), tf.reshape(f, [6, 1])).dataSync()));
    expect(after).toEqual([21]);
    tf.dispose([f, t, g]);
  });
});
