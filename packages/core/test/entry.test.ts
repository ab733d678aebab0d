/**
 * The package entry in a fresh process: no top-level await (backend choice starts on
 * import, `ready()` resolves with it, synchronous calls work before on cpu), and an
 * uncaught TenfoldError prints its name and message, not tfjs-backend-wasm's minified
 * source (its emscripten glue's rethrowing process listeners are removed).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TSX = here('../../../node_modules/.bin/tsx');
const expected = process.env.TENFOLD_BACKEND || 'wasm';

function run(script: string, env: Record<string, string> = {}) {
  const r = spawnSync(TSX, [here(`./entry/${script}`)], { encoding: 'utf8', env: { ...process.env, TENFOLD_QUIET: '1', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('package entry (child process)', () => {
  it('sync calls work on cpu before ready(); ready() resolves with the chosen backend', () => {
    const r = run('syncBeforeReady.mts');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.before).toBe('cpu');
    // mode-1 unfolding of x[i][j][k] = 4i + 2j + k + 1: rows j, columns (i, k) with k fastest.
    expect(out.unfolded).toEqual([[1, 2, 5, 6], [3, 4, 7, 8]]);
    expect(out.folded).toEqual(out.x);
    expect(out.ready).toBe(expected);
    expect(out.active).toBe(expected);
    expect(out.ownListenerKept, r.stdout).toBe(true);
    expect(out.extraListeners).toBe(0);
  });

  it('TENFOLD_NO_AUTO_INIT=1: nothing is chosen until ready()', () => {
    const r = run('noAutoInit.mts', { TENFOLD_NO_AUTO_INIT: '1' });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.noneYet).toBe(true);
    expect(out.beforeReady).toBe('cpu');
    expect(out.ready).toBe(expected);
  });

  it('an uncaught TenfoldError prints its name and message in a short stderr', () => {
    const r = run('uncaught.mts');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ShapeError: tensor must be 3-D; got a tensor of shape [2]');
    expect(r.stderr.length).toBeLessThan(2000);
  });
});
