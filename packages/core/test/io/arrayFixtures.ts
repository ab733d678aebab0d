/** The reference array files of test/io/fixtures (written by NumPy; see fixtures-gen/make_fixtures.py). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ioFixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface ExpectedArray {
  shape: number[];
  /** C-order values as NumPy computed them in float64. */
  values: number[];
}

export const expected = JSON.parse(fs.readFileSync(path.join(ioFixturesDir, 'expected.json'), 'utf8')) as {
  npz: Record<string, ExpectedArray>;
  safetensors: Record<string, ExpectedArray>;
  safetensors_dtypes: Record<string, string>;
};

export const readFixture = (name: string): Uint8Array => fs.readFileSync(path.join(ioFixturesDir, name));

/** Whether python3 with NumPy can be run (tests that read Tenfold's output back skip otherwise). */
export const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** Run a python3 script with arguments and parse its stdout as JSON. */
export function runPython(script: string, ...args: string[]): any {
  const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
