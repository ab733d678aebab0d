/**
 * Helpers shared by the commands: loading the one array a command works on, parsing rank
 * arguments, writing files into the output directory and formatting tables.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ArgumentError, RankError, tf } from '@tenfold/core';
import { readArrays } from '../files/arrays.js';

/** The single array of `file` (or the one named `array`); the caller disposes it. */
export async function loadOneArray(file: string, array?: string): Promise<{ name: string; tensor: tf.Tensor }> {
  const all = await readArrays(file, array);
  if (all.length > 1) {
    tf.dispose(all.map((a) => a.tensor));
    throw new ArgumentError(`'${file}' holds ${all.length} arrays (${all.map((a) => `'${a.name}'`).join(', ')}); choose one with --array NAME`);
  }
  return all[0];
}

/** A rank argument: an integer, a fraction (TensorLy's float rank), or a comma list of integers. */
export function parseRank(text: string, name = '--rank'): number | number[] {
  const s = String(text).trim();
  if (/^\d+(,\d+)+$/.test(s)) return s.split(',').map(Number);
  const v = Number(s);
  if (s === '' || !Number.isFinite(v) || v <= 0) throw new RankError(`${name} must be a positive integer, a fraction such as 0.5, or a comma list such as 1,4,4,1; got '${text}'`);
  return v;
}

/** `A..B` or a comma list, e.g. `1..10` or `2,4,8`. */
export function parseRanks(text: string): number[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(String(text).trim());
  const out = m ? Array.from({ length: Math.max(0, Number(m[2]) - Number(m[1]) + 1) }, (_, i) => Number(m[1]) + i) : String(text).split(',').map((x) => Number(x.trim()));
  if (out.length === 0 || out.some((r) => !Number.isInteger(r) || r < 1)) throw new RankError(`--ranks must be A..B or a comma list of positive integers (e.g. 1..10 or 2,4,8); got '${text}'`);
  return out;
}

export async function writeText(dir: string, name: string, text: string): Promise<string> {
  await fs.writeFile(path.join(dir, name), text);
  return name;
}

export { formatTable, sig, shapeText } from './format.js';
