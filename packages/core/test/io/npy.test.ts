import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNpy, saveNpy } from '@tenfold/core/node';
import {
  tf, parseNpy, parseNpyHeader, encodeNpy, ArgumentError, NotSupportedError, ShapeError, TenfoldError,
} from '@tenfold/core';
import { expectNoLeak, expectNoLeakAsync } from '../../../../test-utils/index.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-npy-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Build a .npy file by hand, the way numpy/lib/format.py lays it out: magic, version,
 * little-endian header length (2 bytes in v1, 4 in v2/v3), the dict, padding to 64 bytes.
 */
function npyBytes(dict: string, payload: Uint8Array, major = 1): Uint8Array {
  const lenBytes = major === 1 ? 2 : 4;
  const total = Math.ceil((8 + lenBytes + dict.length + 1) / 64) * 64;
  const headerLen = total - 8 - lenBytes;
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const out = new Uint8Array(total + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, headerLen, true);
  else dv.setUint32(8, headerLen, true);
  out.set(new TextEncoder().encode(header), 8 + lenBytes);
  out.set(payload, total);
  return out;
}

function le64(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setFloat64(8 * i, v, true));
  return b;
}

function le32(values: number[], int = false): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => (int ? dv.setInt32(4 * i, v, true) : dv.setFloat32(4 * i, v, true)));
  return b;
}

describe('saveNpy / loadNpy round trip (files in os.tmpdir())', () => {
  const cases: [string, number[]][] = [
    ['3-D', [2, 3, 4]],
    ['1-D', [5]],
    ['scalar', []],
    ['empty', [0, 3]],
  ];
  for (const [name, shape] of cases) {
    it(`${name} float32 tensor of shape ${JSON.stringify(shape)}`, async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: size }, (_, i) => Math.fround(Math.sin(i + 1) * 1e3)), shape);
      const file = path.join(dir, `rt-${name}.npy`);
      await expectNoLeakAsync(async () => {
        await saveNpy(file, x);
      });
      const bytes = fs.readFileSync(file);
      const header = parseNpyHeader(bytes);
      expect(header).toMatchObject({ version: [1, 0], descr: '<f4', fortranOrder: false, shape });
      expect(header.dataOffset % 64).toBe(0);
      expect(bytes.length).toBe(header.dataOffset + 4 * size);
      await expectNoLeakAsync(async () => {
        const y = await loadNpy(file);
        expect(y.dtype).toBe('float32');
        expect(y.shape).toEqual(shape);
        expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
        return y;
      });
      x.dispose();
    });
  }

  it('int32 tensors are written as <i4 and read as float32, or kept int32 on request', async () => {
    const x = tf.tensor([1, -2, 3, 2 ** 30], [2, 2], 'int32');
    const file = path.join(dir, 'int.npy');
    await saveNpy(file, x);
    expect(parseNpyHeader(fs.readFileSync(file)).descr).toBe('<i4');
    await expectNoLeakAsync(async () => {
      const f = await loadNpy(file);
      expect(f.dtype).toBe('float32');
      expect(Array.from(f.dataSync())).toEqual([1, -2, 3, 2 ** 30]);
      const k = await loadNpy(file, { keepInt32: true });
      expect(k.dtype).toBe('int32');
      expect(Array.from(k.dataSync())).toEqual([1, -2, 3, 2 ** 30]);
      return [f, k];
    });
    x.dispose();
  });

  it('accepts any TensorLike', async () => {
    const file = path.join(dir, 'nested.npy');
    await saveNpy(file, [[1, 2], [3, 4]]);
    const y = await loadNpy(file);
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
  });
});

