import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArgumentError, requestWasmThreads } from '@tenfold/core';

const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'threadsProbe.ts');

function run(threads: string): { threads: number; matmul: number[]; factor: number[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', probe], {
    env: { ...process.env, TENFOLD_WASM_THREADS: threads, TENFOLD_BACKEND: 'wasm', TENFOLD_QUIET: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('threaded wasm under Node (TENFOLD_WASM_THREADS)', () => {
  it('runs XNNPACK with 2 threads on any machine and gives the single-threaded numbers', () => {
    const one = run('1');
    const two = run('2');
    expect(one.threads).toBe(1);
    // backend.cc caps the pool at os.cpus().length / 2; without the workaround this is 1 here.
    expect(two.threads).toBe(2);
    expect(two.matmul).toEqual(one.matmul);
    expect(two.factor).toEqual(one.factor);
  }, 240_000);

  it('rejects a bad thread count with a typed error', () => {
    expect(() => requestWasmThreads(0)).toThrow(ArgumentError);
    expect(() => requestWasmThreads(9)).toThrow(/threads must be an integer in \[1, 8\]/);
    expect(() => requestWasmThreads(1.5)).toThrow(ArgumentError);
  });
});
