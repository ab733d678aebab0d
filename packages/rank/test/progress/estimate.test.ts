/**
 * Progress records and cancellation of the rank estimators that loop over modes
 * (docs/guide-progress.md): one record per mode, stage `mode m`, no error field.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ArgumentError } from '@tenfold/core';
import { estimateRank, tuckerRanks } from '@tenfold/rank';
import { progressChecks } from '../../../../test-utils/progress.js';

const W = tf.randomNormal([8, 6, 3, 3], 0, 1, 'float32', 11);
const T = tf.randomNormal([7, 6, 5], 0, 1, 'float32', 12);

describe('progress: estimateRank', () => {
  progressChecks({
    name: 'estimateRank (modes 0, 1, 2)',
    task: 'estimateRank',
    total: 3,
    run: (e) => estimateRank(W, { modes: [0, 1, 2], ...e }),
    stage: (k) => `mode ${k - 1}`,
  });
  it('the per-mode ranks are those of a run without onProgress, mode for mode', () => {
    const modes: string[] = [];
    const a = estimateRank(W, { modes: [2, 0], onProgress: (r) => r.stage && modes.push(r.stage) });
    const b = estimateRank(W, { modes: [2, 0] });
    expect(modes).toEqual(['mode 2', 'mode 0']);
    expect(a.ranks).toEqual(b.ranks);
    expect(a.perMode.map((p) => Array.from(p.singularValues))).toEqual(b.perMode.map((p) => Array.from(p.singularValues)));
  });
  it('a bad onProgress or signal is an ArgumentError before any work', () => {
    expect(() => estimateRank(W, { onProgress: 1 as never })).toThrow(ArgumentError);
    expect(() => estimateRank(W, { signal: {} as never })).toThrow(/signal/);
  });
});

describe('progress: tuckerRanks', () => {
  progressChecks({
    name: 'tuckerRanks',
    task: 'tuckerRanks',
    total: 3,
    run: (e) => tuckerRanks(T, e),
    stage: (k) => `mode ${k - 1}`,
  });
});
