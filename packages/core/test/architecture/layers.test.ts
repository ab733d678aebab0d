/**
 * Issue 11: imports in core/src only point down a fixed layer order (docs/contributing.md,
 * "Import layers"). A folder may import from its own layer and every layer below it:
 *
 *   errors < checks < backend < io < base < tenalg < linalg < tensors < metrics < random
 *     < proximal < decomposition < regression < node
 *
 * (io holds `toTensor` / TensorLike, which every algebra function needs, and the file
 * encoders; the random generators build CP/Tucker/TT tensors and orthogonal factors, so
 * they sit above tensors and linalg; the seeded generator itself is base/rng.ts.)
 * Known exceptions (none left; add one only with its reason and the change that removes it):
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sources } from '../../../../test-utils/sourceScan.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const ORDER = ['errors', 'checks', 'backend', 'io', 'base', 'tenalg', 'linalg', 'tensors', 'metrics', 'random', 'proximal', 'decomposition', 'regression', 'node'];
const EXCEPTIONS: Record<string, string> = {
};


/** Relative import targets of a file, resolved to src-relative `.ts` paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1])).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

describe('architecture: imports only point down', () => {
  const files = sources(SRC).filter((f) => f.includes('/'));

  it('every top-level folder of core/src has a layer', () => {
    const folders = [...new Set(files.map((f) => f.split('/')[0]))];
    expect(folders.filter((d) => !ORDER.includes(d))).toEqual([]);
  });

  it('no import points up the layer order (apart from the listed exceptions)', () => {
    const up: string[] = [];
    const seen = new Set<string>();
    for (const f of files) {
      const from = ORDER.indexOf(f.split('/')[0]);
      for (const t of importsOf(f)) {
        const to = ORDER.indexOf(t.split('/')[0]);
        if (to < 0) continue; // e.g. the package root
        const edge = `${f} -> ${t}`;
        if (to > from) (edge in EXCEPTIONS ? seen.add(edge) : up.push(edge));
      }
    }
    expect(up).toEqual([]);
    // An exception that no longer occurs must be removed from the list.
    expect(Object.keys(EXCEPTIONS).filter((e) => !seen.has(e))).toEqual([]);
  });

  it('the check sees imports (not vacuous)', () => {
    expect(importsOf('decomposition/cp.ts')).toContain('tenalg/mttkrp.ts');
  });
});

describe('architecture: file size', () => {
  // Issue 11: one concept per file; a file above ~400 lines says why at its top.
  it('no core/src file above 400 lines without a reason in its first lines', () => {
    const long = sources(SRC).filter((f) => {
      const text = fs.readFileSync(path.join(SRC, f), 'utf8');
      return text.split('\n').length > 400 && !/Over 400 lines:/.test(text.split('\n').slice(0, 15).join('\n'));
    });
    expect(long).toEqual([]);
  });
});
