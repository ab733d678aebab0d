/**
 * Issue 11: `backend/transfer.ts` is the only code in core/src that reads tensors back to
 * the host (`dataSync`, `arraySync`, `.data()`, `.array()`), so that every crossing is in one
 * place (and can be counted, batched or made async later). Allowed elsewhere, with reasons:
 * - io/: the encoders and `io/transfer.ts` (the public transfer helpers) serialise tensors;
 * - checks/finite.ts: the finiteness guard; checks sit below backend in the layer order
 *   (test/architecture/layers.test.ts), so it cannot import the transfer module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sources, codeLines, READ_BACK } from '../../../../test-utils/sourceScan.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const ALLOWED = [/^backend\/transfer\.ts$/, /^io\//, /^checks\/finite\.ts$/];
const READ = READ_BACK;



describe('architecture: tensor read-backs go through backend/transfer.ts', () => {
  const files = sources(SRC);

  it('finds the sources (sanity)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('backend/transfer.ts');
  });

  it('no file outside the transfer module and the allow-list reads tensors back', () => {
    const offenders: string[] = [];
    for (const f of files) {
      if (ALLOWED.some((a) => a.test(f))) continue;
      codeLines(fs.readFileSync(path.join(SRC, f), 'utf8')).forEach((l, i) => {
        if (READ.test(l)) offenders.push(`${f}: ${l.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the transfer module itself reads back (the rule is not vacuous)', () => {
    expect(codeLines(fs.readFileSync(path.join(SRC, 'backend/transfer.ts'), 'utf8')).some((l) => READ.test(l))).toBe(true);
  });
});
