/**
 * saveDecomposition / loadDecomposition: CP, Tucker, TT and TR results round-trip exactly
 * (every stored float32 and the reconstruction) through a directory, a .npz and a
 * .safetensors file; bad files give typed errors naming the file; nothing leaks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, CPTensor, ShapeError, TRTensor, TTTensor, TuckerTensor, tf } from '@tenfold/core';
import { loadDecomposition, saveDecomposition, type SavedDecomposition } from '@tenfold/core/node';
import { expectNoLeakAsync } from '../../../../test-utils/index.js';
import { hasNumpy, runPython } from '../io/arrayFixtures.js';

let dir = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-dec-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const makers: Record<string, () => SavedDecomposition> = {
  CPTensor: () => new CPTensor(r([2], 1), [r([3, 2], 2), r([4, 2], 3), r([5, 2], 4)]),
  TuckerTensor: () => new TuckerTensor(r([2, 3, 2], 5), [r([3, 2], 6), r([4, 3], 7), r([5, 2], 8)]),
  TTTensor: () => new TTTensor([r([1, 3, 2], 9), r([2, 4, 3], 10), r([3, 5, 1], 11)]),
  TRTensor: () => new TRTensor([r([2, 3, 2], 12), r([2, 4, 3], 13), r([3, 5, 2], 14)]),
};

const arraysOf = (d: SavedDecomposition): number[][] =>
  d instanceof CPTensor ? [d.weights, ...d.factors].map((t) => Array.from(t.dataSync()))
    : d instanceof TuckerTensor ? [d.core, ...d.factors].map((t) => Array.from(t.dataSync()))
      : d.cores.map((t) => Array.from(t.dataSync()));

describe('saveDecomposition / loadDecomposition round trips', () => {
  for (const [kind, make] of Object.entries(makers)) {
    for (const ext of ['', '.npz', '.safetensors']) {
      it(`${kind} via ${ext || 'a directory'}: every array and the reconstruction are exact`, async () => {
        const d = make();
        const file = path.join(dir, `${kind}${ext}`);
        await expectNoLeakAsync(async () => {
          await saveDecomposition(file, d);
          const back = await loadDecomposition(file);
          expect(back.constructor.name).toBe(kind);
          expect(back.shape).toEqual(d.shape);
          expect(back.rank).toEqual(d.rank);
          expect(arraysOf(back)).toEqual(arraysOf(d));
          const [a, b] = [d.toTensor(), back.toTensor()];
          expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
          tf.dispose([a, b]);
          back.dispose();
        });
        // Saving again over the same path replaces it.
        await saveDecomposition(file, d);
        expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
        d.dispose();
      });
    }
  }

  it.skipIf(!hasNumpy)('NumPy reads a saved .npz decomposition (np.load: arrays and decomposition.json)', async () => {
    const d = makers.CPTensor();
    const file = path.join(dir, 'np.npz');
    await saveDecomposition(file, d);
    const got = runPython('import sys, json, numpy as np\nz = np.load(sys.argv[1])\nprint(json.dumps({"files": sorted(z.files), "w": z["weights.npy"].tolist() if "weights.npy" in z.files else z["weights"].tolist()}))', file);
    expect(got.files).toEqual(['decomposition.json', 'factors.0', 'factors.1', 'factors.2', 'weights']);
    expect(got.w).toEqual(Array.from(d.weights.dataSync()));
    d.dispose();
  });
});

describe('bad decomposition files', () => {
  it('unknown kind, missing array, inconsistent shapes, missing metadata, not a decomposition', async () => {
    const d = makers.TuckerTensor();
    const target = path.join(dir, 'bad');
    await saveDecomposition(target, d);
    const metaFile = path.join(target, 'decomposition.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    await expectNoLeakAsync(async () => {
      fs.writeFileSync(metaFile, JSON.stringify({ ...meta, kind: 'MPS' }));
      let err = await loadDecomposition(target).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect(err.message).toMatch(/unknown decomposition kind "?MPS/);
      fs.writeFileSync(metaFile, JSON.stringify({ ...meta, shape: [3, 4, 6] }));
      err = await loadDecomposition(target).catch((e) => e);
      expect(err).toBeInstanceOf(ShapeError);
      expect(err.message).toContain(target);
      fs.writeFileSync(metaFile, JSON.stringify(meta));
      fs.rmSync(path.join(target, 'factors.1.npy'));
      err = await loadDecomposition(target).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect(err.message).toContain('factors.1.npy');
      fs.writeFileSync(path.join(dir, 'x.npz'), new Uint8Array([1, 2, 3]));
      err = await loadDecomposition(path.join(dir, 'x.npz')).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      const plain = path.join(dir, 'plain.safetensors');
      fs.writeFileSync(plain, (await import('@tenfold/core')).encodeSafetensors({ a: [1] }));
      err = await loadDecomposition(plain).catch((e) => e);
      expect(err).toBeInstanceOf(ArgumentError);
      expect(err.message).toMatch(/not a saved Tenfold decomposition/);
    });
    await expect(saveDecomposition(path.join(dir, 'y'), { weights: [1] } as never)).rejects.toThrow(/CPTensor, TuckerTensor/);
    d.dispose();
    await expect(saveDecomposition(path.join(dir, 'z'), d)).rejects.toThrow(/disposed/);
  });
});
