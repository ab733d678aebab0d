/**
 * safetensors bytes against a reference file written by an independent Python writer
 * (struct + json + NumPy; fixtures-gen/make_fixtures.py), Tenfold's output read back by the
 * same kind of reader in Python, and every malformed-file class (lying header length,
 * offsets out of range / overlapping / not matching shape x dtype, unknown dtype).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotSupportedError, ShapeError, encodeSafetensors, parseSafetensors, parseSafetensorsHeader, tf } from '@tenfold/core';
import { expectNoLeak } from '../../../../test-utils/index.js';
import { expected, hasNumpy, readFixture, runPython } from './arrayFixtures.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-st-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A safetensors file from a header object and a data section (the header may lie). */
function build(header: unknown, data: Uint8Array, lengthOverride?: number): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthOverride ?? text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('parseSafetensors on the reference file', () => {
  it('reads F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL: values equal the writer\'s, rounded to float32', () => {
    expectNoLeak(() => {
      const { tensors, metadata } = parseSafetensors(readFixture('reference.safetensors'), 'reference.safetensors');
      expect(metadata).toEqual({ format: 'pt', made_by: 'make_fixtures.py' });
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.safetensors).sort());
      expect(new Set(Object.values(expected.safetensors_dtypes))).toEqual(new Set(['F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL']));
      for (const [name, e] of Object.entries(expected.safetensors)) {
        expect(tensors[name].shape, name).toEqual(e.shape);
        expect(tensors[name].dtype, name).toBe('float32');
        expect(Array.from(tensors[name].dataSync()), name).toEqual(e.values.map(Math.fround));
      }
      return tensors;
    });
  });

  it('keepInt32 keeps integer tensors int32 and BOOL bool; I64 beyond int32 throws naming the tensor', () => {
    const bytes = readFixture('reference.safetensors');
    const err = errorOf(() => parseSafetensors(bytes, 'reference.safetensors', { keepInt32: true }));
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err.message).toContain("tensor 'w_i64'");
    // Drop w_i64 from the header: the other integer tensors come back exact, as int32.
    const header = parseSafetensorsHeader(bytes);
    const json: Record<string, unknown> = { __metadata__: header.metadata };
    for (const [name, e] of Object.entries(header.entries)) if (name !== 'w_i64') json[name] = { dtype: e.dtype, shape: e.shape, data_offsets: e.dataOffsets };
    expectNoLeak(() => {
      const { tensors } = parseSafetensors(build(json, bytes.subarray(header.dataStart)), 'sub', { keepInt32: true });
      for (const name of ['w_i32', 'w_i16', 'w_i8', 'w_u8']) {
        expect(tensors[name].dtype).toBe('int32');
        expect(Array.from(tensors[name].dataSync()), name).toEqual(expected.safetensors[name].values);
      }
      expect(tensors.w_bool.dtype).toBe('bool');
      expect(Array.from(tensors.w_bool.dataSync())).toEqual(expected.safetensors.w_bool.values);
      expect(tensors.w_f16.dtype).toBe('float32');
      return tensors;
    });
  });
});

