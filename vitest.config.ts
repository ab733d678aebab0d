import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
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
