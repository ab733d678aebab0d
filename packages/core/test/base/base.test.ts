import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  tf, unfold, fold, partialUnfold, partialFold, tensorToVec, vecToTensor, partialTensorToVec, partialVecToTensor, matricize,
  ArgumentError, ModeError, ShapeError,
} from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';

/** A tensor of distinct exactly-representable entries 0..size-1, so equality is meaningful. */
function arange(shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.reshape(tf.range(0, size, 1, 'float32'), shape));
}

/** Flat C-order index of `idx` in `shape`. */
function flatIndex(idx: number[], shape: number[]): number {
  return idx.reduce((acc, v, d) => acc * shape[d] + v, 0);
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 });

describe('unfold / fold', () => {
  it('fold(unfold(x, m), m, shape) = x for random shapes and modes (property)', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), (shape, k) => {
        const mode = k % shape.length;
        const x = arange(shape);
        expectNoLeak(() => {
          const u = unfold(x, mode);
          const back = fold(u, mode, shape);
          expect(u.shape).toEqual([shape[mode], x.size / shape[mode]]);
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
          return [u, back];
        });
        x.dispose();
      }),
      { numRuns: 60 },
    );
  });

  it('unfold puts T[i] at row i_m, column = C-order index of the other indices (property)', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), fc.nat(), (shape, k, pick) => {
        const mode = k % shape.length;
        const x = arange(shape);
        const u = unfold(x, mode);
        const data = u.dataSync();
        const cols = u.shape[1];
        // Check one random entry: its value is its own flat index in x.
        const size = x.size;
        const flat = pick % size;
        const idx: number[] = [];
        let rest = flat;
        for (let d = shape.length - 1; d >= 0; d--) {
          idx.unshift(rest % shape[d]);
          rest = Math.floor(rest / shape[d]);
        }
        const otherShape = shape.filter((_, d) => d !== mode);
        const col = flatIndex(idx.filter((_, d) => d !== mode), otherShape);
        expect(data[idx[mode] * cols + col]).toBe(flat);
        tf.dispose([x, u]);
      }),
      { numRuns: 60 },
    );
  });

  it('accepts negative modes and nested arrays, and returns a new tensor', () => {
    const x = arange([2, 3]);
    expectNoLeak(() => {
      const a = unfold(x, -1);
      const b = unfold(x, 1);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      const same = unfold(x, 0);
      expect(same).not.toBe(x);
      const nested = unfold([[1, 2], [3, 4]], 1);
      expect(Array.from(nested.dataSync())).toEqual([1, 3, 2, 4]);
      return [a, b, same, nested];
    });
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('rejects bad input with typed errors naming the argument, leaking nothing', () => {
    expectNoLeak(() => {
      expect(() => unfold([[1, 2]], 2)).toThrow(ModeError);
      expect(() => unfold([[1, 2]], 2)).toThrow(/mode/);
      expect(() => unfold([[1, 2]], 0.5)).toThrow(ModeError);
      expect(() => unfold(3, 0)).toThrow(ShapeError);
      expect(() => fold([1, 2, 3], 0, [2, 2])).toThrow(ShapeError);
      expect(() => fold([1, 2, 3], 0, [2, 2])).toThrow(/unfolded/);
      expect(() => fold([1, 2, 3, 4], 2, [2, 2])).toThrow(ModeError);
      expect(() => fold([1, 2, 3, 4], 0, [2, -2])).toThrow(ShapeError);
      expect(() => fold([1, 2, 3, 4], 0, 'abc' as unknown as number[])).toThrow(/shape/);
    });
  });
});

describe('partialUnfold / partialFold', () => {
  const arb = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 }),
    sb: fc.nat(2),
    se: fc.nat(2),
    k: fc.nat(),
    ravel: fc.boolean(),
  }).filter(({ shape, sb, se }) => shape.length - sb - se >= 1);

  it('partialFold inverts partialUnfold, with and without ravelTensors (property)', () => {
    fc.assert(
      fc.property(arb, ({ shape, sb, se, k, ravel }) => {
        const inner = shape.length - sb - se;
        const mode = ravel ? 0 : k % inner;
        const x = arange(shape);
        expectNoLeak(() => {
          const u = partialUnfold(x, { mode, skipBegin: sb, skipEnd: se, ravelTensors: ravel });
          const back = partialFold(u, mode, shape, { skipBegin: sb, skipEnd: se });
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
          return [u, back];
        });
        x.dispose();
      }),
      { numRuns: 60 },
    );
  });

  it('unfolds every sample: slice [a] of partialUnfold(skipBegin 1) = unfold(slice [a])', () => {
    const x = arange([3, 4, 2, 5]);
    expectNoLeak(() => {
      const u = partialUnfold(x, { mode: 1, skipBegin: 1 });
      expect(u.shape).toEqual([3, 2, 20]);
      for (let a = 0; a < 3; a++) {
        const [got, want] = tf.tidy(() => [
          Array.from(tf.squeeze(tf.slice(u, [a, 0, 0], [1, 2, 20]), [0]).dataSync()),
          Array.from(unfold(tf.squeeze(tf.slice(x, [a, 0, 0, 0], [1, 4, 2, 5]), [0]), 1).dataSync()),
        ]);
        expect(got).toEqual(want);
      }
      return u;
    });
    x.dispose();
  });

  it('keeps the order of 2+ trailing skipped dims (TensorLy reverses them; docs/fidelity/tenalg.md)', () => {
    const x = arange([3, 4, 2, 5]);
    expectNoLeak(() => {
      const u = partialUnfold(x, { mode: 1, skipBegin: 0, skipEnd: 2 });
      // Shape keeps (2, 5) at the end; TensorLy 0.9 would report (..., 5, 2).
      expect(u.shape).toEqual([4, 3, 2, 5]);
      for (let a = 0; a < 2; a++) {
        for (let b = 0; b < 5; b++) {
          const [got, want] = tf.tidy(() => [
            Array.from(tf.reshape(tf.slice(u, [0, 0, a, b], [4, 3, 1, 1]), [4, 3]).dataSync()),
            Array.from(unfold(tf.reshape(tf.slice(x, [0, 0, a, b], [3, 4, 1, 1]), [3, 4]), 1).dataSync()),
          ]);
          expect(got).toEqual(want);
        }
      }
      return u;
    });
    x.dispose();
  });

  it('rejects bad skips, modes and sizes with typed errors', () => {
    const x = arange([2, 3, 4]);
    expectNoLeak(() => {
      expect(() => partialUnfold(x, { skipBegin: 2, skipEnd: 1 })).toThrow(ShapeError);
      expect(() => partialUnfold(x, { skipBegin: -1 })).toThrow(ArgumentError);
      expect(() => partialUnfold(x, { skipBegin: 1.5 })).toThrow(/skipBegin/);
      expect(() => partialUnfold(x, { mode: 2 })).toThrow(ModeError);
      expect(() => partialUnfold(x, { ravelTensors: 'yes' as unknown as boolean })).toThrow(ArgumentError);
      expect(() => partialFold(x, 0, [2, 3, 5])).toThrow(ShapeError);
      expect(() => partialFold(x, 2, [2, 3, 4])).toThrow(ModeError);
      expect(() => partialFold(x, 0, [2, 3, 4], { skipEnd: 3 })).toThrow(ShapeError);
    });
    x.dispose();
  });
});