describe('encodeSafetensors', () => {
  it('round-trips float32, int32 and bool tensors and metadata exactly; header padded to 8 bytes', () => {
    expectNoLeak(() => {
      const a = tf.tensor([[1.5, -2.25], [3e-9, 4e9]]);
      const b = tf.tensor([-7, 8], [2], 'int32');
      const c = tf.tensor([true, false, true], [3], 'bool');
      const bytes = encodeSafetensors({ a, b, c, s: 2.5 }, { kind: 'test' });
      const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(headerLen % 8).toBe(0);
      const { tensors, metadata } = parseSafetensors(bytes, 'x', { keepInt32: true });
      expect(metadata).toEqual({ kind: 'test' });
      expect(Array.from(tensors.a.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(tensors.b.dtype).toBe('int32');
      expect(Array.from(tensors.b.dataSync())).toEqual([-7, 8]);
      expect(Array.from(tensors.c.dataSync())).toEqual([1, 0, 1]);
      expect(tensors.s.shape).toEqual([]);
      expect(Array.from(tensors.s.dataSync())).toEqual([2.5]);
      tf.dispose([a, b, c]);
      return tensors;
    });
  });

  it.skipIf(!hasNumpy)('an independent Python reader (struct + json + NumPy) reads what Tenfold wrote', () => {
    const a = tf.tensor([[0.1, 0.2, 0.3], [1e10, -7, 0]]);
    const b = tf.tensor([5, -6], [2], 'int32');
    const file = path.join(dir, 't.safetensors');
    fs.writeFileSync(file, encodeSafetensors({ a, b }, { note: 'hi' }));
    const got = runPython(
      [
        'import sys, json, struct, numpy as np',
        'raw = open(sys.argv[1], "rb").read()',
        'n, = struct.unpack("<Q", raw[:8]); h = json.loads(raw[8:8 + n]); data = raw[8 + n:]',
        'dt = {"F32": "<f4", "I32": "<i4"}',
        'out = {"__metadata__": h.pop("__metadata__")}',
        'for k, e in h.items():',
        '    b0, b1 = e["data_offsets"]',
        '    out[k] = {"dtype": e["dtype"], "shape": e["shape"], "values": np.frombuffer(data[b0:b1], dtype=dt[e["dtype"]]).astype(float).tolist()}',
        'print(json.dumps(out))',
      ].join('\n'),
      file,
    );
    expect(got.__metadata__).toEqual({ note: 'hi' });
    expect(got.a).toEqual({ dtype: 'F32', shape: [2, 3], values: Array.from(a.dataSync()) });
    expect(got.b).toEqual({ dtype: 'I32', shape: [2], values: [5, -6] });
    tf.dispose([a, b]);
  });

  it('rejects bad arrays and metadata', () => {
    expect(() => encodeSafetensors(null as never)).toThrow(ArgumentError);
    expect(() => encodeSafetensors({ a: [1] }, { n: 3 } as never)).toThrow(/metadata/);
    expect(() => encodeSafetensors({ __metadata__: [1] })).toThrow(/reserved/);
    expect(() => encodeSafetensors({ w: 'abc' as never })).toThrow(/arrays\['w'\]/);
  });
});

describe('parseSafetensors on malformed files: typed errors naming the file and the tensor', () => {
  const f32x2 = new Uint8Array(new Float32Array([1, 2]).buffer);
  const entry = (o: object) => ({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8], ...o } });

  it('header length beyond the file (a lying header)', () => {
    const err = errorOf(() => parseSafetensors(build(entry({}), f32x2, 10_000), 'lie.safetensors'));
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toMatch(/lie\.safetensors.*header length \(10000 bytes\) runs beyond the file/);
    expect(() => parseSafetensors(new Uint8Array(5), 'tiny')).toThrow(/tiny is not a safetensors file/);
  });

  it('a truncated file: offsets beyond the data section', () => {
    const bytes = build(entry({}), f32x2);
    const err = errorOf(() => parseSafetensors(bytes.subarray(0, bytes.length - 4), 'cut.safetensors'));
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain("cut.safetensors, tensor 'w'");
    expect(err.message).toContain('beyond the data section');
  });

  it('offsets that do not match shape x dtype size', () => {
    const err = errorOf(() => parseSafetensors(build(entry({ shape: [3] }), f32x2), 'size.safetensors'));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toContain("size.safetensors, tensor 'w'");
    expect(err.message).toContain('needs 12 bytes');
  });

  it('overlapping tensors', () => {
    const header = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    const err = errorOf(() => parseSafetensors(build(header, f32x2), 'ov.safetensors'));
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toMatch(/ov\.safetensors: tensors 'a' .* and 'b' .* overlap/);
  });

  it('an unknown dtype', () => {
    const err = errorOf(() => parseSafetensors(build(entry({ dtype: 'F8_E4M3', shape: [8] }), f32x2), 'fp8.safetensors'));
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err.message).toContain("fp8.safetensors, tensor 'w'");
    expect(err.message).toContain('F8_E4M3');
  });

  it('bad JSON, bad shape, bad offsets, bad metadata, not bytes', () => {
    const text = new TextEncoder().encode('{"w": ');
    const bad = new Uint8Array(8 + text.length);
    new DataView(bad.buffer).setBigUint64(0, BigInt(text.length), true);
    bad.set(text, 8);
    expect(() => parseSafetensors(bad, 'j.safetensors')).toThrow(/j\.safetensors: the safetensors header is not valid JSON/);
    expect(() => parseSafetensors(build(entry({ shape: [-2] }), f32x2), 's')).toThrow(/tensor 'w': shape/);
    expect(() => parseSafetensors(build(entry({ data_offsets: [8, 0] }), f32x2), 's')).toThrow(/tensor 'w': data_offsets/);
    expect(() => parseSafetensors(build({ __metadata__: { a: 1 } }, f32x2), 's')).toThrow(/__metadata__/);
    expect(() => parseSafetensors('abc' as never)).toThrow(/bytes/);
    expect(() => parseSafetensors(build(entry({}), f32x2), 's', { keep: true } as never)).toThrow(/keep/);
  });
});
