/**
 * The bad-input table of the array-file codecs (main entry) and of every runtime export of
 * the Node entry `@tenfold/core/node`.
 */
import * as core from '../../src/index.js';
import * as node from '../../src/node/index.js';
import { type Case, ArgumentError, TenfoldError, T, one, optionsArg } from './cases.js';
import { gone } from './inputs.js';

const c = core as any;
const n = node as any;
const NOWHERE = '/nonexistent/tenfold/x';

/** Cases of a `Record<string, TensorLike>` argument named `arrays`. */
function arraysArg(make: (x: unknown) => unknown[], run: (...a: any[]) => unknown): Case[] {
  return [
    one('null', 'arrays = null', () => make(null), run, TenfoldError, 'arrays'),
    one('type', 'arrays = a string', () => make('abc'), run, TenfoldError, 'arrays'),
    one('type', 'arrays = [tensor]', () => make([T([2])]), run, TenfoldError, 'arrays'),
    one('disposed', 'arrays holds a disposed tensor', () => make({ w: gone() }), run, ArgumentError, 'arrays'),
    one('type', 'arrays holds a string', () => make({ w: 'abc' }), run, TenfoldError, 'arrays'),
  ];
}

/** Cases of a byte-array argument of a parser. */
function bytesArg(run: (...a: any[]) => unknown, garbage: Uint8Array): Case[] {
  return [
    one('null', 'bytes = null', () => [null], run, TenfoldError, 'bytes'),
    one('type', 'bytes = a string', () => ['abc'], run, TenfoldError, 'bytes'),
    one('mismatch', 'bytes = garbage', () => [garbage], run, TenfoldError, '<buffer>'),
  ];
}

/** Cases of a path argument. */
function pathArg(make: (p: unknown) => unknown[], run: (...a: any[]) => unknown, missing: string): Case[] {
  return [
    one('null', 'path = null', () => make(null), run, TenfoldError, 'path'),
    one('type', 'path = 42', () => make(42), run, TenfoldError, 'path'),
    one('empty', "path = ''", () => make(''), run, ArgumentError, 'path'),
    one('mismatch', 'path does not exist', () => make(missing), run, TenfoldError, missing),
  ];
}

export const TABLE_IO: Record<string, Case[] | { exempt: string }> = {
  SAFETENSORS_DTYPES: { exempt: 'a constant' },
  parseNpz: [
    ...bytesArg(c.parseNpz, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])),
    ...optionsArg((o) => [core.encodeNpz({ a: [1, 2] }), '<buffer>', o], c.parseNpz),
  ],
  encodeNpz: [
    ...arraysArg((x) => [x], c.encodeNpz),
    ...optionsArg((o) => [{ a: [1] }, o], c.encodeNpz),
  ],
  parseSafetensors: [
    ...bytesArg(c.parseSafetensors, new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 1, 2])),
    ...optionsArg((o) => [core.encodeSafetensors({ a: [1, 2] }), '<buffer>', o], c.parseSafetensors),
  ],
  parseSafetensorsHeader: bytesArg(c.parseSafetensorsHeader, new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0, 1, 2])),
  encodeSafetensors: [
    ...arraysArg((x) => [x], c.encodeSafetensors),
    one('type', 'metadata = {n: 3}', () => [{ a: [1] }, { n: 3 }], c.encodeSafetensors, ArgumentError, 'metadata'),
  ],
};

export const TABLE_NODE: Record<string, Case[] | { exempt: string }> = {
  loadNpy: [
    ...pathArg((p) => [p], n.loadNpy, `${NOWHERE}.npy`),
    one('options', 'options has an unknown key', () => [`${NOWHERE}.npy`, { bogusKey: 1 }], n.loadNpy, ArgumentError, 'bogusKey'),
  ],
  saveNpy: [
    ...pathArg((p) => [p, T([2])], n.saveNpy, `${NOWHERE}.npy`),
    one('null', 'tensor = null', () => [`${NOWHERE}.npy`, null], n.saveNpy, TenfoldError, 'tensor'),
    one('disposed', 'tensor disposed', () => [`${NOWHERE}.npy`, gone()], n.saveNpy, ArgumentError, 'tensor'),
  ],
  loadNpz: [
    ...pathArg((p) => [p], n.loadNpz, `${NOWHERE}.npz`),
    one('options', 'options has an unknown key', () => [`${NOWHERE}.npz`, { bogusKey: 1 }], n.loadNpz, ArgumentError, 'bogusKey'),
  ],
  saveNpz: [
    ...pathArg((p) => [p, { a: T([2]) }], n.saveNpz, `${NOWHERE}.npz`),
    ...arraysArg((x) => [`${NOWHERE}.npz`, x], n.saveNpz),
    one('options', 'options has an unknown key', () => [`${NOWHERE}.npz`, { a: [1] }, { bogusKey: 1 }], n.saveNpz, ArgumentError, 'bogusKey'),
  ],
  loadSafetensors: [
    ...pathArg((p) => [p], n.loadSafetensors, `${NOWHERE}.safetensors`),
    one('options', 'options has an unknown key', () => [`${NOWHERE}.safetensors`, { bogusKey: 1 }], n.loadSafetensors, ArgumentError, 'bogusKey'),
  ],
  saveSafetensors: [
    ...pathArg((p) => [p, { a: T([2]) }], n.saveSafetensors, `${NOWHERE}.safetensors`),
    ...arraysArg((x) => [`${NOWHERE}.safetensors`, x], n.saveSafetensors),
    one('type', 'metadata = {n: 3}', () => [`${NOWHERE}.safetensors`, { a: [1] }, { n: 3 }], n.saveSafetensors, ArgumentError, 'metadata'),
  ],
  fileHandler: [
    one('null', 'dir = null', () => [null], n.fileHandler, TenfoldError, 'dir'),
    one('type', 'dir = 42', () => [42], n.fileHandler, TenfoldError, 'dir'),
    one('empty', "dir = ''", () => [''], n.fileHandler, ArgumentError, 'dir'),
  ],
  registerFileRouters: { exempt: 'takes no arguments (idempotent registration)' },
  loadWeightsManifest: pathArg((p) => [p], n.loadWeightsManifest, `${NOWHERE}-weights_manifest.json`),
  saveDecomposition: [
    ...pathArg((p) => [p, new core.CPTensor(null, [T([3, 2]), T([4, 2])])], n.saveDecomposition, `${NOWHERE}.npz`),
    one('null', 'result = null', () => [`${NOWHERE}.npz`, null], n.saveDecomposition, TenfoldError, 'result'),
    one('type', 'result = a plain object', () => [`${NOWHERE}.npz`, { weights: [1] }], n.saveDecomposition, TenfoldError, 'result'),
    one('disposed', 'result is disposed', () => { const d = new core.TTTensor([T([1, 3, 1])]); d.dispose(); return [`${NOWHERE}.npz`, d]; }, n.saveDecomposition, ArgumentError, 'result'),
  ],
  loadDecomposition: pathArg((p) => [p], n.loadDecomposition, `${NOWHERE}.safetensors`),
};
