/**
 * The main job: decompose a tensor three ways and say what happened.
 *
 *   pnpm demo
 *
 * Builds a 30 x 40 x 50 tensor of CP rank 5 plus 1% noise, then fits CP (ALS), Tucker
 * (HOOI) and tensor-train (TT-SVD) models, printing the backend, each model's parameter
 * count, relative error and time.
 */
import { ready, backendInfo, cpNorm, norm, parafac, randomCp, tensorTrain, tf, tucker } from '@tenfold/core';

await ready(); // the backend Tenfold picks (tensorflow, wasm or cpu), loaded

const shape = [30, 40, 50];
const trueRank = 5;

function relErr(a: tf.Tensor, b: tf.Tensor): number {
  const d = tf.tidy(() => tf.sub(a, b));
  const e = norm(d) / norm(b);
  d.dispose();
  return e;
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, (performance.now() - t0) / 1000];
}

const info = backendInfo();
console.log(`Tenfold demo on the '${info.name}' backend${info.isGpu ? ' (GPU)' : ''} (tfjs ${info.tfjsVersion})`);

const clean = randomCp(shape, trueRank, { full: true, seed: 1 }) as tf.Tensor;
const noisy = tf.tidy(() => {
  const noise = tf.randomNormal(shape, 0, 1, 'float32', 7);
  return tf.add(clean, tf.mul(noise, (0.01 * norm(clean)) / Math.sqrt(clean.size)));
});
console.log(`input: ${shape.join(' x ')} tensor (${clean.size} entries), CP rank ${trueRank} + 1% noise`);

const [{ cp, errors }, tCp] = time(() => parafac(noisy, trueRank, { nIterMax: 100, tol: 1e-8, returnErrors: true }));
const cpFull = cp.toTensor();
const cpParams = cp.factors.reduce((s, f) => s + f.size, 0) + cp.weights.size;
console.log(`CP (ALS, rank ${cp.rank}): ${errors.length} iterations, ${cpParams} parameters, rel. error ${relErr(cpFull, noisy).toExponential(3)} (vs clean ${relErr(cpFull, clean).toExponential(3)}), ||cp|| = ${cpNorm(cp).toFixed(3)}, ${tCp.toFixed(3)} s`);

const [tk, tTk] = time(() => tucker(noisy, [trueRank, trueRank, trueRank], { nIterMax: 10 }));
const tkFull = tk.toTensor();
const tkParams = tk.core.size + tk.factors.reduce((s, f) => s + f.size, 0);
console.log(`Tucker (HOOI, rank [${tk.rank.join(', ')}]): ${tkParams} parameters, rel. error ${relErr(tkFull, noisy).toExponential(3)}, ${tTk.toFixed(3)} s`);

const [tt, tTt] = time(() => tensorTrain(noisy, [1, trueRank, trueRank, 1]));
const ttFull = tt.toTensor();
const ttParams = tt.factors.reduce((s, f) => s + f.size, 0);
console.log(`TT (TT-SVD, rank [${tt.rank.join(', ')}]): ${ttParams} parameters, rel. error ${relErr(ttFull, noisy).toExponential(3)}, ${tTt.toFixed(3)} s`);

tf.dispose([clean, noisy, cpFull, tkFull, ttFull]);
cp.dispose();
tk.dispose();
tt.dispose();
console.log(`tensors still allocated: ${tf.memory().numTensors}`);
