/**
 * Issue 11: @tenfold/rank never reads tensors back itself (`dataSync`, `arraySync`, `.data()`,
 * `.array()`): every crossing goes through core's transfer helpers (`toHost64`,
 * `readFloat32Into`, `toHostArray`, core's SVD entry point), so that the one transfer module
 * (core/src/backend/transfer.ts) sees them all. Same rule as core's
 * test/architecture/readback.test.ts, with no allow-list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const READ = /\.(dataSync|arraySync)\s*\(|\.(data|array)\s*\(\s*\)/;

function sources(dir: string, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return sources(path.join(dir, e.name), r);
    return e.name.endsWith('.ts') ? [r] : [];
  });
}

/** Source lines without `//` comments and doc-comment lines. */
function codeLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s*(\*|\/\*\*|\/\/)/.test(l))
    .map((l) => l.replace(/\/\/.*$/, ''));
}

describe('architecture: @tenfold/rank reads tensors back only through core', () => {
  const files = sources(SRC);

  it('finds the sources (sanity)', () => {
    expect(files).toContain('evbmf.ts');
    expect(files.length).toBeGreaterThan(8);
  });

  it('no file in rank/src calls dataSync / arraySync / data() / array()', () => {
    const offenders: string[] = [];
    for (const f of files) {
      codeLines(fs.readFileSync(path.join(SRC, f), 'utf8')).forEach((l) => {
        if (READ.test(l)) offenders.push(`${f}: ${l.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the rule is not vacuous (it catches a read-back)', () => {
    expect(codeLines('const x = t.dataSync();\nconst y = await t.array();').filter((l) => READ.test(l))).toHaveLength(2);
  });
});
