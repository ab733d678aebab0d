/**
 * Shared test helpers: golden fixtures from ../shared/fixtures, float32-aware comparison,
 * and the tensor-leak check every public function must pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const fixturesDir = process.env.TENFOLD_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures');

export interface FixtureArray {
  shape: number[];
  data: number[];
}
export interface FixtureCase {
  name: string;
  inputs: Record<string, any>;
  expected?: any;
  expected_error?: { type: string; message: string };
  tolerance?: { rtol: number; atol: number };
  note?: string;
  [extra: string]: any;
}
export interface FixtureFile {
  generator: string;
  description?: string;
  cases: FixtureCase[];
}

const cache = new Map<string, FixtureFile>();
/** Load `../shared/fixtures/<name>.json`. */
export function loadFixtures(name: 'core' | 'ranks' | 'decompositions' | 'decompositions2' | 'rank' | 'layers' | 'layers2' | 'kfac'): FixtureFile {
  let f = cache.get(name);
  if (!f) {
    f = JSON.parse(fs.readFileSync(path.join(fixturesDir, `${name}.json`), 'utf8')) as FixtureFile;
    cache.set(name, f);
  }
  return f;
}

/** The one case called `name` (throws if missing, so a renamed case fails loudly). */
export function fixtureCase(file: FixtureFile, name: string): FixtureCase {
  const c = file.cases.find((k) => k.name === name);
  if (!c) throw new Error(`fixture case '${name}' not found`);
  return c;
}

export function isFixtureArray(x: unknown): x is FixtureArray {
  return typeof x === 'object' && x !== null && Array.isArray((x as any).shape) && Array.isArray((x as any).data);
}

/** A fixture array as a float32 tensor. */
export function fx(a: FixtureArray): tf.Tensor {
  return tf.tensor(a.data, a.shape, 'float32');
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * The tolerance to use for a float32 engine against a float64 anchor, as the fixtures'
 * README says: rtol at least `minRtol` (1e-4) and atol at least 1e-5 * max|expected|.
 */
export function f32Tolerance(expected: ArrayLike<number>, tol?: Partial<Tolerance>, minRtol = 1e-4, atolScale = 1e-5): Tolerance {
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  return {
    rtol: Math.max(tol?.rtol ?? 0, minRtol),
    atol: Math.max(tol?.atol ?? 0, atolScale * maxAbs, 1e-7),
  };
}

/**
 * Assert |actual - expected| <= atol + rtol |expected| element-wise, with shapes equal.
 * `actual` may be a tensor or a flat array (then `shape` is not compared).
 */
export function expectClose(actual: tf.Tensor | ArrayLike<number>, expected: FixtureArray | ArrayLike<number>, tol: Tolerance, label = ''): void {
  const expData = isFixtureArray(expected) ? expected.data : Array.from(expected as ArrayLike<number>);
  if (actual instanceof tf.Tensor && isFixtureArray(expected)) {
    expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  }
  const act = actual instanceof tf.Tensor ? actual.dataSync() : actual;
  expect(act.length, `${label} size`).toBe(expData.length);
  let worst = -Infinity;
  let worstAt = -1;
  for (let i = 0; i < expData.length; i++) {
    const excess = Math.abs(act[i] - expData[i]) - (tol.atol + tol.rtol * Math.abs(expData[i]));
    if (!(excess <= worst) || Number.isNaN(act[i])) {
      worst = Number.isNaN(act[i]) ? Infinity : excess;
      worstAt = i;
    }
  }
  if (worst > 0) {
    throw new Error(`${label}: element ${worstAt} is ${act[worstAt]}, expected ${expData[worstAt]} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Relative Frobenius error ||a - b|| / ||b|| of two tensors, on the host in float64. */
export function relError(a: tf.Tensor | ArrayLike<number>, b: tf.Tensor | ArrayLike<number>): number {
  const x = a instanceof tf.Tensor ? a.dataSync() : a;
  const y = b instanceof tf.Tensor ? b.dataSync() : b;
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}

/**
 * Run `fn`, dispose what it returns (tensors, arrays/objects of tensors, objects with
 * dispose()), and assert that tf.memory().numTensors is back where it started.
 */
export function expectNoLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  disposeAll(out);
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return out;
}

/** Async variant of expectNoLeak. */
export async function expectNoLeakAsync<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  disposeAll(out);
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return out;
}

/** Dispose tensors found in a value (tensor, array, plain object, or anything with dispose()). */
export function disposeAll(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (x instanceof tf.Tensor) {
    if (!x.isDisposed) x.dispose();
    return;
  }
  if (typeof (x as any).dispose === 'function') {
    (x as any).dispose();
    return;
  }
  if (Array.isArray(x)) {
    for (const v of x) disposeAll(v, seen);
    return;
  }
  if (Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x as object)) disposeAll(v, seen);
  }
}

/**
 * Save a tfjs LayersModel in memory (`tf.io.withSaveHandler`) and load it back
 * (`tf.io.fromMemory`): the serialisation round trip of the layer tests.
 */
export async function saveAndLoadInMemory(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('saveAndLoadInMemory: the model saved nothing');
  return tf.loadLayersModel(tf.io.fromMemory(saved));
}
