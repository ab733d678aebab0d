/**
 * Seeded random numbers generated on the host, so that the same seed gives the same
 * tensor on every tfjs backend (tfjs's own `tf.randomUniform` streams differ between
 * backends and versions).
 *
 * The generator is xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021), a 128-bit-state generator with 32-bit outputs, seeded by
 * running SplitMix32 over the seed. `random()` uses 53 bits (two outputs) per draw;
 * `normal()` is the Box–Muller transform. Bit-exact reproduction of NumPy's streams is out
 * of scope (CONVENTIONS.md §1.1); the distributions match (U[0,1) and N(0,1)).
 */
import * as tf from '@tensorflow/tfjs';
import { checkShape } from '../checks/index.js';
import { ArgumentError, ShapeError, describe } from '../errors/index.js';

/** A seeded random number generator. */
export interface Rng {
  /** A uniform draw in [0, 1) with 53 random bits. */
  random(): number;
  /** A standard normal draw (mean 0, variance 1). */
  normal(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** A new generator with its own stream, seeded from this one (advances this one). */
  split(): Rng;
}

/** What random functions accept as `seed`: an integer seed, an existing Rng, or nothing (fresh entropy). */
export type Seed = number | Rng | undefined;

function splitmix32(state: number): [number, number] {
  // SplitMix32 (Steele, Lea & Flood 2014, 32-bit variant with Murmur3's finaliser).
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [s, z >>> 0];
}

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(lo: number, hi: number) {
    let st = lo ^ Math.imul(hi, 0x632be5ab);
    const out: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, z] = splitmix32(st);
      st = next;
      out.push(z);
    }
    // The all-zero state is a fixed point; SplitMix32 cannot produce four zeros in a row,
    // but guard anyway.
    if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = out;
  }

  /** One 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    // Box–Muller on (0, 1]: 1 - random() is never 0, so the log is finite.
    const u1 = 1 - this.random();
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  int(n: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 2 ** 32) {
      throw new ArgumentError(`n must be an integer in [1, 2^32]; got ${describe(n)}`);
    }
    // Rejection sampling on 32-bit outputs: exactly uniform.
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  split(): Rng {
    return new Xoshiro128(this.nextUint32() | 0, this.nextUint32() | 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A seeded generator. An integer seed (any safe integer, negative allowed) always gives
 * the same stream; without a seed the stream is seeded from `Math.random`.
 */
export function createRng(seed?: number): Rng {
  if (seed === undefined) {
    return new Xoshiro128((Math.random() * 2 ** 32) | 0, (Math.random() * 2 ** 32) | 0);
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ArgumentError(`seed must be a safe integer; got ${describe(seed)}`);
  }
  const lo = seed | 0; // low 32 bits (two's complement for negatives)
  const hi = Math.floor(seed / 2 ** 32) | 0;
  return new Xoshiro128(lo, hi);
}

/** Turn a `Seed` into a generator: an Rng is used as is (and advanced), a number seeds a new one. */
export function toRng(seed: Seed, argName = 'seed'): Rng {
  if (seed === undefined || typeof seed === 'number') {
    if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ArgumentError(`${argName} must be a safe integer or an Rng; got ${describe(seed)}`);
    return createRng(seed);
  }
  if (typeof seed === 'object' && seed !== null && typeof seed.random === 'function' && typeof seed.normal === 'function') return seed;
  throw new ArgumentError(`${argName} must be an integer, an Rng from createRng, or undefined; got ${describe(seed)}`);
}

function fill(shape: number[], draw: () => number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = draw();
  return tf.tensor(data, shape, 'float32');
}

/** A float32 tensor of U[0,1) draws in C order from `rng` (TensorLy `random_sample`). */
export function uniformTensor(shape: readonly number[], rng: Rng): tf.Tensor {
  const s = checkShape(shape, 'shape');
  const g = toRng(rng, 'rng');
  return fill(s, () => {
    // Rounding to float32 can turn a draw just below 1 into 1.0; keep the interval half-open.
    const v = Math.fround(g.random());
    return v < 1 ? v : 0.99999994;
  });
}

/** A float32 tensor of standard normal draws in C order from `rng`. */
export function normalTensor(shape: readonly number[], rng: Rng): tf.Tensor {
  const s = checkShape(shape, 'shape');
  const g = toRng(rng, 'rng');
  return fill(s, () => g.normal());
}
