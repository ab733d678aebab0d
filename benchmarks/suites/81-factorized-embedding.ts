/**
 * FactorizedEmbedding on a 100000 x 256 table at about 10x compression: the time to look up
 * 1024 rows by contracting the factor rows of each index's mixed-radix digits
 * (`FactorizedEmbedding.apply`) against, in the same run, reconstructing the whole table
 * (`toTable()`) and gathering the same rows — the ratio is the point. A dense-table gather is
 * emitted as the floor. Tensorization: tltorch's getTensorizedShape(100000, 256, order 3);
 * ranks are the integers whose parameter count comes closest to 1/10 of the table's.
 */
import { tf } from '@tenfold/core';
import { FactorizedEmbedding, getTensorizedShape, paramCountOf, parseTensorizedShape, resolveTensorizedRank } from '@tenfold/factorized-layers';
import type { Bench } from '../harness.js';

const V = 100000;
const D = 256;
const ROWS = 1024;
const TARGET = 10;

/** The integer rank spec of `kind` whose compression is closest to TARGET. */
function rankFor(kind: 'blocktt' | 'cp' | 'tucker', ts: number[][]): number {
  const parts = parseTensorizedShape(ts);
  let best = 1;
  let bestGap = Infinity;
  for (let r = 1; r <= 40000; r = r < 64 ? r + 1 : Math.ceil(r * 1.02)) {
    const rank = resolveTensorizedRank(kind, ts, r);
    const ratio = (V * D) / paramCountOf(kind, parts, rank);
    const gap = Math.abs(Math.log(ratio / TARGET));
    if (gap < bestGap) {
      bestGap = gap;
      best = r;
    }
    if (ratio < TARGET / 2) break;
  }
  return best;
}

export default async function factorizedEmbedding(b: Bench): Promise<void> {
  const [tv, td] = getTensorizedShape(V, D, { order: 3 });
  const ts = [tv, td];
  const idx = tf.tensor1d(Array.from({ length: ROWS }, (_, k) => (k * 7919 + 13) % V), 'int32');

  const table = tf.randomNormal([V, D], 0, 1, 'float32', 1);
  const denseGather = await b.timeTensor(() => tf.gather(table, idx), { repeats: 5 });
  table.dispose();
  b.emit({ workload: `embedding_${V}x${D}_dense_gather_${ROWS}`, seconds: denseGather });

  for (const kind of ['blocktt', 'cp', 'tucker'] as const) {
    const r = rankFor(kind, ts);
    const emb = new FactorizedEmbedding({ numEmbeddings: V, embeddingDim: D, tensorizedNumEmbeddings: tv, tensorizedEmbeddingDim: td, factorization: kind, rank: r, seed: 0 });
    const lookup = await b.timeTensor(() => emb.apply(idx), { repeats: 5 });
    const rec = {
      workload: `embedding_${V}x${D}_${kind}_lookup_${ROWS}`,
      seconds: lookup,
      tensorizedShape: ts,
      rank: emb.rank,
      params: emb.paramCount,
      compression: round(emb.compressionRatio),
    };
    // CP's reconstruction forms the Khatri-Rao product of all but the first factor, a
    // (V D / v_1) x R matrix: at this rank tens of GB, which the wasm heap (4 GB) cannot hold.
    const krFloats = kind === 'cp' ? ((V * D) / tv[0]) * (emb.rank as number) : 0;
    if (krFloats > 2 ** 28) {
      b.emit({
        ...rec,
        lookupVsDenseGather: round(lookup / denseGather),
        reconstructThenGather: `not run: the reconstruction needs a ${(krFloats * 4 / 2 ** 30).toFixed(0)} GB Khatri-Rao product`,
      });
      emb.dispose();
      continue;
    }
    const reconstruct = await b.timeTensor(() => tf.tidy(() => tf.gather(emb.toTable(), idx)), { repeats: 3 });
    // same numbers either way (float32 noise only)
    const diff = tf.tidy(() => {
      const a = emb.apply(idx);
      const c = tf.gather(emb.toTable(), idx);
      return tf.max(tf.abs(tf.sub(a, c))).dataSync()[0] / tf.max(tf.abs(c)).dataSync()[0];
    });
    b.emit({
      ...rec,
      secondsLookup: lookup,
      secondsReconstructThenGather: reconstruct,
      speedupVsReconstruct: round(reconstruct / lookup),
      lookupVsDenseGather: round(lookup / denseGather),
      maxRelDiff: Number(diff.toExponential(2)),
    });
    emb.dispose();
  }
  idx.dispose();
}

function round(v: number): number {
  return Number(v.toFixed(3));
}
