/**
 * Child process of suite 05-wasm-threads: the thread count must be chosen before the wasm
 * backend starts, so each configuration runs in its own process (TENFOLD_WASM_THREADS set by
 * the parent). Prints one JSON object.
 */
import { parafac, randomCp, tf, wasmThreadsCount } from '@tenfold/core';
import { withOnePercentNoise } from '../harness.js';

const quick = process.env.BENCH_QUICK === '1';
const reps = quick ? 1 : 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(fn: () => void): { seconds: number; cpuPerWall: number } {
  fn(); // warm-up
  const walls: number[] = [];
  let cpu = 0;
  let wall = 0;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const w = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    walls.push(w);
    wall += w;
    cpu += (c.user + c.system) / 1e6;
  }
  return { seconds: median(walls), cpuPerWall: Number((cpu / wall).toFixed(2)) };
}

const n = 1024;
const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
const matmul = timed(() => {
  for (let k = 0; k < 4; k++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
});
tf.dispose([a, b]);

const t = withOnePercentNoise(randomCp([200, 200, 200], 20, { full: true, seed: 5 }) as tf.Tensor, 6);
let error = NaN;
const cp = timed(() => {
  const res = parafac(t, 20, { nIterMax: 50, tol: 0, init: 'svd', returnErrors: true }) as unknown as { cp: { dispose(): void }; errors: number[] };
  error = res.errors[res.errors.length - 1];
  res.cp.dispose();
});
t.dispose();
process.stdout.write(JSON.stringify({ threads: wasmThreadsCount(), matmul1024x4: matmul, cpAls200: { ...cp, error } }) + '\n');
