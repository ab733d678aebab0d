/**
 * Run the real `tenfold` bin (packages/cli/dist/bin.js, built once per run by `tsc -b`) in a
 * child process, and parse SVG.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { repoRoot } from '../../../test-utils/index.js';

export const BIN = path.join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

let built = false;
/** Build the CLI and what it depends on (incremental; a no-op when dist is current). */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', path.join(repoRoot, 'packages', 'cli')], { stdio: 'inherit' });
  built = true;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Called with the child and its stderr so far, on every stderr chunk. */
  onStderr?: (child: ReturnType<typeof spawn>, text: string) => void;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? repoRoot, env: { ...process.env, TENFOLD_PROGRESS: '0', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(child, stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function tmpDir(prefix = 'tenfold-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

/** Parse an SVG document; throws when it is not well-formed XML with an <svg> root. */
export function parseSvg(text: string): Record<string, unknown> {
  const v = XMLValidator.validate(text);
  if (v !== true) throw new Error(`invalid SVG: ${JSON.stringify(v)}`);
  const doc = parser.parse(text) as Record<string, unknown>;
  if (!doc.svg) throw new Error('no <svg> root');
  return doc.svg as Record<string, unknown>;
}

function asList<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** The nested panels of a grid SVG (or the document itself when it is one panel). */
export function panelsOf(svg: Record<string, unknown>): Record<string, unknown>[] {
  const nested = asList(svg.svg as Record<string, unknown> | Record<string, unknown>[]);
  return nested.length ? nested : [svg];
}

/** `<g class="series">` children of a panel. */
export function seriesOf(panel: Record<string, unknown>): Record<string, unknown>[] {
  return asList(panel.g as Record<string, unknown> | Record<string, unknown>[]).filter((g) => g['@class'] === 'series');
}

/** Elements with a class among the circles of a panel. */
export function circlesOf(panel: Record<string, unknown>, cls: string): number {
  return asList(panel.circle as Record<string, unknown> | Record<string, unknown>[]).filter((c) => c['@class'] === cls).length;
}
