/**
 * The host MTTKRP kernels compiled to WebAssembly (src/tenalg/internal/wasmArena.ts):
 * the committed binary is the compile of the committed AssemblyScript source, it stays
 * small enough for a synchronous browser compile, and every kernel gives exactly the sums
 * the JavaScript loops it replaced gave (same order of float64 operations), checked
 * against plain loops written here.
 */
import * as fc from 'fast-check';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contractLast, contractLead } from '../../src/tenalg/internal/hostContractions.js';
import { HostMttkrpTree, hostMttkrp } from '../../src/tenalg/internal/mttkrpHost.js';
import { MTTKRP_WASM_BASE64 } from '../../src/tenalg/internal/mttkrpWasmBinary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function filled(n: number, seed: number): Float64Array {
  const a = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = s / 2147483648 - 0.5;
  }
  return a;
}

describe('wasm host kernels', () => {
  it('the committed binary is the compile of packages/core/wasm/mttkrp.ts', async () => {
    const build = await import(path.join(root, 'scripts/build-wasm.mjs'));
    const kernel = build.KERNELS.find((k: { name: string }) => k.name === 'MTTKRP_WASM_BASE64');
    const binary: Buffer = await build.compileKernel(kernel.source);
    expect(binary.toString('base64')).toBe(MTTKRP_WASM_BASE64);
    expect(fs.readFileSync(path.join(root, kernel.target), 'utf8')).toBe(build.generatedModule(kernel, binary));
  }, 60_000);

  it('is below 4 KiB (browsers compile it synchronously on the main thread)', () => {
    expect(atob(MTTKRP_WASM_BASE64).length).toBeLessThan(4096);
  });

  it('contractLast and contractLead give the plain loops\' sums exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 10 }), fc.integer(), (L, K, R, seed) => {
        const t = filled(L * K, seed);
        const c = filled(R * K, seed + 1);
        const q = filled(R * L, seed + 2);
        const last = new Float64Array(L * R);
        contractLast(t, L, K, c, R, last);
        const lead = new Float64Array(K * R);
        contractLead(t, L, K, q, R, lead);
        for (let f = 0; f < L; f++) {
          for (let r = 0; r < R; r++) {
            let a = 0;
            for (let k = 0; k < K; k++) a += t[f * K + k] * c[r * K + k];
            expect(last[r * L + f]).toBe(a);
          }
        }
        for (let k = 0; k < K; k++) {
          for (let r = 0; r < R; r++) {
            let a = 0;
            for (let f = 0; f < L; f++) a += t[f * K + k] * q[r * L + f];
            expect(lead[k * R + r]).toBe(a);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the MTTKRP tree matches unfold(T, n) @ khatri_rao(F, skip=n) for every mode (float64)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (shape, R, seed) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const t = filled(size, seed);
        const factors = shape.map((I, k) => ({ rows: I, cols: R, data: filled(I * R, seed + 10 + k) }));
        const tree = new HostMttkrpTree(t, shape, R);
        const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
        for (const mode of [...shape.keys()]) {
          const out = new Float64Array(shape[mode] * R);
          tree.mttkrp(factors, mode, out);
          const direct = hostMttkrp(t, shape, factors, mode);
          for (let i = 0; i < shape[mode]; i++) {
            for (let r = 0; r < R; r++) {
              let ref = 0;
              let scale = 0;
              for (let e = 0; e < size; e++) {
                const idx = shape.map((_, k) => Math.floor(e / strides[k]) % shape[k]);
                if (idx[mode] !== i) continue;
                let p = t[e];
                for (let k = 0; k < shape.length; k++) if (k !== mode) p *= factors[k].data[idx[k] * R + r];
                ref += p;
                scale += Math.abs(p);
              }
              expect(Math.abs(out[i * R + r] - ref)).toBeLessThanOrEqual(1e-13 * (scale + 1e-300));
              expect(direct.data[i * R + r]).toBe(out[i * R + r]);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('trees sharing the arena keep their own data when their calls interleave', () => {
    const shapes = [[4, 5, 6], [7, 3, 2, 3]];
    const R = 3;
    const ts = shapes.map((sh, j) => filled(sh.reduce((a, b) => a * b, 1), 100 + j));
    const fs_ = shapes.map((sh, j) => sh.map((I, k) => ({ rows: I, cols: R, data: filled(I * R, 200 + 10 * j + k) })));
    const trees = shapes.map((sh, j) => new HostMttkrpTree(ts[j], sh, R));
    for (let round = 0; round < 3; round++) {
      for (let j = 0; j < 2; j++) {
        for (const mode of shapes[j].keys()) {
          const out = new Float64Array(shapes[j][mode] * R);
          trees[j].mttkrp(fs_[j], mode, out);
          expect(Array.from(out)).toEqual(Array.from(hostMttkrp(ts[j], shapes[j], fs_[j], mode).data));
          // A one-off kernel call in between overwrites the arena.
          contractLast(filled(12, round), 3, 4, filled(8, 9), 2, new Float64Array(6));
        }
      }
    }
  });
});