describe('parseNpy on hand-built headers', () => {
  it('float64, C order, is read into float32', () => {
    const vals = [0.1, -2.5, 1e-3, 3.141592653589793, 7, 8];
    const bytes = npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", le64(vals));
    expectNoLeak(() => {
      const t = parseNpy(bytes);
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.dataSync())).toEqual(vals.map(Math.fround));
      return t;
    });
  });

  it('Fortran order is transposed back to C order (2-D and 3-D)', () => {
    // C-order A = [[1,2,3],[4,5,6]] is stored column by column: 1,4,2,5,3,6.
    const bytes = npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", le64([1, 4, 2, 5, 3, 6]));
    // 3-D: entry (i,j,k) sits at i + 2j + 6k in Fortran order.
    const shape = [2, 3, 4];
    const fdata: number[] = new Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) fdata[i + 2 * j + 6 * k] = (i * 3 + j) * 4 + k;
    const bytes3 = npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", le32(fdata));
    expectNoLeak(() => {
      const t = parseNpy(bytes);
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      const t3 = parseNpy(bytes3);
      expect(t3.shape).toEqual(shape);
      expect(Array.from(t3.dataSync())).toEqual(Array.from({ length: 24 }, (_, i) => i));
      return [t, t3];
    });
  });

  it('reads format versions 2.0 and 3.0 (4-byte header length, utf8 header)', () => {
    const v2 = npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", le32([7, -8, 9], true), 2);
    const v3 = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", le32([0.5, 1.5]), 3);
    expectNoLeak(() => {
      const a = parseNpy(v2);
      expect(parseNpyHeader(v2).version).toEqual([2, 0]);
      expect(Array.from(a.dataSync())).toEqual([7, -8, 9]);
      const b = parseNpy(v3);
      expect(parseNpyHeader(v3).version).toEqual([3, 0]);
      expect(b.shape).toEqual([1, 2]);
      expect(Array.from(b.dataSync())).toEqual([0.5, 1.5]);
      return [a, b];
    });
  });

  it('encodeNpy pads the header to 64 bytes and parses back', () => {
    expectNoLeak(() => {
      const bytes = encodeNpy({ data: new Float32Array([1, 2, 3]), shape: [3] });
      const headerLen = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLen) % 64).toBe(0);
      const text = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
      const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
      expect(text).toBe(dict + ' '.repeat(headerLen - dict.length - 1) + '\n');
      expect(bytes.length).toBe(10 + headerLen + 12);
      const t = parseNpy(bytes);
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
      return t;
    });
  });
});

describe('loadNpy errors name the file and what was found', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('bad magic', async () => {
    const file = write('bad.npy', new TextEncoder().encode('PK\x03\x04 this is a zip'));
    const err = await loadNpy(file).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/magic/);
  });

  it('unsupported dtypes (complex, object, structured) and big-endian data', async () => {
    const bad: [string, string, RegExp][] = [
      ['c8.npy', "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", /complex64/],
      ['obj.npy', "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", /object/],
      ['rec.npy', "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", /structured/],
      ['be.npy', "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", /big-endian/],
    ];
    for (const [name, dict, msg] of bad) {
      const file = write(name, npyBytes(dict, new Uint8Array(16)));
      const err = await loadNpy(file).catch((e) => e);
      expect(err, name).toBeInstanceOf(NotSupportedError);
      expect(err.message).toContain(name);
      expect(err.message).toMatch(msg);
    }
  });

  it('truncated data, malformed header, unknown version, missing file', async () => {
    const short = write('short.npy', npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", le32([1, 2])));
    await expect(loadNpy(short)).rejects.toBeInstanceOf(ShapeError);
    const noShape = write('noshape.npy', npyBytes("{'descr': '<f4', 'fortran_order': False}", new Uint8Array(0)));
    await expect(loadNpy(noShape)).rejects.toBeInstanceOf(ArgumentError);
    const v9 = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", le32([1]));
    v9[6] = 9;
    const v9file = write('v9.npy', v9);
    await expect(loadNpy(v9file)).rejects.toThrow(/version 9/);
    const missing = path.join(dir, 'nope.npy');
    const err = await loadNpy(missing).catch((e) => e);
    expect(err).toBeInstanceOf(TenfoldError);
    expect(err.message).toContain(missing);
    await expect(loadNpy('')).rejects.toBeInstanceOf(ArgumentError);
    expect(() => parseNpy([1, 2, 3] as unknown as Uint8Array)).toThrow(ArgumentError);
    await expect(saveNpy(path.join(dir, 'no', 'such', 'dir.npy'), [1])).rejects.toBeInstanceOf(ArgumentError);
  });
});
