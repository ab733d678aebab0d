/**
 * One TensorFlow.js instance: the sibling packages (everything under packages/ except
 * core) reach tfjs only through `@tenfold/core`'s re-export (`import { tf } from
 * '@tenfold/core'`), and list no `@tensorflow/*` package in `dependencies` (it is a peer).
 *
 *   tsx scripts/check-tf-imports.ts         list offenders, exit 1 if any
 *   tsx scripts/check-tf-imports.ts --fix   rewrite `import * as tf from '@tensorflow/tfjs'`
 *                                           (and `import type * as tf ...`) to core's `tf`
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Offender {
  file: string;
  line: number;
  text: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Any static import/export, dynamic import() or require() of an @tensorflow/* module. */
const TF_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]@tensorflow\/[^'"]+['"]/;
const FIXABLE = /^import\s+(type\s+)?\*\s+as\s+tf\s+from\s+['"]@tensorflow\/tfjs['"];?\s*$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(c|m)?[jt]sx?$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The sibling packages' directories (every package but core). */
export function siblingPackages(root = ROOT): string[] {
  return readdirSync(join(root, 'packages'))
    .filter((n) => n !== 'core' && statSync(join(root, 'packages', n, 'src'), { throwIfNoEntry: false })?.isDirectory())
    .map((n) => join(root, 'packages', n));
}

/** Every line of a sibling package's src that imports @tensorflow/*, and every such dependency. */
export function findTfImports(root = ROOT): Offender[] {
  const found: Offender[] = [];
  for (const pkg of siblingPackages(root)) {
    for (const file of sourceFiles(join(pkg, 'src'))) {
      readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
        if (TF_SPECIFIER.test(text)) found.push({ file: relative(root, file), line: i + 1, text: text.trim() });
      });
    }
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const dep of Object.keys(manifest[field] ?? {})) {
        if (dep.startsWith('@tensorflow/')) found.push({ file: relative(root, join(pkg, 'package.json')), line: 0, text: `${field}: ${dep} (make it a peerDependency)` });
      }
    }
  }
  return found;
}

/** Rewrite the fixable imports to `import { tf } from '@tenfold/core'`; returns the files changed. */
export function fixTfImports(root = ROOT): string[] {
  const changed = new Set<string>();
  for (const o of findTfImports(root)) {
    if (o.line === 0 || !FIXABLE.test(o.text)) continue;
    const path = join(root, o.file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const isType = /^import\s+type\b/.test(lines[o.line - 1].trim());
    lines[o.line - 1] = isType ? "import type { tf } from '@tenfold/core';" : "import { tf } from '@tenfold/core';";
    writeFileSync(path, lines.join('\n'));
    changed.add(o.file);
  }
  return [...changed];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--fix')) {
    for (const f of fixTfImports()) process.stdout.write(`fixed ${f}\n`);
  }
  const left = findTfImports();
  for (const o of left) process.stdout.write(`${o.file}${o.line ? `:${o.line}` : ''}: ${o.text}\n`);
  if (left.length) {
    process.stdout.write(`${left.length} direct @tensorflow import(s) in sibling packages; import { tf } from '@tenfold/core' instead\n`);
    process.exitCode = 1;
  }
}
