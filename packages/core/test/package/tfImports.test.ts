/**
 * One TensorFlow.js instance: rank and factorized-layers (and any sibling package added
 * later) import tfjs only through `@tenfold/core`'s `tf`, and declare it as a peer, never a
 * dependency. `tsx scripts/check-tf-imports.ts --fix` rewrites the common offender.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTfImports, siblingPackages } from '../../../../scripts/check-tf-imports.js';

describe('sibling packages use core\'s tf', () => {
  it('no sibling package imports @tensorflow/* directly or depends on it', () => {
    expect(siblingPackages().length).toBeGreaterThanOrEqual(2);
    const offenders = findTfImports().map((o) => `${o.file}${o.line ? `:${o.line}` : ''}: ${o.text}`);
    expect(offenders, 'run `tsx scripts/check-tf-imports.ts --fix`').toEqual([]);
  });

  it('the checker catches every import form (a planted offender)', () => {
    const root = mkdtempSync(join(tmpdir(), 'tf-imports-'));
    try {
      const src = join(root, 'packages', 'demo', 'src');
      mkdirSync(src, { recursive: true });
      mkdirSync(join(root, 'packages', 'core', 'src'), { recursive: true });
      writeFileSync(join(root, 'packages', 'core', 'src', 'index.ts'), "import * as tf from '@tensorflow/tfjs';\n");
      writeFileSync(join(src, 'a.ts'), [
        "import * as tf from '@tensorflow/tfjs';",
        "import type { Tensor } from '@tensorflow/tfjs-core';",
        "export { tensor } from '@tensorflow/tfjs';",
        "const w = await import('@tensorflow/tfjs-backend-wasm');",
        "import '@tensorflow/tfjs-backend-wasm';",
        "import { tf as ok } from '@tenfold/core';",
      ].join('\n'));
      writeFileSync(join(root, 'packages', 'demo', 'package.json'), JSON.stringify({ dependencies: { '@tensorflow/tfjs': '4.22.0' } }));
      const found = findTfImports(root);
      expect(found.map((o) => o.line)).toEqual([1, 2, 3, 4, 5, 0]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
