import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo } from '@tenfold/core';
import type { Bench } from '../harness.js';

/**
 * Issue 9, "both cores": the wasm backend single-threaded (tfjs's Node default) against its
 * threaded SIMD build with 2 XNNPACK threads (`TENFOLD_WASM_THREADS=2`, see
 * core/src/backend/wasmThreads.ts), each in a fresh process, back to back: dense matmul
 * 1024^3 (x4) and CP-ALS 200^3 rank 20, 50 sweeps. Ratios are threaded / single.
 */
export default async function wasmThreads(b: Bench): Promise<void> {
  if (backendInfo().name !== 'wasm') return;
  const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'threads', 'probe.ts');
  const run = (threads: number) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe], {
      env: { ...process.env, TENFOLD_WASM_THREADS: String(threads), TENFOLD_QUIET: '1', TENFOLD_BACKEND: 'wasm' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`threads probe (${threads}) failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  const one = run(1);
  const two = run(2);
  for (const [name, key] of [['matmul_1024^3_x4', 'matmul1024x4'], ['cp_als_200^3_rank20_50it', 'cpAls200']] as const) {
    b.emit({
      workload: `wasm_threads_${name}`,
      seconds: two[key].seconds,
      singleThreadSeconds: one[key].seconds,
      ratio: Number((two[key].seconds / one[key].seconds).toFixed(3)),
      threads: two.threads,
      cpuPerWall: two[key].cpuPerWall,
      singleCpuPerWall: one[key].cpuPerWall,
      ...(key === 'cpAls200' ? { error: two[key].error, singleThreadError: one[key].error } : {}),
    });
  }
}
