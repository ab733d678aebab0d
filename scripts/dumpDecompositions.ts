/**
 * Bit-identity check for refactors (issue 11): run parafac / tucker / tensorTrain /
 * tensorRing / tensorRingAls / parafac2 on fixed seeds (random CP tensors and the real
 * weights in test-utils/weights) and write every output tensor's raw float32 bytes, one
 * SHA-256 per output, as JSON to the path given. Uses the built packages (run `pnpm build`).
 * `tsx scripts/dumpDecompositions.ts out.json`; compare two runs with `diff`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNpy } from '@tenfold/core/node';
import { initBackend, parafac, parafac2, randomCp, tensorRing, tensorRingAls, tensorTrain, tf, tucker, nonNegativeParafac, partialTucker } from '@tenfold/core';

await initBackend();
const out: Record<string, string> = {};
function hash(name: string, x: unknown): void {
  if (x instanceof tf.Tensor) {
    const d = x.dataSync() as Float32Array;
    out[name] = crypto.createHash('sha256').update(Buffer.from(d.buffer, d.byteOffset, d.byteLength)).digest('hex').slice(0, 16);
  } else if (Array.isArray(x)) x.forEach((v, i) => hash(`${name}[${i}]`, v));
  else if (typeof x === 'number') out[name] = x.toString();
  else if (x && typeof x === 'object') {
    for (const k of Object.keys(x)) if (k !== 'tensor' || true) hash(`${name}.${k}`, (x as Record<string, unknown>)[k]);
  }
}
const inputs: Array<[string, tf.Tensor]> = [];
for (const [shape, r, seed] of [[[12, 10, 8], 3, 1], [[20, 20, 20], 5, 2], [[6, 7, 8, 9], 4, 3]] as const) {
  inputs.push([`cp${shape.join('x')}`, randomCp([...shape], r, { full: true, seed }) as tf.Tensor]);
}
const wdir = path.resolve('test-utils/weights');
for (const f of fs.readdirSync(wdir).filter((f) => f.endsWith('.npy'))) {
  const t = (await loadNpy(path.join(wdir, f))) as unknown as tf.Tensor;
  inputs.push([f, t]);
}
for (const [name, t] of inputs) {
  const ok3 = t.rank >= 3 && t.shape.every((s) => s >= 2);
  hash(`${name}/parafac_svd`, parafac(t, 4, { nIterMax: 20, tol: 0, init: 'svd', seed: 11, returnErrors: true }));
  hash(`${name}/parafac_rand`, parafac(t, 3, { nIterMax: 15, tol: 0, init: 'random', seed: 7, returnErrors: true } as never));
  hash(`${name}/nnparafac`, nonNegativeParafac(tf.abs(t), 3, { nIterMax: 10, tol: 0, init: 'random', seed: 5 } as never));
  hash(`${name}/tucker`, tucker(t, t.shape.map((s) => Math.min(s, 4)), { nIterMax: 5, tol: 0 }));
  hash(`${name}/partialTucker`, partialTucker(t, [Math.min(t.shape[0], 3)], { modes: [0] } as never));
  hash(`${name}/tt`, tensorTrain(t, 3));
  if (ok3) {
    hash(`${name}/tr`, tensorRing(t, 2));
    hash(`${name}/trAls`, tensorRingAls(t, 2, { nIterMax: 5, seed: 3 } as never));
    const slices = tf.unstack(t, 0).slice(0, 5).map((s) => (s.rank === 2 ? s : tf.reshape(s, [s.shape[0], -1])));
    hash(`${name}/parafac2`, parafac2(slices, 2, { nIterMax: 10, tol: 0, init: 'random', seed: 4 } as never));
  }
}
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
console.log(`${Object.keys(out).length} outputs hashed on ${tf.getBackend()}`);
