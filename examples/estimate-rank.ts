/**
 * Estimate the rank of a conv layer's weight with EVBMF, as the blog (seed 002) and jacobgil's
 * pytorch-tensor-decompositions do before decomposing it, and plot the spectra.
 *
 *   npx tsx examples/estimate-rank.ts [outDir]
 *
 * The weight is synthetic so that the answer is known: a Tucker-2 low-rank conv kernel
 * (ranks 20 and 12 on the output and input channels) plus 10% noise, at Kaiming scale.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ready, tf } from '@tenfold/core';
import { estimateRank, evbmf, spectrumSvg } from '@tenfold/rank';

await ready(); // the backend Tenfold picks (tensorflow, wasm or cpu), loaded

const [T, S, K] = [64, 32, 3];
const [rOut, rIn] = [20, 12];
const outDir = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tenfold-rank-'));

// W = core x_0 A x_1 B + noise, with W of shape (out, in, kh, kw).
const weight = tf.tidy(() => {
  const core = tf.randomNormal([rOut, rIn, K, K], 0, 1, 'float32', 1);
  const a = tf.randomNormal([T, rOut], 0, 1, 'float32', 2);
  const b = tf.randomNormal([S, rIn], 0, 1, 'float32', 3);
  // low[t, s, h, w] = sum_pq core[p, q, h, w] a[t, p] b[s, q], as two matmuls.
  const x = tf.reshape(tf.matMul(a, tf.reshape(core, [rOut, rIn * K * K])), [T, rIn, K * K]);
  const y = tf.matMul(tf.reshape(tf.transpose(x, [0, 2, 1]), [T * K * K, rIn]), b, false, true);
  const low = tf.transpose(tf.reshape(y, [T, K, K, S]), [0, 3, 1, 2]);
  const kaiming = Math.sqrt(2 / (S * K * K));
  const scaled = tf.mul(low, kaiming / tf.moments(low).variance.sqrt().dataSync()[0]);
  return tf.add(scaled, tf.randomNormal([T, S, K, K], 0, 0.1 * kaiming, 'float32', 4));
});

// The reference's search (absolute xatol 1e-5) and a converged one: on conv-scale weights the
// bracket is narrow, and the two can disagree.
for (const [label, xatol] of [['scipy default xatol 1e-5', undefined], ['converged, xatol 1e-12', 1e-12]] as const) {
  const est = estimateRank(weight, { roundTo: 8, xatol });
  console.log(`${label}: per-mode ranks [R_out, R_in] = [${est.ranks}] (true [${rOut}, ${rIn}]); blog CP rank = ${est.rank}`);
  for (const m of est.perMode) {
    console.log(`  mode ${m.mode}: unfolding ${m.shape.join('x')}, sigma2 = ${m.sigma2.toExponential(3)}, threshold = ${m.threshold.toPrecision(4)}`);
  }
}

// The full EVBMF result of one unfolding, and its spectrum.
const est = estimateRank(weight, { xatol: 1e-12 });
for (const m of est.perMode) {
  const file = path.join(outDir, `conv_mode${m.mode}_spectrum.svg`);
  fs.writeFileSync(file, spectrumSvg(m, { title: `unfold(W, ${m.mode}): ${m.rank} components above the EVB threshold` }));
  console.log(`wrote ${file}`);
}
const unf0 = tf.tidy(() => tf.reshape(weight, [T, S * K * K]));
const r = evbmf(unf0, { xatol: 1e-12 });
console.log(`evbmf(unfold(W, 0)): rank ${r.rank}, leading EVB-shrunk singular values ${Array.from(r.d.subarray(0, 4), (x) => x.toFixed(3)).join(', ')} ...`);
console.log(`  u ${r.u.shape.join('x')}, v ${r.v.shape.join('x')}; svd on the ${r.svd}, ${(r.timings.svd * 1000).toFixed(1)} ms`);
r.dispose();
tf.dispose([weight, unf0]);
