// Both builds in one process (an ESM app with a CommonJS dependency on Tenfold): two
// Tenfold instances share one tfjs and one wasm module.
import { createRequire } from 'node:module';
import * as esm from '@tenfold/core';

const cjs = createRequire(import.meta.url)('@tenfold/core');
const [a, b] = await Promise.all([esm.ready(), cjs.ready()]);
const x = esm.tf.tensor([[3, 0], [4, 0]]);
process.stdout.write(JSON.stringify({
  backends: [a.name, b.name], sameTf: esm.tf.engine() === cjs.tf.engine(),
  norms: [esm.norm(x), cjs.norm(x)], active: esm.tf.getBackend(),
}));
