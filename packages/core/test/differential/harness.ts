/**
 * Run the same computation on every installed tfjs backend in one process and compare.
 * Shared by the differential tests, the wasm kernel-fix regression tests and
 * scripts/differential.ts.
 */
import { backendInfo, initBackend, tf } from '@tenfold/core';

/** What a computation produced on one backend: flat values per output, or the error. */
export interface Outcome {
  outputs?: { shape: number[]; data: Float64Array }[];
  error?: unknown;
}

let wasmReady: Promise<void> | null = null;
/**
 * Start the wasm backend through `initBackend` (which installs Tenfold's kernel fixes),
 * then return to the backend that was active, so both can be switched to with setBackend.
 */
export function ensureWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const prev = backendInfo().name;
    if (prev === 'wasm') return;
    await initBackend('wasm');
    await initBackend(prev as 'cpu');
  })();
  return wasmReady;
}

/** The backends to compare: cpu, wasm, and tensorflow when tfjs-node registered it. */
export async function backends(): Promise<string[]> {
  await ensureWasm();
  return ['cpu', 'wasm', 'tensorflow'].filter((b) => tf.findBackendFactory(b) !== null);
}

/** Fill freed wasm heap blocks with 12345, so a kernel returning an unwritten buffer shows. */
export function dirtyHeap(): void {
  if (tf.getBackend() !== 'wasm') return;
  for (const n of [1, 2, 3, 4, 5, 6, 8, 12, 15, 16, 20, 24, 30, 32, 48, 64, 128, 256, 1024]) {
    const g = tf.fill([n], 12345);
    g.dataSync();
    g.dispose();
  }
}

type Produced = tf.Tensor | number | tf.Tensor[] | number[] | Record<string, unknown> | null | undefined;

function collect(x: unknown, out: { shape: number[]; data: Float64Array }[]): void {
  if (x instanceof tf.Tensor) out.push({ shape: [...x.shape], data: Float64Array.from(x.dataSync() as Float32Array) });
  else if (typeof x === 'number') out.push({ shape: [], data: Float64Array.of(x) });
  else if (Array.isArray(x)) for (const y of x) collect(y, out);
  else if (x !== null && typeof x === 'object') for (const k of Object.keys(x).sort()) collect((x as Record<string, unknown>)[k], out);
}

/** Run `fn` on backend `name` (synchronously, inside tf.tidy) and download its outputs. */
export async function runOn(name: string, fn: () => Produced): Promise<Outcome> {
  const prev = tf.getBackend();
  await tf.setBackend(name);
  try {
    dirtyHeap();
    const before = tf.memory().numTensors;
    try {
      const outputs: { shape: number[]; data: Float64Array }[] = [];
      tf.tidy(() => {
        collect(fn(), outputs);
      });
      const leaked = tf.memory().numTensors - before;
      if (leaked !== 0) return { error: new Error(`${leaked} tensors leaked`) };
      return { outputs };
    } catch (error) {
      return { error };
    }
  } finally {
    await tf.setBackend(prev);
  }
}

/**
 * Largest |a - b| / (atol + rtol |b|) over all outputs (<= 1 means within tolerance), or
 * Infinity on a shape or NaN-pattern mismatch. rtol/atol are relative to max|b| of each output.
 */
export function mismatch(a: Outcome, b: Outcome, rtol = 1e-3, atolScale = 1e-4): number {
  if (a.error || b.error) return a.error && b.error ? 0 : Infinity;
  const A = a.outputs ?? [];
  const B = b.outputs ?? [];
  if (A.length !== B.length) return Infinity;
  let worst = 0;
  for (let k = 0; k < A.length; k++) {
    if (A[k].shape.join() !== B[k].shape.join()) return Infinity;
    let scale = 0;
    for (const v of B[k].data) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
    const atol = Math.max(atolScale * scale, 1e-6);
    for (let i = 0; i < B[k].data.length; i++) {
      const x = A[k].data[i];
      const y = B[k].data[i];
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
        continue;
      }
      if (x === y) continue;
      worst = Math.max(worst, Math.abs(x - y) / (atol + rtol * Math.abs(y)));
    }
  }
  return worst;
}

/** A seeded uniform [-1, 1) float32 tensor (mulberry32), the same on every backend. */
export function seeded(shape: number[], seed: number, offset = 0): tf.Tensor {
  let s = seed >>> 0;
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    data[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1 + offset;
  }
  return tf.tensor(data, shape);
}

/** One case's verdict: the worst mismatch of each backend against cpu. */
export interface Verdict {
  area: string;
  name: string;
  /** backend -> mismatch against cpu (<= 1 passes). */
  scores: Record<string, number>;
  /** Largest absolute difference against cpu over all outputs. */
  maxAbs: number;
  errors: Record<string, string>;
  ok: boolean;
}

function maxAbsDiff(a: Outcome, b: Outcome): number {
  let m = 0;
  const A = a.outputs ?? [];
  const B = b.outputs ?? [];
  for (let k = 0; k < Math.min(A.length, B.length); k++) {
    for (let i = 0; i < Math.min(A[k].data.length, B[k].data.length); i++) {
      const d = Math.abs(A[k].data[i] - B[k].data[i]);
      if (Number.isFinite(d)) m = Math.max(m, d);
    }
  }
  return m;
}

/** Run one case on every backend and compare each with cpu. */
export async function judge(c: { area: string; name: string; run: () => unknown; rtol?: number; expectError?: boolean }, names: string[]): Promise<Verdict> {
  const outcomes: Record<string, Outcome> = {};
  for (const b of names) outcomes[b] = await runOn(b, c.run as () => Produced);
  const ref = outcomes.cpu;
  const scores: Record<string, number> = {};
  const errors: Record<string, string> = {};
  let maxAbs = 0;
  for (const b of names) {
    const e = outcomes[b].error;
    if (e) errors[b] = `${(e as Error).name ?? 'Error'}: ${String((e as Error).message ?? e).slice(0, 160)}`;
    if (b === 'cpu') continue;
    scores[b] = mismatch(outcomes[b], ref, c.rtol ?? 1e-3);
    maxAbs = Math.max(maxAbs, maxAbsDiff(outcomes[b], ref));
  }
  // A case that throws everywhere tests nothing unless it is meant to throw.
  const ok = Object.values(scores).every((s) => s <= 1) && (Boolean(ref.error) === Boolean(c.expectError));
  return { area: c.area, name: c.name, scores, maxAbs, errors, ok };
}
