import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string, entry = 'index.ts') => fileURLToPath(new URL(`./packages/${p}/src/${entry}`, import.meta.url));
const PACK_TEST = 'packages/*/test/package/pack.test.ts';

// Two projects, both run by `vitest run` / `pnpm test`: `unit` (everything, against the
// packages' src) and `pack` (packs the built packages and installs them with npm outside
// the workspace; ~1-3 min, network for the tfjs peers). `vitest run --project unit` skips it.
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
    setupFiles: ['./test-utils/setup.ts'],
    env: { TENFOLD_QUIET: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'], exclude: [PACK_TEST] } },
      { extends: true, test: { name: 'pack', include: [PACK_TEST], testTimeout: 300_000, hookTimeout: 600_000 } },
    ],
  },
});
