/**
 * File access for the Node entry: reads and atomic writes whose failures are typed
 * errors naming the file.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ArgumentError, describe } from '../errors/index.js';

/** Check a path argument. @throws ArgumentError unless a non-empty string */
export function checkPath(p: unknown, argName = 'path'): string {
  if (typeof p !== 'string' || p.length === 0) throw new ArgumentError(`${argName} must be a non-empty string; got ${describe(p)}`);
  return p;
}

/** Read a whole file. @throws ArgumentError naming the file when it cannot be read */
export async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw new ArgumentError(`cannot read ${what} file '${file}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Write a file atomically: the bytes go to a temporary file beside the target, which is
 * then renamed over it, so a reader never sees a half-written file and a failure leaves
 * nothing behind.
 *
 * @throws ArgumentError naming the file when it cannot be written
 */
export async function writeBytesAtomic(file: string, bytes: Uint8Array, what: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new ArgumentError(`cannot write ${what} file '${file}': ${err instanceof Error ? err.message : String(err)}`);
  }
}
