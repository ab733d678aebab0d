/**
 * Benchmark harness: each suite in ./suites exports `default async (b: Bench) => void`
 * and reports one JSON line per workload through `b.emit`.
 */
import { backendInfo, createRng, normalTensor, tf } from '@tenfold/core';

export interface BenchRecord {
  workload: string;
  seconds: number;
  [field: string]: unknown;
}

export interface Bench {
  /** Print one JSON line (backend added). */
  emit(rec: BenchRecord): void;
  /** Median wall-clock seconds of `repeats` runs of `fn` after `warmup` runs; `fn` must sync (dataSync). */
  time(fn: () => void | Promise<void>, opts?: { repeats?: number; warmup?: number }): Promise<number>;
  /** `time` of producing the tensor `fn` returns, read back (dataSync) and freed. */
  timeTensor(fn: () => tf.Tensor, opts?: { repeats?: number; warmup?: number }): Promise<number>;
  /** True when BENCH_QUICK=1 asks for small repeat counts. */
  quick: boolean;
}

export function makeBench(): Bench {
  const quick = process.env.BENCH_QUICK === '1';
  const bench: Bench = {
    quick,
    emit(rec) {
      const { workload, seconds, ...rest } = rec;
      process.stdout.write(JSON.stringify({ workload, backend: backendInfo().name, seconds: Number(seconds.toPrecision(4)), ...rest }) + '\n');
    },
    async time(fn, opts = {}) {
      const repeats = quick ? 1 : (opts.repeats ?? 3);
      const warmup = opts.warmup ?? 1;
      for (let i = 0; i < warmup; i++) await fn();
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t0 = performance.now();
        await fn();
        times.push((performance.now() - t0) / 1000);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)];
    },
    timeTensor(fn, opts) {
      return bench.time(() => {
        const y = fn();
        y.dataSync();
        y.dispose();
      }, opts);
    },
  };
  return bench;
}

/** What every decomposition returns: a factorized tensor. */
export interface Factorized {
  toTensor(): tf.Tensor;
  dispose(): void;
}

/**
 * `clean` plus seeded Gaussian noise scaled to ||noise|| = 0.01 ||clean|| (the issues'
 * "+ 1% noise" recipe). Takes ownership of `clean`.
 */
export function withOnePercentNoise(clean: tf.Tensor, seed: number): tf.Tensor {
  const noise = normalTensor(clean.shape, createRng(seed));
  const out = tf.tidy(() => {
    const scale = (0.01 * tf.norm(clean).dataSync()[0]) / tf.norm(noise).dataSync()[0];
    return tf.add(clean, tf.mul(noise, scale));
  });
  tf.dispose([clean, noise]);
  return out;
}

export { tf };
