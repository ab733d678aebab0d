/**
 * Pack test (scripts/pack-test/run.mjs): the packed tarballs, installed by npm into a
 * scratch directory outside the workspace, load and compute as ESM, CommonJS and
 * TypeScript (nodenext), the `tenfold` bin runs when @tenfold/cli is packed, and
 * @tenfold/core bundles for the browser. Needs `pnpm build` (what `pnpm test` runs first)
 * and the npm registry for the tfjs peers (npm's cache makes re-runs fast).
 * TENFOLD_SKIP_PACK_TEST=1 skips it (e.g. offline).
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without declarations
import { installScratch, packAll, runConsumer } from '../../../../scripts/pack-test/run.mjs';

type Run = { code: number; out: string; err: string; seconds: number; stage?: string };
const skip = !!process.env.TENFOLD_SKIP_PACK_TEST;
const expected = process.env.TENFOLD_BACKEND || 'wasm';
let dest = '';
let dir = '';
let tarballs: { name: string; file: string; bin?: Record<string, string> }[] = [];
let install: Run;
const TFJS_CPU_BANNER = /=+\s*Hi, looks like you are running TensorFlow\.js in Node\.js[^=]*=+/;

describe.skipIf(skip)('pack test: tarballs installed outside the workspace', () => {
  beforeAll(() => {
    dest = mkdtempSync(join(tmpdir(), 'tenfold-tgz-'));
    tarballs = packAll(dest);
    ({ dir, install } = installScratch(tarballs));
    process.stderr.write(`[pack-test] npm install of ${tarballs.length} tarballs + peers: ${install.seconds.toFixed(1)} s\n`);
  }, 300_000);
  afterAll(() => {
    for (const d of [dir, dest]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('npm installs the tarballs and the tfjs peers with no stack trace', () => {
    expect(install.code, install.err).toBe(0);
    const output = install.out + install.err;
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(output).not.toMatch(/libtensorflow|node-pre-gyp/);
    expect(tarballs.map((t) => t.name)).toEqual(expect.arrayContaining(['@tenfold/core', '@tenfold/rank', '@tenfold/factorized-layers']));
  });

  const check = (r: Run, out: Record<string, unknown>) => {
    expect(out.backend).toBe(expected);
    // A rank-2 CP tensor is recovered by a rank-2 CP fit (float32 ALS).
    expect(out.relError as number).toBeLessThan(1e-3);
    expect(Number.isInteger(out.estRank)).toBe(true);
    // Nothing on stderr but tfjs's own cpu-backend banner (TENFOLD_BACKEND=cpu prints it).
    expect(r.err.replace(TFJS_CPU_BANNER, '').trim()).toBe('');
  };

  it('ESM: import works, cpu before ready(), the chosen backend after', () => {
    const r: Run = runConsumer(dir, 'esm');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    check(r, out);
    expect(out.syncBackend).toBe('cpu');
    expect(out.layer).toBe('function');
  });

  it('CommonJS: require works (no top-level await), typed errors are TenfoldErrors', () => {
    const r: Run = runConsumer(dir, 'cjs');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    check(r, out);
    expect(out.syncBackend).toBe('cpu');
    expect(out.typed).toBe(true);
  });

  it('ESM and CommonJS builds loaded together share one tfjs and one backend', () => {
    const r: Run = runConsumer(dir, 'dual');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.backends).toEqual([expected, expected]);
    expect(out.active).toBe(expected);
    expect(out.sameTf).toBe(true);
    // Frobenius norm of [[3, 0], [4, 0]] through either instance.
    expect(out.norms).toEqual([5, 5]);
  });

  it('TypeScript: tsc --module nodenext compiles an ESM and a CJS consumer, both run', () => {
    const r: Run = runConsumer(dir, 'ts');
    expect(r.code, `${r.stage}: ${r.out}\n${r.err}`).toBe(0);
    const [esm, cjs] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    check(r, esm);
    expect(cjs.backend).toBe(expected);
  });

  it('the tenfold bin runs (when @tenfold/cli is packed)', (ctx) => {
    if (!tarballs.some((t) => t.bin?.tenfold)) ctx.skip();
    const r: Run = runConsumer(dir, 'bin');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/tenfold/);
  });

  it('@tenfold/core bundles for the browser (esbuild --platform=browser)', (ctx) => {
    const r: Run = runConsumer(dir, 'browser');
    if (r.code !== 0) {
      const errors = [...r.err.matchAll(/Could not resolve "([^"]+)"\s+node_modules\/@tenfold\/core\/dist\/([^\s:]+)/g)];
      const count = (r.err.match(/\[ERROR\]/g) ?? []).length;
      // Until file I/O moves to @tenfold/core/node (the io change), dist/io imports node:
      // builtins; that is the only failure tolerated, and it is reported as a skip.
      if (count > 0 && errors.length === count && errors.every(([, mod, file]) => mod.startsWith('node:') && file.startsWith('io/'))) {
        ctx.skip(`waiting for the io change: ${errors.map(([, m, f]) => `${f} imports ${m}`).join('; ')}`);
      }
    }
    expect(r.code, r.err).toBe(0);
  });
});
