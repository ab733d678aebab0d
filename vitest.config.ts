import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string, entry = 'index.ts') => fileURLToPath(new URL(`./packages/${p}/src/${entry}`, import.meta.url));

export default defineConfig({
  resolve: {
    // '@tenfold/core/node' before '@tenfold/core', which would otherwise match it as a prefix.
    alias: {
      '@tenfold/core/node': src('core', 'node/index.ts'),
      '@tenfold/core': src('core'),
      '@tenfold/rank': src('rank'),
      '@tenfold/factorized-layers': src('factorized-layers'),
      '@tenfold/cli': src('cli'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    setupFiles: ['./test-utils/setup.ts'],
    env: { TENFOLD_QUIET: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