describe('tensorToVec / vecToTensor and the partial variants', () => {
  it('round-trip in C order, leak-free', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const x = arange(shape);
        expectNoLeak(() => {
          const v = tensorToVec(x);
          expect(v.shape).toEqual([x.size]);
          expect(Array.from(v.dataSync())).toEqual(Array.from({ length: x.size }, (_, i) => i));
          const back = vecToTensor(v, shape);
          expect(back.shape).toEqual(shape);
          const pv = partialTensorToVec(x);
          expect(pv.shape).toEqual([shape[0], x.size / shape[0]]);
          const pback = partialVecToTensor(pv, shape);
          expect(Array.from(pback.dataSync())).toEqual(Array.from(x.dataSync()));
          return [v, back, pv, pback];
        });
        x.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it('partial vec with skipEnd keeps the trailing dim', () => {
    const x = arange([2, 3, 4]);
    expectNoLeak(() => {
      const pv = partialTensorToVec(x, { skipBegin: 0, skipEnd: 1 });
      expect(pv.shape).toEqual([6, 4]);
      const back = partialVecToTensor(pv, [2, 3, 4], { skipBegin: 0, skipEnd: 1 });
      expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
      return [pv, back];
    });
    x.dispose();
  });

  it('a 1-D input gives a new tensor, not the input', () => {
    const v = tf.tensor1d([1, 2, 3]);
    expectNoLeak(() => {
      const w = tensorToVec(v);
      expect(w).not.toBe(v);
      const u = vecToTensor(v, [3]);
      expect(u).not.toBe(v);
      return [w, u];
    });
    v.dispose();
  });

  it('rejects a size mismatch with a ShapeError', () => {
    expectNoLeak(() => {
      expect(() => vecToTensor([1, 2, 3], [2, 2])).toThrow(ShapeError);
      expect(() => vecToTensor([1, 2, 3], [2, 2])).toThrow(/vec/);
      expect(() => partialVecToTensor([[1, 2, 3]], [1, 2, 2])).toThrow(ShapeError);
      expect(() => partialTensorToVec([1, 2, 3], { skipBegin: 1 })).toThrow(ShapeError);
    });
  });
});

describe('matricize', () => {
  it('with one row mode equals unfold', () => {
    const x = arange([2, 3, 4]);
    expectNoLeak(() => {
      const out = [];
      for (let m = 0; m < 3; m++) {
        const a = matricize(x, m);
        const b = unfold(x, m);
        expect(a.shape).toEqual(b.shape);
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
        out.push(a, b);
      }
      return out;
    });
    x.dispose();
  });

  it('transposes to rows + cols then reshapes in C order', () => {
    const x = arange([2, 3, 4]);
    expectNoLeak(() => {
      const m = matricize(x, [2, 0], [1]);
      expect(m.shape).toEqual([8, 3]);
      const d = m.dataSync();
      // Row (k, i) = k*2 + i, column j holds x[i, j, k] = (i*3 + j)*4 + k.
      for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
        expect(d[(k * 2 + i) * 3 + j]).toBe((i * 3 + j) * 4 + k);
      }
      const dflt = matricize(x, [2, 0]);
      expect(Array.from(dflt.dataSync())).toEqual(Array.from(d));
      return [m, dflt];
    });
    x.dispose();
  });

  it('rejects modes that are out of range, repeated, or not a partition', () => {
    const x = arange([2, 3, 4]);
    expectNoLeak(() => {
      expect(() => matricize(x, [3])).toThrow(ModeError);
      expect(() => matricize(x, [0, 0])).toThrow(ArgumentError);
      expect(() => matricize(x, [0], [1])).toThrow(ArgumentError);
      expect(() => matricize(x, [0], [1])).toThrow(/columnModes/);
      expect(() => matricize(x, [0, 1], [1, 2])).toThrow(ArgumentError);
      expect(() => matricize(5, [0])).toThrow(ShapeError);
    });
    x.dispose();
  });
});
