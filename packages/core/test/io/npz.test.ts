/**
 * `.npz` bytes against NumPy's own np.savez / np.savez_compressed output (fixtures/), and
 * Tenfold's output read back by NumPy when python3 is available.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { ArgumentError, NotSupportedError, ShapeError, encodeNpy, encodeNpz, parseNpz, tf } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';
import { expected, hasNumpy, readFixture, runPython } from './arrayFixtures.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-npz-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const f32 = (v: number[]) => v.map(Math.fround);

describe('parseNpz on NumPy output', () => {
  for (const file of ['savez.npz', 'savez_compressed.npz']) {
    it(`${file}: every member, every dtype, equals NumPy's values rounded to float32`, () => {
      expectNoLeak(() => {
        const arrays = parseNpz(readFixture(file), file);
        expect(Object.keys(arrays).sort()).toEqual(Object.keys(expected.npz).sort());
        for (const [name, e] of Object.entries(expected.npz)) {
          expect(arrays[name].shape, name).toEqual(e.shape);
          expect(arrays[name].dtype, name).toBe('float32');
          expect(Array.from(arrays[name].dataSync()), name).toEqual(f32(e.values));
        }
        return arrays;
      });
    });
  }

  it('keepInt32 keeps i4/i8/u1 as int32 and bool as bool; an int64 beyond int32 throws naming the member', () => {
    expectNoLeak(() => {
      const bytes = readFixture('savez.npz');
      const err = (() => { try { parseNpz(bytes, 'savez.npz', { keepInt32: true }); } catch (e) { return e; } })() as Error;
      expect(err).toBeInstanceOf(NotSupportedError);
      expect(err.message).toContain("savez.npz member 'i8.npy'");
      expect(err.message).toContain(String(2 ** 40));
      // Without the out-of-range int64 member every integer comes back exact.
      const members = { 'i4.npy': 0, 'u1.npy': 0, 'bool.npy': 0 };
      const arrays = parseNpz(zipSync(Object.fromEntries(Object.keys(members).map((m) => [m, extractMember(bytes, m)]))), 'sub', { keepInt32: true });
      expect(arrays.i4.dtype).toBe('int32');
      expect(Array.from(arrays.i4.dataSync())).toEqual(expected.npz.i4.values);
      expect(arrays.u1.dtype).toBe('int32');
      expect(Array.from(arrays.u1.dataSync())).toEqual(expected.npz.u1.values);
      expect(arrays.bool.dtype).toBe('bool');
      expect(Array.from(arrays.bool.dataSync())).toEqual(expected.npz.bool.values);
      return arrays;
    });
  });
});

/** One member's bytes, re-encoded by Tenfold from the parsed value would hide bugs: take NumPy's own. */
function extractMember(npz: Uint8Array, member: string): Uint8Array {
  // fflate's unzipSync with a filter returns the member's decompressed bytes unchanged.
  return unzipOne(npz, member);
}
import { unzipSync } from 'fflate';
const unzipOne = (npz: Uint8Array, member: string) => unzipSync(npz, { filter: (f) => f.name === member })[member];

