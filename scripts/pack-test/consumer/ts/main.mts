// TypeScript ESM consumer, compiled with tsc --module nodenext against the packed .d.ts.
import { ready, tf, parafac, randomCp, cpToTensor, norm, type BackendInfo, type CPTensor } from '@tenfold/core';
import { estimateRank, type EstimateRankResult } from '@tenfold/rank';
import { FactorizedLinear } from '@tenfold/factorized-layers';

const info: BackendInfo = await ready();
const x = randomCp([6, 7, 8], 2, { full: true, seed: 1 }) as tf.Tensor;
const cp: CPTensor = parafac(x, 2, { nIterMax: 200, tol: 1e-12, init: 'svd' });
const relError: number = norm(tf.sub(cpToTensor(cp), x)) / norm(x);
const est: EstimateRankResult = estimateRank(tf.randomNormal([16, 12], 0, 1, 'float32', 3));
const ctor: typeof FactorizedLinear = FactorizedLinear;
console.log(JSON.stringify({ backend: info.name, relError, estRank: est.rank, layer: typeof ctor }));
