#!/usr/bin/env node
/**
 * CommonJS half of a package's dual build, run by each package's `build` script after
 * `tsc -b` has written the ESM and its .d.ts: for every `exports` entry whose `require`
 * points at `dist/<x>.cjs`, bundle `src/<x>.ts` with esbuild (dependencies stay external,
 * so `@tensorflow/tfjs` and `@tenfold/*` are required, never copied) and write
 * `dist/<x>.d.cts` re-exporting the ESM declarations for `require` users of TypeScript.
 *
 *   cd packages/core && node ../../scripts/build-cjs.mjs
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** `{ require: { types, default } }` or `{ require: "..." }` of one exports entry. */
function requireTarget(entry) {
  const req = entry && typeof entry === 'object' ? entry.require : undefined;
  if (typeof req === 'string') return { js: req, types: undefined };
  if (req && typeof req === 'object') return { js: req.default, types: req.types };
  return null;
}

const jobs = [];
for (const [subpath, entry] of Object.entries(manifest.exports ?? {})) {
  const target = requireTarget(entry);
  if (!target || !target.js?.endsWith('.cjs')) continue;
  const rel = target.js.replace(/^\.\/dist\//, '').replace(/\.cjs$/, '');
  const src = join(dir, 'src', `${rel}.ts`);
  if (!existsSync(src)) {
    // An entry another change adds (e.g. core's ./node) whose source is not there yet.
    process.stderr.write(`build-cjs: ${manifest.name}${subpath.slice(1)}: no ${join('src', `${rel}.ts`)}; skipped\n`);
    continue;
  }
  jobs.push(
    build({
      entryPoints: [src],
      outfile: join(dir, target.js),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: true,
      logLevel: 'warning',
      // `import.meta.url` (createRequire in backend/wasmThreads.ts) has no CommonJS meaning:
      // give it this file's URL, the value it has in the ESM build.
      define: { 'import.meta.url': '__tenfoldImportMetaUrl' },
      banner: { js: "var __tenfoldImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    }).then(() => {
      if (target.types?.endsWith('.d.cts')) {
        const esmTypes = `./${basename(rel)}.js`;
        writeFileSync(join(dir, target.types), `// CommonJS view of the ESM declarations (same API).\nexport * from '${esmTypes}';\n`);
      }
    }),
  );
}
await Promise.all(jobs);
