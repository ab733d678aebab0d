/**
 * The Node entry's array-file functions: NumPy's .npz files and the reference safetensors
 * file load from disk; saves are atomic (a failed save leaves the old file untouched and no
 * temp file); bad files (truncated .npy, wrong magic, lying safetensors header, unknown
 * dtype) give typed errors naming the file. Also: the main entry imports nothing from node:*.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, NotSupportedError, ShapeError, encodeNpy, tf } from '@tenfold/core';
import { loadNpy, loadNpz, loadSafetensors, saveNpy, saveNpz, saveSafetensors } from '@tenfold/core/node';
import { expectNoLeakAsync } from '../../../../test-utils/index.js';
import { expected, ioFixturesDir } from '../io/arrayFixtures.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-files-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const noTemps = () => expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

describe('loading the NumPy-made fixtures from disk', () => {
  it('loadNpz(savez_compressed.npz) and loadSafetensors(reference.safetensors) equal the writers\' values', async () => {
    await expectNoLeakAsync(async () => {
      const z = await loadNpz(path.join(ioFixturesDir, 'savez_compressed.npz'));
      expect(Array.from(z.f8.dataSync())).toEqual(expected.npz.f8.values.map(Math.fround));
      expect(z.fortran.shape).toEqual(expected.npz.fortran.shape);
      expect(Array.from(z.fortran.dataSync())).toEqual(expected.npz.fortran.values.map(Math.fround));
      const st = await loadSafetensors(path.join(ioFixturesDir, 'reference.safetensors'));
      expect(Array.from(st.tensors.w_i16.dataSync())).toEqual(expected.safetensors.w_i16.values);
      tf.dispose(Object.values(z));
      return st.tensors;
    });
  });
});

describe('save then load', () => {
  it('saveNpz / saveSafetensors / saveNpy round-trip exactly and leave no temp files', async () => {
    const a = tf.tensor([[1.25, -3], [7e-6, 1e7]]);
    const i = tf.tensor([3, -4], [2], 'int32');
    await expectNoLeakAsync(async () => {
      await saveNpz(path.join(dir, 'x.npz'), { a, i }, { compress: true });
      const z = await loadNpz(path.join(dir, 'x.npz'), { keepInt32: true });
      expect(Array.from(z.a.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(z.i.dataSync())).toEqual([3, -4]);
      await saveSafetensors(path.join(dir, 'x.safetensors'), { a, i }, { note: 'n' });
      const st = await loadSafetensors(path.join(dir, 'x.safetensors'));
      expect(st.metadata).toEqual({ note: 'n' });
      expect(Array.from(st.tensors.a.dataSync())).toEqual(Array.from(a.dataSync()));
      await saveNpy(path.join(dir, 'x.npy'), a);
      const n = await loadNpy(path.join(dir, 'x.npy'));
      expect(Array.from(n.dataSync())).toEqual(Array.from(a.dataSync()));
      return [z, st.tensors, n];
    });
    noTemps();
    tf.dispose([a, i]);
  });

  it('a save that fails part-way leaves the previous file untouched', async () => {
    const file = path.join(dir, 'keep.npz');
    await saveNpz(file, { a: [1, 2] });
    const before = fs.readFileSync(file);
    await expect(saveNpz(file, { a: [1], b: 'not an array' as never })).rejects.toThrow(/arrays\['b'\]/);
    expect(fs.readFileSync(file)).toEqual(before);
    await expect(saveSafetensors(path.join(dir, 'no', 'dir', 'x.safetensors'), { a: [1] })).rejects.toBeInstanceOf(ArgumentError);
    noTemps();
  });
});

describe('bad files on disk: typed errors naming the file', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('truncated .npy, wrong magic, lying safetensors header, unknown dtype, not a zip', async () => {
    const full = encodeNpy([1, 2, 3, 4]);
    const cut = write('cut.npy', full.subarray(0, full.length - 3));
    let err = await loadNpy(cut).catch((e) => e);
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toContain(cut);
    const magic = write('magic.npy', new TextEncoder().encode('GIF89a.............'));
    err = await loadNpy(magic).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(magic);
    const lying = new Uint8Array(16);
    new DataView(lying.buffer).setBigUint64(0, 1n << 40n, true);
    const lie = write('lie.safetensors', lying);
    err = await loadSafetensors(lie).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(lie);
    const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }));
    const bytes = new Uint8Array(8 + header.length + 8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    const unknown = write('c64.safetensors', bytes);
    err = await loadSafetensors(unknown).catch((e) => e);
    expect(err).toBeInstanceOf(NotSupportedError);
    expect(err.message).toContain(unknown);
    expect(err.message).toContain("tensor 'w'");
    err = await loadNpz(magic).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toContain(magic);
  });
});

describe('the main entry is browser-safe', () => {
  it('no file reachable from src/index.ts outside src/node imports node:* or fs/os/path', () => {
    const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (p !== path.join(src, 'node')) walk(p);
        } else if (p.endsWith('.ts') && /from '(node:[^']+|fs|os|path|fs\/promises)'/.test(fs.readFileSync(p, 'utf8'))) {
          offenders.push(path.relative(src, p));
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
