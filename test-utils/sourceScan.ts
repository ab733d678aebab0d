/**
 * Helpers of the architecture tests that read a package's sources as text (import layers,
 * read-backs): the `.ts` files under a folder, and a file's code lines without comments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Paths (relative to `dir`, `/`-separated) of every `.ts` file under `dir`. */
export function sources(dir: string, rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return sources(path.join(dir, e.name), r);
    return e.name.endsWith('.ts') ? [r] : [];
  });
}

/** Source lines without `//` comments and doc-comment lines. */
export function codeLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !/^\s*(\*|\/\*\*|\/\/)/.test(l))
    .map((l) => l.replace(/\/\/.*$/, ''));
}

/** The regular expression of a tensor read-back: `dataSync(`, `arraySync(`, `.data()`, `.array()`. */
export const READ_BACK = /\.(dataSync|arraySync)\s*\(|\.(data|array)\s*\(\s*\)/;
