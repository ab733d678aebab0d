/**
 * Atomic output directories: a command writes into a hidden sibling `.<name>.tmp-<pid>` of its
 * `--out` directory, which is renamed onto `--out` only when everything succeeded. A failure or
 * SIGINT removes the temporary directory, so `--out` never holds half-written files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An empty dir, a missing path, or (with `force`) anything may become the output. */
export function checkOutTarget(out: string, force: boolean): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(out);
  } catch {
    return null;
  }
  if (!st.isDirectory()) return `--out '${out}' exists and is not a directory`;
  if (!force && fs.readdirSync(out).length > 0) return `--out '${out}' exists and is not empty (pass --force to replace it)`;
  return null;
}

/** Create the temporary sibling directory of `out`. */
export function makeTempDir(out: string): string {
  const parent = path.dirname(path.resolve(out));
  fs.mkdirSync(parent, { recursive: true });
  const tmp = path.join(parent, `.${path.basename(out)}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  return tmp;
}

/** Move the finished temporary directory onto `out` (replacing an existing `out`). */
export function commitTempDir(tmp: string, out: string): void {
  const target = path.resolve(out);
  if (fs.existsSync(target)) {
    const old = `${path.join(path.dirname(target), `.${path.basename(target)}.old-${process.pid}`)}`;
    fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, target);
  }
}

/** Remove the temporary directory (idempotent). */
export function discardTempDir(tmp: string | null): void {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
