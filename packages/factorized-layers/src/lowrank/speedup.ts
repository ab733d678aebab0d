/**
 * Composer's size rules (`factorize.py`): the latent size a fraction asks for, and the
 * largest rank whose two-layer split needs fewer operations than the dense layer.
 */
import { ArgumentError, describe } from '@tenfold/core';

/** Composer's `_clean_latent_size`: `max(1, floor(l min(in, out)))` for `l < 1`, else `floor(l)`. */
export function cleanLatentSize(latent: number, inSize: number, outSize: number): number {
  if (typeof latent !== 'number' || !Number.isFinite(latent) || latent <= 0) throw new ArgumentError(`latent must be a positive number (an integer size or a fraction < 1); got ${describe(latent)}`);
  checkSize(inSize, 'inSize');
  checkSize(outSize, 'outSize');
  return latent < 1 ? Math.max(1, Math.floor(latent * Math.min(inSize, outSize))) : Math.floor(latent);
}

/**
 * Composer's `_max_rank_with_possible_speedup`: with `fan_in = in Π k`, a rank-`r` split costs
 * `r (fan_in + out)` multiply-adds per location against `fan_in out`, so it pays off for
 * `r <= ceil(fan_in out / (fan_in + out) - 1)`.
 */
export function maxRankWithSpeedup(inSize: number, outSize: number, kernelSize: readonly number[] = []): number {
  checkSize(inSize, 'inSize');
  checkSize(outSize, 'outSize');
  if (!Array.isArray(kernelSize) || !kernelSize.every((k) => typeof k === 'number' && Number.isInteger(k) && k >= 1)) {
    throw new ArgumentError(`kernelSize must be an array of positive integers; got ${describe(kernelSize)}`);
  }
  const fanIn = inSize * kernelSize.reduce((a, b) => a * b, 1);
  return Math.ceil((fanIn * outSize) / (fanIn + outSize) - 1);
}

/** A layer size: a positive integer. */
function checkSize(v: unknown, argName: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${argName} must be a positive integer; got ${describe(v)}`);
}
