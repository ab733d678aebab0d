/**
 * Bit-identity check for the linalg / rank refactor (issue 11 part A2): run svd (every
 * method and route), the decompositions' host truncated SVD, eigh, evbmf, vbmf, tuckerRanks,
 * estimateRank, tucker / partialTucker and FactorizedLinear.fromLinear({rank: 'evbmf'}) on
 * seeded inputs and the real weights in test-utils/weights, and write one SHA-256 (16 hex)
 * of the raw bytes of every output (tensors as float32, host arrays as float64) as JSON to
 * the path given. Uses the built packages (run `pnpm build`).
 * `tsx scripts/dumpLinalg.ts out.json`; compare two runs with `diff`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNpy } from '@tenfold/core/node';
import { eigh, initBackend, partialTucker, svd, tf, tucker, type SvdMethod } from '@tenfold/core';
import { estimateRank, evbmf, tuckerRanks, vbmf } from '@tenfold/rank';
import { FactorizedLinear } from '@tenfold/factorized-layers';

await initBackend();
const out: Record<string, string> = {};
const SKIP = new Set(['timings', 'dispose']);
function hashBytes(b: ArrayBufferView): string {
  return crypto.createHash('sha256').update(Buffer.from(b.buffer, b.byteOffset, b.byteLength)).digest('hex').slice(0, 16);
}
function hash(name: string, x: unknown): void {
  if (x instanceof tf.Tensor) out[name] = hashBytes(x.dataSync() as Float32Array);
  else if (ArrayBuffer.isView(x)) out[name] = hashBytes(x);
  else if (Array.isArray(x)) x.forEach((v, i) => hash(`${name}[${i}]`, v));
  else if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') out[name] = String(x);
  else if (x && typeof x === 'object') {
    for (const k of Object.keys(x)) if (!SKIP.has(k)) hash(`${name}.${k}`, (x as Record<string, unknown>)[k]);
  }
}

/** Seeded float32 data (xorshift + Box-Muller), independent of the library under test. */
function randn(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const u = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return d;
}
function mat(m: number, n: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(randn(m * n, seed), [m, n]);
}
/** Rank-r signal plus small noise (ill-conditioned: the two-pass / Gram routes). */
function lowRank(m: number, n: number, r: number, seed: number, noise = 1e-4): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.matMul(mat(m, r, seed), mat(r, n, seed + 1)), tf.mul(mat(m, n, seed + 2), noise)) as tf.Tensor2D);
}

// The decompositions' host SVD is internal: load it from wherever the build put it.
type TSH = (y: tf.Tensor2D, k: number, o: { method: SvdMethod; rng: unknown; wantV?: boolean }) => unknown;
let truncatedSvdHost: TSH | null = null;
let createRng: ((s: number) => unknown) | null = null;
const dist = path.resolve('packages/core/dist');
for (const p of ['linalg/truncatedSvdHost.js', 'linalg/svdInterface.js', 'linalg/svd/truncatedSvdHost.js']) {
  if (fs.existsSync(path.join(dist, p))) {
    const mod = await import(path.join(dist, p));
    if (mod.truncatedSvdHost) truncatedSvdHost = mod.truncatedSvdHost;
    if (truncatedSvdHost) break;
  }
}
createRng = (await import(path.join(dist, 'random/rng.js'))).createRng;

const mats: Array<[string, tf.Tensor2D]> = [
  ['r30x20', mat(30, 20, 1)],
  ['r20x30', mat(20, 30, 2)],
  ['r300x120', mat(300, 120, 3)],
  ['r120x300', mat(120, 300, 4)],
  ['lr300x120', lowRank(300, 120, 8, 5)],
  ['lr150x400', lowRank(150, 400, 12, 6)],
  ['r10x200', mat(10, 200, 7)],
  ['r600x650', mat(600, 650, 8)],
];
const wdir = path.resolve('test-utils/weights');
const weights: Array<[string, tf.Tensor]> = [];
for (const f of fs.readdirSync(wdir).filter((f) => f.endsWith('.npy')).sort()) {
  weights.push([f, (await loadNpy(path.join(wdir, f))) as unknown as tf.Tensor]);
}
for (const [f, w] of weights) mats.push([`${f}:unfold0`, tf.reshape(w, [w.shape[0], -1]) as tf.Tensor2D]);

