/**
 * `pnpm bench [filter...]`: run every suite in ./suites (or those whose file name
 * contains a filter) and print one JSON line per result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ready } from '@tenfold/core';
import { makeBench } from './harness.js';

// Measure on the backend Tenfold chose, not on cpu while it loads.
await ready();

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suites');
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();
const bench = makeBench();
for (const f of files) {
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  await mod.default(bench);
}