describe('encodeNpz', () => {
  it('round-trips float32, int32 and bool tensors exactly, stored and deflated', () => {
    expectNoLeak(() => {
      const a = tf.tensor([[1.5, -2.25, 3], [4, 5, 6e-8]]);
      const b = tf.tensor([1, -2, 2147483647], [3], 'int32');
      const c = tf.tensor([true, false], [2], 'bool');
      const stored = encodeNpz({ a, b, c });
      const zipped = encodeNpz({ a, b, c }, { compress: true });
      for (const bytes of [stored, zipped]) {
        const back = parseNpz(bytes, 'x', { keepInt32: true });
        expect(Array.from(back.a.dataSync())).toEqual(Array.from(a.dataSync()));
        expect(back.a.shape).toEqual([2, 3]);
        expect(back.b.dtype).toBe('int32');
        expect(Array.from(back.b.dataSync())).toEqual([1, -2, 2147483647]);
        expect(back.c.dtype).toBe('bool');
        expect(Array.from(back.c.dataSync())).toEqual([1, 0]);
        tf.dispose(Object.values(back));
      }
      tf.dispose([a, b, c]);
    });
  });

  it('compress deflates (a constant array shrinks) and the members are the .npy bytes', () => {
    const z = tf.zeros([64, 64]);
    const stored = encodeNpz({ z });
    const zipped = encodeNpz({ z }, { compress: true });
    expect(zipped.length).toBeLessThan(stored.length / 10);
    expect(Array.from(unzipOne(zipped, 'z.npy'))).toEqual(Array.from(encodeNpy(z)));
    z.dispose();
  });

  it.skipIf(!hasNumpy)('NumPy reads what Tenfold wrote (np.load), stored and compressed', () => {
    const a = tf.tensor([[0.1, 0.2, 0.3], [1e10, -7, 0]]);
    const b = tf.tensor([[5, -6]], [1, 2], 'int32');
    const c = tf.tensor([false, true, true], [3], 'bool');
    for (const compress of [false, true]) {
      const file = path.join(dir, `t-${compress}.npz`);
      fs.writeFileSync(file, encodeNpz({ a, b, c }, { compress }));
      const got = runPython(
        'import sys, json, numpy as np\nz = np.load(sys.argv[1])\nprint(json.dumps({k: {"dtype": z[k].dtype.str, "shape": list(z[k].shape), "values": z[k].astype(float).ravel().tolist()} for k in z.files}))',
        file,
      );
      expect(got.a).toEqual({ dtype: '<f4', shape: [2, 3], values: Array.from(a.dataSync()) });
      expect(got.b).toEqual({ dtype: '<i4', shape: [1, 2], values: [5, -6] });
      expect(got.c).toEqual({ dtype: '|b1', shape: [3], values: [0, 1, 1] });
    }
    tf.dispose([a, b, c]);
  });
});

describe('parseNpz errors', () => {
  it('bytes that are not a zip archive: ArgumentError naming the source', () => {
    expect(() => parseNpz(new Uint8Array([1, 2, 3, 4]), 'junk.npz')).toThrow(ArgumentError);
    expect(() => parseNpz(new Uint8Array([1, 2, 3, 4]), 'junk.npz')).toThrow(/junk\.npz/);
    expect(() => parseNpz('abc' as unknown as Uint8Array)).toThrow(ArgumentError);
  });

  it('a truncated member: ShapeError naming the member, and no tensor of the good members leaks', () => {
    expectNoLeak(() => {
      const good = encodeNpy([1, 1, 1]);
      const full = encodeNpy([1, 1, 1, 1]);
      const bad = full.subarray(0, full.length - 8);
      const bytes = zipSync({ 'a.npy': good, 'b.npy': bad });
      const err = (() => { try { parseNpz(bytes, 'cut.npz'); } catch (e) { return e; } })() as Error;
      expect(err).toBeInstanceOf(ShapeError);
      expect(err.message).toContain("cut.npz member 'b.npy'");
    });
  });

  it('a member with wrong magic: ArgumentError naming the member', () => {
    const bytes = zipSync({ 'x.npy': new TextEncoder().encode('not numpy at all') });
    expect(() => parseNpz(bytes, 'm.npz')).toThrow(/m\.npz member 'x\.npy' is not a \.npy file/);
  });

  it('encodeNpz rejects bad arrays objects and options', () => {
    expect(() => encodeNpz(null as never)).toThrow(ArgumentError);
    expect(() => encodeNpz([tf.ones([1])] as never)).toThrow(/arrays must be an object/);
    expect(() => encodeNpz({ '': [1] })).toThrow(/empty name/);
    expect(() => encodeNpz({ a: [1] }, { compress: 'yes' } as never)).toThrow(/compress/);
    expect(() => encodeNpz({ a: [1] }, { level: 3 } as never)).toThrow(/level/);
    expect(() => encodeNpz({ a: 'abc' as never })).toThrow(/arrays\['a'\]/);
  });
});