for (const [name, m] of mats) {
  const big = m.shape[0] * m.shape[1] > 2e5;
  for (const method of ['truncated', 'gram', 'randomized'] as const) {
    for (const rank of [undefined, 5]) {
      if (big && rank === undefined && method !== 'truncated') continue;
      const r = svd(m, { method, rank, seed: 3 });
      hash(`${name}/svd_${method}_${rank ?? 'full'}`, r);
      tf.dispose([r.u, r.s, r.vt]);
    }
  }
  const r = svd(m, { rank: 4, flipSign: false });
  hash(`${name}/svd_noflip_4`, r);
  tf.dispose([r.u, r.s, r.vt]);
  if (truncatedSvdHost && createRng) {
    for (const method of ['truncated', 'gram', 'randomized'] as const) {
      for (const k of [3, 10]) hash(`${name}/tsh_${method}_${k}`, truncatedSvdHost(m, k, { method, rng: createRng(9), wantV: true }));
    }
    hash(`${name}/tsh_noV_6`, truncatedSvdHost(m, 6, { method: 'truncated', rng: createRng(9) }));
  }
  if (m.shape[0] * m.shape[1] <= 2e5) {
    const g = tf.tidy(() => tf.matMul(m, m, true, false));
    const e = eigh(tf.tidy(() => tf.div(tf.add(g, tf.transpose(g)), 2)));
    hash(`${name}/eigh`, e);
    tf.dispose([g, e.values, e.vectors]);
  }
  for (const route of ['auto', 'host', 'gram'] as const) {
    const e = evbmf(m, { svd: route });
    hash(`${name}/evbmf_${route}`, e);
    e.dispose();
  }
  const eh = evbmf(m, { H: Math.min(5, ...m.shape), minRank: 2 });
  hash(`${name}/evbmf_H5`, eh);
  eh.dispose();
  const v = vbmf(m, 1.0);
  hash(`${name}/vbmf`, v);
  v.dispose();
}
// The two-stage eigenvalue route (Gram size >= 1024) of EVBMF.
{
  const m = mat(1024, 1100, 21);
  const e = evbmf(m, {});
  hash('r1024x1100/evbmf_auto', e);
  e.dispose();
  m.dispose();
}
const tensors: Array<[string, tf.Tensor]> = [...weights, ['lr20x24x28', tf.tidy(() => tf.reshape(lowRank(20 * 24, 28, 6, 30, 0.01), [20, 24, 28]))]];
for (const [name, t] of tensors) {
  hash(`${name}/tuckerRanks`, tuckerRanks(t));
  hash(`${name}/estimateRank`, estimateRank(t, { roundTo: 8 }));
  hash(`${name}/tucker`, tucker(t, t.shape.map((s) => Math.min(s, 5)), { nIterMax: 5, tol: 0 }));
  hash(`${name}/tuckerRandomized`, tucker(t, t.shape.map((s) => Math.min(s, 5)), { nIterMax: 3, tol: 0, svd: 'randomized', seed: 5 } as never));
  hash(`${name}/partialTucker`, partialTucker(t, [Math.min(t.shape[0], 3)], { modes: [0] } as never));
}
for (const [name, w] of [['r64x128', mat(64, 128, 40)], ['lr96x72', lowRank(96, 72, 6, 41, 0.05)], ...weights.filter(([, w]) => w.rank === 2)] as Array<[string, tf.Tensor]>) {
  const layer = FactorizedLinear.fromLinear({ weight: w }, { rank: 'evbmf', factorization: 'tucker' });
  hash(`${name}/fromLinearEvbmf`, layer.weight.params);
  layer.dispose();
}
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 1));
console.log(`${Object.keys(out).length} outputs hashed on ${tf.getBackend()}${truncatedSvdHost ? '' : ' (truncatedSvdHost not found)'}`);
