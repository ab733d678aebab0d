/**
 * Issue 9 "small problems": the cost of the FIRST calls in a fresh process. Run one workload
 * per process (`tsx benchmarks/cold/small.ts cp|evbmf [calls]`), so every figure includes
 * what a user's script pays on its first call: lazy compilation and V8 tier-up of the host
 * loops, the backend's first kernel runs, tidy scopes. Prints one JSON line per call.
 * `benchmarks/cold/anchor.py` runs the same workloads in TensorLy / VBMF.py on the same
 * inputs (saved as .npy by this script under .bench-out/cold/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendInfo, createRng, normalTensor, parafac, randomCp, ready, tf } from '@tenfold/core';
import { saveNpy } from '@tenfold/core/node';
import { evbmf } from '@tenfold/rank';
import { withOnePercentNoise } from '../harness.js';

const tStart = performance.now();
await ready();
const tReady = performance.now();
const which = process.argv[2] ?? 'cp';
const calls = Number(process.argv[3] ?? 3);
const outDir = path.resolve('.bench-out/cold');
fs.mkdirSync(outDir, { recursive: true });

function emit(rec: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ backend: backendInfo().name, ...rec }) + '\n');
}

if (which === 'cp') {
  // CP-ALS 20^3, rank 3, 50 sweeps, tol 0: the small CP workload.
  const x = withOnePercentNoise(randomCp([20, 20, 20], 3, { full: true, seed: 5 }) as tf.Tensor, 6);
  await saveNpy(path.join(outDir, 'cp20.npy'), x);
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const { cp, errors } = parafac(x, 3, { nIterMax: 50, tol: 0, init: 'random', seed: 1, returnErrors: true });
    const s = (performance.now() - t0) / 1000;
    const err = errors.at(-1);
    cp.dispose();
    emit({ workload: 'cold cp-als 20^3 r3 50it', call: i + 1, seconds: Number(s.toPrecision(4)), error: err });
  }
} else {
  // EVBMF of a 64 x 576 matrix (a 64-channel 3x3 kernel's unfolding): rank-8 signal + noise.
  const y = tf.tidy(() => {
    const a = normalTensor([64, 8], createRng(7));
    const b = normalTensor([8, 576], createRng(8));
    return tf.add(tf.mul(tf.matMul(a, b), 0.05), tf.mul(normalTensor([64, 576], createRng(9)), 0.01));
  });
  await saveNpy(path.join(outDir, 'evbmf64x576.npy'), y);
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const r = evbmf(y);
    const s = (performance.now() - t0) / 1000;
    emit({ workload: 'cold evbmf 64x576', call: i + 1, seconds: Number(s.toPrecision(4)), rank: r.rank, sigma2: r.sigma2 });
    r.dispose?.();
  }
}
emit({ workload: 'startup', seconds: Number(((tReady - tStart) / 1000).toPrecision(4)) });
