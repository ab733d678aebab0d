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
import { sources, codeLines, READ_BACK } from '../../../../test-utils/sourceScan.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const READ = READ_BACK;



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
