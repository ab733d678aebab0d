import { createRng, normalTensor, parafac, randomCp, tf } from '@tenfold/core';
// @ts-ignore
import * as orig from '/tmp/cpw/cphost_orig.mjs';
// @ts-ignore
import * as neu from '../packages/core/dist/decomposition/_cphost.js';

type HM = { rows: number; cols: number; data: Float64Array };
function noisyCp(shape: number[], rank: number, seed: number): tf.Tensor {
  const clean = randomCp(shape, rank, { full: true, seed });
  const noise = normalTensor(shape, createRng(seed + 1));
  const out = tf.tidy(() => {
    const scale = (0.01 * tf.norm(clean).dataSync()[0]) / tf.norm(noise).dataSync()[0];
    return tf.add(clean, tf.mul(noise, scale));
  });
  tf.dispose([clean, noise]);
  return out;
}
const med = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const only = process.env.ONLY;
const reps = Number(process.env.REPS ?? 50);
const wls: [number[], number, number][] = [[[20, 20, 20], 3, 50], [[40, 40, 40], 3, 50], [[30, 30, 30, 4], 5, 50], [[50, 50, 50], 1, 50], [[10, 12, 14], 2, 50], [[15, 16, 17], 6, 50], [[8, 9, 10, 11, 3], 4, 30], [[30, 40], 5, 50]];
for (const [shape, R, it] of wls) {
  const name = `${shape.join('x')} r${R}`;
  if (only && !name.includes(only)) continue;
  const t = noisyCp(shape, R, 1234);
  const t64 = Float64Array.from(t.dataSync());
  const init = parafac(t, R, { nIterMax: 0, init: 'svd', engine: 'host' });
  const f0: HM[] = init.factors.map((f: tf.Tensor) => ({ rows: f.shape[0], cols: f.shape[1], data: Float64Array.from(f.dataSync()) }));
  const w0 = Float64Array.from(init.weights.dataSync());
  init.dispose();
  const N = shape.length;
  const opts = (needErrors: boolean) => ({ nIterMax: it, tol: 0, l2Reg: 0, cvgCriterion: 'abs_rec_error', normalizeFactors: false, orthogonalise: -1, modes: [...Array(N).keys()], needErrors });
  const st = () => ({ factors: f0.map((f) => ({ ...f, data: f.data.slice() })), weights: w0.slice() });
  // correctness
  const variants: [string, any][] = [['plain', opts(true)], ['norm', { ...opts(true), normalizeFactors: true }], ['orth', { ...opts(true), orthogonalise: 3 }], ['l2', { ...opts(true), l2Reg: 0.1 }], ['fixed0', { ...opts(true), modes: [...Array(N).keys()].slice(1) }]];
  let maxd = 0;
  for (const [, o] of variants) {
    const a = st(), b = st();
    const ea = orig.hostAls(t64, shape, a, o), eb = neu.hostAls(t64, shape, b, o);
    for (let i = 0; i < ea.length; i++) maxd = Math.max(maxd, Math.abs(ea[i] - eb[i]) / Math.abs(ea[i]));
    for (let k = 0; k < N; k++) { const x = a.factors[k].data, y = b.factors[k].data; let s = 0, d = 0; for (let i = 0; i < x.length; i++) { s = Math.max(s, Math.abs(x[i])); d = Math.max(d, Math.abs(x[i] - y[i])); } maxd = Math.max(maxd, d / s); }
    // mttkrp check
    for (let m = 0; m < N; m++) { const x = orig.hostMttkrp(t64, shape, f0, m).data, y = neu.hostMttkrp(t64, shape, f0, m).data; let s = 0, d = 0; for (let i = 0; i < x.length; i++) { s = Math.max(s, Math.abs(x[i])); d = Math.max(d, Math.abs(x[i] - y[i])); } maxd = Math.max(maxd, d / s); }
  }
  // timing hostAls orig vs new, interleaved
  const W = 30;
  const o = opts(false);
  const ta: number[] = [], tb: number[] = [];
  for (let i = 0; i < W + reps; i++) {
    const a = st(); let t0 = performance.now(); orig.hostAls(t64, shape, a, o); const da = performance.now() - t0;
    const b = st(); t0 = performance.now(); neu.hostAls(t64, shape, b, o); const db = performance.now() - t0;
    if (i >= W) { ta.push(da); tb.push(db); }
  }
  // end to end parafac (current build)
  const tp: number[] = [];
  if (!process.env.NOE2E) for (let i = 0; i < W + reps; i++) {
    const t0 = performance.now(); const cp = parafac(t, R, { nIterMax: it, tol: 0, init: 'svd', engine: 'host' }); cp.weights.dataSync(); const d = performance.now() - t0; cp.dispose();
    if (i >= W) tp.push(d);
  }
  console.log(`${name.padEnd(18)} it${it}: hostAls orig ${med(ta).toFixed(3)} ms  new ${med(tb).toFixed(3)} ms  (x${(med(ta) / med(tb)).toFixed(2)})  parafac(e2e,new) ${tp.length ? med(tp).toFixed(3) : '-'} ms  maxRelDiff ${maxd.toExponential(2)}`);
  t.dispose();
}
