#!/usr/bin/env node
/**
 * Pack test: do the published packages install and load outside the workspace?
 * `pnpm pack` every package under packages/, `npm install` the tarballs into a scratch
 * directory outside the workspace (the tfjs peers come from the npm registry, through npm's
 * cache), then run consumers: ESM, CommonJS, TypeScript (tsc --module nodenext, ESM and
 * CJS files), the `tenfold` bin when @tenfold/cli is among the packages, and an esbuild
 * browser bundle of @tenfold/core. Used by packages/core/test/package/pack.test.ts;
 * standalone: `node scripts/pack-test/run.mjs` prints a JSON report (needs `pnpm build`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));
const PNPM = ['-y', 'pnpm@12.18.0'];

/** The publishable packages: name, directory, manifest. */
export function publishable() {
  return readdirSync(join(ROOT, 'packages'))
    .map((d) => join(ROOT, 'packages', d))
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter((p) => !p.manifest.private);
}

/** Run a command; returns { code, out, err, seconds }. */
export function sh(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000, ...opts, env: { ...process.env, ...(opts.env ?? {}) } });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: (r.stderr ?? '') + (r.error ? String(r.error) : ''), seconds: (performance.now() - t0) / 1000 };
}

/** `pnpm pack` every package (workspace: ranges become versions) into `dest`; tarball paths. */
export function packAll(dest) {
  const pkgs = publishable();
  for (const { dir, manifest } of pkgs) {
    const main = manifest.exports?.['.']?.require?.default ?? manifest.main;
    if (main && !existsSync(join(dir, main))) throw new Error(`${manifest.name}: ${main} is missing; run \`pnpm build\` first`);
  }
  const r = sh('npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', dest], { cwd: ROOT });
  if (r.code !== 0) throw new Error(`pnpm pack failed:\n${r.out}\n${r.err}`);
  return pkgs.map(({ manifest }) => {
    const prefix = manifest.name.replace('@', '').replace('/', '-') + '-';
    const file = readdirSync(dest).find((f) => f.startsWith(prefix) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm pack ${manifest.name}: no tarball in ${dest}`);
    return { name: manifest.name, file: join(dest, file), bin: manifest.bin };
  });
}

/** A scratch project outside the workspace with the tarballs installed by npm. */
export function installScratch(tarballs) {
  const dir = mkdtempSync(join(tmpdir(), 'tenfold-pack-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tenfold-pack-test', private: true, version: '0.0.0' }, null, 2));
  cpSync(join(HERE, 'consumer'), dir, { recursive: true });
  const install = sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn', ...tarballs.map((t) => t.file)], { cwd: dir });
  return { dir, install };
}

/** Run one consumer in the scratch project. */
export function runConsumer(dir, kind) {
  const env = { TENFOLD_QUIET: '1' };
  switch (kind) {
    case 'esm':
      return sh(process.execPath, ['esm.mjs'], { cwd: dir, env });
    case 'cjs':
      return sh(process.execPath, ['cjs.cjs'], { cwd: dir, env });
    case 'dual':
      return sh(process.execPath, ['dual.mjs'], { cwd: dir, env });
    case 'ts': {
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--outDir', 'out', 'ts/main.mts', 'ts/cjs.cts'];
      const c = sh(process.execPath, [tsc, ...args], { cwd: dir });
      if (c.code !== 0) return { ...c, stage: 'tsc' };
      const a = sh(process.execPath, ['out/main.mjs'], { cwd: dir, env });
      if (a.code !== 0) return { ...a, stage: 'run main.mjs' };
      const b = sh(process.execPath, ['out/cjs.cjs'], { cwd: dir, env });
      return { ...b, out: `${a.out.trim()}\n${b.out.trim()}`, seconds: c.seconds + a.seconds + b.seconds, stage: 'run cjs.cjs' };
    }
    case 'browser': {
      const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
      return sh(esbuild, ['browser.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=out/browser.js', '--log-level=error'], { cwd: dir });
    }
    case 'bin':
      return sh(join(dir, 'node_modules', '.bin', 'tenfold'), ['--help'], { cwd: dir, env });
    default:
      throw new Error(`unknown consumer ${kind}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dest = mkdtempSync(join(tmpdir(), 'tenfold-tgz-'));
  const t0 = performance.now();
  const tarballs = packAll(dest);
  const packSeconds = (performance.now() - t0) / 1000;
  const { dir, install } = installScratch(tarballs);
  const report = { packSeconds, install: { code: install.code, seconds: install.seconds, output: (install.out + install.err).slice(0, 2000) }, dir };
  const kinds = ['esm', 'cjs', 'dual', 'ts', 'browser', ...(tarballs.some((t) => t.bin?.tenfold) ? ['bin'] : [])];
  for (const k of kinds) {
    const r = runConsumer(dir, k);
    report[k] = { code: r.code, seconds: r.seconds, stage: r.stage, out: r.out.slice(0, 1000), err: r.err.slice(0, 2000) };
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  if (!process.env.KEEP) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dest, { recursive: true, force: true });
  }
}
